"""--audience: a site for one branch holds only that branch's managers and units; bank-wide
ranks are shown as ranks. No other branch's name or figure is in any file of the build."""
from __future__ import annotations

import pytest

from tests.conftest import run_build
from tests.sitecheck import link_problems
from tests.test_privacy import published_text

BRANCH = "01010102"  # 东湖解放路网点: 王芳 in October, 刘洋 in September
OTHERS = ("张伟", "李娜", "陈静", "000101", "000103", "000105", "东湖人民路网点", "01010101")
# figures of the other branches: 陈静's and 张伟's totals, 张伟's October deposits
OTHER_FIGURES = ("107.03", "83.74", "12,800.00", "1.28 亿元")


@pytest.fixture(scope="module")
def branch_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("audience") / "site"
    from tests.conftest import TINY
    result = run_build("--config", str(TINY / "site_config.yml"), "--out", str(out), "--audience", BRANCH)
    assert result.returncode == 0, result.stderr
    return out


def test_no_other_branchs_name_or_figure_is_in_any_file(branch_site):
    text = published_text(branch_site)
    leaked = [word for word in (*OTHERS, *OTHER_FIGURES) if word in text]
    assert leaked == []
    assert "王芳" in text and "刘洋" in text  # the branch's own managers are there


def test_the_whole_bank_build_does_hold_those_words(tiny_site):
    """The check above can fail: the same words are in the full site."""
    text = published_text(tiny_site)
    assert all(word in text for word in (*OTHERS, *OTHER_FIGURES))


def test_bank_wide_ranks_are_shown_as_ranks(branch_site, open_page):
    opened = open_page(branch_site / "2026-10/managers/000102.html")
    tile = opened.page.locator(".tile:has-text('全行排名')").inner_text()
    assert "2" in tile and "参评人数 4" in tile  # rank 2 of the 4 assessed bank-wide
    assert opened.errors == [] and opened.external == []
    home = open_page(branch_site / "index.html")
    assert home.errors == [] and "1" == home.page.locator(".tile strong").first.inner_text()
    assert link_problems(branch_site) == []


def test_an_unknown_audience_is_a_clear_error(tmp_path):
    from tests.conftest import TINY
    result = run_build("--config", str(TINY / "site_config.yml"), "--out", str(tmp_path / "site"), "--audience", "9999")
    assert result.returncode == 2 and "--audience: no unit '9999'" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_branch_sites_manifest_states_what_the_whole_bank_build_read_and_rejected(bank, tmp_path):
    """The manifest is the build's record of its inputs (the guards read it): a branch's site
    is cut from the whole bank, so its reads and rejects are the whole bank's."""
    import json
    # a rejected row in another branch: 李娜 (01010101) with a negative deposit balance
    bank.replace("periods/2026-10/performance.csv", "000103,李娜,01010101,200.00", "000103,李娜,01010101,-200.00")
    manifests = []
    for name, extra in (("whole", ()), ("branch", ("--audience", BRANCH))):
        out = tmp_path / name
        result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force", *extra)
        assert result.returncode == 0, result.stderr
        manifests.append(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
    whole, branch = manifests
    assert (branch["rows_read"], branch["rejected"]) == (whole["rows_read"], whole["rejected"])
    assert whole["rejected"] == 1 and branch["audience"] == BRANCH
