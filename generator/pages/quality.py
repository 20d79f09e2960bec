"""The data-quality report: what every rule found, per period, and the quarantined rows."""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from generator.errors import Issue
from generator.extract.dataset import Dataset, InputFile
from generator.extract.rules import RULES
from generator.extract.tally import LISTED_PER_RULE
from generator.pages.context import PageContext, PageLink, Shell

SEVERITY_ORDER = {"error": 0, "reject": 1, "warning": 2}


@dataclass(frozen=True)
class QuarantinedRow:
    file: str
    row: int
    rules: tuple[str, ...]
    columns: tuple[str, ...]
    messages: tuple[str, ...]
    original: str  # the row as it stood in the file, CSV-encoded


@dataclass(frozen=True)
class QualityReport:
    """Issues of one period (or of the reference files when `period` is None)."""

    period: str | None
    issues: tuple[Issue, ...]
    quarantine: tuple[QuarantinedRow, ...]
    rows_read: int
    unlisted: tuple[tuple[str, str, int], ...] = ()  # (file, rule, issues counted but not listed)
    unlisted_rows: int = 0  # rejected rows not in `quarantine` (beyond the first LISTED_PER_RULE)
    listed_per_rule: int = LISTED_PER_RULE

    @property
    def rejected(self) -> int:
        return len(self.quarantine) + self.unlisted_rows

    @property
    def warnings(self) -> int:
        listed = sum(1 for issue in self.issues if issue.severity == "warning")
        return listed + sum(n for _, rule, n in self.unlisted if RULES[rule].severity == "warning")

    def rule_counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(issue.rule for issue in self.issues)
        for _, rule, n in self.unlisted:
            counts[rule] += n
        return sorted(((RULES[rule].severity, rule, n) for rule, n in counts.items()),
                      key=lambda item: (SEVERITY_ORDER[item[0]], item[1]))


def quality_reports(dataset: Dataset) -> list[QualityReport]:
    """One report for the reference files, then one per period in time order."""
    keys = [None] + [period.id for period in dataset.periods]
    return [_report(dataset, key) for key in keys]


def _report(dataset: Dataset, period: str | None) -> QualityReport:
    issues = sorted(dataset.issues_of(period),
                    key=lambda i: (SEVERITY_ORDER[i.severity], i.file, i.row or 0, i.column or "", i.rule))
    inputs = [item for item in dataset.inputs if item.period == period]
    rows_read = sum(item.rows for item in inputs)
    quarantine = _quarantine(issues)
    unlisted = tuple((item.label, rule, n) for item in inputs for rule, n in item.unlisted)
    # a file with unlisted rejects: its rejected rows are counted by the loader, not from the list
    counted = {item.label: item.rejected for item in inputs
               if any(RULES[rule].severity == "reject" for rule, _ in item.unlisted)}
    unlisted_rows = sum(max(0, rejected - sum(1 for q in quarantine if q.file == file))
                        for file, rejected in counted.items())
    return QualityReport(period, tuple(issues), quarantine, rows_read, unlisted, unlisted_rows)


def _quarantine(issues: list[Issue]) -> tuple[QuarantinedRow, ...]:
    by_row: dict[tuple[str, int], list[Issue]] = {}
    for issue in issues:
        if issue.severity == "reject" and issue.row is not None:
            by_row.setdefault((issue.file, issue.row), []).append(issue)
    return tuple(
        QuarantinedRow(file, row, tuple(i.rule for i in found), tuple(i.column or "" for i in found),
                       tuple(i.message for i in found), _as_csv_line(found[0].raw))
        for (file, row), found in sorted(by_row.items())
    )


def _as_csv_line(cells: tuple[str, ...]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


REFERENCE = "reference"  # the page and quarantine file of the reference files (units, roster)


@dataclass(frozen=True, kw_only=True)
class QualityIndexPage(PageContext):
    """Every period's data-quality report in one table, and every rule with its fix."""

    template: ClassVar[str] = "quality_index.html"
    reports: list[dict]  # per report: link, rows_read, rejected, warnings
    rules: list[dict]  # per rule: rule, name, severity, fix


@dataclass(frozen=True, kw_only=True)
class QualityPeriodPage(PageContext):
    """What the rules found in one period's files (or the reference files), with its quarantine."""

    template: ClassVar[str] = "quality_period.html"
    report: QualityReport
    heading: str  # the period's label, or the reference files'
    quarantine: str  # the quarantine CSV's file name, beside the page
    language: str
    rule_names: dict[str, str]  # rule -> its name in the site language
    inputs: list[InputFile]  # the files read for the period


def quality_index_page(shell: Shell, reports: list[QualityReport], labels: dict[str | None, str]) -> QualityIndexPage:
    rows = [{"link": PageLink(labels[r.period], f"{report_name(r)}.html"), "rows_read": r.rows_read,
             "rejected": r.rejected, "warnings": r.warnings} for r in reports]
    rules = [{"rule": rule, "name": spec.name(shell.lang), "severity": spec.severity,
              "fix": spec.fix_text(shell.lang)} for rule, spec in RULES.items()]
    return QualityIndexPage(shell=shell, path="quality/index.html", reports=rows, rules=rules)


def quality_period_page(shell: Shell, report: QualityReport, heading: str, inputs: list[InputFile]
                        ) -> QualityPeriodPage:
    name = report_name(report)
    return QualityPeriodPage(shell=shell, path=f"quality/{name}.html", report=report, heading=heading,
                             quarantine=f"{name}.quarantine.csv", language=shell.lang,
                             rule_names={rule: spec.name(shell.lang) for rule, spec in RULES.items()},
                             inputs=[item for item in inputs if item.period == report.period])


def report_name(report: QualityReport) -> str:
    return report.period or REFERENCE
