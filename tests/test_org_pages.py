"""Org charts and unit/group pages as a reader meets them: in Chromium, every link working."""
from __future__ import annotations

import pytest

from tests.conftest import run_build
from tests.sitecheck import link_problems


@pytest.fixture
def site(bank, tmp_path):
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "site"


def test_every_model_has_a_chart_and_every_node_a_page(site):
    for model in ("region", "segment", "volume", "region_segment"):
        assert (site / f"2026-10/org/{model}.html").is_file()
    units = sorted(p.stem for p in (site / "2026-10/units").glob("*.html"))
    assert units == ["0100", "0101", "010101", "01010101", "01010102"]
    assert link_problems(site) == []


def test_region_chart_opens_in_chromium_with_first_levels_open(site, open_page):
    opened = open_page(site / "2026-10/org/region.html")
    page = opened.page
    assert opened.errors == [] and opened.external == []
    assert page.locator(".org-chart .node").count() == 5
    open_states = page.eval_on_selector_all(".org-chart details", "ds => ds.map(d => d.open)")
    assert open_states == [True, True, False]  # province and city open, the sub-branch closed
    assert not page.get_by_role("link", name="东湖解放路网点").is_visible()
    page.get_by_role("button", name="全部展开").click()
    assert page.get_by_role("link", name="东湖解放路网点").is_visible()


def test_find_opens_the_path_to_a_unit(site, open_page):
    page = open_page(site / "2026-10/org/region.html").page
    page.locator(".toolbar input[type=search]").fill("解放路")
    assert page.locator(".node.hit").count() == 1
    assert page.get_by_role("link", name="东湖解放路网点").is_visible()


def test_chart_node_links_to_its_unit_page(site, open_page):
    page = open_page(site / "2026-10/org/region.html").page
    page.get_by_role("link", name="江城市分行").click()
    assert page.locator("h1").inner_text() == "江城市分行"
    assert page.url.endswith("2026-10/units/0101.html")


def test_unit_page_shows_subtree_figures_and_child_ranking(site):
    html = (site / "2026-10/units/010101.html").read_text(encoding="utf-8")
    # October: 张伟 12,800.00 + 陈静 15,500.00 + 王芳 3,400.00 + 李娜 200.00 = 31,900.00 万元
    assert "3.19 亿元" in html
    assert "东湖人民路网点" in html and "东湖解放路网点" in html


def test_chart_expands_fully_for_printing(site, open_page):
    page = open_page(site / "2026-10/org/region.html").page
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert all(page.eval_on_selector_all(".org-chart details", "ds => ds.map(d => d.open)"))
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector_all(".org-chart details", "ds => ds.map(d => d.open)") == [True, True, False]


def test_unit_ranking_page_ranks_each_level_and_links_back(site, open_page):
    opened = open_page(site / "2026-10/org/region-ranking.html")
    page = opened.page
    assert opened.errors == [] and opened.external == []
    headings = page.locator("h2").all_inner_texts()
    assert headings == ["市分行", "支行", "网点"]  # the unit table's level names, by depth
    outlets = page.locator("table").nth(2).locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(outlets) == ["东湖人民路网点", "东湖解放路网点"]
    page.get_by_role("link", name="按区域").click()
    assert page.url.endswith("2026-10/org/region.html")


def test_downloads_hold_the_assessment_table_safely(site):
    import csv
    import io

    from openpyxl import load_workbook
    raw = (site / "2026-10/downloads/rankings-2026-10.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    zhang = next(row for row in body if "000101" in row)
    # hand-checked in docs/assessment.md: 31.74 + 15.00 + 0.00 + 10.00 + 27.00 = 83.74
    assert zhang[header.index("综合考评分")] == "83.74"
    sheet = load_workbook(site / "2026-10/downloads/rankings-2026-10.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(header)
    assert any(row[header.index("综合考评分")] == 83.74 for row in values[1:])


def test_chart_scores_and_grade_legend_come_from_the_assessment(site, open_page):
    page = open_page(site / "2026-10/org/region.html").page
    legend = page.locator(".legend").inner_text()
    # the configured four-level system, top grade first, then the removal flag
    order = [legend.index(name) for name in ("资深客户经理", "高级客户经理", "客户经理助理", "待淘汰")]
    assert order == sorted(order)
    root_card = page.locator(".org-chart .node").first.inner_text()
    assert "4人" in root_card
