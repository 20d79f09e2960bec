"""Item scores by method, and the composite: groups, penalty and total, in exact hundredths.

An item scores weight × clamp(completion, floor, cap). The completion of each method:
  target_completion  actual ÷ target
  lower_is_better    2 − actual ÷ target (10% under the target = 110%); target 0: 100% at
                     an actual of 0, else 0%
  growth_prev/_yoy   growth ÷ target_growth, growth = (actual − base) ÷ |base| (for a
                     lower-is-better indicator the reduction, (base − actual) ÷ |base|)
  qualitative        value ÷ max (never clamped: the loader keeps values within 0..max)
Rows that cannot be scored get 0 points and a reason code (REASONS); rows scored by a
special rule keep their points and carry the code too.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.assessment import exact
from generator.config.assessment import GROWTH_METHODS, AssessmentConfig
from generator.config.base import Bilingual
from generator.config.site import SiteConfig

# Reason codes, each a bit of Notes in this order; what they say is in the catalogues (reason.<code>).
REASONS = ("no_base_target", "no_base_zero", "no_actual", "no_target", "zero_target", "negative_target",
           "no_evaluation")
REASON_BITS = {code: bit for bit, code in enumerate(REASONS)}
PENALTY = "penalty"
TOTAL = "total"


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

    @property
    def column(self) -> str:
        return f"score_{self.key}"

    @property
    def fallback_method(self) -> str:
        """The target-based method of the indicator, used when a growth item has no base."""
        return "lower_is_better" if self.better == "lower" else "target_completion"

    def constants(self) -> dict[str, float | None]:
        return {"weight": self.weight, "floor": self.floor, "cap": self.cap, "target_growth": self.target_growth,
                "maximum": self.maximum, "direction": -1.0 if self.better == "lower" else 1.0}


def item_rules(settings: SiteConfig, assessment: AssessmentConfig) -> list[ItemRule]:
    rules = []
    for group, item in assessment.items():
        if item.qualitative is not None:
            score = next(q for q in settings.qualitative if q.id == item.qualitative)
            rules.append(ItemRule(item.key, group.id, score.label, "qualitative", score.id, "qualitative",
                                  item.weight, None, None, maximum=score.max))
            continue
        assert item.indicator is not None, "validated: an item without a qualitative has an indicator"
        indicator = settings.indicator(item.indicator)
        method = item.method or ("lower_is_better" if indicator.better == "lower" else "target_completion")
        no_base = item.no_base or ("target_completion" if indicator.target else "zero")
        rules.append(ItemRule(item.key, group.id, indicator.label, "indicator", indicator.id, method, item.weight,
                              item.floor, item.effective_cap(method), indicator.better, item.target_growth,
                              no_base if method in GROWTH_METHODS else None))
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
              index: pd.Index) -> pd.DataFrame:
    """Hundredths per manager: each item, each group (sum of its items), penalty, total."""
    points = pd.DataFrame({rule.column: items[rule.key].points for rule in rules}, index=index)
    groups = dict.fromkeys(rule.group for rule in rules)
    for group in groups:
        members = [rule.column for rule in rules if rule.group == group]
        points[group_column(group)] = points[members].sum(axis=1).astype(np.int64)
    points[PENALTY] = -np.asarray(penalty, dtype=np.int64)
    points[TOTAL] = points[[group_column(g) for g in groups] + [PENALTY]].sum(axis=1).astype(np.int64)
    return points
