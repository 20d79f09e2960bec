"""CSV files meant for spreadsheets: UTF-8 with BOM (Excel reads Chinese), no formula injection."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from generator.extract.cells import PLAIN_NUMBER

# A spreadsheet evaluates a cell starting with one of these as a formula (or, for tab and
# CR, may shift it into one); a plain number such as -3.5 is data, not a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(PLAIN_NUMBER)  # the same grammar the loader reads numbers with


def neutralize(cell: object) -> str:
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(path: Path | str, header: Iterable[object], rows: Iterable[Iterable[object]]) -> None:
    """Rows are written as they come, so a generator of rows never has to be held whole."""
    with open(path, "w", encoding="utf-8-sig", newline="") as file:  # -sig: the BOM, once, first
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow([neutralize(cell) for cell in header])
        writer.writerows([neutralize(cell) for cell in row] for row in rows)
