"""Variants of the tiny bank for the eligibility and grade tests: the roster gains an education,
a title and years of credit work, and the assessment section takes a block of rules."""
from __future__ import annotations

import textwrap

from tests.conftest import Bank

# 000101 张伟 本科 经济师 9 years · 000102 王芳 硕士 助理经济师 6 · 000103 李娜 本科 (none) 0 ·
# 000104 刘洋 本科 高级经济师 15 · 000105 陈静 大专 经济师 8
ROSTER_EXTRA = {"000101": ("本科", "经济师", "9"), "000102": ("硕士", "助理经济师", "6"), "000103": ("本科", "", "0"),
                "000104": ("本科", "高级经济师", "15"), "000105": ("大专", "经济师", "8")}


def with_rules(bank: Bank, rules: str, roster_grades: dict[str, str] | None = None,
               language: str = "zh-CN") -> Bank:
    """The tiny bank with `rules` (YAML, at the indentation of assessment's keys) added to its
    assessment section, and the roster's grade of some managers changed."""
    bank.replace("site_config.yml", "      status: [状态, status]\n",
                 "      status: [状态, status]\n      education: [学历]\n      title: [职称]\n"
                 "      credit_years: [信贷从业年限]\n")
    bank.replace("site_config.yml", "  awards:\n", textwrap.indent(textwrap.dedent(rules).strip("\n"), "  ")
                 + "\n  awards:\n")
    if language != "zh-CN":
        bank.replace("site_config.yml", "language: zh-CN", f"language: {language}")
    lines = bank.lines("managers.csv")
    rows = [lines[0] + ",学历,职称,信贷从业年限"]
    for line in lines[1:]:
        cells = line.split(",")
        if roster_grades and cells[0] in roster_grades:
            cells[7] = roster_grades[cells[0]]
        rows.append(",".join(cells + list(ROSTER_EXTRA[cells[0]])))
    bank.write_lines("managers.csv", rows)
    return bank


def assessed(bank: Bank):
    from generator.assessment.engine import assess
    return assess(bank.load())
