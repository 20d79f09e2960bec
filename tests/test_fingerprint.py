"""Period fingerprints decide which snapshots a build re-renders and which closed periods get
a revision, so their values must never drift: the fast version (each roster row hashed once)
must equal the plain definition, and the tiny bank's values are pinned."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from generator.archive.fingerprints import fingerprints
from generator.config.loading import load_config
from generator.extract.loader import load_dataset
from tests.conftest import ROOT


def plain_fingerprints(dataset, periods):
    """The definition, period by period: units, the extracts up to the period, and the roster
    rows of the managers seen so far with dates after the period's end blanked."""
    units = pd.util.hash_pandas_object(dataset.units.sort_index(), index=True).to_numpy().tobytes()
    ends = {period.id: pd.Timestamp(period.end) for period in dataset.periods}
    result = {}
    for period in periods:
        digest = hashlib.sha256(units)
        for _, label, sha256 in sorted((i.period, i.label, i.sha256) for i in dataset.inputs if i.period):
            if _ <= period:
                digest.update(f"{label}\0{sha256}\0".encode())
        performance = dataset.performance
        seen = performance.loc[performance["period"] <= period, "manager_id"].unique()
        roster = dataset.managers.loc[dataset.managers.index.intersection(seen)].sort_index().copy()
        for column in ("hire_date", "leave_date"):
            roster[column] = roster[column].where(roster[column] <= ends[period])
        digest.update(pd.util.hash_pandas_object(roster.astype(str), index=True).to_numpy().tobytes())
        result[period] = digest.hexdigest()
    return result


@pytest.fixture(scope="module")
def sample():
    return load_dataset(load_config(ROOT / "site_config.yml"))


def test_the_fast_fingerprints_equal_the_definition(sample):
    periods = [period.id for period in sample.periods]
    first_end = pd.Timestamp(sample.periods[0].end)
    # the case the row-by-row hashing must get right: a date the first period may not see
    assert (sample.managers["leave_date"] > first_end).any()
    assert fingerprints(sample, periods) == plain_fingerprints(sample, periods)


def test_a_later_leave_date_leaves_earlier_fingerprints_alone(bank):
    before = fingerprints(bank.load(), ["2026-09", "2026-10"])
    bank.replace("managers.csv", "000101,张伟,男,110101199001011234,2015-03-01,,",
                 "000101,张伟,男,110101199001011234,2015-03-01,2026-10-20,")  # leaves in October
    after = fingerprints(bank.load(), ["2026-09", "2026-10"])
    assert after["2026-09"] == before["2026-09"]
    assert after["2026-10"] != before["2026-10"]


def test_the_tiny_banks_fingerprints_are_pinned(bank):
    """Changing these values would publish a revision of every closed period at the next build."""
    assert fingerprints(bank.load(), ["2026-09", "2026-10"]) == PINNED


PINNED = {"2026-09": "56a48b61c6eed3e9a463e65b028dda08cd7bbcce617553e287a374ae2361acbb",
          "2026-10": "b9094d3d6ae8841be12fa9966866bf61965264af766ced805074fcf7abbcf1c1"}
