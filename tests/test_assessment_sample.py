"""A smoke run over the bundled sample bank: every period assessed, plausible grades, exact sums."""
from __future__ import annotations

import pandas as pd
import pytest

from generator.assessment import assess
from generator.config.loading import load_config
from generator.extract.loader import load_dataset
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not (ROOT / "data" / "periods").is_dir(), reason="no sample data in data/")


@pytest.fixture(scope="module")
def sample():
    return assess(load_dataset(load_config(ROOT / "site_config.yml")))


def test_every_period_and_roll_up_is_assessed(sample):
    kinds = pd.Series([result.period.kind for result in sample.periods.values()]).value_counts().to_dict()
    assert kinds["period"] == 24 and kinds["quarter"] >= 7 and kinds["year_to_date"] >= 22 and kinds["year"] >= 1


def test_default_weights_give_a_plausible_spread(sample):
    monthly = pd.concat([result.table for result in sample.periods.values() if result.period.kind == "period"])
    distribution = monthly["grade"].value_counts(dropna=False)
    print("\ngrade distribution over all months:\n" + distribution.to_string())
    print(monthly["total"].describe().round(2).to_string())
    assert monthly["total"].between(50, 95).mean() > 0.85
    assert {"资深客户经理", "高级客户经理", "客户经理"} <= set(distribution.index)


def test_totals_are_sums_of_their_parts_everywhere(sample):
    for result in sample.periods.values():
        points = result.points
        assert (points.filter(like="group_").sum(axis=1) + points["penalty"]).equals(points["total"])
        assert (points.filter(like="score_").sum(axis=1) + points["penalty"]).equals(points["total"])


def test_disqualified_managers_are_never_ranked_or_awarded(sample):
    for result in sample.periods.values():
        table = result.table
        out = table[table["is_disqualified"]]
        assert out.filter(like="rank_").isna().all().all()
        assert not out.filter(like="award_").any().any()
