"""晋级条件 with 破格 waivers, and 职级升降 (assessment.grades.prerequisites, .decisions) on the tiny
bank. Totals: 2026-09 张伟 104.41, 王芳 81.61, 刘洋 63.00 (disqualified), 陈静 76.44; 2026-10 张伟
83.74, 王芳 84.70, 李娜 58.00, 陈静 107.03. The roster (tests/grading_bank.py): 陈静 has 大专 and
经济师 with 8 years of credit work, 王芳 硕士 and 助理经济师 with 6."""
from __future__ import annotations

import csv
import shutil

import openpyxl
import pandas as pd
import pytest

from generator.errors import ConfigError
from tests.conftest import TINY, Bank, run_build
from tests.grading_bank import assessed, with_rules
from tests.sitecheck import follow_link, link_problems, selector_rows

EDUCATION = """
grades:
  prerequisites:
    education_order: [大专, 本科, 硕士]
    title_order: [助理经济师, 经济师, 高级经济师]
    levels:
      senior: {education: 本科, title: 经济师, credit_years: 5}
      high: {education: 大专, credit_years: 3}
{waivers}
"""


def prerequisites(waivers: str = "") -> str:
    return EDUCATION.replace("{waivers}", waivers)


def test_a_score_that_reaches_a_grade_without_its_prerequisites_gets_the_grade_he_qualifies_for(bank):
    table = assessed(with_rules(bank, prerequisites()))["2026-10"].table
    chen = table.loc["000105"]  # 107.03 reaches 资深 (≥ 85), but 大专 is below 本科
    assert (chen["score_grade"], chen["grade"], chen["grade_id"]) == ("资深客户经理", "高级客户经理", "high")
    assert chen["grade_note"] == "得分达到 资深客户经理；缺少 本科学历"
    # 张伟 (83.74, 高级) and 王芳 (84.70, 高级) reach only 高级, whose requirements they meet: no note
    assert table.loc[["000101", "000102"], "grade_note"].tolist() == ["", ""]


def test_a_manager_meeting_every_requirement_keeps_the_grade_his_score_reaches(bank):
    table = assessed(with_rules(bank, prerequisites()))["2026-09"].table
    zhang = table.loc["000101"]  # 104.41 reaches 资深 and 张伟 meets all of it: 本科, 经济师, 9 years
    assert zhang["grade"] == "资深客户经理" and zhang["grade_note"] == ""


def test_a_manager_lacking_several_requirements_is_told_each(bank):
    rules = prerequisites().replace("title: 经济师, credit_years: 5}", "title: 高级经济师, credit_years: 10}")
    table = assessed(with_rules(bank, rules))["2026-10"].table
    # 陈静: 大专 < 本科, 经济师 < 高级经济师, 8 < 10 years
    assert table.loc["000105", "grade_note"] == ("得分达到 资深客户经理；缺少 本科学历、高级经济师职称、"
                                                 "10 年信贷从业经历")
    assert table.loc["000105", "grade"] == "高级客户经理"


def test_the_english_note(bank):
    table = assessed(with_rules(bank, prerequisites(), language="en"))["2026-10"].table
    assert table.loc["000105", "grade_note"] == "Score reaches Senior customer manager; lacks 本科 education"


def test_a_waiver_by_score_lifts_the_education_requirement(bank):
    waivers = "    waivers:\n      - {waives: [education], min_total: 100}"
    table = assessed(with_rules(bank, prerequisites(waivers)))["2026-10"].table
    chen = table.loc["000105"]
    assert chen["grade"] == "资深客户经理"
    assert chen["grade_note"] == "破格：免除本科学历要求（得分不低于 100 分）"


def test_a_waiver_by_share_goes_to_the_top_places_only(bank):
    # 4 ranked in 2026-10: the top 25% is ceil(0.25 × 4) = 1 place, 陈静's; 30% would be 2 places
    waivers = "    waivers:\n      - {waives: [education], top_share: 0.25, levels: [senior]}"
    table = assessed(with_rules(bank, prerequisites(waivers)))["2026-10"].table
    assert table.loc["000105", "grade"] == "资深客户经理"
    assert table.loc["000105", "grade_note"] == "破格：免除本科学历要求（得分居全行前 25%）"


def test_a_waiver_for_another_grade_does_not_apply(bank):
    waivers = "    waivers:\n      - {waives: [education], min_total: 100, levels: [high]}"
    table = assessed(with_rules(bank, prerequisites(waivers)))["2026-10"].table
    assert table.loc["000105", "grade"] == "高级客户经理"


@pytest.mark.parametrize(("rules", "words"), [
    (prerequisites().replace("education: 本科, title", "education: 博士, title"),
     ["levels.senior.education", "'博士' is not in education_order", "Fix: add it"]),
    (prerequisites().replace("      high:", "      chief:"), ["prerequisites.levels.chief", "not a grade id"]),
    (prerequisites("    waivers:\n      - {waives: [education]}"), ["waivers[0]", "exactly one of `top_share`"]),
    ("grades: {decisions: {periods: [month]}}", ["decisions.periods", "period"]),
    ("grades: {decisions: {bottom: {share: 0.9}}}", ["bottom.share"]),
])
def test_grade_config_errors_name_the_key(bank, rules, words):
    with_rules(bank, rules)
    with pytest.raises(ConfigError) as error:
        bank.load()
    assert all(word in str(error.value) for word in words), str(error.value)


