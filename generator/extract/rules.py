"""The data rules: every check the loader applies and how severe it is. What each rule is
called and how to fix a row it catches are words of the site: catalogue entries
rule.<id>.name and rule.<id>.fix (generator.i18n)."""
from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Issue, Severity
from generator.i18n import catalogue, in_each_language


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity

    def name(self, language: str) -> str:
        return catalogue(language)[f"rule.{self.id}.name"]

    def fix_text(self, language: str) -> str:
        return catalogue(language)[f"rule.{self.id}.fix"]


def _rules(severities: dict[str, Severity]) -> dict[str, Rule]:
    return {rule: Rule(rule, severity) for rule, severity in severities.items()}


RULES: dict[str, Rule] = _rules({
    "wrong_field_count": "reject",
    "merged_lines": "reject",
    "empty_id": "reject",
    "not_a_number": "reject",
    "percent_not_allowed": "reject",
    "out_of_range": "reject",
    "negative_value": "reject",
    "not_a_whole_number": "reject",
    "not_a_date": "reject",
    "not_yes_or_no": "reject",
    "duplicate_row": "reject",
    "conflicting_rows": "reject",
    "manager_in_two_units": "reject",
    "unknown_manager": "reject",
    "unknown_unit": "reject",
    "leave_before_hire": "reject",
    "missing_value": "warning",
    "missing_target": "warning",
    "missing_evaluation": "warning",
    "target_without_performance": "warning",
    "outside_employment": "warning",
    "date_outside_period": "warning",
    "unknown_status": "warning",
    "status_without_leave_date": "warning",
})


def make_issue(rule: str, file: str, message: str, message_zh: str, **where) -> Issue:
    """An issue of `rule`, its message given in English and Chinese, its fix taken from the catalogues."""
    fix = in_each_language(f"rule.{rule}.fix")
    return Issue(severity=RULES[rule].severity, rule=rule, file=file, message=message, fix=fix["en"],
                 message_zh=message_zh, fix_zh=fix["zh"], **where)
