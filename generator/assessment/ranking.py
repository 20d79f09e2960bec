"""Rankings: standard competition ranking (1, 2, 2, 4) on exact values.

The total is ranked as an integer count of hundredths, so two managers tie exactly when
their published totals are equal. Disqualified managers are not ranked anywhere.

Scopes: overall; within the manager's own unit; within the subtree of the manager's
ancestor at each depth of the unit tree (e.g. city branch, sub-branch); within each
group of a roster attribute (segment, product line). Per item: by item score; per
indicator: by the actual (higher first, or lower first for a lower-is-better indicator).

Movement = previous rank − rank (positive = moved up), against the previous period of
the same kind. Where it cannot be compared its note says why (MOVE_NOTES): no previous period,
a new hire, not assessed, held, disqualified or ineligible in the previous period, ranked in a
scope he was not ranked in before ("new"), "not_comparable" for a unit or subtree rank when the
manager's unit (or ancestor at that depth) changed (a transfer), and "not_ranked" when he is not
ranked now (held, disqualified, ineligible).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.assessment.counting import COUNTED, DISQUALIFIED, HELD, INELIGIBLE, standing

NEW = "new"
NOT_COMPARABLE = "not_comparable"
NO_PREVIOUS = "no_previous"
NEW_HIRE = "new_hire"
PREVIOUS_ABSENT = "previous_absent"
NOT_RANKED = "not_ranked"
# a reason a manager did not count in the previous period -> the movement note saying so
PREVIOUS_STANDING = {DISQUALIFIED: "previous_disqualified", HELD: "previous_held", INELIGIBLE: "previous_ineligible"}
MOVE_NOTES = (NO_PREVIOUS, NEW_HIRE, PREVIOUS_ABSENT, *PREVIOUS_STANDING.values(), NEW, NOT_COMPARABLE, NOT_RANKED)


@dataclass(frozen=True)
class Scope:
    """A family of leaderboards: managers compete within equal values of `key`."""

    name: str  # rank column is rank_<name>
    key: str | None  # column of the table holding the group key; None = everyone together
    follows_transfers: bool  # a changed key makes the movement not comparable

    @property
    def rank_column(self) -> str:
        return f"rank_{self.name}"

    @property
    def move_column(self) -> str:
        return f"move_{self.name}"


def competition_rank(values: pd.Series, groups: pd.Series | None = None, ascending: bool = False) -> pd.Series:
    """1 + the number of values strictly better in the same group; NaN values and groups are unranked."""
    codes = np.zeros(len(values), dtype=np.int64) if groups is None else pd.factorize(groups)[0]
    ranks = _ranks(values.to_numpy(dtype=float, na_value=np.nan), codes, ascending)
    return pd.Series(ranks, index=values.index).astype("Int64")


def shared_ranks(ranks: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """True where another row of the same group holds the same rank: a tie, shown as 并列."""
    frame = pd.DataFrame({"rank": ranks, "group": groups if groups is not None else 0}, index=ranks.index)
    return (frame.duplicated(keep=False) & ranks.notna()).astype(bool)


def _ranks(values: np.ndarray, codes: np.ndarray, ascending: bool) -> np.ndarray:
    """Sort by (group, value best first); a row's rank is where its run of equal values starts in its group."""
    ranked = ~np.isnan(values) & (codes >= 0)
    result = np.full(len(values), np.nan)
    rows = np.flatnonzero(ranked)
    if not len(rows):
        return result
    keys, group = values[rows] if ascending else -values[rows], codes[rows]
    order = np.lexsort((keys, group))
    keys, group = keys[order], group[order]
    position = np.arange(len(rows))
    new_group = np.r_[True, group[1:] != group[:-1]]
    new_run = new_group | np.r_[True, keys[1:] != keys[:-1]]
    run_start = np.maximum.accumulate(np.where(new_run, position, 0))
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    result[rows[order]] = run_start - group_start + 1
    return result


