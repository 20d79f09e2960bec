"""Downloads of a period's table: CSV (UTF-8 with BOM) and XLSX, safe and byte-reproducible.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
get a leading apostrophe (generator.safe_csv); numbers stay numbers, -3.5 included.
The same table always gives the same bytes: no clock reaches the files (XLSX document
properties and zip entry times are fixed).
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from generator.export.safe_csv import write_csv as write_csv_rows
from generator.export.xlsx import write_workbook

# Rows are converted to Python values this many at a time. As one piece, a province's
# 20,000 x 91 table took about 225 MB more memory to write than the table itself: its
# Python values, then the whole sheet XML and its UTF-8 copy.
ROWS_PER_PIECE = 2_000


def write_csv(table: pd.DataFrame, path: Path | str, labels: dict[str, str] | None = None) -> None:
    """The table as CSV; `labels` renames headers (e.g. to Chinese)."""
    write_csv_rows(path, _header(table, labels), TableRows(table))


def write_xlsx(table: pd.DataFrame, path: Path | str, labels: dict[str, str] | None = None,
               sheet: str = "assessment") -> None:
    """The table as an XLSX of one sheet named `sheet` (made a name Excel accepts, see
    generator.assessment.xlsx.safe_sheet_name); `labels` renames headers."""
    write_workbook(path, sheet, [str(label) for label in _header(table, labels)], TableRows(table))


class TableRows:
    """A table's rows as lists of plain Python values, made a piece at a time as they are read."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table) if len(self.table.columns) else 0  # no columns: no values, no rows

    def __iter__(self) -> Iterator[list[object]]:
        for start in range(0, len(self.table), ROWS_PER_PIECE):
            yield from _rows(self.table.iloc[start:start + ROWS_PER_PIECE])


def _header(table: pd.DataFrame, labels: dict[str, str] | None) -> list[object]:
    return [(labels or {}).get(column, column) for column in table.columns]


def _rows(table: pd.DataFrame) -> list[list[object]]:
    """Plain Python values per row: numbers as int/float, missing values as None."""
    columns = [_python_values(table[column]) for column in table.columns]
    return [list(row) for row in zip(*columns)] if columns else []


def _python_values(column: pd.Series) -> list[object]:
    missing = column.isna().to_numpy()
    number_type = getattr(column.dtype, "numpy_dtype", column.dtype)  # Int64 and the like: int64
    # Both shortcuts give what _plain() gives, in C: converting value by value took 0.6 s
    # of a province's 20,000 x 91 table, the shortcuts 0.3 s.
    if column.dtype.kind in "biuf":
        # a numpy dtype is a valid dtype= (the stubs name only types and strings)
        values = column.to_numpy(dtype=number_type, na_value=0).tolist()  # type: ignore[arg-type]
    elif isinstance(column.dtype, pd.StringDtype):
        values = column.to_numpy(dtype=object).tolist()
    else:
        values = [_plain(value) for value in column.astype(object).to_numpy()]
    return [None if gap else value for value, gap in zip(values, missing)]


def _plain(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
