"""Every data rule on a hand-made fixture: the bad row is named by file, row and column,
quarantined or kept as the rule says, and nothing else changes."""
from __future__ import annotations

import pandas as pd
import pytest

from generator.errors import DataError
from generator.extract.rules import RULES
from generator.i18n import CATALOGUES, section

PERF_09 = "periods/2026-09/performance.csv"
TARGETS_09 = "periods/2026-09/targets.csv"
EVAL_09 = "periods/2026-09/evaluations.csv"
VIOL_09 = "periods/2026-09/violations.csv"


def only_issue(dataset, rule):
    found = [issue for issue in dataset.issues if issue.rule == rule]
    assert len(found) == 1, [i.describe() for i in dataset.issues]
    return found[0]


def performance_of(dataset, period, manager_id):
    frame = dataset.performance
    return frame[(frame["period"] == period) & (frame["manager_id"] == manager_id)]


def test_clean_fixture_loads_without_issues(bank):
    dataset = bank.load()
    assert dataset.issues == []
    assert [p.id for p in dataset.periods] == ["2026-09", "2026-10"]
    assert len(dataset.performance) == 8 and len(dataset.targets) == 8 and len(dataset.violations) == 1


def test_ids_keep_their_leading_zeros(bank):
    dataset = bank.load()
    assert list(dataset.managers.index) == ["000101", "000102", "000103", "000104", "000105"]
    assert "0100" in dataset.units.index and dataset.units.loc["0101", "parent_id"] == "0100"
    assert set(dataset.performance["unit_id"]) == {"010101", "01010101", "01010102"}


def test_thousands_separators_and_percent_strings_are_parsed(bank):
    row = performance_of(bank.load(), "2026-09", "000101").iloc[0]
    assert row["deposit_avg"] == 12345.60  # "12,345.60"
    assert row["npl_ratio"] == 1.20  # "1.20%": the indicator is in %, so 1.20% is 1.20
    assert row["new_accounts"] == 12


def test_unit_depths_follow_parent_links(bank):
    depths = bank.load().units["depth"].to_dict()
    assert depths == {"0100": 0, "0101": 1, "010101": 2, "01010101": 3, "01010102": 3}


def test_exact_duplicate_keeps_the_first_row_and_quarantines_the_copy(bank):
    bank.append(PERF_09, bank.lines(PERF_09)[2])  # 000102's row again, as row 6
    dataset = bank.load()
    issue = only_issue(dataset, "duplicate_row")
    assert (issue.file, issue.row, issue.severity) == (PERF_09, 6, "reject")
    assert "row 3" in issue.message
    assert len(performance_of(dataset, "2026-09", "000102")) == 1


def test_differing_rows_of_one_manager_are_all_rejected(bank):
    bank.append(PERF_09, "000102,王芳,01010101,3300.00,-20.00,30,0.00%")
    dataset = bank.load()
    rows = sorted(i.row for i in dataset.issues if i.rule == "conflicting_rows")
    assert rows == [3, 6]
    assert performance_of(dataset, "2026-09", "000102").empty


def test_manager_in_two_units_rejects_both_rows(bank):
    bank.append(PERF_09, "000102,王芳,01010102,3200.50,-20.00,30,0.00%")
    dataset = bank.load()
    issues = [i for i in dataset.issues if i.rule == "manager_in_two_units"]
    assert sorted(i.row for i in issues) == [3, 6]
    assert issues[0].column == "所属机构编号" and "01010101, 01010102" in issues[0].message
    assert issues[0].message_zh == "客户经理 000102 同时列在机构 01010101、01010102 下（第 3、6 行）"
    assert performance_of(dataset, "2026-09", "000102").empty


def test_unknown_unit_is_rejected_with_file_row_column_and_value(bank):
    bank.replace(PERF_09, "000105,陈静,010101", "000105,陈静,999999")
    issue = only_issue(bank.load(), "unknown_unit")
    assert (issue.file, issue.row, issue.column, issue.value) == (PERF_09, 5, "所属机构编号", "999999")
    assert "unit" in issue.fix


def test_unknown_manager_is_rejected_in_every_period_file(bank):
    bank.append(EVAL_09, "009999,80,80")
    issue = only_issue(bank.load(), "unknown_manager")
    assert (issue.file, issue.row, issue.value) == (EVAL_09, 6, "009999")


