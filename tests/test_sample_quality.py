"""The bundled sample bank through the loader: each planted defect is caught, nothing else."""
from __future__ import annotations

from collections import Counter

import pytest

from generator.config.loading import load_config
from generator.extract.loader import load_dataset
from samplebank import PLANTED_DEFECTS
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def sample():
    return load_dataset(load_config(ROOT / "site_config.yml"))


def test_sample_reads_like_a_real_bank(sample):
    assert len(sample.periods) >= 24
    assert sample.managers.index.str.fullmatch(r"\d{6}").all()
    assert len(sample.managers) >= 200
    assert set(sample.units["depth"]) == {0, 1, 2, 3}
    assert {item.encoding for item in sample.inputs} == {"utf-8", "utf-8-sig", "gb18030"}


@pytest.mark.parametrize("defect", PLANTED_DEFECTS, ids=lambda d: f"{d['period']}-{d['rule']}")
def test_every_planted_defect_is_caught_where_it_was_planted(sample, defect):
    caught = [issue for issue in sample.issues
              if issue.rule == defect["rule"] and issue.period == defect["period"]
              and issue.manager_id == defect["manager_id"]]
    assert caught, f"loader missed {defect}"


def test_nothing_but_the_planted_defects_is_reported(sample):
    expected = Counter((d["period"], d["rule"], d["manager_id"]) for d in PLANTED_DEFECTS)
    found = Counter((i.period, i.rule, i.manager_id) for i in sample.issues)
    # manager_in_two_units rejects each of the manager's rows, so it may be reported twice
    assert set(found) == set(expected)
