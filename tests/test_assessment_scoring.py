"""Item scoring: every method worked by hand, exact rounding, and monotonicity properties."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assessment import exact
from generator.assessment.scoring import ItemRule, composite, score_item
from generator.assessment.violations import penalty_points
from generator.config.base import Bilingual

LABEL = Bilingual(zh="指标", en="Indicator")
NAN = float("nan")


def rule(method: str, weight: float = 15, cap: float | None = None, floor: float | None = 0.0, better: str = "higher",
         target_growth: float | None = None, no_base: str | None = None, maximum: float | None = None) -> ItemRule:
    source = "qualitative" if method == "qualitative" else "indicator"
    return ItemRule("item", "work", LABEL, source, "item", method, weight, floor, cap, better, target_growth,
                    no_base, maximum)


def score(item: ItemRule, **columns: list[float]):
    """Score rows given as lists; indicator items get NaN for any array not given."""
    size = len(next(iter(columns.values())))
    names = ("value",) if item.method == "qualitative" else ("actual", "target", "base")
    values = {name: np.array(columns.get(name, [NAN] * size), dtype=float) for name in names}
    return score_item(item, values)


def points(item: ItemRule, **columns: list[float]) -> list[float]:
    return (score(item, **columns).points / 100).tolist()


# --- target_completion ------------------------------------------------------------------------

def test_target_completion_by_hand():
    # 12,345.60 ÷ 12,000 = 1.0288; × 15 = 15.432 → 15.43
    # 15,000 ÷ 10,000 = 1.5 capped at 1.2; × 15 = 18.00
    # −20 ÷ 100 = −0.2, floored at 0 → 0.00
    assert points(rule("target_completion", cap=1.2), actual=[12345.60, 15000, -20],
                  target=[12000, 10000, 100]) == [15.43, 18.00, 0.00]


def test_no_cap_means_no_ceiling_and_no_floor_means_negative_scores():
    # 上不封顶: 15,000 ÷ 10,000 = 1.5; × 15 = 22.50.  下不保底: −20 ÷ 100 × 15 = −3.00
    assert points(rule("target_completion", cap=None), actual=[15000], target=[10000]) == [22.50]
    assert points(rule("target_completion", floor=None), actual=[-20], target=[100]) == [-3.00]


def test_an_exact_half_rounds_away_from_zero_although_the_float_falls_short():
    # 3,200.50 ÷ 3,000 × 30 = 32.005 exactly; float arithmetic gives 32.004999999999995
    assert 3200.5 / 3000 * 30 < 32.005
    assert points(rule("target_completion", weight=30), actual=[3200.50], target=[3000]) == [32.01]


def test_missing_zero_and_negative_targets_score_zero_with_a_reason():
    scored = score(rule("target_completion"), actual=[100, 100, 100, NAN], target=[NAN, 0, -50, 100])
    assert scored.points.tolist() == [0, 0, 0, 0]
    assert scored.reason.tolist() == ["no_target", "zero_target", "negative_target", "no_actual"]


# --- lower_is_better --------------------------------------------------------------------------

def test_lower_is_better_by_hand():
    # NPL 1.35% against 1.50%: 2 − 0.9 = 1.1, default cap 1.0 → 10 × 1.0 = 10.00
    # NPL 1.80%: 2 − 1.2 = 0.8 → 8.00;  3.20%: 2 − 2.1333 < 0 → floor 0 → 0.00
    npl = rule("lower_is_better", weight=10, cap=1.0, better="lower")
    assert points(npl, actual=[1.35, 1.80, 3.20], target=[1.5, 1.5, 1.5]) == [10.00, 8.00, 0.00]
    # Without a cap, 10% under the target counts 110%: 10 × 1.1 = 11.00
    assert points(rule("lower_is_better", weight=10, better="lower"), actual=[1.35], target=[1.5]) == [11.00]


def test_lower_is_better_with_a_zero_target_is_all_or_nothing():
    scored = score(rule("lower_is_better", weight=10, cap=1.0, better="lower"), actual=[0, 0.5], target=[0, 0])
    assert scored.points.tolist() == [1000, 0]
    assert scored.reason.tolist() == ["zero_target", "zero_target"]


# --- growth -----------------------------------------------------------------------------------

def test_growth_by_hand():
    # (110 − 100) ÷ 100 = 10% growth; ÷ 10% target growth = 100% → 5.00
    # (104.5 − 100) ÷ 100 = 4.5% → 45% → 2.25
    # base −100 → −50: (−50 + 100) ÷ |−100| = 50% → 500%, capped 150% → 7.50
    growth = rule("growth_prev", weight=5, cap=1.5, target_growth=0.10, no_base="zero")
    assert points(growth, actual=[110, 104.5, -50], base=[100, 100, -100]) == [5.00, 2.25, 7.50]


def test_growth_of_a_lower_is_better_indicator_is_its_reduction():
    # NPL 1.25% → 1.00%: reduction 0.25 ÷ 1.25 = 20%; ÷ 10% = 200%, capped 150% → 7.50
    # NPL 1.00% → 1.10%: −10% → −100% → floor 0 → 0.00
    growth = rule("growth_yoy", weight=5, cap=1.5, better="lower", target_growth=0.10, no_base="zero")
    assert points(growth, actual=[1.00, 1.10], base=[1.25, 1.00]) == [7.50, 0.00]


def test_without_a_base_the_config_decides_and_the_breakdown_says_which():
    # New hire (no base) and a base of 0: scored on the target, 12 ÷ 10 = 1.2 × 10 = 12.00 ...
    on_target = score(rule("growth_prev", weight=10, cap=1.5, target_growth=0.1, no_base="target_completion"),
                      actual=[12, 12, 12], target=[10, 10, NAN], base=[NAN, 0, NAN])
    assert on_target.points.tolist() == [1200, 1200, 0]
    assert on_target.reason.tolist() == ["no_base_target", "no_base_target", "no_base_target,no_target"]
    # ... or 0 points.
    zero = score(rule("growth_prev", weight=10, target_growth=0.1, no_base="zero"), actual=[12], target=[10],
                 base=[NAN])
    assert zero.points.tolist() == [0]
    assert zero.reason.tolist() == ["no_base_zero"]


# --- qualitative and penalties ----------------------------------------------------------------

def test_qualitative_by_hand():
    # 15 × 88.5 ÷ 100 = 13.275 → 13.28;  15 × 83.5 ÷ 100 = 12.525 → 12.53 (float: 12.524999…)
    scored = score(rule("qualitative", maximum=100), value=[88.5, 83.5, NAN])
    assert (scored.points / 100).tolist() == [13.28, 12.53, 0.0]
    assert scored.reason.tolist() == ["", "", "no_evaluation"]


def test_each_penalty_is_rounded_before_the_violations_are_added():
    import pandas as pd
    violations = pd.DataFrame({"manager_id": ["a", "a", "b"], "penalty": [2.5, 0.125, 20.0]})
    # a: 2.50 + 0.13 (0.125 rounds away from zero) = 2.63;  b: 20.00;  c: none
    assert penalty_points(violations, pd.Index(["a", "b", "c"])).tolist() == [263, 2000, 0]


def test_groups_and_total_are_sums_of_the_rounded_parts():
    import pandas as pd
    items = {key: score(rule("qualitative", weight=weight, maximum=100), value=[83.5, 88.5])
             for key, weight in (("a", 15), ("b", 15))}
    rules = [ItemRule(key, group, LABEL, "qualitative", key, "qualitative", 15, None, None, maximum=100)
             for key, group in (("a", "g1"), ("b", "g2"))]
    table = composite(rules, items, np.array([263, 0]), pd.Index(["x", "y"]))
    # x: 12.53 + 12.53 − 2.63 = 22.43;  y: 13.28 + 13.28 = 26.56
    assert table["total"].tolist() == [2243, 2656]
    assert (table["group_g1"] + table["group_g2"] + table["penalty"]).tolist() == table["total"].tolist()


# --- properties -------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100_000, places=2)
positive = st.decimals(min_value=Decimal("0.01"), max_value=100_000, places=2)
weights = st.decimals(min_value=Decimal("0.5"), max_value=40, places=1)


@settings(max_examples=300, deadline=None)
@given(actual=amounts, target=positive, weight=weights, cap=st.sampled_from([None, "1", "1.2", "1.5"]))
def test_scores_equal_exact_arithmetic_rounded_half_away_from_zero(actual, target, weight, cap):
    completion = Fraction(actual) / Fraction(target)
    if cap is not None:
        completion = min(completion, Fraction(cap))
    expected = math.floor(Fraction(weight) * completion * 100 + Fraction(1, 2))
    item = rule("target_completion", weight=float(weight), cap=None if cap is None else float(cap))
    assert score(item, actual=[float(actual)], target=[float(target)]).points[0] == int(expected)


@settings(max_examples=200, deadline=None)
@given(low=amounts, raise_by=amounts, target=positive, base=positive,
       method=st.sampled_from(["target_completion", "growth_prev", "growth_yoy"]))
def test_raising_a_higher_is_better_actual_never_lowers_the_score(low, raise_by, target, base, method):
    item = rule(method, cap=None, target_growth=0.1 if method != "target_completion" else None,
                no_base="zero" if method != "target_completion" else None)
    scored = score(item, actual=[float(low), float(low + raise_by)], target=[float(target)] * 2,
                   base=[float(base)] * 2)
    assert scored.points[1] >= scored.points[0]


@settings(max_examples=200, deadline=None)
@given(high=amounts, lower_by=amounts, target=positive, base=positive,
       method=st.sampled_from(["lower_is_better", "growth_prev"]), cap=st.sampled_from([None, 1.0]))
def test_lowering_a_lower_is_better_actual_never_lowers_the_score(high, lower_by, target, base, method, cap):
    lowered = max(high - lower_by, Decimal(0))
    item = rule(method, cap=cap, better="lower", target_growth=0.1 if method == "growth_prev" else None,
                no_base="zero" if method == "growth_prev" else None)
    scored = score(item, actual=[float(high), float(lowered)], target=[float(target)] * 2, base=[float(base)] * 2)
    assert scored.points[1] >= scored.points[0]


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10_000, max_value=10_000, places=3))
def test_hundredths_rounds_every_decimal_half_away_from_zero(value):
    expected = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    got = exact.hundredths(lambda v, c: v["x"], {"x": np.array([float(value)])}, {})
    assert got.tolist() == [expected]


@pytest.mark.parametrize("total, count, mean", [(3, 2, 2), (-3, 2, -2), (10, 3, 3), (20, 3, 7), (7, 7, 1)])
def test_roll_up_means_round_half_away_from_zero(total, count, mean):
    # in millionths: 3 ÷ 2 = 1.5 → 2; −1.5 → −2; 10 ÷ 3 = 3.33 → 3; 20 ÷ 3 = 6.67 → 7
    assert exact.mean_of_micro(np.array([float(total)]), np.array([count]))[0] * exact.MICRO == mean


@pytest.mark.parametrize("item, columns, expected", [
    # 30 × 3,200.50 ÷ 3,000 = 32.005 → 32.01 (float 32.004999999999995)
    (rule("target_completion", weight=30), {"actual": [3200.50], "target": [3000]}, 3201),
    # 7 × 100.50 ÷ 100 = 7.035 → 7.04 (float 7.034999999999999)
    (rule("target_completion", weight=7), {"actual": [100.50], "target": [100]}, 704),
    # 5 × (2 − 1.03 ÷ 2) = 5 × 1.485 = 7.425 → 7.43 (float 7.424999999999999)
    (rule("lower_is_better", weight=5, better="lower"), {"actual": [1.03], "target": [2]}, 743),
    # 0.5 × (107.01 − 100) ÷ 100 ÷ 0.1 = 0.3505 → 0.35 (float 0.35050000000000026: not a tie)
    (rule("growth_prev", weight=0.5, target_growth=0.1, no_base="zero"), {"actual": [107.01], "base": [100]}, 35),
    # 25 × 1.0021 ÷ 1 = 25.0525 → 25.05, below the tie at 25.055
    (rule("target_completion", weight=25), {"actual": [1.0021], "target": [1]}, 2505),
])
def test_exact_ties_and_near_ties_by_hand(item, columns, expected):
    assert score(item, **columns).points.tolist() == [expected]
