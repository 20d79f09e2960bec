"""Numbers as a Chinese bank reader expects them: 万元 and 亿元 with separators, scores to 2 places."""
from __future__ import annotations

import pandas as pd

MISSING = "—"
YI_IN_WAN = 10_000  # 1 亿元 = 10,000 万元


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):  # the common case, without pandas' slower generic check
        return value != value
    return bool(pd.isna(value))


def amount(value, unit: str = "万元") -> str:
    """An amount in `unit`; 万元 amounts of 1 亿 and more are shown in 亿元."""
    if is_missing(value):
        return MISSING
    if unit == "万元" and abs(value) >= YI_IN_WAN:
        return f"{value / YI_IN_WAN:,.2f} 亿元"
    return f"{value:,.2f} {unit}"


def quantity(value, unit: str) -> str:
    if is_missing(value):
        return MISSING
    if unit == "%":
        return f"{value:.2f}%"
    if unit in ("万元", "元"):
        return amount(value, unit)
    return f"{value:,.0f} {unit}"


def percent(ratio) -> str:
    return MISSING if is_missing(ratio) else f"{ratio * 100:.1f}%"


def score(value) -> str:
    return MISSING if is_missing(value) else f"{value:.2f}"


def whole(value) -> str:
    return MISSING if is_missing(value) else f"{int(value):,}"
