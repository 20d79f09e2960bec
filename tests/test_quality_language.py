"""The data-quality pages speak the site language: every issue's message and fix exist in
Chinese and English, and a build shows the ones of `site.language`."""
from __future__ import annotations

import re

import pytest

from generator.config.loading import load_config
from generator.extract.loader import load_dataset
from generator.extract.rules import RULES
from tests.conftest import run_build
from tests.test_malformed_corpus import CORPUS, load_case, make_bank

PERF_09 = "periods/2026-09/performance.csv"
TARGETS_09 = "periods/2026-09/targets.csv"
EVAL_09 = "periods/2026-09/evaluations.csv"
VIOL_09 = "periods/2026-09/violations.csv"
HAN = re.compile(r"[\u4e00-\u9fff]")

# A negative average deposit: the message names the indicator by its label in each language.
NEGATIVE_DEPOSIT = {
    "zh": ("日均存款余额不能为负数", RULES["negative_value"].fix_text("zh-CN")),
    "en": ("Average deposits cannot be negative", RULES["negative_value"].fix_text("en")),
}


def built_quality(bank, tmp_path, language: str) -> tuple[str, str]:
    """The 2026-09 data-quality page and quarantine file of the bank built in `language`."""
    bank.replace("site_config.yml", "language: zh-CN", f"language: {language}")
    bank.replace(PERF_09, "000105,陈静,010101,15000.00", "000105,陈静,010101,-15000.00")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "quality" / "2026-09.html").read_text(encoding="utf-8")
    quarantine = (out / "quality" / "2026-09.quarantine.csv").read_text(encoding="utf-8-sig")
    return page, quarantine


@pytest.mark.parametrize("language, shown, hidden", [("zh-CN", "zh", "en"), ("en", "en", "zh")])
def test_quality_page_shows_the_site_language(bank, tmp_path, language, shown, hidden):
    page, quarantine = built_quality(bank, tmp_path, language)
    message, fix = NEGATIVE_DEPOSIT[shown]
    assert message in page and fix in page
    assert message in quarantine
    other_message, other_fix = NEGATIVE_DEPOSIT[hidden]
    assert other_message not in page and other_fix not in page
    assert other_message not in quarantine


def test_every_rule_has_a_chinese_fix():
    for rule, spec in RULES.items():
        fix_zh, fix = spec.fix_text("zh-CN"), spec.fix_text("en")
        assert fix_zh.strip() and HAN.search(fix_zh), rule
        assert fix_zh != fix, rule


def loadable_cases() -> list:
    """Corpus cases whose extracts load (exit 0), so their issues can be inspected."""
    folders = sorted(p for p in CORPUS.iterdir() if (p / "case.yml").is_file())
    return [pytest.param(folder, id=folder.name) for folder in folders
            if load_case(folder)["exit"] == 0 and not load_case(folder).get("xfail")]


@pytest.mark.parametrize("folder", loadable_cases())
def test_corpus_issues_have_their_own_chinese_message_and_fix(folder, tmp_path):
    dataset = load_dataset(load_config(make_bank(folder, load_case(folder), tmp_path)))
    for issue in dataset.issues:
        assert issue.message_zh != issue.message and HAN.search(issue.message_zh), issue.describe()
        assert issue.fix_zh != issue.fix and HAN.search(issue.fix_zh), issue.describe()
        assert issue.text("zh-CN") == issue.message_zh and issue.text("en") == issue.message
        assert issue.fix_text("zh-CN") == issue.fix_zh and issue.fix_text("en") == issue.fix


# The rules the loadable corpus cases do not reach, each planted in the tiny bank:
# (rule, file, text replaced, replacement); no text replaced means the line is appended.
PLANTED = [
    ("negative_value", PERF_09, "000105,陈静,010101,15000.00", "000105,陈静,010101,-15000.00"),
    ("not_a_whole_number", PERF_09, "0.00,5,0.80%", "0.00,5.5,0.80%"),
    ("not_yes_or_no", VIOL_09, "20,是", "20,也许"),
    ("manager_in_two_units", PERF_09, None, "000102,王芳,01010102,3200.50,-20.00,30,0.00%"),
    ("leave_before_hire", "managers.csv", "2010-01-04,2026-09-30", "2010-01-04,2009-09-30"),
    ("missing_value", PERF_09, "000105,陈静,010101,15000.00,0.00", "000105,陈静,010101,15000.00,"),
    ("missing_target", TARGETS_09, "000105,14000.00", "000105,"),
    ("missing_evaluation", EVAL_09, "000105,81.0", "000105,"),
    ("outside_employment", "managers.csv", "2016-05-20", "2026-10-20"),
    ("date_outside_period", VIOL_09, "2026-09-12", "2026-08-12"),
    ("status_without_leave_date", "managers.csv", "2010-01-04,2026-09-30", "2010-01-04,"),
]


@pytest.mark.parametrize("rule, relative, old, new", PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_issues_have_their_own_chinese_message(bank, rule, relative, old, new):
    bank.append(relative, new) if old is None else bank.replace(relative, old, new)
    issues = bank.load().issues
    assert rule in {issue.rule for issue in issues}, [i.describe() for i in issues]
    for issue in issues:
        assert issue.message_zh != issue.message and HAN.search(issue.message_zh), issue.describe()
