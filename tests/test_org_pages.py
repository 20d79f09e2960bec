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
    page.get_by_role("searchbox").fill("解放路")
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
