"""The scoring methods beyond weight × completion (issue 20): 区间计分, 阶梯计分, 加分/扣分 with a
bonus cap, relative scoring within a scope, targets in the config, and what the total can reach.

Hand-worked examples first (docs/assessment.md, "More scoring methods", works the same numbers),
then properties, config errors, and the rulebook bank (tests/fixtures/rulebook) end to end."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assessment.scoring import BONUS_CUT, TOTAL, ItemRule, composite, group_column, score_item
from generator.config.assessment import AssessmentConfig, Item, Reach, item_method
from generator.config.base import Bilingual
from generator.errors import ConfigError
from tests.conftest import ROOT

RULEBOOK = ROOT / "tests" / "fixtures" / "rulebook" / "site_config.yml"
LABEL = Bilingual(zh="指标", en="Indicator")
NAN = float("nan")


def rule(better: str = "higher", key: str = "item", group: str = "work", **config) -> ItemRule:
    """An item rule as item_rules makes it from the config item `config`."""
    item = Item.model_validate({"indicator": "x", **config})
    method = item_method(item, better)
    return ItemRule(key, group, LABEL, "indicator", "x", method, item.weight or 0.0, item.effective_floor(method),
                    item.effective_cap(method), better, item=item)


def score(item: ItemRule, **columns):
    size = len(next(iter(columns.values())))
    values = {name: np.array(columns.get(name, [NAN] * size), dtype=float) for name in ("actual", "target", "base")}
    values |= {name: np.asarray(value, dtype=float) for name, value in columns.items()}
    return score_item(item, values)


def points(item: ItemRule, **columns) -> list[float]:
    return (score(item, **columns).points / 100).tolist()


def reasons(item: ItemRule, **columns) -> list[str]:
    return score(item, **columns).reason.tolist()


# --- 区间计分 (piecewise) --------------------------------------------------------------------

NPL = {"weight": 10, "method": "piecewise", "of": "actual",
       "breakpoints": [{"at": 1.5, "points": 10}, {"at": 2.5, "points": 0}]}


def test_piecewise_npl_ratio_without_a_target_column():
    # 不良率 ≤ 1.5% 得 10 分，≥ 2.5% 不得分，其间线性: 1.8 → 10 + 0.3 × (0 − 10) ÷ 1 = 7.00
    # 2.04 → 10 − 5.4 = 4.60; the ends hold beyond the breakpoints; no target needed anywhere
    assert points(rule("lower", **NPL), actual=[1.8, 2.04, 0.5, 3.0, 1.5, 2.5]) == [7.0, 4.6, 10.0, 0.0, 10.0, 0.0]


def test_piecewise_on_the_completion_with_an_exact_half():
    # 60% → 0, 100% → 20, 120% → 24: 12,345.60 ÷ 12,000 = 1.0288 → 20 + 0.0288 × 4 ÷ 0.2 = 20.576 → 20.58
    # 0.6 + 0.000125 → 0.000125 × 20 ÷ 0.4 = 0.00625 → 0.01 (an exact half in decimals)
    deposits = rule(weight=20, method="piecewise", of="completion",
                    breakpoints=[{"at": 0.6, "points": 0}, {"at": 1.0, "points": 20}, {"at": 1.2, "points": 24}])
    assert points(deposits, actual=[12345.60, 600.125, 300], target=[12000, 1000, 1000]) == [20.58, 0.01, 0.0]
    assert reasons(deposits, actual=[1, 1, NAN], target=[NAN, 0, 1]) == ["no_target", "zero_target", "no_actual"]


# --- 阶梯计分 (banded) -----------------------------------------------------------------------

LOANS = {"weight": 15, "method": "banded", "of": "completion",
         "bands": [{"from": 1.0, "points": 15}, {"from": 0.8, "to": 1.0, "points": 10},
                   {"from": 0.5, "to": 0.8, "points": 5}]}


def test_bands_by_completion_with_a_gap_below():
    # 125% → 15; exactly 80% (0.8 × 100 in float is not 80 ÷ 100 exactly) → 10; 75% → 5; below 50% → 0, no band
    loans = rule(**LOANS)
    assert points(loans, actual=[500, 80, 150, -20], target=[400, 100, 200, 100]) == [15.0, 10.0, 5.0, 0.0]
    assert reasons(loans, actual=[500, -20], target=[400, 100]) == ["", "no_band"]


def test_a_completion_on_a_band_edge_is_decided_exactly():
    # 0.7 ÷ 0.875 = 0.8 exactly, but 0.7 / 0.875 in float is 0.7999999999999999
    assert 0.7 / 0.875 < 0.8
    assert points(rule(**LOANS), actual=[0.7], target=[0.875]) == [10.0]


def test_upper_inclusive_bands_for_lower_is_better():
    # 不良率 ≤ 1% 得 10 分，1%–2%（含 2%）得 5 分
    npl = rule("lower", weight=10, method="banded", of="actual", inclusive="upper",
               bands=[{"to": 1.0, "points": 10}, {"from": 1.0, "to": 2.0, "points": 5}])
    assert points(npl, actual=[1.0, 1.01, 2.0, 2.01]) == [10.0, 5.0, 5.0, 0.0]


# --- 加分 / 扣分 (bonus, deduction) -----------------------------------------------------------

def test_deduction_per_whole_step_with_a_limit():
    # 不良率超过 1.0% 的部分每 0.1 个百分点扣 1 分，最多扣 5 分: 1.20 → (1.2 − 1.0) ÷ 0.1 = 2 steps
    # (1.9999999999999996 in float) → −2; 1.15 → 1 whole step → −1; 2.5 → 15 steps → −5 (limit); 0.8 → 0
    npl = rule("lower", method="deduction", of="actual", threshold=1.0, per=0.1, points=1, limit=5)
    assert (1.2 - 1.0) / 0.1 < 2
    assert points(npl, actual=[1.2, 1.15, 2.5, 0.8]) == [-2.0, -1.0, -5.0, 0.0]


def test_bonus_on_the_excess_over_target_and_in_proportion():
    # 每超目标 100 万元加 0.5 分，最多 2 分: excess 345.60 → 3 whole steps → 1.50; 1,000 → 2.00 (limit)
    whole = rule(method="bonus", of="excess", threshold=0, per=100, points=0.5, limit=2)
    assert points(whole, actual=[12345.60, 15000, 100], target=[12000, 14000, 200]) == [1.5, 2.0, 0.0]
    # in proportion: 345.60 ÷ 100 × 0.5 = 1.728 → 1.73
    proportional = rule(method="bonus", of="excess", threshold=0, per=100, points=0.5, steps="proportional")
    assert points(proportional, actual=[12345.60], target=[12000]) == [1.73]


def test_a_deduction_on_a_higher_is_better_indicator_counts_below_the_threshold():
    # 存款完成率低于 90% 的部分每 5 个百分点扣 1 分: 80% → 2 steps → −2
    deposits = rule(method="deduction", of="completion", threshold=0.9, per=0.05, points=1)
    assert points(deposits, actual=[80, 95], target=[100, 100]) == [-2.0, 0.0]


def test_the_bonus_cap_is_its_own_line_and_the_parts_add_up():
    bonus = rule(key="bonus_a", group="adjust", method="bonus", of="actual", threshold=0, per=1, points=1)
    other = rule(key="bonus_b", group="adjust", method="bonus", of="actual", threshold=0, per=1, points=1)
    base = rule(key="base", weight=10, method="piecewise", of="actual",
                breakpoints=[{"at": 0, "points": 0}, {"at": 1, "points": 10}])
    scored = {r.key: score(r, actual=[1.5, 0.5]) for r in (bonus, other, base)}
    parts = composite([base, bonus, other], scored, np.zeros(2, dtype=np.int64), pd_index(2), bonus_cap=1.5)
    # bonuses 1 + 1 = 2 over a cap of 1.5: −0.50; 0 + 0 under it: 0
    assert (parts[BONUS_CUT] / 100).tolist() == [-0.5, 0.0]
    assert (parts[TOTAL] / 100).tolist() == [10 + 2 - 0.5, 5.0]
    assert (parts[[group_column("work"), group_column("adjust"), "penalty", BONUS_CUT]].sum(axis=1)
            == parts[TOTAL]).all()


def pd_index(size: int):
    import pandas as pd
    return pd.Index([f"m{k}" for k in range(size)])


# --- relative (相对计分) ----------------------------------------------------------------------

def relative_values(actual, best, total, rank, pool, in_pool):
    return {"actual": actual, "best": best, "total": total, "rank": rank, "pool": pool, "in_pool": in_pool}


def test_relative_by_rank_ratio_and_share():
    by_rank = rule(weight=5, method="relative", scope="bank", by="rank")
    # 3 compared: 1st 5.00, 2nd (3 − 2 + 1) ÷ 3 × 5 = 3.33, 3rd 1.67
    assert points(by_rank, **relative_values([500, 0, -20], [NAN] * 3, [NAN] * 3, [1, 2, 3], [3] * 3, [1] * 3)) \
        == [5.0, 3.33, 1.67]
    table = rule(weight=10, method="relative", scope="bank", by="rank", rank_points=[10, 8, 6])
    assert points(table, **relative_values([9, 8, 8, 1], [NAN] * 4, [NAN] * 4, [1, 2, 2, 4], [4] * 4, [1] * 4)) \
        == [10.0, 8.0, 8.0, 0.0]
    best = rule(weight=10, method="relative", scope="depth2", by="ratio_to_best")
    assert points(best, **relative_values([12345.6, 15000], [15000] * 2, [NAN] * 2, [2, 1], [2] * 2, [1] * 2)) \
        == [8.23, 10.0]
    share = rule(weight=5, method="relative", scope="depth1", by="share", target_share=0.25, cap=1.2)
    # 12 ÷ 47 ÷ 0.25 = 1.0213 → 5.11; 30 ÷ 47 ÷ 0.25 = 2.55, capped at 1.2 → 6.00
    assert points(share, **relative_values([12, 30], [NAN] * 2, [47] * 2, [2, 1], [2] * 2, [1] * 2)) == [5.11, 6.0]


def test_relative_lower_is_better_compares_the_best_with_the_actual():
    npl = rule("lower", weight=10, method="relative", scope="bank", by="ratio_to_best")
    # best (lowest) 0.8: 0.8 ÷ 1.2 = 0.6667 → 6.67; an actual of 0 when the best is 0 is the best: 10
    assert points(npl, **relative_values([1.2, 0.8], [0.8] * 2, [NAN] * 2, [2, 1], [2] * 2, [1] * 2)) \
        == [6.67, 10.0]
    assert points(npl, **relative_values([0.0, 1.0], [0.0] * 2, [NAN] * 2, [1, 2], [2] * 2, [1] * 2)) == [10.0, 0.0]


def test_scope_figures_leave_the_held_and_disqualified_out():
    from generator.assessment.relative import scope_figures
    actual = np.array([500.0, -20.0, 150.0, 0.0])
    keys = np.array(["b", "b", "b", "b"], dtype=object)
    pool = np.array([True, True, False, True])  # the third is disqualified
    figures = scope_figures(actual, keys, pool, lower_is_better=False)
    assert figures["best"].tolist() == [500.0] * 4
    assert figures["total"].tolist() == [480.0] * 4  # 500 − 20 + 0, without the 150 left out
    assert figures["rank"].tolist() == [1, 3, 2, 2]  # the outsider: where he would stand
    assert figures["pool"].tolist() == [3, 3, 4, 3]
    alone = scope_figures(np.array([7.0, 9.0]), np.array(["a", "b"], dtype=object), np.array([True, False]), False)
    assert alone["rank"].tolist() == [1, 1] and alone["pool"].tolist() == [1, 1]
    assert np.isnan(alone["best"][1]) and np.isnan(alone["total"][1])  # nobody competes in b
    ties = scope_figures(np.array([85.0, 90, 85, 80]), np.array(["a"] * 4, dtype=object), np.ones(4, bool), False)
    assert ties["rank"].tolist() == [2, 1, 2, 4]


def test_config_targets_by_attribute_with_a_default_and_summed_over_months():
    import pandas as pd

    from generator.assessment.relative import config_targets
    from generator.config.assessment import ConstantTarget
    roster = pd.DataFrame({"segment": ["公司", "个人", "小微"]}, index=["a", "b", "c"])
    by_segment = ConstantTarget(by="segment", values={"公司": 10, "个人": 0.1})
    assert config_targets(by_segment, roster, roster.index, np.ones(3)).tolist()[:2] == [10.0, 0.1]
    assert np.isnan(config_targets(by_segment, roster, roster.index, np.ones(3))[2])  # not listed, no default
    # a quarter whose indicator is summed: the monthly target × the months present (0.1 × 3 = 0.3 exactly)
    with_default = ConstantTarget(by="segment", values={"个人": 0.1}, default=5)
    assert config_targets(with_default, roster, roster.index, np.array([3, 3, 2.0])).tolist() == [15.0, 0.3, 10.0]
    assert config_targets(12.5, roster, roster.index, np.ones(3)).tolist() == [12.5] * 3


# --- properties ------------------------------------------------------------------------------

decimals = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False).map(float)


@settings(max_examples=200, deadline=None)
@given(st.lists(decimals, min_size=2, max_size=5, unique=True), st.lists(st.integers(0, 30), min_size=5, max_size=5),
       st.lists(decimals, min_size=2, max_size=30))
def test_piecewise_with_rising_points_never_falls(at, given_points, actuals):
    at = sorted(at)
    marks = [{"at": a, "points": p} for a, p in zip(at, sorted(given_points), strict=False)]
    item = rule(weight=30, method="piecewise", of="actual", breakpoints=marks)
    ordered = sorted(actuals)
    scored = points(item, actual=ordered)
    assert scored == sorted(scored)
    assert all(min(m["points"] for m in marks) <= s <= max(m["points"] for m in marks) for s in scored)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 999), st.integers(1, 999), st.integers(1, 20))
def test_whole_steps_match_exact_fractions(actual_cents, per_cents, each):
    actual, per = Fraction(actual_cents, 100), Fraction(per_cents, 100)
    item = rule(method="bonus", of="actual", threshold=0, per=float(per), points=each)
    steps = actual // per  # exact: the number of whole steps
    assert points(item, actual=[float(actual)]) == [float(steps * each)]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(decimals, decimals, decimals), min_size=1, max_size=20), st.none() | st.integers(1, 10))
def test_items_groups_and_the_bonus_cut_add_up_to_the_total(rows, cap):
    actual = [list(column) for column in zip(*rows, strict=True)]
    rules = [rule(key="a", weight=20, method="piecewise", of="actual",
                  breakpoints=[{"at": -100, "points": 0}, {"at": 100, "points": 20}]),
             rule(key="b", group="adjust", method="bonus", of="actual", threshold=0, per=10, points=0.5,
                  steps="proportional"),
             rule(key="c", group="adjust", method="deduction", of="actual", threshold=50, per=5, points=1, limit=4)]
    scored = {r.key: score(r, actual=column) for r, column in zip(rules, actual, strict=True)}
    parts = composite(rules, scored, np.zeros(len(rows), dtype=np.int64), pd_index(len(rows)), bonus_cap=cap)
    components = [group_column("work"), group_column("adjust"), "penalty"] + ([BONUS_CUT] if cap else [])
    assert (parts[components].sum(axis=1) == parts[TOTAL]).all()
    assert (parts["score_a"] + parts["score_b"] + parts["score_c"] + parts.get(BONUS_CUT, 0) == parts[TOTAL]).all()
    if cap:
        assert (parts["score_b"] + parts[BONUS_CUT] <= cap * 100).all()


# --- config: written as on paper, refused with the key and the fix -----------------------------

@pytest.mark.parametrize("config, fragment", [
    ({**NPL, "breakpoints": [{"at": 2.5, "points": 0}, {"at": 1.5, "points": 10}]},
     "breakpoints[1].at: 1.5 is not above breakpoints[0].at 2.5"),
    ({**LOANS, "bands": [{"from": 1.0, "points": 15}, {"from": 0.8, "to": 1.2, "points": 10}]},
     "bands[1] (0.8–1.2) overlaps bands[0] (1–)"),
    ({**LOANS, "bands": [{"from": 1.0, "to": 0.8, "points": 15}]}, "bands[0]: from 1 is not below to 0.8"),
    ({"method": "bonus", "of": "actual", "threshold": 0, "per": 1, "points": 1, "weight": 5},
     "a bonus item adds or takes off points outside the full marks"),
    ({"method": "deduction", "of": "actual", "per": 1, "points": 1}, "method deduction needs threshold"),
    ({**NPL, "cap": 1.2}, "cap and floor bound a completion"),
    ({"weight": 5, "method": "relative", "scope": "bank", "by": "share"}, "relative by share needs target_share"),
    ({"weight": 5, "method": "relative", "scope": "bank", "by": "rank", "rank_points": [3, 5]},
     "rank_points: the 1st place's points come first"),
    ({"weight": 5, "method": "target_completion", "breakpoints": NPL["breakpoints"]},
     "breakpoints: only for method piecewise, not target_completion"),
])
def test_rules_that_cannot_be_meant_are_refused(config, fragment):
    with pytest.raises(ValueError) as raised:
        Item.model_validate({"indicator": "x", **config})
    assert fragment in str(raised.value)


def rulebook_bank(bank, *edits: tuple[str, str]):
    text = RULEBOOK.read_text(encoding="utf-8").replace("directory: ../tiny", "directory: .")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    bank.config.write_text(text, encoding="utf-8")
    return bank


def config_messages(bank) -> list[str]:
    from generator.config.loading import load_config
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    return raised.value.messages


def test_a_scope_or_target_attribute_the_roster_lacks_names_the_key(bank):
    rulebook_bank(bank, ("scope: depth2", "scope: region"), ("{by: segment", "{by: title"))
    messages = config_messages(bank)
    assert any("assessment.groups[0].items[4].scope: 'region' is not a scope" in m for m in messages), messages
    assert any("assessment.groups[0].items[3].target.by: the roster is not read with 'title'" in m
               for m in messages), messages


def test_a_completion_needs_a_target(bank):
    rulebook_bank(bank)
    bank.replace("site_config.yml", "category: risk, kind: ratio, better: lower}",
                 "category: risk, kind: ratio, better: lower, target: false}")
    piecewise = "        - indicator: npl_ratio\n          weight: 10\n          method: piecewise\n"
    bank.replace("site_config.yml", piecewise + "          of: actual", piecewise + "          of: completion")
    messages = config_messages(bank)
    assert any("assessment.groups[0].items[1].of: completion needs a target" in m for m in messages), messages


def test_a_scope_deeper_than_the_unit_tree_is_a_config_error(bank):
    from generator.assessment import assess
    rulebook_bank(bank, ("scope: depth2", "scope: depth7"))
    with pytest.raises(ConfigError) as raised:
        assess(bank.load())
    assert "assessment.groups[0].items[4].scope: depth7 is deeper than the unit tree" in raised.value.messages[0]


def test_a_grade_no_total_can_reach_counts_the_bonus_cap(bank):
    # the most the rulebook's items reach: work 82 + dept 25 + bonuses capped at 2 = 109; a grade at 110 cannot be
    rulebook_bank(bank, ("  groups:\n    - id: work", "  grades:\n    systems:\n      four_level:\n"
                         "        label: {zh: 四级制, en: Four levels}\n        levels:\n"
                         "          - {id: top, name: {zh: 甲, en: A}, min: 110}\n  groups:\n    - id: work"))
    messages = config_messages(bank)
    assert any("levels[0].min: grade 'top' needs 110, but the highest total the items can reach is 109" in m
               for m in messages), messages


# --- what the total can reach ----------------------------------------------------------------

def reach_of(groups: list[dict], bonus_cap=None) -> Reach:
    config = AssessmentConfig.model_validate({"groups": groups, "bonus_cap": bonus_cap})
    return Reach(config, {"x": "higher", "y": "lower"})


def test_reach_counts_caps_bonuses_and_the_bonus_cap():
    work = {"id": "work", "label": {"zh": "a", "en": "a"}, "items": [
        {"indicator": "x", "weight": 30, "cap": 1.2}, {"id": "y", "indicator": "y", "weight": 10},
        {"id": "b", "indicator": "x", "method": "bonus", "of": "actual", "threshold": 0, "per": 1, "points": 1,
         "limit": 8}]}
    # 30 × 1.2 + 10 × 1.0 (lower_is_better's default cap) + a bonus of at most 8 = 54, "满分 40"
    assert reach_of([work]).groups == {"work": 54.0}
    assert reach_of([work], bonus_cap=5).total == 51.0
    no_limit = {**work, "items": work["items"][:2] + [{**work["items"][2], "limit": None}]}
    assert reach_of([no_limit]).total is None
    assert reach_of([no_limit], bonus_cap=5).total == 51.0


# --- the rulebook bank end to end ---------------------------------------------------------------

@pytest.fixture(scope="module")
def rulebook():
    from generator.assessment import assess
    from generator.config.loading import load_config
    from generator.extract.loader import load_dataset
    return assess(load_dataset(load_config(RULEBOOK)))


def test_rulebook_september_by_hand(rulebook):
    """The scores docs/assessment.md works out, manager by manager."""
    points = rulebook["2026-09"].points / 100
    assert points.loc["000101"].to_dict() == {
        "score_deposit_avg": 20.58, "score_npl_ratio": 8.0, "score_new_loans": 15.0, "score_new_accounts": 12.0,
        "score_deposit_vs_best": 8.23, "score_loans_rank": 5.0, "score_accounts_share": 5.11, "score_dept_eval": 22.13,
        "score_deposit_bonus": 1.5, "score_accounts_bonus": 1.0, "score_npl_deduction": -2.0,
        "group_work": 73.92, "group_dept": 22.13, "group_adjust": 0.5, "penalty": 0.0, "bonus_cut": -0.5,
        "total": 96.05}
    # 000104 刘洋 is disqualified in September: outside the pool, scored where he would stand in it
    assert points.loc["000104", ["score_deposit_vs_best", "score_loans_rank", "score_accounts_share"]].tolist() \
        == [5.33, 3.75, 3.40]
    assert rulebook["2026-09"].detail.loc["000104", ("loans_rank", "reason")] == "outside_pool"
    # 000102 王芳 and 000105 陈静 would rank below him if he counted: he does not move them
    assert points.loc["000102", "score_loans_rank"] == 1.67
    assert points.loc["000105", "score_loans_rank"] == 3.33
    # targets from the config by segment: 公司 10, 个人 25, 机构 5, 小微 → the default 10
    assert rulebook["2026-09"].detail.xs("target", axis=1, level=1)["new_accounts"].to_dict() \
        == {"000101": 10.0, "000102": 25.0, "000104": 10.0, "000105": 5.0}


def test_rulebook_parts_add_up_every_period(rulebook):
    for period in rulebook.periods.values():
        points = period.points
        groups = [column for column in points.columns if column.startswith("group_")]
        assert (points[groups + ["penalty", BONUS_CUT]].sum(axis=1) == points[TOTAL]).all(), period.id
        items = [column for column in points.columns if column.startswith("score_")]
        assert (points[items].sum(axis=1) + points["penalty"] + points[BONUS_CUT] == points[TOTAL]).all()


def test_why_did_my_rank_move_carries_the_bonus_cut(rulebook):
    from generator.assessment import explain
    explanation = explain(rulebook, "000105", "2026-09", "2026-10")
    rows = explanation.components.set_index("component")
    assert rows.loc[BONUS_CUT, ["old", "new"]].tolist() == [0.0, -1.0]
    changes = rows.loc[rows["level"].isin(["item", "penalty", "bonus_cut"]), "change_hundredths"].sum()
    assert changes == rows.loc["total", "change_hundredths"]


@pytest.fixture(scope="module")
def rulebook_site(tmp_path_factory):
    from tests.conftest import run_build
    out = tmp_path_factory.mktemp("rulebook") / "site"
    result = run_build("--config", str(RULEBOOK), "--out", str(out), "--no-cache", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out


def test_rulebook_breakdown_adds_up_in_the_browser(rulebook_site, open_page):
    opened = open_page(rulebook_site / "2026-09" / "managers" / "000101.html")
    page = opened.page
    items = page.locator(".breakdown tbody tr:not(.subtotal) td:last-child").all_inner_texts()
    below = page.locator(".breakdown tfoot tr:not(.total) th:last-child").all_inner_texts()  # penalty, bonus cut
    total = float(page.locator(".breakdown tr.total th:last-child").inner_text())
    assert below == ["0.00", "-0.50"]
    assert round(sum(float(cell) for cell in items + below), 2) == total == 96.05
    assert page.get_by_text("介于 100%–120%").first.is_visible()
    assert opened.errors == [] and opened.external == []
    methodology = open_page(rulebook_site / "methodology.html")
    assert methodology.page.get_by_text("综合考评分最高可得 109 分").is_visible()
    assert methodology.errors == [] and methodology.external == []


def test_rulebook_pages_explain_each_method(rulebook_site):
    out = rulebook_site
    manager = (out / "2026-09" / "managers" / "000101.html").read_text(encoding="utf-8")
    for text in ("完成率 102.88%，介于 100%–120%：20 + (102.88 − 100) × (24 − 20) ÷ (120 − 100) = 20.58 分",
                 "完成率 125.00%，在 [100%, +∞) 档：得 15.00 分",
                 "实际 1.20，超过 1 的部分计 2 档（每档 0.1），每档 −1 分，最多 5 分：-2.00 分",
                 "全行参评 3 人中第 1 名：(3 − 1 + 1) ÷ 3 = 100.00%",
                 "<th colspan=\"8\">加分封顶扣回</th><th>-0.50</th>"):
        assert text in manager, text
    held = (out / "2026-09" / "managers" / "000104.html").read_text(encoding="utf-8")
    assert "不计入比较范围" in held
    methodology = (out / "methodology.html").read_text(encoding="utf-8")
    for text in ("满分 75 · 最高可得 82", "满分 25 · 最高可得 25", "加减分 <small>(满分 — · 上不封顶)",
                 "综合考评分最高可得 109 分（满分 100）", "加分项合计最多 2 分",
                 "按实际区间计分：1 得 10 分；2 得 0 分", "目标按客户类别：公司 10、个人 25、机构 5；其他 10",
                 "比较范围不含结果暂缓和取消评选资格的客户经理"):
        assert text in methodology, text
