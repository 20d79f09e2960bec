"""The identity of a period's data: what its snapshot's pages and its assessment are made of."""
from __future__ import annotations

import hashlib

import pandas as pd

from generator.model import Dataset


def fingerprints(dataset: Dataset, periods: list[str]) -> dict[str, str]:
    """Per period, a hash of the data its pages are made from."""
    base = hashlib.sha256()
    base.update(pd.util.hash_pandas_object(dataset.units.sort_index(), index=True).to_numpy().tobytes())
    files = sorted((item.period, item.label, item.sha256) for item in dataset.inputs if item.period)
    by_period = {period.id: period for period in dataset.periods}
    result = {}
    for period in periods:
        digest = base.copy()
        for _, label, sha256 in (f for f in files if f[0] <= period):
            digest.update(f"{label}\0{sha256}\0".encode())
        digest.update(_roster_hash(dataset, period, pd.Timestamp(by_period[period].end)))
        result[period] = digest.hexdigest()
    return result


def _roster_hash(dataset: Dataset, period: str, end: pd.Timestamp) -> bytes:
    """The roster as period `period` saw it: its managers so far, with dates after its end unknown
    (a leave date written next year does not change this year's snapshot)."""
    performance = dataset.performance
    seen = performance.loc[performance["period"] <= period, "manager_id"].unique()
    roster = dataset.managers.loc[dataset.managers.index.intersection(seen)].sort_index().copy()
    for column in ("hire_date", "leave_date"):
        if column in roster:
            roster[column] = roster[column].where(roster[column] <= end)
    return pd.util.hash_pandas_object(roster.astype(str), index=True).to_numpy().tobytes()