def test_missing_target_is_a_warning_and_the_row_is_kept(bank):
    bank.write_lines(TARGETS_09, [line for line in bank.lines(TARGETS_09) if not line.startswith("000105")])
    dataset = bank.load()
    issue = only_issue(dataset, "missing_target")
    assert (issue.severity, issue.manager_id, issue.file) == ("warning", "000105", PERF_09)
    assert len(performance_of(dataset, "2026-09", "000105")) == 1


def test_empty_target_cell_is_a_missing_target_warning(bank):
    bank.replace(TARGETS_09, "000105,14000.00", "000105,")
    issue = only_issue(bank.load(), "missing_target")
    assert (issue.file, issue.row, issue.column) == (TARGETS_09, 5, "日均存款余额")


def test_negative_balance_is_rejected_but_a_negative_flow_is_not(bank):
    bank.replace(PERF_09, "000105,陈静,010101,15000.00", "000105,陈静,010101,-15000.00")
    dataset = bank.load()
    issue = only_issue(dataset, "negative_value")
    assert (issue.row, issue.column, issue.value) == (5, "日均存款余额", "-15000.00")
    # 000102's new loans of -20.00 (a net repayment) are a flow and stay.
    assert performance_of(dataset, "2026-09", "000102")["new_loans"].item() == -20.0


@pytest.mark.parametrize("cell, rule", [
    ("N/A", "not_a_number"),
    ("--", "not_a_number"),
    ("12,34.5", "not_a_number"),
    ("15%", "percent_not_allowed"),
    ("1e400", "out_of_range"),
    ("99999999999999", "out_of_range"),
])
def test_unreadable_amounts_are_rejected(bank, cell, rule):
    bank.replace(PERF_09, "000105,陈静,010101,15000.00", f'000105,陈静,010101,"{cell}"')
    issue = only_issue(bank.load(), rule)
    assert (issue.row, issue.column, issue.value, issue.severity) == (5, "日均存款余额", cell, "reject")


def test_full_width_digits_are_read_as_numbers(bank):
    bank.replace(PERF_09, "000105,陈静,010101,15000.00", "000105,陈静,010101,１５０００．００")
    assert performance_of(bank.load(), "2026-09", "000105")["deposit_avg"].item() == 15000.0


def test_fractional_count_and_ratio_over_100_are_rejected(bank):
    bank.replace(PERF_09, "0.00,5,0.80%", "0.00,5.5,180%")
    rules = {i.rule: i.column for i in bank.load().issues}
    assert rules == {"not_a_whole_number": "新开账户数", "out_of_range": "不良贷款率"}


def test_empty_manager_id_is_rejected(bank):
    bank.append(PERF_09, ",无名,010101,1.00,1.00,1,0.00")
    assert only_issue(bank.load(), "empty_id").row == 6


def test_truncated_line_is_rejected_with_its_width(bank):
    bank.append(PERF_09, "000103,李娜,01010101,200.00")
    issue = only_issue(bank.load(), "wrong_field_count")
    assert issue.row == 6 and "4 fields" in issue.message and "7 columns" in issue.message


def test_empty_indicator_cell_is_a_warning(bank):
    bank.replace(PERF_09, "000105,陈静,010101,15000.00,0.00", "000105,陈静,010101,15000.00,")
    dataset = bank.load()
    issue = only_issue(dataset, "missing_value")
    assert (issue.column, issue.severity) == ("新增贷款", "warning")
    assert pd.isna(performance_of(dataset, "2026-09", "000105")["new_loans"].item())


def test_qualitative_score_above_its_maximum_is_rejected(bank):
    bank.replace(EVAL_09, "000105,81.0", "000105,810")
    issue = only_issue(bank.load(), "out_of_range")
    assert (issue.file, issue.row, issue.column) == (EVAL_09, 5, "部门评价得分")


def test_violation_flags_and_penalties(bank):
    violation = bank.load().violations.iloc[0]
    assert (violation["manager_id"], violation["penalty"], bool(violation["disqualify"])) == ("000104", 20.0, True)
    bank.replace(VIOL_09, "20,是", "20,也许")
    assert only_issue(bank.load(), "not_yes_or_no").column == "取消评选资格"