# --- decisions ---

DECIDE_EACH_PERIOD = """
grades:
  decisions:
    periods: [period]
    promote: {consecutive: 2}
    demote: {consecutive: 2}
"""


def test_two_periods_in_a_row_below_the_grade_demote_with_both_periods_as_evidence(bank):
    # 王芳 holds 资深 (min 85) in the roster: 81.61 then 84.70, both below
    results = assessed(with_rules(bank, DECIDE_EACH_PERIOD, roster_grades={"000102": "资深客户经理"}))
    september, october = results["2026-09"].table.loc["000102"], results["2026-10"].table.loc["000102"]
    assert september["grade_streak_down"] == 1 and september["grade_decision"] == ""  # one period is not enough
    assert october["grade_streak_down"] == 2
    assert (october["grade_decision"], october["grade_decision_to"]) == ("demote", "高级客户经理")
    assert october["grade_decision_evidence"] == "得分低于 资深客户经理 的 85 分：2026年9月 81.61；2026年10月 84.70"


def test_the_english_evidence(bank):
    results = assessed(with_rules(bank, DECIDE_EACH_PERIOD, roster_grades={"000102": "资深客户经理"}, language="en"))
    october = results["2026-10"].table.loc["000102"]
    assert october["grade_decision_to"] == "High-level customer manager"
    assert october["grade_decision_evidence"] == (
        "score below the 85 points of Senior customer manager: Sep 2026 81.61; Oct 2026 84.70")


def test_a_period_above_the_line_breaks_the_run(bank):
    # 张伟 holds 资深: 104.41 (not below) then 83.74 (below): a run of 1, no demotion
    results = assessed(with_rules(bank, DECIDE_EACH_PERIOD, roster_grades={"000101": "资深客户经理"}))
    october = results["2026-10"].table.loc["000101"]
    assert october["grade_streak_down"] == 1 and october["grade_decision"] == ""


def test_two_periods_graded_above_the_roster_promote_one_grade(bank):
    # 陈静 holds 客户经理 (the roster): graded 高级 (76.44) in 2026-09, 资深 (107.03) in 2026-10
    results = assessed(with_rules(bank, DECIDE_EACH_PERIOD))
    chen = results["2026-10"].table.loc["000105"]
    assert (chen["grade_decision"], chen["grade_decision_to"]) == ("promote", "高级客户经理")
    assert chen["grade_decision_evidence"] == "按得分及晋级条件达到 高级客户经理：2026年9月 76.44；2026年10月 107.03"
    # 李娜 (new in 2026-10) has one period only
    assert results["2026-10"].table.loc["000103", "grade_decision"] == ""


def test_prerequisites_hold_back_a_promotion(bank):
    # 高级 and 资深 need 10 years of credit work: 陈静 (8) stays 客户经理 by grade, as the roster has him
    rules = prerequisites().replace("credit_years: 5}", "credit_years: 10}").replace(
        "high: {education: 大专, credit_years: 3}", "high: {education: 大专, credit_years: 10}")
    results = assessed(with_rules(bank, rules + DECIDE_EACH_PERIOD.replace("grades:\n", "")))
    chen = results["2026-10"].table.loc["000105"]
    assert chen["grade"] == "客户经理" and chen["grade_streak_up"] == 0 and chen["grade_decision"] == ""
    assert chen["grade_note"] == "得分达到 资深客户经理；缺少 本科学历、10 年信贷从业经历"


@pytest.mark.parametrize(("action", "decision", "to"),
                         [("warning", "warning", ""), ("demotion", "demote", "客户经理助理")])
def test_the_bottom_share_is_warned_or_demoted(bank, action, decision, to):
    rules = f"""
grades:
  decisions:
    periods: [period]
    promote: null
    demote: null
    bottom: {{share: 0.25, action: {action}}}
"""
    table = assessed(with_rules(bank, rules))["2026-09"].table
    # 3 ranked in 2026-09 (刘洋 disqualified): ceil(0.25 × 3) = 1 place, 陈静's 76.44; demoted from 客户经理 one down
    decided = table[table["grade_decision"].ne("")]
    assert decided.index.tolist() == ["000105"]
    assert (decided.at["000105", "grade_decision"], decided.at["000105", "grade_decision_to"]) == (decision, to)
    assert decided.at["000105", "grade_decision_evidence"] == "末位 25%：得分 76.44"
    assert table.loc["000104", "grade_decision"] == ""  # the disqualified are not ranked, so not at the bottom


