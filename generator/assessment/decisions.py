"""职级升降: promotions, demotions and warnings (assessment.grades.decisions).

Made in each period of a decided kind (each month, quarter, half-year or year) from that
period and the ones before it of the same kind, compared with the grade the roster gives the
manager now (its `grade` column, by a grade's name or id):

  promote  the grade given by score and prerequisites is above the roster's grade in
           `promote.consecutive` periods in a row → one grade up
  demote   the total is below the min of the roster's grade in `demote.consecutive` periods
           in a row → one grade down (below the lowest: 待淘汰)
  bottom   末位淘汰: the ranked managers whose rank from the bottom is within
           ceil(share × ranked) (ties with the last one included) → a warning or one grade down
A demotion outranks a promotion, a promotion a warning. The run of periods is carried from
one period to the next in the table (grade_streak_up/down, grade_evidence_up/down): a period
of the kind missing from the data, or one where he is not graded by score, ends the run.
The evidence names each period of the run with its total.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from generator.assessment.ranking import competition_rank
from generator.config.assessment import GradeSystem
from generator.config.grading import GradeDecisions
from generator.i18n import catalogue

DECISION_COLUMNS = ("grade_decision", "grade_decision_to", "grade_decision_evidence")


def decision_columns(rules: GradeDecisions, system: GradeSystem, table: pd.DataFrame, totals: pd.Series,
                     by_score: pd.Series, roster_grade: pd.Series, previous: pd.DataFrame | None, period_label: str,
                     language: str) -> pd.DataFrame:
    """The runs and the decision per manager. `table` holds grade_id and rank_overall; `by_score`
    says whose grade_id the score and prerequisites gave (the runs count only those); totals are
    hundredths."""
    words = catalogue(language)
    levels = system.levels
    position = {level.id: at for at, level in enumerate(levels)}
    position.update({name: at for at, level in enumerate(levels) for name in (level.name.zh, level.name.en)})
    current = roster_grade.reindex(table.index).map(position).to_numpy(dtype=float, na_value=np.nan)
    given = table["grade_id"].map(position).to_numpy(dtype=float, na_value=np.nan, copy=True)
    given[table["grade_id"].eq("below_lowest").to_numpy()] = len(levels)
    graded = by_score.reindex(table.index).to_numpy(dtype=bool) & table["grade_id"].notna().to_numpy()
    mins = np.array([round(level.min * 100) for level in levels] + [0], dtype=np.int64)
    floor = np.where(np.isnan(current), np.iinfo(np.int64).min, mins[np.nan_to_num(current, nan=0).astype(int)])
    above = graded & (given < current)
    below = graded & ~np.isnan(current) & (totals.to_numpy() < floor)
    entry = [f"{period_label} {total / 100:.2f}" for total in totals.to_numpy()]
    separator = words["clause.separator"]
    up = _run(above, entry, previous, "up", table.index, separator)
    down = _run(below, entry, previous, "down", table.index, separator)
    frame = pd.DataFrame({"grade_streak_up": up[0], "grade_evidence_up": up[1],
                          "grade_streak_down": down[0], "grade_evidence_down": down[1]}, index=table.index)
    bottom = _bottom(rules, totals, table["rank_overall"])
    return frame.join(_decide(rules, levels, system, current, frame, bottom, totals, words, language))


def _run(now: np.ndarray, entry: list[str], previous: pd.DataFrame | None, way: str,
         index: pd.Index, separator: str) -> tuple[np.ndarray, np.ndarray]:
    """The run of periods in a row that `now` continues (0 where it breaks) and its evidence."""
    if previous is not None and f"grade_streak_{way}" in previous:
        before = previous[f"grade_streak_{way}"].reindex(index).fillna(0).to_numpy(dtype=np.int64)
        told = previous[f"grade_evidence_{way}"].reindex(index).fillna("").to_numpy(dtype=object)
    else:
        before, told = np.zeros(len(index), dtype=np.int64), np.full(len(index), "", dtype=object)
    streak = np.where(now, before + 1, 0)
    evidence = np.array([(f"{old}{separator}{new}" if old else new) if on else ""
                         for on, old, new in zip(now, told, entry)], dtype=object)
    return streak, evidence


def _bottom(rules: GradeDecisions, totals: pd.Series, ranks: pd.Series) -> pd.Series:
    """The managers in the bottom share of the ranked ones (False when there is no such rule)."""
    ranked = ranks.notna()
    if rules.bottom is None or not ranked.any():
        return pd.Series(False, index=totals.index)
    places = math.ceil(rules.bottom.share * int(ranked.sum()))
    from_bottom = competition_rank(totals.where(ranked).astype(float), ascending=True)
    return from_bottom.le(places).fillna(False).astype(bool)


def _decide(rules: GradeDecisions, levels: list, system: GradeSystem, current: np.ndarray, runs: pd.DataFrame,
            bottom: pd.Series, totals: pd.Series, words: dict[str, str], language: str) -> pd.DataFrame:
    """The decision, the grade it leads to and its evidence, for the few managers it concerns."""
    names = [level.name.text(language) for level in levels] + [system.below_lowest.text(language)]
    demote = (runs["grade_streak_down"].to_numpy() >= rules.demote.consecutive if rules.demote is not None
              else np.zeros(len(runs), dtype=bool))
    promote = (runs["grade_streak_up"].to_numpy() >= rules.promote.consecutive if rules.promote is not None
               else np.zeros(len(runs), dtype=bool))
    low = bottom.to_numpy()
    demoted_low = rules.bottom is not None and rules.bottom.action == "demotion"
    columns: dict[str, list[str]] = {column: [""] * len(runs) for column in DECISION_COLUMNS}
    hundredths = totals.to_numpy(dtype=np.int64)
    for at in map(int, np.flatnonzero(demote | promote | low)):
        grade = current[at]
        reasons = []
        if promote[at] and not (demote[at] or (low[at] and demoted_low)):
            choice, to = "promote", names[int(grade) - 1]
            reasons.append(words["decision.evidence_up"].format(grade=to, periods=runs["grade_evidence_up"].iat[at]))
        else:
            choice = "demote" if demote[at] or demoted_low else "warning"
            to = names[int(grade) + 1] if choice == "demote" and not np.isnan(grade) else ""
        if demote[at]:
            reasons.append(words["decision.evidence_down"].format(
                grade=names[int(grade)], min=f"{levels[int(grade)].min:g}",
                periods=runs["grade_evidence_down"].iat[at]))
        if low[at] and rules.bottom is not None:
            reasons.append(words["decision.evidence_bottom"].format(share=f"{rules.bottom.share:.0%}",
                                                                    total=f"{hundredths[at] / 100:.2f}"))
        for column, value in zip(DECISION_COLUMNS, (choice, to, words["clause.separator"].join(reasons))):
            columns[column][at] = value
    return pd.DataFrame(columns, index=runs.index)
