"""The manager page as a reader meets it: the breakdown adds up, charts draw, nothing external."""
from __future__ import annotations

import pytest

from tests.conftest import run_build
from tests.sitecheck import link_problems


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import TINY
    out = tmp_path_factory.mktemp("managers") / "site"
    result = run_build("--config", str(TINY / "site_config.yml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def numbers(cells: list[str]) -> list[float]:
    return [float(cell.replace(",", "")) for cell in cells]


def test_breakdown_parts_add_up_to_the_total_shown(site, open_page):
    page = open_page(site / "2026-10/managers/000101.html").page
    points = numbers(page.locator(".breakdown tbody tr:not(.subtotal) td:last-child").all_inner_texts())
    # 张伟, 2026-10, hand-checked: 31.74 + 15.00 + 0.00 + 10.00 + 27.00
    assert points == [31.74, 15.00, 0.00, 10.00, 27.00]
    total = float(page.locator(".breakdown tr.total td, .breakdown tr.total th.num").last.inner_text())
    penalty = float(page.locator(".breakdown tfoot tr").first.locator("th.num").inner_text())
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
    names = lambda: [n for n in page.locator("table.ranking tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()]
    assert names()[0] == "陈静"  # rank 1 in October (107.03)
    page.get_by_role("searchbox").fill("000103")
    assert names() == ["李娜"] and page.locator("[data-role=count]").inner_text() == "1"
    page.get_by_role("searchbox").fill("")
    page.locator("select[data-filter=segment]").select_option("公司")
    assert names() == ["张伟"]
    page.locator("select[data-filter=segment]").select_option("")
    header = page.get_by_role("button", name="综合考评分")
    header.click()  # ascending: the lowest total first
    totals = [float(v) for v in page.locator("table.ranking tbody tr td:nth-child(5)").all_inner_texts()]
    assert totals == sorted(totals)
    header.click()
    totals = [float(v) for v in page.locator("table.ranking tbody tr td:nth-child(5)").all_inner_texts()]
    assert totals == sorted(totals, reverse=True)