def unit_ancestors(units: pd.DataFrame) -> pd.DataFrame:
    """Per unit, its ancestor at each depth (column = depth; the unit itself at its own depth)."""
    deepest = int(units["depth"].max())
    ancestors = pd.DataFrame(None, index=units.index, columns=range(deepest + 1), dtype=object)
    for depth in range(deepest + 1):  # parents first: a unit copies its parent's row
        level = units.index[units["depth"].eq(depth)]
        if depth > 0:
            ancestors.loc[level] = ancestors.loc[units.loc[level, "parent_id"]].to_numpy()
        ancestors.loc[level, depth] = level
    return ancestors


def scope_ranks(table: pd.DataFrame, scopes: list[Scope], totals: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({scope.rank_column: competition_rank(totals, table[scope.key] if scope.key else None)
                         for scope in scopes}, index=table.index)


def movements(table: pd.DataFrame, previous: pd.DataFrame | None, scopes: list[Scope],
              previous_standing: pd.Series | None = None) -> pd.DataFrame:
    """move_<scope> (Int64) and move_<scope>_note per manager against the previous period's table.
    `previous_standing`: counting.standing of the previous table (computed here when not given)."""
    before = _Before(previous, table.index)
    if previous is not None and previous_standing is None:
        previous_standing = standing(previous)
    why_not_before = _why_not_ranked_before(table, previous, previous_standing, before)
    not_ranked_now = standing(table).ne(COUNTED).to_numpy()
    moves = {}
    for scope in scopes:
        rank = _floats(table[scope.rank_column])
        rank_before = before.floats(scope.rank_column)
        ranked_now, ranked_before = ~np.isnan(rank), ~np.isnan(rank_before)
        note = np.where(ranked_now & ~ranked_before, why_not_before, "").astype(object)
        if scope.follows_transfers:
            assert scope.key is not None, "a scope that follows transfers has a key"
            changed = before.objects(scope.key) != table[scope.key].to_numpy(object)
            note[ranked_now & (ranked_before | (why_not_before == NEW)) & changed & before.present] = NOT_COMPARABLE
        note[not_ranked_now] = NOT_RANKED
        change = np.where(note == "", rank_before - rank, np.nan)
        moves[scope.move_column] = pd.array(change, dtype="Float64").astype("Int64")
        moves[f"{scope.move_column}_note"] = note
    return pd.DataFrame(moves, index=table.index)


def _why_not_ranked_before(table: pd.DataFrame, previous: pd.DataFrame | None, previous_standing: pd.Series | None,
                           before: _Before) -> np.ndarray:
    """Per manager, why he had no rank in the previous period: no such period, hired since, not
    assessed then, not counted then (held, disqualified, ineligible); NEW when he counted but was
    not ranked in the scope (it did not apply to him)."""
    if previous is None or previous_standing is None:
        return np.full(len(table), NO_PREVIOUS, dtype=object)
    hired = table["is_new_hire"].fillna(False).astype(bool).to_numpy() if "is_new_hire" in table \
        else np.zeros(len(table), dtype=bool)
    was = np.append(previous_standing.reindex(previous.index).to_numpy(object),
                    np.array([None], dtype=object))[before.positions]
    reasons = np.full(len(table), NEW, dtype=object)
    for reason, note in PREVIOUS_STANDING.items():
        reasons[was == reason] = note
    reasons[~before.present] = np.where(hired[~before.present], NEW_HIRE, PREVIOUS_ABSENT)
    return reasons


class _Before:
    """Columns of the previous period's table aligned to this period's managers."""

    def __init__(self, previous: pd.DataFrame | None, index: pd.Index):
        self.previous = previous
        # position in the previous table; -1 (not there) picks the missing value appended below
        self.positions = previous.index.get_indexer(index) if previous is not None else np.full(len(index), -1)
        self.present = self.positions >= 0

    def floats(self, column: str) -> np.ndarray:
        values = _floats(self.previous[column]) if self.previous is not None else np.array([])
        return np.append(values, np.nan)[self.positions]

    def objects(self, column: str) -> np.ndarray:
        values = self.previous[column].to_numpy(object) if self.previous is not None else np.array([], dtype=object)
        return np.append(values, np.array([None], dtype=object))[self.positions]


def _floats(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype=float, na_value=np.nan)
