""""Why did my rank move": the change of every component between two periods.

The item changes add up exactly to their group's change, and the group changes plus the
penalty change to the change of the total, because every figure is a sum of the same
integer hundredths (see exact.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from generator.assessment.engine import AssessedResult, Assessment
from generator.assessment.labels import column_words
from generator.assessment.scoring import BONUS_CUT, PENALTY, TOTAL, group_column


@dataclass
class Explanation:
    """components: one row per item, group, the penalty, the bonus cap's cut (with a bonus cap) and the
    total (in that order) with
    old, new and change in points; items also carry their actual, completion and reason
    codes in both periods. `*_hundredths` columns hold the exact integers."""

    manager_id: str
    old_period: str
    new_period: str
    components: pd.DataFrame
    old_rank: int | None
    new_rank: int | None

    @property
    def rank_change(self) -> int | None:
        """Places moved up (positive) or down; None when either period has no overall rank."""
        if self.old_rank is None or self.new_rank is None:
            return None
        return self.old_rank - self.new_rank

    @property
    def total_change(self) -> float:
        return float(self.components.loc[self.components["level"].eq("total"), "change"].iloc[0])


def explain(assessment: Assessment, manager_id: str, old_period: str, new_period: str) -> Explanation:
    old, new = assessment[old_period], assessment[new_period]
    for result in (old, new):
        if manager_id not in result.points.index:
            raise LookupError(f"manager {manager_id} has no assessment in {result.id}")
    rows = []
    for rule in assessment.rules:
        rows.append(_row("item", rule.group, rule.column, rule.label.text(assessment.language), old, new, manager_id)
                    | _item_context(rule.key, old, new, manager_id))
    for group in assessment.config.groups:
        rows.append(_row("group", group.id, group_column(group.id), group.label.text(assessment.language),
                         old, new, manager_id))
    names = column_words(assessment.language)
    rows.append(_row("penalty", None, PENALTY, names[PENALTY], old, new, manager_id))
    if BONUS_CUT in new.points.columns:  # the bonus cap's cut is a part of the total like the penalty
        rows.append(_row("bonus_cut", None, BONUS_CUT, names[BONUS_CUT], old, new, manager_id))
    rows.append(_row("total", None, TOTAL, names[TOTAL], old, new, manager_id))
    return Explanation(manager_id, old_period, new_period, pd.DataFrame(rows),
                       _rank(old, manager_id), _rank(new, manager_id))


def _row(level: str, group: str | None, column: str, label: str, old: AssessedResult, new: AssessedResult,
         manager_id: str) -> dict:
    # a cell is its column's numpy scalar (int64 hundredths), which the stubs cannot know
    cells: tuple[Any, Any] = (old.points.at[manager_id, column], new.points.at[manager_id, column])
    before, after = int(cells[0]), int(cells[1])
    return {"level": level, "group": group, "component": column, "label": label,
            "old": before / 100, "new": after / 100, "change": (after - before) / 100,
            "old_hundredths": before, "new_hundredths": after, "change_hundredths": after - before}


def _item_context(key: str, old: AssessedResult, new: AssessedResult, manager_id: str) -> dict:
    context: dict[str, object] = {}
    for prefix, result in (("old", old), ("new", new)):
        detail = cast(pd.Series, result.detail.loc[manager_id, key])  # the item's (field) columns
        context |= {f"{prefix}_{field}": detail[field] for field in ("actual", "completion", "counted", "reason")}
    return context


def _rank(result: AssessedResult, manager_id: str) -> int | None:
    rank: Any = result.table.at[manager_id, "rank_overall"]  # an Int64 cell: a number or pd.NA
    return None if pd.isna(rank) else int(rank)
