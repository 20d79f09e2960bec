"""Numbers as a Chinese bank reader expects them: 万元 and 亿元 with separators, scores to 2 places."""
from __future__ import annotations

import json
from statistics import median

import pandas as pd

MISSING = "—"
YI_IN_WAN = 10_000  # 1 亿元 = 10,000 万元


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):  # the common case, without pandas' slower generic check
        return value != value
    return bool(pd.isna(value))


def quantity(value, unit: str) -> str:
    return MISSING if is_missing(value) else _quantity(value, unit)


def percent(ratio) -> str:
    return MISSING if is_missing(ratio) else _percent(ratio)


def score(value) -> str:
    return MISSING if is_missing(value) else _score(value)


# Whole columns (a ranking page formats 20,000 rows per column): the same texts as the
# functions above, with the values read once as floats, so a missing one is simply NaN.

def quantities(values, unit: str) -> list[str]:
    """A column of quantities in one unit: amounts in 亿元 when the column's typical (median)
    size reaches 1 亿元, else in 万元, so that a column never mixes the two and sorts by number."""
    numbers = floats(values)
    if unit == "万元":
        present = [abs(value) for value in numbers if value == value]
        scale = "亿元" if present and median(present) >= YI_IN_WAN else "万元"
        return [MISSING if value != value else _in_scale(value, scale) for value in numbers]
    return [MISSING if value != value else _quantity(value, unit) for value in numbers]


def _in_scale(value: float, scale: str) -> str:
    return f"{value / YI_IN_WAN:,.2f} 亿元" if scale == "亿元" else f"{value:,.2f} 万元"


def percents(ratios) -> list[str]:
    return [MISSING if ratio != ratio else _percent(ratio) for ratio in floats(ratios)]


def scores(values) -> list[str]:
    return [MISSING if value != value else _score(value) for value in floats(values)]


def floats(values) -> list[float]:
    """The values as Python floats, each missing one (None, NaN, pd.NA) as NaN."""
    return pd.Series(values).to_numpy(dtype="float64", na_value=float("nan")).tolist()


def _amount(value: float, unit: str) -> str:
    if unit == "万元" and abs(value) >= YI_IN_WAN:
        return _in_scale(value, "亿元")
    return f"{value:,.2f} {unit}"


def _quantity(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.2f}%"
    if unit in ("万元", "元"):
        return _amount(value, unit)
    return f"{value:,.0f} {unit}"


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def _score(value: float) -> str:
    return f"{value:.2f}"


def rank_text(rank, tied: bool, tied_word: str) -> str:
    """A whole rank, marked tied (并列) when another in the same ranking shares it; "" when none."""
    if is_missing(rank):
        return ""
    return f"{int(rank)} {tied_word}" if tied else str(int(rank))


def whole(value) -> str:
    return MISSING if is_missing(value) else f"{int(value):,}"


def grade_text(grade: object) -> str:
    """A grade, or the mark of none (a disqualified or unassessed manager)."""
    return grade if isinstance(grade, str) else MISSING


def script_json(value: object) -> str:
    """JSON to sit inside a <script> element, where no HTML escaping applies: every "<" escaped,
    so no text can close the element, and the two line ends older JavaScript engines reject."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
