"""Item scores by method, and the composite: groups, penalty and total, in exact hundredths.

An item scores weight × clamp(completion, floor, cap). The completion of each method:
  target_completion  actual ÷ target
  lower_is_better    2 − actual ÷ target (10% under the target = 110%); target 0: 100% at
                     an actual of 0, else 0%
  growth_prev/_yoy   growth ÷ target_growth, growth = (actual − base) ÷ |base| (for a
                     lower-is-better indicator the reduction, (base − actual) ÷ |base|)
  qualitative        value ÷ max (never clamped: the loader keeps values within 0..max)
  piecewise, banded, bonus, deduction, relative: see methods.py
Rows that cannot be scored get 0 points and a reason code (REASONS); rows scored by a
special rule keep their points and carry the code too.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.assessment import exact, methods
from generator.config.assessment import ADJUSTMENT_METHODS, GROWTH_METHODS, AssessmentConfig, Item, item_method
from generator.config.base import Bilingual
from generator.config.site import SiteConfig

# Reason codes, each a bit of Notes in this order; what they say is in the catalogues (reason.<code>).
REASONS = ("no_base_target", "no_base_zero", "no_actual", "no_target", "zero_target", "negative_target",
           "no_evaluation", "no_band", "no_best", "no_scope_total", "outside_pool")
REASON_BITS = {code: bit for bit, code in enumerate(REASONS)}
PENALTY = "penalty"
TOTAL = "total"
BONUS_CUT = "bonus_cut"  # what the bonus cap (加分封顶) takes off the bonus items' sum, ≤ 0


@dataclass(frozen=True)
class ItemRule:
    """An item of the config with every default decided."""

    key: str
    group: str
    label: Bilingual
    source: str  # "indicator" | "qualitative"
    source_id: str
    method: str
    weight: float
    floor: float | None
    cap: float | None
    better: str = "higher"
    target_growth: float | None = None
    no_base: str | None = None
    maximum: float | None = None
    item: Item | None = None  # the config item: the tables of the methods in methods.py

    @property
    def column(self) -> str:
        return f"score_{self.key}"

    @property
    def fallback_method(self) -> str:
        """The target-based method of the indicator, used when a growth item has no base."""
        return "lower_is_better" if self.better == "lower" else "target_completion"

    def constants(self) -> dict[str, exact.Constant]:
        constants: dict[str, exact.Constant] = {
            "weight": self.weight, "floor": self.floor, "cap": self.cap, "target_growth": self.target_growth,
            "maximum": self.maximum, "direction": -1.0 if self.better == "lower" else 1.0}
        item = self.item
        if item is None:
            return constants
        if item.breakpoints:
            constants |= {"at": tuple(p.at for p in item.breakpoints),
                          "points_at": tuple(p.points for p in item.breakpoints)}
        if item.bands:
            constants |= {"lower": tuple(b.lower for b in item.bands), "upper": tuple(b.upper for b in item.bands)}
        if self.method in ADJUSTMENT_METHODS:
            constants |= {"threshold": item.threshold, "per": item.per, "points": item.points, "limit": item.limit,
                          "beyond": self.beyond, "sign": 1.0 if self.method == "bonus" else -1.0}
        return constants | {"target_share": item.target_share}

    @property
    def beyond(self) -> float:
        """+1: points for a measure above the threshold (a bonus on higher-is-better, a deduction on
        lower-is-better); −1: below it."""
        return 1.0 if (self.method == "bonus") == (self.better == "higher") else -1.0

    @property
    def is_bonus(self) -> bool:
        return self.method == "bonus"


def item_rules(settings: SiteConfig, assessment: AssessmentConfig) -> list[ItemRule]:
    rules = []
    for group, item in assessment.items():
        if item.qualitative is not None:
            score = next(q for q in settings.qualitative if q.id == item.qualitative)
            rules.append(ItemRule(item.key, group.id, score.label, "qualitative", score.id, "qualitative",
                                  item.weight or 0.0, None, None, maximum=score.max))
            continue
        assert item.indicator is not None, "validated: an item without a qualitative has an indicator"
        indicator = settings.indicator(item.indicator)
        method = item_method(item, indicator.better)
        no_base = item.no_base or ("target_completion" if indicator.target or item.target is not None else "zero")
        rules.append(ItemRule(item.key, group.id, indicator.label, "indicator", indicator.id, method,
                              item.weight or 0.0, item.effective_floor(method), item.effective_cap(method),
                              indicator.better, item.target_growth,
                              no_base if method in GROWTH_METHODS else None, item=item))
    return rules


def group_column(group_id: str) -> str:
    return f"group_{group_id}"


# --- completion formulas: plain arithmetic, so they run on floats and on Decimals alike ---

def _ratio_to_target(v, c):
    return v["actual"] / v["target"]


def _under_target(v, c):
    zero = v["target"] == 0
    ratio = v["actual"] / np.where(zero, 1, v["target"])
    return np.where(zero, np.where(v["actual"] <= 0, 1, 0), 2 - ratio)


def _growth_over_base(v, c):
    return c["direction"] * (v["actual"] - v["base"]) / abs(v["base"]) / c["target_growth"]


def _share_of_maximum(v, c):
    return v["value"] / c["maximum"]


def _clamp(values, floor, cap):
    if floor is not None:
        values = np.maximum(values, floor)
    if cap is not None:
        values = np.minimum(values, cap)
    return values


def _points_of(completion: Callable) -> exact.Formula:
    return lambda v, c: c["weight"] * _clamp(completion(v, c), c["floor"], c["cap"])


# --- which rows each formula applies to ------------------------------------------------------

@dataclass
class Branch:
    """The rows one completion formula scores; rows in no branch get 0 points."""

    rows: np.ndarray
    completion: Callable


class Notes:
    """Reason codes per row, kept as bits while scoring; several codes join with commas."""

    def __init__(self, size: int):
        self.bits = np.zeros(size, dtype=np.int64)

    def add(self, rows: np.ndarray, code: str) -> None:
        self.bits[rows] |= 1 << REASON_BITS[code]

    @property
    def codes(self) -> np.ndarray:
        texts = {bits: ",".join(code for code, bit in REASON_BITS.items() if bits >> bit & 1)
                 for bits in np.unique(self.bits).tolist()}
        return pd.Series(self.bits).map(texts).to_numpy(object)


def _target_branches(method: str, v: dict, rows: np.ndarray, notes: Notes) -> list[Branch]:
    actual, target = v["actual"], v["target"]
    notes.add(rows & np.isnan(actual), "no_actual")
    rows = rows & ~np.isnan(actual)
    notes.add(rows & np.isnan(target), "no_target")
    rows = rows & ~np.isnan(target)
    notes.add(rows & (target < 0), "negative_target")
    notes.add(rows & (target == 0), "zero_target")
    if method == "lower_is_better":
        return [Branch(rows & (target >= 0), _under_target)]
    return [Branch(rows & (target > 0), _ratio_to_target)]


def _growth_branches(rule: ItemRule, v: dict, rows: np.ndarray, notes: Notes) -> list[Branch]:
    actual, base = v["actual"], v["base"]
    notes.add(rows & np.isnan(actual), "no_actual")
    rows = rows & ~np.isnan(actual)
    without_base = rows & (np.isnan(base) | (base == 0))
    branches = [Branch(rows & ~without_base, _growth_over_base)]
    if rule.no_base == "zero":
        notes.add(without_base, "no_base_zero")
        return branches
    notes.add(without_base, "no_base_target")
    return branches + _target_branches(rule.fallback_method, v, without_base, notes)


def _branches(rule: ItemRule, v: dict, notes: Notes) -> list[Branch]:
    every_row = np.ones(len(notes.bits), dtype=bool)
    if rule.method == "qualitative":
        notes.add(np.isnan(v["value"]), "no_evaluation")
        return [Branch(~np.isnan(v["value"]), _share_of_maximum)]
    if rule.method in GROWTH_METHODS:
        return _growth_branches(rule, v, every_row, notes)
    return _target_branches(rule.method, v, every_row, notes)


@dataclass
class ItemScore:
    points: np.ndarray  # int64 hundredths
    completion: np.ndarray  # float, before clamping; NaN where not scored by a formula
    counted: np.ndarray  # the completion after floor and cap: points = weight × counted, rounded
    reason: np.ndarray  # reason codes, "" for a plain score


def score_item(rule: ItemRule, values: dict[str, np.ndarray]) -> ItemScore:
    if rule.method in TABLE_SCORERS:
        return TABLE_SCORERS[rule.method](rule, values)
    size = len(next(iter(values.values())))
    notes = Notes(size)
    points = np.zeros(size, dtype=np.int64)
    completion = np.full(size, np.nan)
    constants = rule.constants()
    for branch in _branches(rule, values, notes):
        if not branch.rows.any():
            continue
        picked = {name: array[branch.rows] for name, array in values.items()}
        completion[branch.rows] = branch.completion(picked, constants)
        points[branch.rows] = exact.hundredths(_points_of(branch.completion), picked, constants)
    counted = _clamp(completion, constants["floor"], constants["cap"])
    return ItemScore(points, completion, counted, notes.codes)


def composite(rules: list[ItemRule], items: dict[str, ItemScore], penalty: np.ndarray,
              index: pd.Index, bonus_cap: float | None = None) -> pd.DataFrame:
    """Hundredths per manager: each item, each group (sum of its items), penalty, the bonus cap's
    cut (only with a bonus cap and bonus items), total."""
    points = pd.DataFrame({rule.column: items[rule.key].points for rule in rules}, index=index)
    groups = dict.fromkeys(rule.group for rule in rules)
    for group in groups:
        members = [rule.column for rule in rules if rule.group == group]
        points[group_column(group)] = points[members].sum(axis=1).astype(np.int64)
    points[PENALTY] = -np.asarray(penalty, dtype=np.int64)
    parts = [group_column(g) for g in groups] + [PENALTY]
    bonuses = [rule.column for rule in rules if rule.is_bonus]
    if bonus_cap is not None and bonuses:
        cap = _hundredths_of(bonus_cap)
        points[BONUS_CUT] = -np.maximum(points[bonuses].sum(axis=1).to_numpy(np.int64) - cap, 0)
        parts.append(BONUS_CUT)
    points[TOTAL] = points[parts].sum(axis=1).astype(np.int64)
    return points


# --- the methods of methods.py -------------------------------------------------------------

def _measured_rows(rule: ItemRule, v: dict, notes: Notes) -> np.ndarray:
    """Rows whose measure (actual, completion, excess) can be taken; the others get 0 and a reason."""
    of = rule.item.of if rule.item is not None and rule.item.of else "actual"
    rows = ~np.isnan(v["actual"])
    notes.add(~rows, "no_actual")
    if of == "actual":
        return rows
    target = v["target"]
    notes.add(rows & np.isnan(target), "no_target")
    rows &= ~np.isnan(target)
    if of == "completion":
        notes.add(rows & (target < 0), "negative_target")
        notes.add(rows & (target == 0), "zero_target")
        rows &= target > 0
    return rows


def _hundredths_of(points: float) -> int:
    """Points of the config (a band's, a rank's, the bonus cap) in hundredths, half away from zero."""
    return exact.round_half_away(exact.as_decimal(points) or exact.ONE - exact.ONE)


def _pick(values: dict, rows: np.ndarray) -> dict:
    return {name: array[rows] for name, array in values.items()}


def _score_piecewise(rule: ItemRule, values: dict) -> ItemScore:
    assert rule.item is not None and rule.item.of is not None, "validated: piecewise has its breakpoints"
    notes, size = Notes(len(values["actual"])), len(values["actual"])
    rows = _measured_rows(rule, values, notes)
    points, shown = np.zeros(size, dtype=np.int64), np.full(size, np.nan)
    if rows.any():
        picked = _pick(values, rows)
        points[rows] = exact.hundredths(methods.piecewise(rule.item.of), picked, rule.constants())
        shown[rows] = methods.measure(rule.item.of)(picked, {})
    return ItemScore(points, shown, np.full(size, np.nan), notes.codes)


def _score_banded(rule: ItemRule, values: dict) -> ItemScore:
    item = rule.item
    assert item is not None and item.of is not None and item.bands, "validated: banded has its bands"
    notes, size = Notes(len(values["actual"])), len(values["actual"])
    rows = _measured_rows(rule, values, notes)
    points, shown, band = np.zeros(size, dtype=np.int64), np.full(size, np.nan), np.full(size, np.nan)
    if rows.any():
        picked = _pick(values, rows)
        edges = [edge for b in item.bands for edge in (b.lower, b.upper) if edge is not None]
        index = exact.whole(methods.band_index(item.of, item.inclusive), picked, rule.constants(),
                            methods.band_jumps(item.of, edges))
        worth = np.array([_hundredths_of(b.points) for b in item.bands]
                         + [0], dtype=np.int64)
        points[rows] = worth[index]  # index −1 (no band) reads the trailing 0
        band[rows] = np.where(index >= 0, index, np.nan)
        shown[rows] = methods.measure(item.of)(picked, {})
        notes.add(_rows_where(rows, index < 0), "no_band")
    return ItemScore(points, shown, band, notes.codes)


def _rows_where(rows: np.ndarray, picked: np.ndarray) -> np.ndarray:
    """A mask over every row from a mask over the picked rows."""
    mask = np.zeros(len(rows), dtype=bool)
    mask[np.flatnonzero(rows)[picked]] = True
    return mask


def _score_adjustment(rule: ItemRule, values: dict) -> ItemScore:
    item = rule.item
    assert item is not None and item.of is not None, "validated: bonus and deduction have their measure"
    notes, size = Notes(len(values["actual"])), len(values["actual"])
    rows = _measured_rows(rule, values, notes)
    points, shown, steps = np.zeros(size, dtype=np.int64), np.full(size, np.nan), np.full(size, np.nan)
    if rows.any():
        picked, constants = _pick(values, rows), rule.constants()
        whole = item.steps == "whole"
        if whole:
            picked["steps"] = exact.whole(methods.whole_steps(item.of), picked, constants,
                                          methods.step_jumps(item.of)).astype(float)
        points[rows] = exact.hundredths(methods.adjustment(item.of, whole), picked, constants)
        steps[rows] = picked["steps"] if whole else methods.steps_beyond(item.of)(picked, constants)
        shown[rows] = methods.measure(item.of)(picked, {})
    return ItemScore(points, shown, steps, notes.codes)


def _score_relative(rule: ItemRule, values: dict) -> ItemScore:
    """values carry the scope's figures per row (engine: relative.scope_figures) and `in_pool`."""
    item = rule.item
    assert item is not None, "validated: a relative item has its scope"
    notes, size = Notes(len(values["actual"])), len(values["actual"])
    rows = ~np.isnan(values["actual"])
    notes.add(~rows, "no_actual")
    notes.add(rows & ~values["in_pool"].astype(bool), "outside_pool")
    if item.by == "rank" and item.rank_points:
        return _rank_table(item, values, rows, notes)
    if item.by == "rank":
        formula = methods.rank_share
    elif item.by == "share":
        notes.add(rows & ~(values["total"] > 0), "no_scope_total")
        rows &= values["total"] > 0
        formula = methods.share_of_total
    else:
        lower = rule.better == "lower"
        usable = (values["best"] >= 0) & (values["actual"] >= 0) if lower else values["best"] > 0
        notes.add(rows & ~usable, "no_best")
        rows &= usable
        formula = methods.best_over_actual if lower else methods.ratio_to_best
    points, completion = np.zeros(size, dtype=np.int64), np.full(size, np.nan)
    constants = rule.constants()
    if rows.any():
        picked = _pick(values, rows)
        completion[rows] = formula(picked, constants)
        points[rows] = exact.hundredths(_points_of(formula), picked, constants)
    return ItemScore(points, completion, _clamp(completion, rule.floor, rule.cap), notes.codes)


def _rank_table(item: Item, values: dict, rows: np.ndarray, notes: Notes) -> ItemScore:
    assert item.rank_points is not None
    size = len(rows)
    worth = np.array([_hundredths_of(p) for p in item.rank_points]
                     + [0], dtype=np.int64)
    rank = np.where(rows, values["rank"], 0).astype(np.int64)
    beyond = (rank < 1) | (rank > len(item.rank_points))
    points = np.where(rows, worth[np.where(beyond, len(item.rank_points), rank - 1)], 0).astype(np.int64)
    return ItemScore(points, np.where(rows, values["rank"], np.nan), np.full(size, np.nan), notes.codes)


TABLE_SCORERS: dict[str, Callable[[ItemRule, dict], ItemScore]] = {
    "piecewise": _score_piecewise, "banded": _score_banded, "bonus": _score_adjustment,
    "deduction": _score_adjustment, "relative": _score_relative}
