"""Grades (职级) from the total score, by the grade system chosen in the config.

A grade is the highest level whose `min` the total reaches (min inclusive: 85.00 is
资深客户经理, 84.99 is not). Below the lowest level the manager has no grade and is
flagged for removal (待淘汰). Points to the next grade = the next higher `min` − total;
none at the top grade. Disqualified managers get neither.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from generator.config.assessment import GradeSystem
from generator.config.grading import Prerequisites, Waiver
from generator.i18n import catalogue

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


# --- eligibility-grades: prerequisites (晋级条件) and 破格 waivers ---

REQUIREMENTS = ("education", "title", "credit_years")


class Prerequisite:
    """Whether each manager meets each grade's requirements (roster: his rows, on the table's
    index), with the 破格 waivers his total or rank earns (totals in hundredths, ranks bank-wide)."""

    def __init__(self, rules: Prerequisites, roster: pd.DataFrame, totals: np.ndarray, ranks: pd.Series,
                 language: str):
        self.rules, self.roster, self.words = rules, roster, catalogue(language)
        ranked = int(ranks.notna().sum())
        self.totals, self.ranks, self.ranked = totals, ranks.to_numpy(dtype=float, na_value=np.nan), ranked

    def unmet(self, level_id: str) -> dict[str, np.ndarray]:
        """Per requirement of the level: True where the manager lacks it (waivers not applied)."""
        requirement = self.rules.levels.get(level_id)
        if requirement is None:
            return {}
        lacking = {}
        for field, order in (("education", self.rules.education_order), ("title", self.rules.title_order)):
            wanted = getattr(requirement, field)
            if wanted is not None:
                position = {word: at for at, word in enumerate(order)}
                held = self._column(field).map(lambda word: position.get(word, -1)).to_numpy()  # noqa: B023
                lacking[field] = held < position[wanted]
        if requirement.credit_years is not None:
            years = pd.to_numeric(self._column("credit_years"), errors="coerce").to_numpy(dtype=float)
            lacking["credit_years"] = ~(years >= requirement.credit_years)  # a missing year is not enough
        return lacking

    def waived(self, level_id: str, field: str) -> np.ndarray:
        """True where a waiver for the level lifts the requirement."""
        waived = np.zeros(len(self.totals), dtype=bool)
        for waiver in self.rules.waivers:
            if field in waiver.waives and (waiver.levels is None or level_id in waiver.levels):
                waived |= self._earns(waiver)
        return waived

    def _earns(self, waiver: Waiver) -> np.ndarray:
        if waiver.min_total is not None:
            return self.totals >= round(waiver.min_total * 100)
        assert waiver.top_share is not None, "validated: a waiver has one condition"
        places = math.ceil(waiver.top_share * self.ranked)
        return np.nan_to_num(self.ranks, nan=np.inf) <= places

    def requirement_text(self, level_id: str, field: str) -> str:
        requirement = self.rules.levels[level_id]
        value = getattr(requirement, field)
        return self.words[f"prerequisite.{field}"].format(value=f"{value:g}" if field == "credit_years" else value)

    def waiver_text(self, level_id: str, field: str, manager: int) -> str:
        for waiver in self.rules.waivers:
            if (field in waiver.waives and (waiver.levels is None or level_id in waiver.levels)
                    and self._earns(waiver)[manager]):
                return (self.words["waiver.min_total"].format(points=f"{waiver.min_total:g}")
                        if waiver.min_total is not None else
                        self.words["waiver.top_share"].format(share=f"{waiver.top_share:.0%}"))
        return ""

    def _column(self, field: str) -> pd.Series:
        if field not in self.roster:
            return pd.Series("", index=self.roster.index, dtype=object)
        return self.roster[field]


def grade_with_prerequisites(totals: np.ndarray, graded: np.ndarray, system: GradeSystem,
                             prerequisite: Prerequisite, language: str) -> pd.DataFrame:
    """grade() by score, then down to the highest level whose requirements he meets or has waived.
    score_grade: the level the score reaches; grade_note: "得分达到 X；缺少 Y", and any 破格 used."""
    by_score = grade(totals, graded, system, language)
    levels = system.levels
    thresholds = np.array([round(level.min * 100) for level in levels], dtype=np.int64)
    reached = (thresholds[None, :] > totals[:, None]).sum(axis=1)  # top-down index of the score's level
    if not prerequisite.rules.levels:
        return by_score  # nothing but the score decides: no note, no second grade column
    checks = [_LevelCheck(level.id, prerequisite) for level in levels]
    final = np.full(len(totals), len(levels))
    for at in range(len(levels) - 1, -1, -1):  # bottom up: the last level assigned is the highest he qualifies for
        final = np.where((reached <= at) & ~checks[at].blocked, at, final)
    words = catalogue(language)
    waived = np.zeros(len(totals), dtype=bool)
    for at, check in enumerate(checks):
        waived |= (final == at) & check.any_waived
    notes = np.full(len(totals), "", dtype=object)
    for manager in np.flatnonzero(((final != reached) & (reached < len(levels))) | waived):  # the few it concerns
        notes[manager] = _note(int(reached[manager]), int(final[manager]), int(manager), levels, checks, words,
                               language)
    ids = np.array([level.id for level in levels] + [BELOW_LOWEST], dtype=object)
    names = np.array([level.name.text(language) for level in levels] + [system.below_lowest.text(language)],
                     dtype=object)
    return by_score.assign(
        grade_id=np.where(graded, ids[final], NONE), grade=np.where(graded, names[final], NONE),
        is_removal_candidate=graded & (final == len(levels)),
        score_grade=by_score["grade"], grade_note=np.where(graded, notes, ""))


class _LevelCheck:
    """One level's requirements over every manager: which he lacks, which are waived."""

    def __init__(self, level_id: str, prerequisite: Prerequisite):
        self.level_id, self.prerequisite = level_id, prerequisite
        self.unmet = prerequisite.unmet(level_id)
        self.waived = {field: prerequisite.waived(level_id, field) for field in self.unmet}
        size = len(prerequisite.totals)
        self.blocked = np.zeros(size, dtype=bool)
        self.any_waived = np.zeros(size, dtype=bool)  # a requirement he lacks is waived
        for field, lacks in self.unmet.items():
            self.blocked |= lacks & ~self.waived[field]
            self.any_waived |= lacks & self.waived[field]

    def lacking(self, manager: int) -> list[str]:
        return [self.prerequisite.requirement_text(self.level_id, field) for field, lacks in self.unmet.items()
                if lacks[manager] and not self.waived[field][manager]]

    def waivers_used(self, manager: int, words: dict[str, str]) -> list[str]:
        return [words["grade_note.waived"].format(requirement=self.prerequisite.requirement_text(self.level_id, field),
                                                  rule=self.prerequisite.waiver_text(self.level_id, field, manager))
                for field, lacks in self.unmet.items() if lacks[manager] and self.waived[field][manager]]


def _note(reached: int, final: int, manager: int, levels: list, checks: list[_LevelCheck], words: dict[str, str],
          language: str) -> str:
    """What the page says when the prerequisites moved him: the level the score reaches and what he
    lacks for it; a 破格 that lifted a requirement of the level he was given."""
    if reached == len(levels):
        return ""
    parts = []
    if final != reached:
        parts.append(words["grade_note.lacks"].format(grade=levels[reached].name.text(language),
                                                      lacks=words["list.separator"].join(checks[reached].lacking(manager))))
    if final < len(levels):
        parts += checks[final].waivers_used(manager, words)
    return words["clause.separator"].join(parts)
