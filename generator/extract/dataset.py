"""The validated in-memory model of a bank's extracts, the input of every later stage."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from generator.config.loading import LoadedConfig
from generator.errors import Issue
from generator.extract.periods import Period
from generator.extract.rules import RULES


@dataclass(frozen=True)
class InputFile:
    """One file read, for provenance: which bytes, decoded how."""

    label: str
    sha256: str
    encoding: str
    rows: int
    period: str | None = None
    rejected: int = 0  # rows of it rejected (quarantined)
    unlisted: tuple[tuple[str, int], ...] = ()  # (rule, issues counted but not listed): see extract.tally
    unlisted_managers: tuple[str, ...] = ()  # the managers of its rejected rows not listed


@dataclass(frozen=True)
class PeriodReference:
    """The unit table and the roster as they stood in one period (reference files per period)."""

    units: pd.DataFrame
    managers: pd.DataFrame


@dataclass
class Dataset:
    """Validated tables; every row that failed a rule is in `issues`, never just gone.

    units:       index unit_id; name, parent_id, level, depth (root = 0)
    managers:    index manager_id; name and the roster attributes configured
    performance: one row per (period, manager_id): unit_id, one float column per indicator id
    targets:     one row per (period, manager_id): a float column per targeted indicator
    evaluations: one row per (period, manager_id): a float column per qualitative id
    violations:  period, manager_id, date, type, penalty, disqualify, description, count (violations the
                 record stands for: 1 per row, or a counts file's count), disqualified_by (flag, type,
                 count or "") and count_limit (disqualify.count_at_least when it applied)
    Every period table also carries `_row`, the row of its source file.
    by_period:   extract period id -> its own unit table and roster, when either is given per period
                 (reference.*.per_period); `units` and `managers` are then every unit and manager as
                 last seen, for names across periods. Read a period's through units_in / managers_in.
    """

    config: LoadedConfig
    periods: list[Period]
    units: pd.DataFrame
    managers: pd.DataFrame
    performance: pd.DataFrame
    targets: pd.DataFrame
    evaluations: pd.DataFrame
    violations: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)
    by_period: dict[str, PeriodReference] = field(default_factory=dict)

    def units_in(self, period_id: str) -> pd.DataFrame:
        """The unit tree of an extract period (the one table when it is given once)."""
        reference = self.by_period.get(period_id)
        return self.units if reference is None else reference.units

    def managers_in(self, period_id: str) -> pd.DataFrame:
        """The roster of an extract period (the one roster when it is given once)."""
        reference = self.by_period.get(period_id)
        return self.managers if reference is None else reference.managers

    def issues_of(self, period: str | None) -> list[Issue]:
        return [issue for issue in self.issues if issue.period == period]

    def count(self, severity: str) -> int:
        """Issues of `severity`, the listed ones and those only counted (see extract.tally)."""
        unlisted = sum(count for item in self.inputs for rule, count in item.unlisted
                       if RULES[rule].severity == severity)
        return unlisted + sum(1 for issue in self.issues if issue.severity == severity)

    def rejected_rows(self) -> int:
        return sum(item.rejected for item in self.inputs)
