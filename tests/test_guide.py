"""The narrative pages built by mkdocs: in the site's own shell, in the site's language."""
from __future__ import annotations

import pytest

from generator.errors import ConfigError
from generator.render import narrative
from tests.conftest import run_build


def test_guide_pages_share_the_site_shell_and_link_onwards(tiny_site, open_page):
    opened = open_page(tiny_site / "guide/index.html")
    page = opened.page
    assert opened.errors == [] and opened.external == []
    assert page.locator("h1").inner_text() == "阅读指南"
    assert page.locator(".site-header .brand").inner_text() == "测试分行 · 测试报告"
    # site.css reached through the relative link: the header has the bank's colour
    assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor") == "rgb(140, 28, 19)"
    assert page.locator(".guide-nav a").all_inner_texts() == ["阅读指南", "The data contract", "The assessment (考核)"]
    page.get_by_role("link", name="考核办法").last.click()
    page.wait_for_url("**/methodology.html")
    assert page.locator("h1").inner_text() == "考核办法"


def test_every_page_header_links_to_the_guide(tiny_site):
    manager = (tiny_site / "2026-10/managers/000101.html").read_text(encoding="utf-8")
    assert '<a href="../../guide/index.html">阅读指南</a>' in manager


def test_english_site_gets_the_english_guide(bank, tmp_path):
    bank.replace("site_config.yml", "language: zh-CN", "language: en")
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"), "--period", "2026-10")
    assert result.returncode == 0, result.stderr
    guide = (tmp_path / "site/guide/index.html").read_text(encoding="utf-8")
    assert '<h1 id="readers-guide">Reader\'s guide</h1>' in guide and 'lang="en"' in guide


def test_a_broken_narrative_page_fails_the_build_with_the_mkdocs_warning(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    (docs / "guide" / "en").mkdir(parents=True)
    (docs / "guide" / "en" / "index.md").write_text("# Guide\n\n[root](/etc/passwd)\n", encoding="utf-8")
    for name in narrative.REFERENCE_PAGES:
        (docs / name).write_text(f"# {name}\n", encoding="utf-8")
    monkeypatch.setattr(narrative, "DOCS", docs)
    shell = {"lang": "en", "t": {"guide": "Guide", "home": "Home", "methodology": "M", "data_quality": "Q",
                                 "search_placeholder": "", "search": "Search"},
             "bank": "B", "title": "T", "search_target": "2026-10/search.html"}
    with pytest.raises(ConfigError) as failure:
        narrative.build_guide(tmp_path / "site", shell)
    assert any("absolute link '/etc/passwd'" in message for message in failure.value.messages)
    assert not (tmp_path / "site" / "guide").exists()
