"""The identity of a period's data: what its snapshot's pages and its assessment are made of."""
from __future__ import annotations

import hashlib

import pandas as pd

from generator.extract.dataset import Dataset


def fingerprints(dataset: Dataset, periods: list[str]) -> dict[str, str]:
    """Per period, a hash of the data its pages are made from. A unit table or roster given per
    period (reference.*.per_period) is one of the period's files, hashed by its bytes like them; one
    given once is hashed by its content: the whole unit table, and the roster rows of the
    managers seen so far as they stood at the period's end."""
    reference = dataset.config.settings.reference
    base = hashlib.sha256()
    if not reference.units.per_period:
        base.update(pd.util.hash_pandas_object(dataset.units.sort_index(), index=True).to_numpy().tobytes())
    files = sorted((item.period, item.label, item.sha256) for item in dataset.inputs if item.period)
    by_period = {period.id: period for period in dataset.periods}
    first_seen = _first_period(dataset.performance)
    roster = None if reference.managers.per_period else _RosterRows(dataset.managers)
    result = {}
    for period in periods:
        digest = base.copy()
        for _, label, sha256 in (f for f in files if f[0] <= period):
            digest.update(f"{label}\0{sha256}\0".encode())
        if roster is not None:
            seen = first_seen.index[first_seen.to_numpy() <= period]
            digest.update(roster.as_of(seen, pd.Timestamp(by_period[period].end)))
        result[period] = digest.hexdigest()
    return result


def _first_period(performance: pd.DataFrame) -> pd.Series:
    """Manager ID -> the first period naming them (a minimum over period numbers: over the
    ID strings pandas would compare row by row in Python)."""
    periods = pd.Categorical(performance["period"], categories=sorted(performance["period"].unique()), ordered=True)
    first = pd.Series(periods.codes, index=performance["manager_id"].to_numpy()).groupby(level=0).min()
    return pd.Series(periods.categories[first.to_numpy()], index=first.index)


class _RosterRows:
    """The roster as a period saw it: its managers so far, with dates after its end unknown (a
    leave date written next year does not change this year's snapshot). Hashed row by row:
    a row's hash depends on that row alone, so each row is hashed once and again only for
    the periods that must not see one of its dates."""

    DATES = ("hire_date", "leave_date")

    def __init__(self, managers: pd.DataFrame):
        self.managers = managers
        self.dated = [column for column in self.DATES if column in managers]
        self.hashes = self._hash(managers)

    def as_of(self, seen: pd.Index, end: pd.Timestamp) -> bytes:
        ids = self.managers.index.intersection(seen).sort_values()
        hashes = self.hashes.loc[ids]
        later = pd.Series(False, index=ids)
        for column in self.dated:
            later |= self.managers.loc[ids, column] > end
        if later.any():
            rows = self.managers.loc[ids[later.to_numpy()]].copy()
            for column in self.dated:
                rows[column] = rows[column].where(rows[column] <= end)
            hashes = hashes.copy()
            hashes.loc[rows.index] = self._hash(rows)
        return hashes.to_numpy().tobytes()

    @staticmethod
    def _hash(roster: pd.DataFrame) -> pd.Series:
        return pd.util.hash_pandas_object(roster.astype(str), index=True)