def test_a_grade_kept_from_the_roster_is_no_evidence_for_a_decision(bank):
    # 李娜 is not eligible in 2026-10 (0 months in post) and keeps her roster grade, 客户经理助理;
    # graded by her 58.00 she would be 客户经理, above it, and promoted with consecutive: 1
    rules = """
eligibility: {min_months_in_post: 3}
grades:
  excluded_managers: {ineligible: roster}
  decisions: {periods: [period], promote: {consecutive: 1}}
"""
    li = assessed(with_rules(bank, rules))["2026-10"].table.loc["000103"]
    assert li["grade"] == "客户经理助理" and li["grade_streak_up"] == 0 and li["grade_decision"] == ""


def test_a_kept_roster_grade_is_shown_in_the_site_language(bank):
    rules = "eligibility: {min_months_in_post: 3}\ngrades: {excluded_managers: {ineligible: roster}}"
    table = assessed(with_rules(bank, rules, language="en"))["2026-10"].table
    assert table.loc["000103", "grade"] == "Assistant customer manager"
    assert table.loc["000103", "grade_id"] == "assistant"


def test_no_decision_columns_in_kinds_not_decided(bank):
    results = assessed(with_rules(bank, "grades: {decisions: {periods: [year]}}"))
    assert "grade_decision" not in results["2026-10"].table


# --- the site: the decisions page, its downloads and the way to it ---

SITE_RULES = """
eligibility: {min_months_in_post: 3}
grades:
  prerequisites:
    education_order: [大专, 本科, 硕士]
    levels:
      senior: {education: 本科}
  decisions:
    periods: [period]
    demote: {consecutive: 2}
"""


@pytest.fixture(scope="module")
def decided_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("decided") / "bank"
    shutil.copytree(TINY, root)
    bank = with_rules(Bank(root), SITE_RULES, roster_grades={"000102": "资深客户经理"})
    out = root.parent / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache")
    assert result.returncode == 0, result.stderr
    return out


def test_the_decisions_page_is_reached_from_the_period_overview_and_lists_each_decision(decided_site, open_page):
    opened = open_page(decided_site / "2026-10/index.html")
    page = follow_link(opened, "职级升降")
    assert page.url.endswith("2026-10/decisions.html")
    assert page.locator("h1").inner_text() == "职级升降 · 2026年10月"
    demoted = selector_rows(page, "#demote")
    assert demoted == [["王芳", "000102", "东湖解放路网点", "资深客户经理", "高级客户经理", "84.70",
                        "得分低于 资深客户经理 的 85 分：2026年9月 81.61；2026年10月 84.70"]]
    promoted = selector_rows(page, "#promote")
    assert [row[0] for row in promoted] == ["陈静"]  # 客户经理 → 高级 (资深 needs 本科)
    assert "本期尚未关闭" in page.locator(".notice").inner_text()
    assert not opened.errors and not opened.external
    page.locator("#demote a", has_text="王芳").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("2026-10/managers/000102.html")
    assert "降级 → 高级客户经理" in page.locator(".grade-decision").inner_text()


def test_the_decisions_downloads_carry_the_evidence(decided_site):
    downloads = decided_site / "2026-10/downloads"
    with open(downloads / "decisions-2026-10.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["客户经理编号"], row["职级升降"], row["升降后职级"]) for row in rows] == [
        ("000105", "晋级", "高级客户经理"), ("000102", "降级", "高级客户经理")]
    assert rows[1]["升降依据"].endswith("2026年9月 81.61；2026年10月 84.70")
    sheet = openpyxl.load_workbook(downloads / "decisions-2026-10.xlsx").active
    assert [cell.value for cell in sheet[1]][:3] == ["考核期", "客户经理编号", "姓名"]
    assert sheet.max_row == 3


def test_the_rankings_page_lists_the_ineligible_with_the_reason(decided_site, open_page):
    page = open_page(decided_site / "2026-10/rankings.html").page
    assert page.locator("#ineligible h2").inner_text() == "不符合参评资格（不排名、不评奖）"
    assert selector_rows(page, "#ineligible") == [
        ["李娜", "000103", "东湖人民路网点", "在岗 0 个月（2026-10-08 入职），不足参评所需的 3 个月"]]
    manager = open_page(decided_site / "2026-10/managers/000105.html").page
    assert manager.locator(".grade-note").inner_text() == "得分达到 资深客户经理；缺少 本科学历"
    assert link_problems(decided_site) == []


def test_the_methodology_page_says_what_the_excluded_keep(decided_site):
    text = (decided_site / "methodology.html").read_text(encoding="utf-8")
    assert "不符合参评资格的客户经理当期不评定职级。" in text
    assert "取消评选资格的客户经理当期不评定职级。" in text
    assert "在岗满 3 个月（自入职日期至期末）方可参评。" in text
    assert "连续 2 期得分低于现职级下限的降一级" in text


def test_rankings_download_has_the_ineligible_columns(decided_site):
    table = pd.read_csv(decided_site / "2026-10/downloads/rankings-2026-10.csv", encoding="utf-8-sig", dtype=str)
    row = table[table["客户经理编号"] == "000103"].iloc[0]
    assert row["不符合参评资格"] == "True" and row["不参评原因"].startswith("在岗 0 个月")
