"""The manager page as a reader meets it: the breakdown adds up, charts draw, nothing external."""
from __future__ import annotations

import pytest

from tests.conftest import run_build
from tests.sitecheck import link_problems


@pytest.fixture
def site(tiny_site):
    return tiny_site


def numbers(cells: list[str]) -> list[float]:
    return [float(cell.replace(",", "")) for cell in cells]


def test_breakdown_parts_add_up_to_the_total_shown(site, open_page):
    page = open_page(site / "2026-10/managers/000101.html").page
    points = numbers(page.locator(".breakdown tbody tr:not(.subtotal) td:last-child").all_inner_texts())
    # 张伟, 2026-10, hand-checked: 31.74 + 15.00 + 0.00 + 10.00 + 27.00
    assert points == [31.74, 15.00, 0.00, 10.00, 27.00]
    total = float(page.locator(".breakdown tr.total th:last-child").inner_text())
    penalty = float(page.locator(".breakdown tfoot tr").first.locator("th:last-child").inner_text())
    assert round(sum(points) + penalty, 2) == total == 83.74


def test_what_moved_sums_to_the_change_of_the_total(site, open_page):
    page = open_page(site / "2026-10/managers/000101.html").page
    table = page.locator("h2:has-text('名次变化原因') + table")
    changes = numbers(table.locator("tbody tr:not(.total) td:last-child").all_inner_texts())
    total_change = float(table.locator("tbody tr.total td:last-child").inner_text())
    assert round(sum(changes), 2) == total_change == -20.67  # 83.74 − 104.41


def test_history_charts_draw_offline_without_errors(site, open_page):
    opened = open_page(site / "2026-10/managers/000101.html")
    page = opened.page
    page.wait_for_selector(".chart svg", timeout=10_000)
    assert page.locator(".chart svg").count() == 2
    assert opened.errors == [] and opened.external == []
    assert "2026年9月" in page.locator(".chart").first.inner_text()


def test_growth_items_show_their_base_and_peers_link(site, open_page):
    page = open_page(site / "2026-10/managers/000101.html").page
    assert "基期 12.00，目标增长 10.0%" in page.locator(".breakdown").inner_text()
    page.get_by_role("link", name="查看本机构全部 2 名客户经理的得分与排名").click()
    page.wait_for_url("**/2026-10/units/010101.html#members")
    members = page.locator("table.members tbody tr")
    # 东湖人民路网点 in October: 陈静 107.03 first in the unit, 张伟 83.74 second
    assert [row.split("\t") for row in members.all_inner_texts()] == [
        ["陈静", "000105", "107.03", "资深客户经理", "1"], ["张伟", "000101", "83.74", "高级客户经理", "2"]]
    page.get_by_role("link", name="陈静").click()
    assert page.url.endswith("2026-10/managers/000105.html")


def test_new_manager_has_no_previous_period_to_compare(site):
    html = (site / "2026-10/managers/000103.html").read_text(encoding="utf-8")
    assert "上期未参加考核" in html


def test_manager_pages_have_no_broken_links(site):
    assert link_problems(site) == []


