"""CSV files meant for spreadsheets: UTF-8 with BOM (Excel reads Chinese), no formula injection, no
bidi control reordering a cell (shown as [U+202E]), no cell longer than Excel holds (cut, with a mark)."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from generator.extract.cells import PLAIN_NUMBER
from generator.i18n import CATALOGUES
from generator.text import BIDI, EXCEL_CELL_LIMIT, bidi_shown, cut_for_excel

# A spreadsheet evaluates a cell starting with one of these as a formula (or, for tab and
# CR, may shift it into one); a plain number such as -3.5 is data, not a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(PLAIN_NUMBER)  # the same grammar the loader reads numbers with
# What ends a cut cell, in both languages (a download is read whatever the site's language).
CUT_MARK = f"…[{CATALOGUES['zh']['download.cut']} / {CATALOGUES['en']['download.cut']}]"


def neutralize(cell: object) -> str:
    """A cell as a spreadsheet may read it: no formula, bidi controls shown as [U+XXXX] (in a
    spreadsheet they would reorder the cell), at most EXCEL_CELL_LIMIT characters."""
    text = "" if cell is None else str(cell)
    if not text.isascii() and BIDI.search(text):
        text = bidi_shown(text)
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        text = "'" + text
    return cut_for_excel(text, CUT_MARK) if len(text) > EXCEL_CELL_LIMIT // 2 else text


def write_csv(path: Path | str, header: Iterable[object], rows: Iterable[Iterable[object]]) -> None:
    """Rows are written as they come, so a generator of rows never has to be held whole."""
    with open(path, "w", encoding="utf-8-sig", newline="") as file:  # -sig: the BOM, once, first
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow([neutralize(cell) for cell in header])
        writer.writerows([neutralize(cell) for cell in row] for row in rows)
