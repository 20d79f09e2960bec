"""Downloads of a period's table: CSV (UTF-8 with BOM) and XLSX, safe and byte-reproducible.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
get a leading apostrophe (generator.safe_csv); numbers stay numbers, -3.5 included.
The same table always gives the same bytes: no clock reaches the files (XLSX document
properties and zip entry times are fixed).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from generator.safe_csv import csv_bytes, neutralize

FIXED_TIME = datetime(2000, 1, 1)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def write_csv(table: pd.DataFrame, path: Path | str, labels: dict[str, str] | None = None) -> None:
    """The table as CSV; `labels` renames headers (e.g. to Chinese)."""
    header = [(labels or {}).get(column, column) for column in table.columns]
    Path(path).write_bytes(csv_bytes(header, _rows(table)))


def write_xlsx(table: pd.DataFrame, path: Path | str, labels: dict[str, str] | None = None,
               sheet: str = "assessment") -> None:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append([neutralize((labels or {}).get(column, column)) for column in table.columns])
    for row in _rows(table):
        worksheet.append([neutralize(cell) if isinstance(cell, str) else cell for cell in row])
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    archive = _TimelessZip(path, "w", ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()


def _rows(table: pd.DataFrame) -> list[list[object]]:
    """Plain Python values per row: numbers as int/float, missing values as None."""
    columns = [_python_values(table[column]) for column in table.columns]
    return [list(row) for row in zip(*columns)] if columns else []


def _python_values(column: pd.Series) -> list[object]:
    missing = column.isna().to_numpy()
    values = column.astype(object).to_numpy()
    return [None if gap else _plain(value) for value, gap in zip(values, missing)]


def _plain(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


class _TimelessZip(ZipFile):
    """A zip whose entries all carry one fixed time, so equal content gives equal bytes."""

    def writestr(self, name, data, *args, **kwargs):
        if not isinstance(name, ZipInfo):
            name = ZipInfo(name, date_time=FIXED_ZIP_TIME)
            name.compress_type = self.compression
        super().writestr(name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        self.writestr(arcname or str(filename), Path(filename).read_bytes())
