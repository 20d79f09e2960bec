"""The data rules: every check the loader applies, what it means and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Issue, Severity


@dataclass(frozen=True)
class Rule:
    severity: Severity
    zh: str
    en: str
    fix: str


RULES: dict[str, Rule] = {
    "wrong_field_count": Rule("reject", "字段数与表头不符", "Row width differs from the header",
                              "re-export the file; a truncated line or an unquoted comma inside a value causes this"),
    "merged_lines": Rule("reject", "疑似引号未闭合导致两行合并", "Two lines merged by an open quote",
                         "close the quote (or remove the stray quote character) in this row and re-export"),
    "empty_id": Rule("reject", "编号为空", "Empty ID", "fill in the ID, or delete the row"),
    "not_a_number": Rule("reject", "不是数字", "Not a number",
                         "write a plain number such as 1234.56 (thousands separators are accepted)"),
    "percent_not_allowed": Rule("reject", "非比率字段出现百分号", "Percent sign in a non-ratio column",
                                "give the value without %"),
    "out_of_range": Rule("reject", "数值超出合理范围", "Value out of range",
                         "correct the value in the source system (check the unit: amounts are in 万元)"),
    "negative_value": Rule("reject", "余额或数量为负", "Negative balance, count or ratio",
                           "correct the sign in the source system; balances and counts cannot be negative"),
    "not_a_whole_number": Rule("reject", "户数/张数不是整数", "Count is not a whole number",
                               "counts (accounts, cards, sign-ups) must be whole numbers"),
    "not_a_date": Rule("reject", "日期无法识别", "Not a date", "write the date as YYYY-MM-DD"),
    "not_yes_or_no": Rule("reject", "应为“是”或“否”", "Not yes or no", "write 是 or 否 (yes or no)"),
    "duplicate_row": Rule("reject", "重复行", "Exact duplicate row", "delete the repeated row"),
    "conflicting_rows": Rule("reject", "同一客户经理多行且数据不一致", "Same manager on several rows with different values",
                             "keep only the correct row for the manager"),
    "manager_in_two_units": Rule("reject", "同一期客户经理属于两个机构", "Manager under two units in one period",
                                 "a manager belongs to one unit per period: keep the row of the unit he or she "
                                 "belonged to at period end"),
    "unknown_manager": Rule("reject", "客户经理不在名册中", "Manager not in the roster",
                            "add the manager to the roster file, or correct the manager ID"),
    "unknown_unit": Rule("reject", "机构不在机构表中", "Unit not in the unit table",
                         "add the unit to the unit file, or correct the unit ID"),
    "leave_before_hire": Rule("reject", "离职日期早于入职日期", "Leave date before hire date",
                              "correct the hire or leave date"),
    "missing_value": Rule("warning", "指标值为空", "Indicator value is empty",
                          "fill in the value (0 if there was no business)"),
    "missing_target": Rule("warning", "缺少目标值", "Target missing",
                           "add the manager's target to the targets file"),
    "missing_evaluation": Rule("warning", "缺少定性评价", "Qualitative evaluation missing",
                               "add the manager's scores to the evaluations file"),
    "target_without_performance": Rule("warning", "有目标无业绩", "Target but no performance row",
                                       "add the manager's performance row, or remove the target if he or she left"),
    "outside_employment": Rule("warning", "业绩期间不在任职期内", "Performance outside the employment dates",
                               "check the hire and leave dates in the roster"),
    "date_outside_period": Rule("warning", "日期不在本期内", "Date outside the period",
                                "check the date, or move the record to the folder of its period"),
    "unknown_status": Rule("warning", "状态无法识别", "Unknown status",
                           "use one of 在岗, 试用, 停职, 离职 (active, probation, suspended, left)"),
    "status_without_leave_date": Rule("warning", "状态为离职但无离职日期", "Left, but no leave date",
                                      "fill in the leave date"),
}


def make_issue(rule: str, file: str, message: str, **where) -> Issue:
    spec = RULES[rule]
    return Issue(severity=spec.severity, rule=rule, file=file, message=message, fix=spec.fix, **where)
