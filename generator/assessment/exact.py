"""Scores as exact hundredths of a point.

Every item score is the exact value of its formula, computed from the decimal numbers in
the extracts and the config, rounded half away from zero (四舍五入) to 2 decimals and kept
as an int64 count of hundredths. Sums of those integers are exact, so the parts of a total
always add up to it.

Float arithmetic is used for speed; its error (about 1e-15 relative) only matters when a
value lies within a hair of a rounding boundary (x.xx5) — which decimal inputs hit often
(15 points × 83.5 ÷ 100 = 12.525 exactly, 12.524999999999999 in float). Those values are
recomputed with the same formula in decimal arithmetic (numpy object arrays of
decimal.Decimal) at 60 significant digits, from the shortest decimal that reproduces
each float: the number written in the extract or the config.

Why that is exact: the true value is a fraction whose denominator comes from the inputs
(at most about 1e20 for amounts with 6 decimals), so if it is not exactly on a boundary
it is at least 1/(200 × 1e20) away from one. The 60-digit result is within 1e-55 of the
true value (a quotient such as 3,200.50 ÷ 3,000 does not terminate), so rounding it to
40 significant digits lands exactly on the boundary when the true value is on it, and
never crosses one otherwise. Then it is rounded half away from zero to hundredths.
"""
from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Mapping
from decimal import Decimal

import numpy as np

# Values closer than this (relative) to a rounding boundary are recomputed exactly.
BOUNDARY_TOLERANCE = 1e-9
PRECISION = 60
SNAP = decimal.Context(prec=40)  # removes the last digits' error of non-terminating quotients
ONE = Decimal(1)
Formula = Callable[[Mapping[str, np.ndarray], Mapping[str, object]], np.ndarray]


Constant = float | tuple[float | None, ...] | None  # a number of the config, or a table of them (breakpoints)
# Rows where a formula jumps (a band edge, a whole step) within a hair of the float value: float
# arithmetic may put them on the wrong side, so they take the decimal path too.
Jumps = Callable[[Mapping[str, np.ndarray], Mapping[str, Constant]], np.ndarray]


def hundredths(formula: Formula, values: Mapping[str, np.ndarray], constants: Mapping[str, Constant],
               jumps: Jumps | None = None) -> np.ndarray:
    """100 × formula(values, constants) rounded half away from zero, as int64.

    `formula` must use only arithmetic, comparisons and numpy functions that also work on
    object arrays (np.where, np.minimum, np.maximum, abs, floor below), so it can run on Decimals.
    """
    scaled = np.asarray(formula(values, constants), dtype=float) * 100
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    near = np.abs(np.abs(scaled) % 1 - 0.5) <= BOUNDARY_TOLERANCE * np.maximum(1.0, np.abs(scaled))
    if jumps is not None:
        near |= jumps(values, constants)
    if near.any():
        rounded[near] = _exact(formula, {name: array[near] for name, array in values.items()}, constants,
                               lambda value: round_half_away(Decimal(value)))
    return rounded.astype(np.int64)


def whole(formula: Formula, values: Mapping[str, np.ndarray], constants: Mapping[str, Constant],
          jumps: Jumps) -> np.ndarray:
    """An integer-valued formula (a band's index, a count of whole steps) as int64, decided in
    decimal arithmetic for the rows `jumps` finds near a jump."""
    result = np.asarray(formula(values, constants), dtype=float)
    near = jumps(values, constants)
    if near.any():
        result[near] = _exact(formula, {name: array[near] for name, array in values.items()}, constants, int)
    return result.astype(np.int64)


def near_any(values: np.ndarray, edges: list[float]) -> np.ndarray:
    """Rows within rounding error of any of the edges."""
    near = np.zeros(len(values), dtype=bool)
    for edge in edges:
        near |= np.abs(values - edge) <= BOUNDARY_TOLERANCE * max(1.0, abs(edge))
    return near


def near_whole(values: np.ndarray) -> np.ndarray:
    """Rows within rounding error of a whole number (where floor jumps)."""
    return np.abs(values - np.round(values)) <= BOUNDARY_TOLERANCE * np.maximum(1.0, np.abs(values))


def floor(values):
    """np.floor that works on Decimal object arrays too."""
    values = np.asarray(values)
    if values.dtype == object:
        floored = np.empty(len(values), dtype=object)
        floored[:] = [Decimal(math.floor(value)) for value in values.tolist()]
        return floored
    return np.floor(values)


def _exact(formula: Formula, values: Mapping[str, np.ndarray], constants: Mapping[str, Constant],
           convert: Callable) -> list[int]:
    # a list of traps sets those and clears the others; typeshed only knows the (complete) dict form
    traps = [decimal.InvalidOperation, decimal.DivisionByZero]
    with decimal.localcontext(prec=PRECISION, traps=traps):  # type: ignore[arg-type]
        exact = formula({name: _decimals(array) for name, array in values.items()},
                        {name: _constant(value) for name, value in constants.items()})
        return [convert(value) for value in np.atleast_1d(exact)]


def _constant(value: Constant) -> Decimal | tuple[Decimal | None, ...] | None:
    if isinstance(value, tuple):
        return tuple(as_decimal(part) for part in value)
    return as_decimal(value)


def as_decimal(value: float | None) -> Decimal | None:
    """The decimal a float was read from (its shortest round-tripping repr), exactly.

    None for a missing value: a formula never reads the inputs its rows do not need.
    """
    if value is None or not math.isfinite(value):
        return None
    return Decimal(repr(float(value)))


def round_half_away(points: Decimal) -> int:
    """Points → hundredths, half away from zero (decimal's ROUND_HALF_UP)."""
    return int(SNAP.plus(points.scaleb(2)).quantize(ONE, rounding=decimal.ROUND_HALF_UP))


def _decimals(array: np.ndarray) -> np.ndarray:
    converted = np.empty(len(array), dtype=object)
    converted[:] = [as_decimal(value) for value in array.tolist()]
    return converted


# --- fixed-point values for roll-ups -------------------------------------------------------

MICRO = 1_000_000  # roll-ups keep values to 6 decimals


def to_micro(values: np.ndarray) -> np.ndarray:
    """Float values as whole millionths (still float64, exact below 2**53 ≈ 9e9 units)."""
    return np.round(np.asarray(values, dtype=float) * MICRO)


def mean_of_micro(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """total ÷ count in millionths, rounded half away from zero, back to units (float)."""
    valid = ~np.isnan(total) & (count > 0)
    safe_total = np.where(valid, total, 0).astype(np.int64)
    safe_count = np.where(valid, count, 1).astype(np.int64)
    magnitude = (2 * np.abs(safe_total) + safe_count) // (2 * safe_count)
    return np.where(valid, np.sign(safe_total) * magnitude / MICRO, np.nan)
