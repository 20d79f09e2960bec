"""Who a manager was in a period: the roster row and the unit tree the period's table is made
with. With reference files per period (reference.*.per_period) that is the period's own roster
and tree; a roll-up takes each manager's from the last month he or she has a performance row in,
the month its unit comes from too (see rollup.py), so a manager who moved segment, grade or unit
mid-quarter is shown and grouped in the quarter as he or she stood at the end of it."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from generator.assessment.ranking import unit_ancestors
from generator.extract.dataset import Dataset


@dataclass
class PeriodRosters:
    """The roster and unit tree of each extract period, and the tree's ancestors (computed once)."""

    dataset: Dataset
    ancestors: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def varies(self) -> bool:
        return bool(self.dataset.by_period)

    def ancestors_in(self, period_id: str) -> pd.DataFrame:
        if period_id not in self.ancestors:
            self.ancestors[period_id] = unit_ancestors(self.dataset.units_in(period_id))
        return self.ancestors[period_id]


@dataclass(frozen=True)
class Standing:
    """Per manager of a period (one index): the roster row, the unit's name and its ancestor at each depth."""

    roster: pd.DataFrame
    unit_name: pd.Series
    ancestors: pd.DataFrame  # column = depth


def standing(rosters: PeriodRosters, unit_id: pd.Series, as_of: pd.Series, depths: list[int]) -> Standing:
    """Each manager's standing as of the extract period `as_of` names for him or her."""
    dataset, index = rosters.dataset, unit_id.index
    parts = []
    for period_id, ids in as_of.groupby(as_of, sort=True).groups.items():
        units = unit_id.loc[ids]
        ancestors = rosters.ancestors_in(str(period_id)).reindex(columns=depths)
        parts.append((dataset.managers_in(str(period_id)).reindex(ids),
                      units.map(dataset.units_in(str(period_id))["name"]),
                      pd.DataFrame({depth: units.map(ancestors[depth]) for depth in depths}, index=ids)))
    if not parts:
        return Standing(dataset.managers.reindex(index), pd.Series(index=index, dtype=object),
                        pd.DataFrame(index=index, columns=depths, dtype=object))
    return Standing(pd.concat([p[0] for p in parts]).reindex(index), pd.concat([p[1] for p in parts]).reindex(index),
                    pd.concat([p[2] for p in parts]).reindex(index))
