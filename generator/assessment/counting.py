"""Who counts (计入): the one rule every aggregate of scores follows.

A manager counts in a period when he has a score and nothing takes his result away: not
disqualified by a violation (取消评选资格), not held because a rejected row names him
(结果暂缓), not ineligible (参评资格, when the bank's eligibility rules mark him so in an
`is_ineligible` column). Only counted managers are ranked, graded and awarded, and only they
enter a unit's or group's mean and median score, the unit rankings built on those means and the
grade distributions; the others are counted apart, by reason, wherever such a figure is shown
("2 人不计入：取消资格 1、结果暂缓 1"), so every table still adds up to the head-count.
Business figures (balances, loans, attainment) stay the unit's whole book: the deposits are the
unit's whatever becomes of one manager's result.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

COUNTED = "counted"
DISQUALIFIED = "disqualified"
HELD = "held"
INELIGIBLE = "ineligible"
EXCLUSIONS = (DISQUALIFIED, HELD, INELIGIBLE)  # the order a reader sees them in
INELIGIBLE_COLUMN = "is_ineligible"  # set by the eligibility rules, where a bank has them


def standing(table: pd.DataFrame) -> pd.Series:
    """Per row of a published table (or any frame with its columns): counted, disqualified,
    held or ineligible. A manager with several reasons is shown under the first of EXCLUSIONS,
    so the reasons add up to the number not counted. A frame without a column has no such reason."""
    result = np.full(len(table), COUNTED, dtype=object)
    for reason, flagged in reversed(list(_flags(table).items())):  # the first reason wins
        result[flagged] = reason
    return pd.Series(result, index=table.index, dtype=object)


def counts(table: pd.DataFrame) -> pd.Series:
    """True for each manager who counts (see the module's rule)."""
    return standing(table).eq(COUNTED)


def _flags(table: pd.DataFrame) -> dict[str, np.ndarray]:
    none = np.zeros(len(table), dtype=bool)
    return {DISQUALIFIED: _text_set(table, "disqualification_reason") if "disqualification_reason" in table
            else _true(table, "is_disqualified") & ~_true(table, "is_held"),
            HELD: _true(table, "is_held") if "is_held" in table else none,
            INELIGIBLE: _true(table, INELIGIBLE_COLUMN) if INELIGIBLE_COLUMN in table else none}


def _true(table: pd.DataFrame, column: str) -> np.ndarray:
    if column not in table:
        return np.zeros(len(table), dtype=bool)
    return table[column].fillna(False).astype(bool).to_numpy()


def _text_set(table: pd.DataFrame, column: str) -> np.ndarray:
    return table[column].fillna("").astype(str).ne("").to_numpy()


@dataclass(frozen=True)
class NotCounted:
    """How many managers of an aggregate do not count, by reason."""

    by_reason: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_reason.values())

    def text(self, t: Mapping[str, str]) -> str:
        """"2 人不计入：取消资格 1、结果暂缓 1" in the site language; "" when everyone counts."""
        if not self.total:
            return ""
        parts = [t[f"not_counted.{reason}"].format(count=self.by_reason[reason])
                 for reason in EXCLUSIONS if self.by_reason.get(reason)]
        return t["not_counted"].format(count=self.total, reasons=t["not_counted.joiner"].join(parts))


def not_counted(standings: Iterable[str]) -> NotCounted:
    """The reasons of the managers not counted among `standings` (values of standing())."""
    tally = {reason: 0 for reason in EXCLUSIONS}
    for value in standings:
        if value in tally:
            tally[value] += 1
    return NotCounted({reason: count for reason, count in tally.items() if count})
