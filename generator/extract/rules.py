"""The data rules: every check the loader applies and how severe it is. What each rule is
called, what an issue of it says and how to fix the row are words of the site, so they live
in the catalogues (generator.i18n): rule.<id>.name, rule.<id>.fix and the message
issue.<id>, or issue.<id>.<case> where a rule words some cases differently (a score out of
its range is not an implausible figure). A call site names the rule, the case and the values
the message needs, never the words."""
from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Issue, Severity
from generator.i18n import Language, catalogue, in_each_language


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity

    def name(self, language: str) -> str:
        return catalogue(language)[f"rule.{self.id}.name"]

    def fix_text(self, language: str) -> str:
        return catalogue(language)[f"rule.{self.id}.fix"]

    def message_key(self, case: str | None = None) -> str:
        return f"issue.{self.id}.{case}" if case else f"issue.{self.id}"


def _rules(severities: dict[str, Severity]) -> dict[str, Rule]:
    return {rule: Rule(rule, severity) for rule, severity in severities.items()}


RULES: dict[str, Rule] = _rules({
    "wrong_field_count": "reject",
    "merged_lines": "reject",
    "empty_id": "reject",
    "invisible_in_id": "reject",  # identity-text
    "look_alike_id": "reject",  # identity-text
    "non_ascii_digits": "reject",  # identity-text
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
    "unit_mismatch": "reject",  # reference files per period: the performance file and the roster disagree
    "leave_before_hire": "reject",
    "implausible_completion": "reject",
    # periodic files in other layouts (extract-layouts)
    "manager_in_two_files": "reject",
    "unknown_indicator_code": "reject",
    "repeated_indicator_row": "reject",
    "missing_value": "warning",
    "missing_target": "warning",
    "missing_evaluation": "warning",
    "target_without_performance": "warning",
    "outside_employment": "warning",
    "date_outside_period": "warning",
    "unknown_status": "warning",
    "status_without_leave_date": "warning",
    "bidi_control": "warning",  # identity-text
    "cell_too_long": "warning",  # identity-text
})


def message(rule: str, case: str | None = None, **values: object) -> dict[Language, str]:
    """What an issue of `rule` says in every language, filled with `values` (a value that
    differs by language, such as a field's name, is given in each language)."""
    return in_each_language(RULES[rule].message_key(case), **values)


def make_issue(rule: str, file: str, said: dict[Language, str], **where) -> Issue:
    """An issue of `rule` saying `said` (see `message`), its fix taken from the catalogues."""
    fix = in_each_language(f"rule.{rule}.fix")
    return Issue(severity=RULES[rule].severity, rule=rule, file=file, message=said["en"], fix=fix["en"],
                 message_zh=said["zh"], fix_zh=fix["zh"], **where)
