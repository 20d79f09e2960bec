"""Roll-up periods (quarter, half year, year to date, year) from the extract periods.

Per indicator the monthly values combine by a rule — default by kind: flow and count
sum, balance the mean of the months, ratio the last month — overridable in
assessment.rollups.rules. Targets combine by the same rule over the same months, so a
manager present in only part of the roll-up is measured against the targets of the
months he or she was present: completion stays fair, and the row is flagged partial.

  * A value missing (empty) in any month present makes a summed or averaged value
    missing; a `last` value is missing when the last month's is.
  * Qualitative scores: the mean of the months evaluated.
  * Penalties: every violation of the span counts (see violations.py).
  * Unit: the unit of the last month present; with reference files per period, the roster
    row (segment, grade, ...) and unit tree of that month too (assessment/as_of.py).
Sums are exact; means are rounded half away from zero to 6 decimals.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.assessment import exact
from generator.assessment.calendar import AssessedPeriod
from generator.assessment.inputs import ExtractTables, PeriodInputs
from generator.config.site import SiteConfig
from generator.extract.periods import Period

DEFAULT_RULE = {"flow": "sum", "count": "sum", "balance": "mean", "ratio": "last"}


def rollup_rules(settings: SiteConfig) -> dict[str, str]:
    assert settings.assessment is not None, "roll-ups are only made when the config assesses"
    overrides = settings.assessment.rollups.rules
    return {i.id: overrides.get(i.id, DEFAULT_RULE[i.kind]) for i in settings.indicators}


def rollup_inputs(tables: ExtractTables, period: AssessedPeriod, members: list[Period],
                  rules: dict[str, str]) -> PeriodInputs:
    months = _Months(tables, members)
    member_ids = {m.id for m in members}
    return PeriodInputs(
        period=period,
        members=members,
        roster=pd.DataFrame({"unit_id": months.last_of(months.column("performance", "unit_id")),
                             "periods_present": months.counts, "periods_total": len(members),
                             "as_of": months.last_of(months.member_ids())}, index=months.index),
        actuals=months.combine("performance", tables.indicators, rules),
        targets=months.combine("targets", tables.targeted, rules),
        evaluations=months.mean_of_present("evaluations", tables.qualitative),
        violations=tables.violations[tables.violations["period"].isin(member_ids)],
    )


class _Months:
    """The rows of the roll-up's months, one per (month, manager with a performance row),
    in month order; every table is laid out on these same rows."""

    def __init__(self, tables: ExtractTables, members: list[Period]):
        self.tables = tables
        self.members = members
        self.row_index = [tables.rows("performance", member).index for member in members]
        managers = np.concatenate([index.to_numpy() for index in self.row_index])
        self.codes, uniques = pd.factorize(managers, sort=True)
        self.index = pd.Index(uniques, name="manager_id")
        self.counts = np.bincount(self.codes, minlength=len(self.index))
        reversed_first = np.unique(self.codes[::-1], return_index=True)[1]
        self.last_row = len(self.codes) - 1 - reversed_first  # rows are in month order

    def member_ids(self) -> np.ndarray:
        """The extract period of each row."""
        return np.repeat([member.id for member in self.members], [len(index) for index in self.row_index])

    def column(self, table: str, column: str) -> np.ndarray:
        return self.matrix(table, [column], dtype=object)[:, 0]

    def matrix(self, table: str, columns: list[str], dtype=float) -> np.ndarray:
        """The columns of `table` on the rows of the months (NaN where a month has no value)."""
        return np.concatenate([self.tables.rows(table, member).reindex(index)[columns].to_numpy(dtype=dtype)
                               for member, index in zip(self.members, self.row_index)])

    def last_of(self, values: np.ndarray) -> np.ndarray:
        return values[self.last_row]

    def sum_of(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes, weights=values, minlength=len(self.index))

    def combine(self, table: str, columns: list[str], rules: dict[str, str]) -> pd.DataFrame:
        """One value per manager and column by its rule; sum and mean: a gap in any month stays a gap."""
        combined = {}
        for column, values in zip(columns, self.matrix(table, columns).T):
            if rules[column] == "last":
                combined[column] = self.last_of(values)
                continue
            total = self.sum_of(np.nan_to_num(exact.to_micro(values)))
            result = total / exact.MICRO if rules[column] == "sum" else exact.mean_of_micro(total, self.counts)
            combined[column] = np.where(self.sum_of(np.isnan(values)) > 0, np.nan, result)
        return pd.DataFrame(combined, index=self.index, columns=columns)

    def mean_of_present(self, table: str, columns: list[str]) -> pd.DataFrame:
        """The mean over the months with a value; missing when no month has one."""
        means = {}
        for column, values in zip(columns, self.matrix(table, columns).T):
            present = self.sum_of(~np.isnan(values))
            total = self.sum_of(np.nan_to_num(exact.to_micro(values)))
            means[column] = exact.mean_of_micro(np.where(present > 0, total, np.nan), present)
        return pd.DataFrame(means, index=self.index, columns=columns)
