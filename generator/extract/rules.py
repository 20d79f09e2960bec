"""The data rules: every check the loader applies, what it means and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Issue, Severity
from generator.i18n import short_language


@dataclass(frozen=True)
class Rule:
    severity: Severity
    zh: str  # the rule's name
    en: str
    fix: str  # English, as the CLI log says it
    fix_zh: str

    def fix_text(self, language: str) -> str:
        return self.fix_zh if short_language(language) == "zh" else self.fix


RULES: dict[str, Rule] = {
    "wrong_field_count": Rule("reject", "字段数与表头不符", "Row width differs from the header",
                              "re-export the file; a truncated line or an unquoted comma inside a value causes this",
                              "重新导出文件；行被截断或字段值中含有未加引号的逗号都会导致此问题"),
    "merged_lines": Rule("reject", "疑似引号未闭合导致两行合并", "Two lines merged by an open quote",
                         "close the quote (or remove the stray quote character) in this row and re-export",
                         "补上本行缺失的引号（或删除多余的引号字符）后重新导出"),
    "empty_id": Rule("reject", "编号为空", "Empty ID", "fill in the ID, or delete the row",
                     "补填编号，或删除该行"),
    "not_a_number": Rule("reject", "不是数字", "Not a number",
                         "write a plain number such as 1234.56 (thousands separators are accepted)",
                         "填写纯数字，如 1234.56（可带千分位分隔符）"),
    "percent_not_allowed": Rule("reject", "非比率字段出现百分号", "Percent sign in a non-ratio column",
                                "give the value without %", "去掉百分号 %，只填数值"),
    "out_of_range": Rule("reject", "数值超出合理范围", "Value out of range",
                         "correct the value in the source system (check the unit: amounts are in 万元)",
                         "在源系统中更正该值（注意单位：金额单位为万元）"),
    "negative_value": Rule("reject", "余额或数量为负", "Negative balance, count or ratio",
                           "correct the sign in the source system; balances and counts cannot be negative",
                           "在源系统中更正正负号：余额、户数、张数等不能为负数"),
    "not_a_whole_number": Rule("reject", "户数/张数不是整数", "Count is not a whole number",
                               "counts (accounts, cards, sign-ups) must be whole numbers",
                               "户数、张数、签约数等计数指标必须为整数"),
    "not_a_date": Rule("reject", "日期无法识别", "Not a date", "write the date as YYYY-MM-DD",
                       "按 YYYY-MM-DD 格式填写日期"),
    "not_yes_or_no": Rule("reject", "应为“是”或“否”", "Not yes or no", "write 是 or 否 (yes or no)",
                          "填写“是”或“否”"),
    "duplicate_row": Rule("reject", "重复行", "Exact duplicate row", "delete the repeated row", "删除重复的行"),
    "conflicting_rows": Rule("reject", "同一客户经理多行且数据不一致",
                             "Same manager on several rows with different values",
                             "keep only the correct row for the manager", "该客户经理只保留数据正确的一行"),
    "manager_in_two_units": Rule("reject", "同一期客户经理属于两个机构", "Manager under two units in one period",
                                 "a manager belongs to one unit per period: keep the row of the unit he or she "
                                 "belonged to at period end",
                                 "客户经理每期只属于一个机构：保留其期末所在机构的那一行"),
    "unknown_manager": Rule("reject", "客户经理不在名册中", "Manager not in the roster",
                            "add the manager to the roster file, or correct the manager ID",
                            "在客户经理名册中补充该客户经理，或更正客户经理编号"),
    "unknown_unit": Rule("reject", "机构不在机构表中", "Unit not in the unit table",
                         "add the unit to the unit file, or correct the unit ID",
                         "在机构表中补充该机构，或更正机构编号"),
    "leave_before_hire": Rule("reject", "离职日期早于入职日期", "Leave date before hire date",
                              "correct the hire or leave date", "更正入职日期或离职日期"),
    "missing_value": Rule("warning", "指标值为空", "Indicator value is empty",
                          "fill in the value (0 if there was no business)", "补填该值（当期无业务的填 0）"),
    "missing_target": Rule("warning", "缺少目标值", "Target missing",
                           "add the manager's target to the targets file", "在目标文件中补充该客户经理的目标值"),
    "missing_evaluation": Rule("warning", "缺少定性评价", "Qualitative evaluation missing",
                               "add the manager's scores to the evaluations file",
                               "在定性评价文件中补充该客户经理的评分"),
    "target_without_performance": Rule("warning", "有目标无业绩", "Target but no performance row",
                                       "add the manager's performance row, or remove the target if he or she left",
                                       "补充该客户经理的业绩行；如其已离职，删除其目标值"),
    "outside_employment": Rule("warning", "业绩期间不在任职期内", "Performance outside the employment dates",
                               "check the hire and leave dates in the roster", "核对名册中的入职日期和离职日期"),
    "date_outside_period": Rule("warning", "日期不在本期内", "Date outside the period",
                                "check the date, or move the record to the folder of its period",
                                "核对该日期，或将该记录移到其所属期间的文件夹"),
    "unknown_status": Rule("warning", "状态无法识别", "Unknown status",
                           "use one of 在岗, 试用, 停职, 离职 (active, probation, suspended, left)",
                           "状态填写在岗、试用、停职、离职之一"),
    "status_without_leave_date": Rule("warning", "状态为离职但无离职日期", "Left, but no leave date",
                                      "fill in the leave date", "补填离职日期"),
}


def make_issue(rule: str, file: str, message: str, message_zh: str, **where) -> Issue:
    """An issue of `rule`, its message given in English and Chinese, its fix taken from the rule."""
    spec = RULES[rule]
    return Issue(severity=spec.severity, rule=rule, file=file, message=message, fix=spec.fix,
                 message_zh=message_zh, fix_zh=spec.fix_zh, **where)
