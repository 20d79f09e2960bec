"""What one assessed period is scored from, gathered from the dataset's extract tables."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from generator.assessment.calendar import AssessedPeriod
from generator.extract.dataset import Dataset
from generator.extract.periods import Period


@dataclass
class PeriodInputs:
    """Values per manager of one period, every frame indexed by the same sorted manager ids.

    roster:      unit_id (at the end of the period), periods_present (extract periods with
                 a performance row), periods_total (extract periods the period spans), as_of (the
                 extract period the unit is from: the last one with a performance row)
    actuals:     one float column per indicator (NaN = missing)
    targets:     one float column per targeted indicator (NaN = missing)
    evaluations: one float column per qualitative score (NaN = missing)
    violations:  the violation rows of the period's extract periods (any manager)
    """

    period: AssessedPeriod
    members: list[Period]
    roster: pd.DataFrame
    actuals: pd.DataFrame
    targets: pd.DataFrame
    evaluations: pd.DataFrame
    violations: pd.DataFrame

    @property
    def index(self) -> pd.Index:
        return self.roster.index


class ExtractTables:
    """The dataset's period tables split by period once, indexed by manager."""

    def __init__(self, dataset: Dataset):
        settings = dataset.config.settings
        self.indicators = [i.id for i in settings.indicators]
        self.targeted = [i.id for i in settings.targeted_indicators]
        self.qualitative = [q.id for q in settings.qualitative]
        self.performance = _split(dataset.performance, ["unit_id"] + self.indicators)
        self.targets = _split(dataset.targets, self.targeted)
        self.evaluations = _split(dataset.evaluations, self.qualitative)
        self.violations = dataset.violations

    def rows(self, table: str, period: Period) -> pd.DataFrame:
        return getattr(self, table)[period.id]

    def extract_period_inputs(self, period: AssessedPeriod, member: Period) -> PeriodInputs:
        performance = self.rows("performance", member)
        index = performance.index
        roster = performance[["unit_id"]].assign(periods_present=1, periods_total=1, as_of=member.id)
        return PeriodInputs(
            period=period,
            members=[member],
            roster=roster,
            actuals=performance[self.indicators],
            targets=self.rows("targets", member).reindex(index),
            evaluations=self.rows("evaluations", member).reindex(index),
            violations=self.violations[self.violations["period"].eq(member.id)],
        )


def with_absent(inputs: PeriodInputs, units: pd.Series) -> PeriodInputs:
    """`inputs` with the managers of `units` (index manager_id) added, present in none of its
    extract periods: held managers whose performance row was rejected, listed under `units`."""
    index = inputs.index.union(units.index).sort_values()
    absent = pd.DataFrame({"unit_id": units, "periods_present": 0, "periods_total": len(inputs.members),
                           "as_of": inputs.members[-1].id})  # no row of his own: the period's last reference
    roster = pd.concat([inputs.roster, absent]).reindex(index)
    roster["periods_present"] = roster["periods_present"].astype("int64")
    return replace(inputs, roster=roster, actuals=inputs.actuals.reindex(index),
                   targets=inputs.targets.reindex(index), evaluations=inputs.evaluations.reindex(index))


class _EmptyByDefault(dict):
    """Period id → frame; a period without a file gives an empty frame with the right columns."""

    def __init__(self, frames: dict[str, pd.DataFrame], columns: list[str]):
        super().__init__(frames)
        self.columns = columns

    def __missing__(self, period_id: str) -> pd.DataFrame:
        return pd.DataFrame(columns=self.columns, index=pd.Index([], name="manager_id"), dtype=float)


def _split(table: pd.DataFrame, columns: list[str]) -> dict[str, pd.DataFrame]:
    frames = {str(period): rows.set_index("manager_id")[columns].sort_index()
              for period, rows in table.groupby("period", sort=True)} if len(table) else {}
    return _EmptyByDefault(frames, columns)
