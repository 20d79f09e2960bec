"""Grades (职级) from the total score, by the grade system chosen in the config.

A grade is the highest level whose `min` the total reaches (min inclusive: 85.00 is
资深客户经理, 84.99 is not). Below the lowest level the manager has no grade and is
flagged for removal (待淘汰). Points to the next grade = the next higher `min` − total;
none at the top grade. Disqualified managers get neither.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.config.assessment import GradeSystem

BELOW_LOWEST = "below_lowest"
NONE = np.array(None, dtype=object)  # what np.where makes of None, typed for numpy's stubs


def grade(totals: np.ndarray, qualified: np.ndarray, system: GradeSystem, language: str) -> pd.DataFrame:
    """grade_id, grade, points_to_next_grade (hundredths, Int64) and is_removal_candidate per row."""
    ascending = system.levels[::-1]
    thresholds = np.array([round(level.min * 100) for level in ascending], dtype=np.int64)
    position = np.searchsorted(thresholds, totals, side="right") - 1  # -1: below the lowest level
    ids = np.array([BELOW_LOWEST] + [level.id for level in ascending], dtype=object)
    names = np.array([system.below_lowest.text(language)] + [level.name.text(language) for level in ascending],
                     dtype=object)
    next_threshold = np.append(thresholds, 0)[position + 1]
    at_top = position == len(thresholds) - 1
    return pd.DataFrame({
        "grade_id": np.where(qualified, ids[position + 1], NONE),
        "grade": np.where(qualified, names[position + 1], NONE),
        "points_to_next_grade": pd.Series(next_threshold - totals).where(qualified & ~at_top).astype("Int64"),
        "is_removal_candidate": qualified & (position < 0),
    })
