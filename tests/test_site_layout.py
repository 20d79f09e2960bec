"""The site as a reader meets it in Chromium: on a phone (390 px) nothing scrolls sideways and the
menu folds behind a button; on a desktop (1440 px) the ranking keeps its header row and name
column in view; the first click on a column puts the best first and numbers sort as numbers;
on paper a manager page is at most two A4 pages and the ranking prints landscape."""
from __future__ import annotations

import re

import pytest

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1440, "height": 900}
PAGES = ["index.html", "2026-10/index.html", "2026-10/rankings.html", "2026-10/managers/000101.html",
         "methodology.html", "quality/index.html", "2026-10/org/region.html", "2026-10/org/region-ranking.html"]


@pytest.fixture
def page_at(browser):
    opened = []

    def opener(path, viewport):
        page = browser.new_page(viewport=viewport)
        page.goto(path.resolve().as_uri(), wait_until="load")
        opened.append(page)
        return page
    yield opener
    for page in opened:
        page.close()


def _unit_page(site) -> str:
    return sorted((site / "2026-10" / "units").glob("*.html"))[0].relative_to(site).as_posix()


@pytest.mark.parametrize("relative", PAGES + ["unit"])
def test_no_page_scrolls_sideways_on_a_phone(tiny_site, page_at, relative):
    relative = _unit_page(tiny_site) if relative == "unit" else relative
    page = page_at(tiny_site / relative, PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{relative} is {width} px wide at 390 px"


def test_the_phone_menu_opens_from_its_button(tiny_site, page_at):
    page = page_at(tiny_site / "index.html", PHONE)
    nav, button = page.locator("#site-nav"), page.locator(".menu-toggle")
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert not nav.is_visible() and button.is_visible() and header_height < 80
    button.click()
    assert nav.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-nav a", has_text="考核办法").is_visible()
    button.click()
    assert not nav.is_visible() and button.get_attribute("aria-expanded") == "false"


def test_the_desktop_shows_the_menu_without_a_button(tiny_site, page_at):
    page = page_at(tiny_site / "index.html", DESKTOP)
    assert page.locator("#site-nav").is_visible() and not page.locator(".menu-toggle").is_visible()


def test_a_wide_ranking_scrolls_in_its_box_with_its_name_column_kept(tiny_site, page_at):
    page = page_at(tiny_site / "2026-10/rankings.html", PHONE)
    box = page.locator(".wide")
    name = page.locator("table.ranking tbody tr").first.locator("td").nth(1)
    edge = box.bounding_box()["x"]
    for scrolled in (300, 600):
        box.evaluate(f"element => {{ element.scrollLeft = {scrolled}; element.scrollTop = 60; }}")
        assert box.evaluate("element => element.scrollLeft") > 200, "the table is wider than the phone"
        assert abs(name.bounding_box()["x"] - edge) < 2  # sticky: the name stays at the box's left edge
    header = page.locator("table.ranking thead th").first
    assert abs(header.bounding_box()["y"] - box.bounding_box()["y"]) < 2  # the header row stays on top


def _column_texts(page, index: int) -> list[str]:
    return page.locator(f"table.ranking tbody tr td:nth-child({index + 1})").all_text_contents()


def _numbers(texts: list[str]) -> list[float]:
    return [float(re.match(r"-?[\d,]+(\.\d+)?", text.strip()).group(0).replace(",", "")) for text in texts
            if re.match(r"-?\d", text.strip())]


def test_the_first_click_puts_the_best_first(tiny_site, page_at):
    page = page_at(tiny_site / "2026-10/rankings.html", DESKTOP)
    headers = page.locator("table.ranking thead th")
    labels = headers.all_text_contents()
    total = labels.index("综合考评分")
    headers.nth(total).click()
    totals = _numbers(_column_texts(page, total))
    assert totals == sorted(totals, reverse=True) and len(totals) > 3
    headers.nth(0).click()  # the rank column: rank 1 first
    ranks = _numbers(_column_texts(page, 0))
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_amounts_sort_as_numbers_not_text(tiny_site, page_at):
    ranking = next(path for path in sorted((tiny_site / "2026-10" / "rankings").glob("*.html"))
                   if "万元" in path.read_text(encoding="utf-8"))
    page = page_at(ranking, DESKTOP)
    headers = page.locator("table.ranking thead th")
    actual = headers.all_text_contents().index("实际")
    headers.nth(actual).click()
    texts = [text for text in _column_texts(page, actual) if text.strip() != "—"]
    assert len({text.split()[-1] for text in texts}) == 1, f"one unit per column: {texts}"
    values = _numbers(texts)
    assert values == sorted(values, reverse=True)
    headers.nth(actual).click()
    assert _numbers([t for t in _column_texts(page, actual) if t.strip() != "—"]) == sorted(values)


def _pdf_pages(page) -> list[tuple[float, float]]:
    data = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


def test_a_manager_page_prints_on_at_most_two_a4_pages_without_the_menu(tiny_site, page_at):
    page = page_at(tiny_site / "2026-10/managers/000101.html", DESKTOP)
    pages = _pdf_pages(page)
    assert 1 <= len(pages) <= 2
    assert all(abs(w - 595.9) < 2 and abs(h - 842.9) < 2 for w, h in pages), pages  # A4 portrait, in points
    page.emulate_media(media="print")
    assert not page.locator("#site-nav").is_visible() and not page.locator("button[data-print]").is_visible()
    assert page.locator(".site-footer", has_text="内部资料 注意保密").is_visible()


def test_the_ranking_prints_landscape_and_whole(tiny_site, page_at):
    page = page_at(tiny_site / "2026-10/rankings.html", DESKTOP)
    pages = _pdf_pages(page)
    assert pages and all(w > h for w, h in pages), pages
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1032, "height": 700})  # A4 landscape's printable width at 96 dpi
    assert page.evaluate("document.documentElement.scrollWidth") <= 1032


