"""Manager and unit IDs: one spelling in every file, and no two IDs a reader cannot tell apart.

Each ID cell is made the published ID by data.ids (generator.config.ids) after Unicode
compatibility folding (NFKC: full-width ０００１２３ reads 000123). Files are matched on that
form. Two cells are rejected rather than matched or kept apart when a reader could not tell
them apart:
- an ID holding an invisible character (zero-width space or joiner, BOM, NBSP, a bidi control:
  generator.text.is_invisible) is rejected, naming the row it would otherwise read as;
- look-alikes: two cells whose IDs are the same only after the folding (000123 and ０００１２３)
  are rejected, naming both rows. Spellings the config makes one (a00123 and A00123 with
  case: upper) are one ID, not look-alikes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from generator.config.ids import IdRules
from generator.extract.cells import CONTROL_CHARACTERS
from generator.text import invisible_characters, shown, without_invisible

_CONTROL = re.compile(CONTROL_CHARACTERS)


@dataclass
class Spellings:
    """How a reference file (the unit table, the roster) wrote its IDs: per published ID, the
    spelling before the folding and the row, so that a period file's look-alike names it."""

    file: str = ""
    column: str = ""
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # ID -> (spelling, row)

    def where(self, key: str) -> str:
        return f"{self.file}:{self.rows[key][1]}:{self.column}"


@dataclass
class IdCells:
    """One column of ID cells read by the rules."""

    ids: pd.Series  # the published ID of each cell ("" when empty)
    spelled: pd.Series  # the ID the rules make of the cell without the folding: differs for a look-alike
    invisible: pd.Series  # per cell, its invisible characters ("" when none)
    written: pd.Series  # the cell with its invisible characters shown as [U+XXXX], for messages


def read_ids(column: pd.Series, rules: IdRules) -> IdCells:
    """Every cell of an ID column, one pass in Python (most IDs are ASCII and take the short way)."""
    ids, spelled, invisible, written = [], [], [], []
    for value in column.tolist():
        text = "" if not isinstance(value, str) else _CONTROL.sub("", value) if _CONTROL.search(value) else value
        if text.isascii():
            ids.append(rules.apply(text))
            spelled.append(ids[-1])
            invisible.append("")
            written.append(text)
            continue
        bare = without_invisible(text)
        spelled.append(rules.apply(bare))
        ids.append(rules.apply(unicodedata.normalize("NFKC", bare)))
        invisible.append(" ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()
                                  for ch in invisible_characters(text)))
        written.append(shown(text))
    index = column.index
    return IdCells(pd.Series(ids, index=index, dtype=object), pd.Series(spelled, index=index, dtype=object),
                   pd.Series(invisible, index=index, dtype=object), pd.Series(written, index=index, dtype=object))


@dataclass(frozen=True)
class LookAlike:
    """A cell rejected for how its ID is written: `other` names the row it could be taken for."""

    label: Any  # the cell's row label in the frame (any hashable pandas label)
    rule: str  # invisible_in_id or look_alike_id
    other: str  # file:row:column of the other spelling ("" when there is none)


def look_alikes(cells: IdCells, rows: pd.Series, file: str, column: str, reference: Spellings | None,
                within_rejects_all: bool) -> list[LookAlike]:
    """The cells to reject. `rows` are the spreadsheet rows of the cells. Against a `reference`
    (a period file against the roster), a cell spelled unlike the reference's row is rejected.
    Within the file, cells of one ID in different spellings are rejected: all of them in a
    reference file (`within_rejects_all`: which one is right cannot be known), else those
    spelled unlike the first."""
    found: list[LookAlike] = []
    hidden = cells.invisible.ne("")
    for label in cells.ids.index[hidden]:
        found.append(LookAlike(label, "invisible_in_id", _other(cells, rows, file, column, reference, label)))
    plain = cells.ids.ne("") & ~hidden
    folded = plain & cells.ids.ne(cells.spelled)
    if reference is not None:
        mismatched = reference_mismatches(cells, plain, folded, reference)
        found += [LookAlike(label, "look_alike_id", reference.where(cells.ids[label])) for label in mismatched]
        plain &= ~cells.ids.index.isin(mismatched) & ~cells.ids.isin(reference.rows)
    found += _within(cells, rows, plain, folded, f"{file}:{{row}}:{column}", within_rejects_all)
    return found


def reference_mismatches(cells: IdCells, plain: pd.Series, folded: pd.Series, reference: Spellings) -> list:
    """Cells whose ID is the reference's but spelled otherwise. Only a folded cell, or a cell of
    an ID the reference wrote folded, can be; both are rare, so the rest is never looked at."""
    folded_there = {key for key, (spelling, _) in reference.rows.items() if spelling != key}
    candidates = plain & (folded | cells.ids.isin(folded_there)) & cells.ids.isin(reference.rows)
    return [label for label in cells.ids.index[candidates]
            if cells.spelled[label] != reference.rows[cells.ids[label]][0]]


def _within(cells: IdCells, rows: pd.Series, plain: pd.Series, folded: pd.Series, where: str,
            rejects_all: bool) -> list[LookAlike]:
    suspects = cells.ids[plain & cells.ids.isin(set(cells.ids[folded]))]
    found = []
    for _, group in suspects.groupby(suspects, sort=True):
        spellings = cells.spelled[group.index]
        if spellings.nunique() < 2:
            continue
        first = group.index[0]
        for label in group.index:
            if spellings[label] == spellings[first] and not rejects_all:
                continue
            other = next(o for o in group.index if spellings[o] != spellings[label])
            found.append(LookAlike(label, "look_alike_id", where.format(row=rows[other])))
    return found


def _other(cells: IdCells, rows: pd.Series, file: str, column: str, reference: Spellings | None, label) -> str:
    """The row an ID with invisible characters would read as without them, if any."""
    key = cells.ids[label]
    if reference is not None and key in reference.rows:
        return reference.where(key)
    same = cells.ids.index[cells.ids.eq(key) & cells.invisible.eq("")]
    return f"{file}:{rows[same[0]]}:{column}" if len(same) else ""


def spellings_of(cells: IdCells, rows: pd.Series, kept: pd.Series, file: str, column: str) -> Spellings:
    """The reference spellings of a file's kept rows (the first row of each ID)."""
    spelled, numbers = cells.spelled[kept], rows[kept]
    table: dict[str, tuple[str, int]] = {}
    for key, spelling, row in zip(cells.ids[kept].tolist(), spelled.tolist(), numbers.tolist()):
        table.setdefault(key, (spelling, int(row)))
    return Spellings(file, column, table)