def test_performance_outside_the_employment_dates_is_a_warning(bank):
    bank.replace("managers.csv", "000105,陈静,女,110101199105055678,2016-05-20",
                 "000105,陈静,女,110101199105055678,2026-10-20")
    issue = only_issue(bank.load(), "outside_employment")
    assert (issue.period, issue.manager_id) == ("2026-09", "000105")


def test_roster_leave_before_hire_rejects_the_manager_and_their_rows(bank):
    bank.replace("managers.csv", "2010-01-04,2026-09-30", "2010-01-04,2009-09-30")
    dataset = bank.load()
    assert only_issue(dataset, "leave_before_hire").file == "managers.csv"
    unknown = [i for i in dataset.issues if i.rule == "unknown_manager"]
    assert {i.file for i in unknown} == {PERF_09, TARGETS_09, EVAL_09, VIOL_09}
    assert "000104" not in dataset.managers.index


def test_unknown_status_is_a_warning(bank):
    bank.replace("managers.csv", "高级客户经理,在岗", "高级客户经理,出差")
    issue = only_issue(bank.load(), "unknown_status")
    assert (issue.row, issue.value) == (2, "出差")


@pytest.mark.parametrize("units, expected", [
    ("0102,海州市分行,0199,市分行", "orphan unit"),
    ("0100,重复省分行,,省分行", "listed 2 times"),
    ("0200,另一省分行,,省分行", "exactly one root"),
])
def test_broken_unit_tree_is_a_data_error(bank, units, expected):
    bank.append("units.csv", units)
    with pytest.raises(DataError) as caught:
        bank.load()
    assert expected in "\n".join(caught.value.messages)
    assert "units.csv" in caught.value.messages[0]


def test_cycle_in_parent_links_is_named(bank):
    bank.replace("units.csv", "0101,江城市分行,0100", "0101,江城市分行,010101")
    with pytest.raises(DataError) as caught:
        bank.load()
    assert any("cycle 0101 → 010101 → 0101" in m for m in caught.value.messages)


def test_missing_column_names_the_file_and_accepted_headers(bank):
    lines = bank.lines(PERF_09)
    bank.write_lines(PERF_09, [",".join(line.split(",")[:3] + line.split(",")[4:]) if i == 0 else line
                               for i, line in enumerate(lines)])
    with pytest.raises(DataError) as caught:
        bank.load()
    message = caught.value.messages[0]
    assert PERF_09 in message and "row 1" in message and "日均存款余额, deposit_avg" in message


def test_english_headers_load_like_chinese_ones(bank):
    chinese = bank.load()
    header = "manager_id,name,unit_id,deposit_avg,new_loans,new_accounts,npl_ratio"
    for period in ("2026-09", "2026-10"):
        path = f"periods/{period}/performance.csv"
        bank.write_lines(path, [header] + bank.lines(path)[1:])
    english = bank.load()
    pd.testing.assert_frame_equal(chinese.performance, english.performance)


def test_every_row_read_is_kept_or_quarantined(bank):
    """Nothing silently dropped: read rows = kept rows + quarantined rows, file by file."""
    bank.append(PERF_09, bank.lines(PERF_09)[2], "000105,陈静,999999,1.00,1.00,1,0.00", "009999,无名,010101,1,1,1,0")
    dataset = bank.load()
    quarantined = {(i.file, i.row) for i in dataset.issues if i.severity == "reject"}
    for item in dataset.inputs:
        if item.label == PERF_09:
            kept = len(dataset.performance[dataset.performance["period"] == "2026-09"])
            assert item.rows == kept + sum(1 for f, _ in quarantined if f == PERF_09) == 7


def test_every_rule_words_its_issues_in_the_catalogues():
    """A rule owns its words: its name, its fix and at least one message (issue.<rule>, or
    issue.<rule>.<case>), and every issue message in the catalogues belongs to a rule."""
    words = CATALOGUES["en"]
    owners = {key.split(".")[0] for key in section(words, "issue")}
    assert sorted(owners ^ set(RULES)) == []
    assert [rule for rule in RULES if f"rule.{rule}.name" not in words or f"rule.{rule}.fix" not in words] == []
