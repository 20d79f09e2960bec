"""The scoring methods a bank's 考核办法 writes as tables rather than weight × completion.

  piecewise (区间计分)  points interpolated between breakpoints (at, points) of the measure;
                        below the first and above the last, the end points' points
  banded (阶梯计分)     the points of the band the measure lies in; 0 in no band
  bonus / deduction     ± points × steps beyond the threshold, at most `limit`; a step is
  (加分 / 扣分)          `per` of the measure, counted whole (default) or in proportion
  relative             within a scope (bank, unit, depth, roster attribute), by rank, by the
                        ratio to the best, or by the share of the scope's total

The measure (`of`) is the actual, the completion (actual ÷ target) or the excess
(actual − target). Every formula is plain arithmetic and comparisons, so it runs on floats
and, near a rounding boundary or a jump, on Decimals (exact.py).
"""
from __future__ import annotations

import numpy as np

from generator.assessment import exact

Formula = exact.Formula


def measure(of: str) -> Formula:
    if of == "actual":
        return lambda v, c: v["actual"]
    if of == "completion":
        return lambda v, c: v["actual"] / v["target"]
    return lambda v, c: v["actual"] - v["target"]


def piecewise(of: str) -> Formula:
    """Points on the polyline through the breakpoints (c["at"], c["points_at"])."""
    x_of = measure(of)

    def points(v, c):
        x, at, given = x_of(v, c), c["at"], c["points_at"]
        result = np.where(x <= at[0], given[0], given[-1])
        for k in range(len(at) - 1):
            inside = (x > at[k]) & (x <= at[k + 1])
            slope_part = (x - at[k]) * (given[k + 1] - given[k]) / (at[k + 1] - at[k])
            result = np.where(inside, given[k] + slope_part, result)
        return result
    return points


def band_index(of: str, inclusive: str) -> Formula:
    """The index of the band (c["lower"], c["upper"]) the measure lies in, −1 for none."""
    x_of = measure(of)
    lower_closed = inclusive == "lower"

    def index(v, c):
        x = x_of(v, c)
        result = np.full(len(x), -1, dtype=object if x.dtype == object else float)
        for k, (low, high) in enumerate(zip(c["lower"], c["upper"], strict=True)):
            inside = np.ones(len(x), dtype=bool)
            if low is not None:
                inside &= np.asarray((x >= low) if lower_closed else (x > low), dtype=bool)
            if high is not None:
                inside &= np.asarray((x < high) if lower_closed else (x <= high), dtype=bool)
            result = np.where(inside, k, result)
        return result
    return index


def band_jumps(of: str, edges: list[float]) -> exact.Jumps:
    x_of = measure(of)
    return lambda v, c: exact.near_any(np.asarray(x_of(v, c), dtype=float), edges)


def steps_beyond(of: str) -> Formula:
    """Steps of c["per"] the measure lies beyond the threshold, in the direction c["beyond"] (±1); ≥ 0."""
    x_of = measure(of)
    return lambda v, c: np.maximum(c["beyond"] * (x_of(v, c) - c["threshold"]) / c["per"], 0)


def whole_steps(of: str) -> Formula:
    units = steps_beyond(of)
    return lambda v, c: exact.floor(units(v, c))


def step_jumps(of: str) -> exact.Jumps:
    units = steps_beyond(of)
    return lambda v, c: exact.near_whole(np.asarray(units(v, c), dtype=float))


def adjustment(of: str, whole: bool) -> Formula:
    """± points per step (whole steps arrive as v["steps"]), at most c["limit"]."""
    units = (lambda v, c: v["steps"]) if whole else steps_beyond(of)

    def points(v, c):
        given = units(v, c) * c["points"]
        if c["limit"] is not None:
            given = np.minimum(given, c["limit"])
        return c["sign"] * given
    return points


# --- relative: the values arrive with the scope's figures (best, total, rank, pool) ---

def rank_share(v, c):
    """First place 100%, the last of n 1/n: (n − rank + 1) ÷ n."""
    return (v["pool"] - v["rank"] + 1) / v["pool"]


def ratio_to_best(v, c):
    return v["actual"] / v["best"]


def best_over_actual(v, c):
    """Lower is better: the best (lowest) ÷ the actual; an actual of 0 is the best there is."""
    zero = v["actual"] == 0
    return np.where(zero, 1, v["best"] / np.where(zero, 1, v["actual"]))


def share_of_total(v, c):
    return v["actual"] / v["total"] / c["target_share"]
