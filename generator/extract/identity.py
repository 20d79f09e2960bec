"""Manager and unit IDs: one spelling in every file, and no two IDs a reader cannot tell apart.

Each ID cell is made the published ID by data.ids (generator.config.ids) after Unicode
compatibility folding (NFKC: ０００１２３ and 000123 are one ID), and files are matched on that.
A cell is rejected rather than matched when a reader could not tell it from another ID:
- it holds an invisible character (zero-width space or joiner, BOM, NBSP, a bidi control:
  generator.text.is_invisible);
- it is written with look-alike characters that the folding changes: superscript or circled
  digits, ligatures, and full-width letters and digits unless data.ids.full_width is fold.
Its message names the row of the ID it looks like (in the reference file, the unit table or
the roster, or in the same file) when there is one. Spellings the config makes one (a00123 and
A00123 with case: upper) are one ID, not look-alikes.
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
    """Where a reference file (the unit table, the roster) wrote each of its IDs, so that a look-alike
    in a period file names that row."""

    file: str = ""
    column: str = ""
    rows: dict[str, int] = field(default_factory=dict)  # ID -> spreadsheet row

    def where(self, key: str) -> str:
        return f"{self.file}:{self.rows[key]}:{self.column}"


@dataclass
class IdCells:
    """One column of ID cells read by the rules."""

    ids: pd.Series  # the published ID of each cell ("" when empty)
    plain: pd.Series  # per cell, whether it is written without look-alike characters
    invisible: pd.Series  # per cell, its invisible characters ("" when none)
    written: pd.Series  # the cell with its invisible characters shown as [U+XXXX], for messages


def read_ids(column: pd.Series, rules: IdRules) -> IdCells:
    """Every cell of an ID column. A column of plain ASCII text (almost every one) is made IDs in
    one pass; otherwise each cell is looked at."""
    values = column.tolist()
    if all(type(value) is str for value in values):
        joined = "".join(values)
        if joined.isascii() and not _CONTROL.search(joined):
            index = column.index
            return IdCells(pd.Series(rules.apply_all(values), index=index, dtype=object),
                           pd.Series(True, index=index, dtype=bool), pd.Series("", index=index, dtype=object),
                           pd.Series(values, index=index, dtype=object))
    ids, plain, invisible, written = [], [], [], []
    for value in values:
        text = "" if not isinstance(value, str) else _CONTROL.sub("", value) if _CONTROL.search(value) else value
        if text.isascii():
            ids.append(rules.apply(text))
            plain.append(True)
            invisible.append("")
            written.append(text)
            continue
        bare = without_invisible(text)
        folded = unicodedata.normalize("NFKC", bare)
        ids.append(rules.apply(folded))
        allowed = _width_folded(bare) if rules.full_width == "fold" else bare
        plain.append(allowed == folded)
        invisible.append(" ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()
                                  for ch in invisible_characters(text)))
        written.append(shown(text))
    index = column.index
    return IdCells(pd.Series(ids, index=index, dtype=object), pd.Series(plain, index=index, dtype=bool),
                   pd.Series(invisible, index=index, dtype=object), pd.Series(written, index=index, dtype=object))


def _width_folded(text: str) -> str:
    """Full-width ASCII forms (U+FF01-FF5E) made ASCII, nothing else."""
    return "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in text)


@dataclass(frozen=True)
class LookAlike:
    """A cell rejected for how its ID is written: `other` names the row it could be taken for."""

    label: Any  # the cell's row label in the frame (any hashable pandas label)
    rule: str  # invisible_in_id or look_alike_id
    other: str  # file:row:column of the ID it looks like ("" when there is none)


def look_alikes(cells: IdCells, rows: pd.Series, file: str, column: str, reference: Spellings | None
                ) -> list[LookAlike]:
    """The cells to reject, each naming the row of the ID it looks like: in `reference` (how the
    unit table or the roster wrote its IDs, for a period file) or else the first plain cell of that
    ID in the same file. The plain cell is kept: it is written as every ID must be."""
    hidden = cells.invisible.ne("")
    suspect = hidden | (cells.ids.ne("") & ~cells.plain)
    if not suspect.any():
        return []
    clean = cells.ids.ne("") & ~suspect
    first_clean = {key: label for label, key in reversed(list(cells.ids[clean].items()))}
    found = []
    for label in cells.ids.index[suspect]:
        key = cells.ids[label]
        if reference is not None and key in reference.rows:
            other = reference.where(key)
        else:
            other = f"{file}:{rows[first_clean[key]]}:{column}" if key in first_clean else ""
        found.append(LookAlike(label, "invisible_in_id" if hidden[label] else "look_alike_id", other))
    return found


def spellings_of(cells: IdCells, rows: pd.Series, kept: pd.Series, file: str, column: str) -> Spellings:
    """The rows of a reference file's kept IDs (the first row of each)."""
    table: dict[str, int] = {}
    for key, row in zip(cells.ids[kept].tolist(), rows[kept].tolist()):
        table.setdefault(key, int(row))
    return Spellings(file, column, table)
