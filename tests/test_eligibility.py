"""参评资格 (assessment.eligibility): who is ranked, graded and awarded, and the reason given for
each manager left out, on the tiny bank (totals of 2026-10: 张伟 83.74, 王芳 84.70, 李娜 58.00,
陈静 107.03; 李娜 was hired on 2026-10-08 and is on probation, 刘洋 left on 2026-09-30)."""
from __future__ import annotations

import pandas as pd
import pytest

from generator.assessment.calendar import AssessedPeriod
from generator.assessment.counting import INELIGIBLE, counts, standing
from generator.assessment.eligibility import months_in_post
from generator.errors import ConfigError
from tests.grading_bank import assessed, with_rules

OCTOBER = AssessedPeriod("period", 2026, 10, "monthly")


@pytest.mark.parametrize(("hired", "months"), [("2026-07-15", 3), ("2026-08-01", 3), ("2026-08-02", 2),
                                                ("2026-10-31", 0), ("2015-03-01", 140)])
def test_months_in_post_are_whole_months_to_the_day_after_the_period(hired, months):
    # docs/assessment.md: hired 2026-07-15, period ending 2026-10-31 → 3 months and 17 days → 3
    assert months_in_post(pd.Series([pd.Timestamp(hired)]), OCTOBER).iloc[0] == months


def test_a_manager_short_of_the_months_in_post_is_listed_with_the_reason_and_not_ranked(bank):
    table = assessed(with_rules(bank, "eligibility: {min_months_in_post: 3}"))["2026-10"].table
    li = table.loc["000103"]
    assert li["is_ineligible"]
    assert li["ineligible_reason"] == "在岗 0 个月（2026-10-08 入职），不足参评所需的 3 个月"
    assert pd.isna(li["rank_overall"]) and pd.isna(li["grade"]) and li["awards"] == ""
    assert li["total"] == 58.00  # still scored: his page explains the score
    # the others are ranked without him: 陈静 1, 王芳 2, 张伟 3
    ranked = table.loc[["000105", "000102", "000101"], "rank_overall"].tolist()
    assert ranked == [1, 2, 3]
    assert not table.loc[["000101", "000102", "000105"], "is_ineligible"].any()


def test_excluded_statuses_take_the_rosters_words(bank):
    table = assessed(with_rules(bank, "eligibility: {excluded_statuses: [试用, 停职]}"))["2026-10"].table
    assert table.loc["000103", "ineligible_reason"] == "状态为试用，不参评"
    assert table["is_ineligible"].sum() == 1


def test_new_hires_and_leavers_excluded_in_the_period_they_join_or_leave(bank):
    results = assessed(with_rules(bank, "eligibility: {new_hires: exclude, leavers: exclude}"))
    reason = results["2026-10"].table.loc["000103", "ineligible_reason"]
    assert reason == "本期内入职（2026-10-08），新入职人员本期不参评"
    september = results["2026-09"].table
    assert september.loc["000104", "ineligible_reason"] == "本期内离职（2026-09-30），离职人员本期不参评"
    assert not september.loc["000101", "is_ineligible"]


def test_pro_rata_keeps_new_hires_in_the_ranking(bank):
    table = assessed(with_rules(bank, "eligibility: {new_hires: pro_rata}"))["2026-10"].table
    assert not table["is_ineligible"].any()
    assert table.loc["000103", "rank_overall"] == 4


def test_two_reasons_are_both_given(bank):
    rules = "eligibility: {min_months_in_post: 1, excluded_statuses: [probation]}"
    reason = assessed(with_rules(bank, rules))["2026-10"].table.loc["000103", "ineligible_reason"]
    assert reason == "状态为试用，不参评；在岗 0 个月（2026-10-08 入职），不足参评所需的 1 个月"


@pytest.mark.parametrize(("keep", "grade"), [("none", None), ("roster", "客户经理助理"), ("score", "客户经理")])
def test_whether_an_ineligible_manager_keeps_a_grade_is_configured(bank, keep, grade):
    rules = f"eligibility: {{min_months_in_post: 3}}\ngrades: {{excluded_managers: {{ineligible: {keep}}}}}"
    table = assessed(with_rules(bank, rules))["2026-10"].table
    assert (pd.isna(table.loc["000103", "grade"]) if grade is None else table.loc["000103", "grade"] == grade)
    assert pd.isna(table.loc["000103", "rank_overall"])  # a grade, never a rank


def test_a_disqualified_manager_may_keep_the_rosters_grade(bank):
    rules = "grades: {excluded_managers: {disqualified: roster}}"
    table = assessed(with_rules(bank, rules))["2026-09"].table
    assert table.loc["000104", "grade"] == "资深客户经理"  # 刘洋's roster grade; his 63.00 is not ranked
    assert table.loc["000104", "grade_note"] == "未参与本期排名，保留名册职级"
    assert pd.isna(table.loc["000104", "rank_overall"])


def test_the_english_reason(bank):
    table = assessed(with_rules(bank, "eligibility: {min_months_in_post: 3}", language="en"))["2026-10"].table
    assert table.loc["000103", "ineligible_reason"] == ("0 month(s) in post (hired 2026-10-08), short of the 3 "
                                                         "months required")


@pytest.mark.parametrize(("rules", "words"), [
    ("eligibility: {excluded_statuses: [在岗]}", ["eligibility.excluded_statuses", "would exclude every manager"]),
    ("eligibility: {min_months_in_post: -1}", ["eligibility.min_months_in_post"]),
    ("eligibility: {new_hires: prorata}", ["eligibility.new_hires", "pro_rata"]),
])
def test_eligibility_config_errors_name_the_key_and_the_fix(bank, rules, words):
    with_rules(bank, rules)
    with pytest.raises(ConfigError) as error:
        bank.load()
    text = str(error.value)
    assert all(word in text for word in words), text


def test_a_rule_needing_a_roster_column_the_config_does_not_read_is_refused(bank):
    bank.replace("site_config.yml", "      hire_date: [入职日期, hire_date]\n", "")
    with_rules(bank, "eligibility: {min_months_in_post: 3}")
    with pytest.raises(ConfigError) as error:
        bank.load()
    assert "assessment.eligibility.min_months_in_post: needs the roster's hire_date" in str(error.value)
    assert "reference.managers.columns" in str(error.value)


def test_an_ineligible_manager_is_not_disqualified_yet_does_not_count(bank):
    """Each reason has its own column; who counts is counting.counts over all three."""
    table = assessed(with_rules(bank, "eligibility: {min_months_in_post: 3}"))["2026-10"].table
    assert not table["is_disqualified"].any() and not table["is_held"].any()
    assert standing(table)["000103"] == INELIGIBLE and not counts(table)["000103"]
    assert table.at["000103", "result_status"] == "不符合参评资格"
    assert set(table.drop(index="000103")["result_status"]) == {"已评定"}
