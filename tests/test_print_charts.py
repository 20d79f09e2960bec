"""Charts that must print: drawn to SVG at build time with the CJK font, or the build fails."""
from __future__ import annotations

import pytest

from generator.errors import ConfigError
from generator.render.static_charts import require_font
from tests.conftest import run_build


def test_home_trend_has_a_build_time_svg_that_prints(tiny_site, open_page):
    opened = open_page(tiny_site / "index.html")
    page = opened.page
    page.wait_for_selector(".chart.drawn .vega-embed svg", timeout=10_000)
    static = page.locator(".chart-static svg")
    assert not static.is_visible()  # on screen the interactive chart replaces it
    labels = static.locator("text").all_text_contents()
    assert "2026年9月" in labels and "2026年10月" in labels and "平均得分" in labels
    assert static.locator("text").first.get_attribute("font-family") == "Noto Sans CJK SC"
    page.emulate_media(media="print")
    assert static.is_visible() and not page.locator(".chart .vega-embed").is_visible()
    assert opened.errors == []


def test_the_chart_shows_without_javascript(tiny_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((tiny_site / "2026-10/index.html").resolve().as_uri())
    assert page.locator(".chart-static svg").is_visible()
    assert "2026年10月" in page.locator(".chart-static svg").text_content()
    context.close()


def test_a_missing_chart_font_fails_the_build_and_says_how_to_fix_it(bank, tmp_path):
    bank.replace("site_config.yml", "  language: zh-CN", "  language: zh-CN\n  chart_font: No Such Font SC")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "site.chart_font: the font 'No Such Font SC' is not installed" in result.stderr
    assert "apt install fonts-noto-cjk" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_the_installed_cjk_font_passes_the_check():
    require_font("Noto Sans CJK SC")
    with pytest.raises(ConfigError):
        require_font("Noto Serif Nonexistent")