def test_every_page_says_when_it_was_built_and_the_confidentiality_line(tiny_site):
    for relative in PAGES:
        text = (tiny_site / relative).read_text(encoding="utf-8")
        footer = re.search(r'<footer class="site-footer">(.*?)</footer>', text, re.S)
        assert footer and "生成时间 2026-10-31 00:00 UTC" in footer.group(1) and "内部资料 注意保密" in footer.group(1)


def test_an_archived_period_says_it_is_not_the_latest_and_lists_every_period(tiny_site, page_at):
    page = page_at(tiny_site / "2026-09/managers/000101.html", DESKTOP)
    banner = page.locator("main .notice.archived")
    assert banner.inner_text() == "本页是 2026年9月 的存档快照，不是最新一期。 最新一期：2026年10月 →"
    banner.locator("a").click()
    page.wait_for_url("**/2026-10/index.html")
    assert page.locator("main .notice.archived").count() == 0  # the latest period has no banner
    switcher = page.locator("select[data-navigate]")
    assert switcher.locator("option").all_inner_texts() == ["2026年10月", "2026年9月"]
    assert switcher.input_value().endswith("2026-10/index.html")
    switcher.select_option(label="2026年9月")
    page.wait_for_url("**/2026-09/index.html")


def test_a_period_overview_links_its_rankings_downloads_and_data_quality(tiny_site, page_at):
    page = page_at(tiny_site / "2026-09/index.html", DESKTOP)
    links = page.locator("nav.period-links a")
    assert links.all_inner_texts()[:4] == ["业绩排行榜", "下载 CSV", "下载 XLSX", "数据质量"]
    for index in range(links.count()):
        target = (tiny_site / "2026-09" / links.nth(index).get_attribute("href")).resolve()
        assert target.is_file(), target


def test_the_score_breakdown_reads_as_labelled_cards_on_a_phone(tiny_site, page_at):
    page = page_at(tiny_site / "2026-10/managers/000101.html", PHONE)
    first = page.locator("table.breakdown tbody tr").first
    labels = first.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels[1:] == ['"计分方法"', '"权重"', '"实际"', '"目标"', '"完成率"', '"封顶"', '"计分完成率"', '"得分"']
    name, method = first.locator("td").nth(0).bounding_box(), first.locator("td").nth(1).bounding_box()
    assert method["y"] > name["y"] and name["width"] > PHONE["width"] / 2  # the item's name heads its card
