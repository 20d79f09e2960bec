"""Awards (十佳客户经理, 营销之星, 进步之星 ...) from the config.

Rules:
  top_total       the highest totals
  top_indicators  the highest sum of the actuals of the listed indicators (e.g. new loans
                  + large deposits); a manager missing one of them, or with a sum ≤ 0,
                  is not a candidate
  most_improved   the largest rise of the total against the previous period of the same
                  kind; only managers assessed in both periods with a rise > 0
Candidates are qualified (not disqualified) managers. Winners are those whose standard
competition rank is ≤ count, so everyone tied with the last winner wins too: ten places
may go to eleven managers, never to an arbitrary ten of them.
"""
from __future__ import annotations

import pandas as pd

from generator.assessment import exact
from generator.assessment.ranking import competition_rank
from generator.config.assessment import Award


def award_column(award: Award) -> str:
    return f"award_{award.id}"


def winners(award: Award, totals: pd.Series, qualified: pd.Series, actuals: pd.DataFrame,
            total_change: pd.Series) -> pd.Series:
    """True for each winner of `award` (index of `totals`)."""
    merit = _merit(award, totals, actuals, total_change).where(qualified)
    return competition_rank(merit).le(award.count).fillna(False).astype(bool)


def _merit(award: Award, totals: pd.Series, actuals: pd.DataFrame, total_change: pd.Series) -> pd.Series:
    if award.rule == "top_total":
        return totals.astype(float)
    if award.rule == "most_improved":
        change = total_change.astype(float)
        return change.where(change > 0)
    # Whole millionths, so equal sums tie exactly whatever the float rounding of the parts.
    total = pd.Series(0.0, index=actuals.index)
    for indicator in award.indicators:
        total = total + exact.to_micro(actuals[indicator].to_numpy(float))
    return total.where(total > 0).reindex(totals.index)
