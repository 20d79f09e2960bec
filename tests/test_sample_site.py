"""The bundled sample built as the README says, for one period: roll-ups and every link."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_build
from tests.sitecheck import link_problems


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_build("--config", str(ROOT / "site_config.yml"), "--out", str(out), "--period", "2025-12")
    assert result.returncode == 0, result.stderr
    return out


def test_rollups_ending_in_the_period_are_published(sample_site):
    for rollup in ("2025-Q4", "2025-H2", "2025-YTD-12", "2025-Y"):
        assert (sample_site / f"{rollup}/downloads/rankings-{rollup}.xlsx").is_file(), rollup
    index = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "2025年第4季度" in index and "2025年度" in index and "2025年1-12月累计" in index


def test_every_org_model_is_published(sample_site):
    charts = sorted(p.stem for p in (sample_site / "2025-12/org").glob("*.html"))
    assert charts == ["product", "product-ranking", "region", "region-ranking", "region_segment",
                      "region_segment-ranking", "segment", "segment-ranking", "volume", "volume-ranking"]


def test_the_sample_site_has_no_broken_or_external_links(sample_site):
    assert link_problems(sample_site) == []


def test_every_page_of_the_sample_site_is_valid_html(sample_site):
    from tests.test_html_valid import validate
    checked = validate(sample_site)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