def test_rankings_table_sorts_searches_and_filters_offline(site, open_page):
    opened = open_page(site / "2026-10/rankings.html")
    page = opened.page
    assert opened.errors == [] and opened.external == []

    def names():
        return page.locator("table.ranking tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()

    assert names()[0] == "陈静"  # rank 1 in October (107.03)
    page.locator("#ranking-controls input[type=search]").fill("000103")
    assert names() == ["李娜"] and page.locator("[data-role=count]").inner_text() == "1"
    page.locator("#ranking-controls input[type=search]").fill("")
    page.locator("select[data-filter=segment]").select_option("公司")
    assert names() == ["张伟"]
    page.locator("select[data-filter=segment]").select_option("")
    header = page.get_by_role("button", name="综合考评分")
    header.click()  # the first click: the highest total first
    totals = [float(v) for v in page.locator("table.ranking tbody tr td:nth-child(5)").all_inner_texts()]
    assert totals == sorted(totals, reverse=True)
    header.click()  # then ascending
    totals = [float(v) for v in page.locator("table.ranking tbody tr td:nth-child(5)").all_inner_texts()]
    assert totals == sorted(totals)


def test_methodology_page_shows_the_configured_rules(site, open_page):
    opened = open_page(site / "methodology.html")
    text = opened.page.locator("main").inner_text()
    assert opened.errors == []
    # tiny config: 日均存款余额 weight 30 capped at 120%; four-level grades from 85 down
    scheme = opened.page.locator("h3:has-text('工作实际考评得分') + table").inner_text()
    assert "日均存款余额\t目标完成率\t30\t0.0%\t120.0%" in scheme
    assert "满分 70" in text  # 30 + 20 + 10 + 10
    for grade, minimum in (("资深客户经理", "85"), ("客户经理助理", "20")):
        assert f"{grade}\t≥ {minimum}" in text
    assert "1、2、2、4" in text and "客户类别" in text


def test_methodology_follows_a_config_change(bank, tmp_path):
    bank.replace("site_config.yml", "{indicator: deposit_avg, weight: 30,", "{indicator: deposit_avg, weight: 35,")
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"), "--period", "2026-10")
    assert result.returncode == 0, result.stderr
    assert "满分 75" in (tmp_path / "site/methodology.html").read_text(encoding="utf-8")


def test_home_shows_the_latest_period_at_a_glance(site, open_page):
    opened = open_page(site / "index.html")
    page = opened.page
    page.wait_for_selector(".chart.drawn .vega-embed svg", timeout=10_000)  # drawn by the browser
    assert opened.errors == [] and opened.external == []
    assert "本期概览 · 2026年10月" in page.locator("h2").first.inner_text()
    tiles = page.locator(".tile strong").all_inner_texts()
    assert tiles[0] == "4"  # four managers assessed in October
    top = page.locator("section:has(h3:has-text('优秀客户经理')) tbody tr td:nth-child(2)").all_inner_texts()
    assert top[0] == "陈静"  # rank 1 in October, as on the rankings page
    page.locator("select[data-navigate]").select_option(label="2026年9月")
    page.wait_for_url("**/2026-09/index.html")
    assert "本期概览 · 2026年9月" in page.locator("main").inner_text()


def test_search_finds_managers_and_units_by_chinese_name_or_id(site, open_page):
    opened = open_page(site / "2026-10/search.html")
    page = opened.page
    assert opened.errors == [] and opened.external == []
    page.locator("#search-input").fill("东湖")
    found = page.locator("#search-results a").all_inner_texts()
    # 江城东湖支行 and its two outlets; no manager is named 东湖
    assert sorted(found) == ["东湖人民路网点", "东湖解放路网点", "江城东湖支行"]
    page.locator("#search-input").fill("000105")
    assert page.locator("#search-results a").all_inner_texts() == ["陈静"]
    page.get_by_role("link", name="陈静").click()
    assert page.url.endswith("2026-10/managers/000105.html")


def test_header_search_box_opens_the_search_page_with_results(site, open_page):
    page = open_page(site / "2026-10/org/region.html").page
    box = page.get_by_role("searchbox", name="搜索")
    box.fill("张伟")
    box.press("Enter")
    page.wait_for_url("**/2026-10/search.html?q=*")
    assert page.locator("#search-results a").all_inner_texts() == ["张伟"]


def test_english_ui_from_config(bank, tmp_path, open_page):
    bank.replace("site_config.yml", "language: zh-CN", "language: en")
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"), "--period", "2026-10")
    assert result.returncode == 0, result.stderr
    opened = open_page(tmp_path / "site/2026-10/managers/000101.html")
    page = opened.page
    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.locator(".site-header nav").inner_text()
    assert "Home" in nav and "Methodology" in nav and "Data quality" in nav
    assert "Score breakdown" in page.locator("main").inner_text()
    assert "Oct 2026" in page.locator(".period-note").first.inner_text()
    from tests.test_html_valid import validate
    assert validate(tmp_path / "site").returncode == 0
