"""Reading one Excel (.xlsx) extract into the same text records a CSV extract gives.

openpyxl reads the workbook in read-only mode (a sheet streamed row by row, never held as
cell objects). Every cell becomes the text a CSV export of it would hold, so that the same
per-column parsers and rules apply: numbers stored as numbers or as text, dates stored as
Excel dates or as text. Title rows above the header are skipped; merged cells, which
read-only mode does not report, are found in the sheet's XML (see `_merged_ranges`).
"""
from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries

from generator.errors import DataError

ENCODING = "xlsx"  # what an Excel source reports as its encoding (the manifest's column)
HEADER_SEARCH_ROWS = 50  # title rows a header may sit below when the config gives no header_row
CHUNK = 1 << 20
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx and old .xls files
ZIP_MAGIC = b"PK\x03\x04"
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)[\"']")
_ZERO_PADDED = re.compile(r"0+")  # a number format such as 000000: an ID shown with its leading zeros


@dataclass(frozen=True)
class Merge:
    """A merged range of cells, 1-based and inclusive; its value is the top-left cell's."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True)
class SheetRead:
    header: list[str]
    header_row: int  # the sheet row of the header; data rows follow it
    records: list[list[str]]  # from the row after the header, every sheet row (blank ones too)


def inspect_workbook(path: Path, label: str, sheet: str | None) -> tuple[str, str, tuple[Merge, ...]]:
    """Check that the file is a readable workbook with the sheet asked for; its sha256, the
    sheet's name and its merged ranges. Raises DataError naming the file and the fix."""
    digest = _sha256(path)
    _require_workbook_bytes(path, label)
    with _opened(path, label) as workbook:
        names = list(workbook.sheetnames)
        chosen = _chosen_sheet(names, sheet, label)
        try:
            merges = _merged_ranges(workbook[chosen])
        except Exception as exc:
            raise DataError([_broken(label, exc)]) from None
    return digest, chosen, merges


def read_sheet(path: Path, label: str, sheet: str, merges: tuple[Merge, ...], accepted: set[str],
               header_row: int | None, limit: int | None) -> SheetRead:
    """The sheet's header and data records as text. The header is row `header_row`, or else the
    first row holding a header the config accepts; with `limit`, only that many data records
    and one more are read (the caller tells a complete file from a cut one by it)."""
    with _opened(path, label) as workbook:
        rows = _text_rows(workbook[sheet])
        try:
            found = _header_row(rows, accepted, header_row, label)
            return _records_after(found, rows, merges, limit)
        except DataError:
            raise
        except Exception as exc:
            raise DataError([_broken(label, exc)]) from None


def column_letter(position: int) -> str:
    """The Excel letter of a 0-based column position: 0 -> A, 27 -> AB."""
    return get_column_letter(position + 1)


# --- opening -----------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _require_workbook_bytes(path: Path, label: str) -> None:
    with path.open("rb") as stream:
        start = stream.read(len(OLE2_MAGIC))
    if start.startswith(OLE2_MAGIC):
        raise DataError([f"{label}: is not an .xlsx workbook but an OLE2 file: a password-protected workbook or "
                         "an old .xls one, which cannot be read. Fix: remove the password (or save it as .xlsx "
                         "in Excel: File › Save As › Excel Workbook) and deliver it again."])
    if not start.startswith(ZIP_MAGIC):
        kind = "looks like text (a CSV saved under an .xlsx name?)" if _looks_like_text(start) else "is not a zip"
        raise DataError([f"{label}: is not an .xlsx workbook: the file {kind}. Fix: deliver the workbook as saved "
                         "by Excel, or give a CSV file a .csv name (and the config its name)."])


def _looks_like_text(start: bytes) -> bool:
    return bool(start) and all(byte >= 0x20 or byte in b"\t\r\n" for byte in start)


class _opened:
    """A workbook opened read-only for as long as the with block, its faults told as DataErrors.
    openpyxl's warnings (an unsupported extension, no default style) are not the bank's concern
    and would reach the terminal: they are silenced here."""

    def __init__(self, path: Path, label: str):
        self.path, self.label = path, label
        self.warnings = warnings.catch_warnings()

    def __enter__(self):
        self.warnings.__enter__()
        warnings.simplefilter("ignore")
        try:
            self.workbook = load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:
            self.warnings.__exit__(None, None, None)
            raise DataError([_broken(self.label, exc)]) from None
        return self.workbook

    def __exit__(self, *exc_info) -> None:
        self.workbook.close()
        self.warnings.__exit__(*exc_info)


def _broken(label: str, exc: Exception) -> str:
    return (f"{label}: the workbook cannot be read ({type(exc).__name__}: {str(exc)[:200]}): the file is damaged "
            "or not an Excel workbook. Fix: open it in Excel and save it again as .xlsx, or export it again.")


def _chosen_sheet(names: list[str], wanted: str | None, label: str) -> str:
    if not names:
        raise DataError([f"{label}: the workbook has no worksheet. Fix: export the extract again."])
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    near = [name for name in names if name.strip().casefold() == wanted.strip().casefold()]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise DataError([f"{label}: has no sheet {wanted!r}{hint}; its sheets: {', '.join(map(repr, names))}. "
                     "Fix: set `sheet` of this file in site_config.yml to one of them (or remove the key to read "
                     "the first sheet)."])


def _merged_ranges(worksheet) -> tuple[Merge, ...]:
    """Read-only mode does not report merged cells; they are listed after the rows in the sheet's
    XML, so its bytes are scanned for them (a parse of every row again would double the cost).
    _get_source is the part of the archive openpyxl streams the rows from."""
    found: list[Merge] = []
    tail = b""
    with worksheet._get_source() as stream:
        while chunk := stream.read(CHUNK):
            text = tail + chunk
            cut = max(0, text.rfind(b"<"))
            for match in _MERGE.finditer(text, 0, cut):
                found.append(_merge(match.group(1).decode("ascii")))
            tail = text[cut:]
    for match in _MERGE.finditer(tail):
        found.append(_merge(match.group(1).decode("ascii")))
    return tuple(sorted(set(found), key=lambda m: (m.first_row, m.first_column)))


def _merge(reference: str) -> Merge:
    first_column, first_row, last_column, last_row = range_boundaries(reference)
    return Merge(first_row, first_column, last_row, last_column)


# --- cells as text -----------------------------------------------------------------------------

def _text_rows(worksheet) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cells as text) for every row, a missing row as an empty one. The sheet's
    own dimension is not trusted: some writers record a wrong one, and openpyxl would stop at it."""
    worksheet.reset_dimensions()
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        yield number, [cell_text(cell) for cell in cells]


def cell_text(cell) -> str:
    """A cell as a CSV export would write it. A percentage format stores 1.25 % as 0.0125, so
    it is written 1.25%; a format such as 000000 shows an ID stored as a number with its
    leading zeros, so they are written too."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    number_format = cell.number_format or "General"
    if "%" in number_format:
        return f"{_number_text(value * 100)}%"
    if isinstance(value, int) and _ZERO_PADDED.fullmatch(number_format):
        return str(value).zfill(len(number_format))
    return _number_text(value)


def _number_text(value: float | int) -> str:
    """15 significant digits, as Excel shows a number: 0.1 + 0.2 is 0.3, not 0.30000000000000004."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


# --- header and records ------------------------------------------------------------------------

def _header_row(rows: Iterator[tuple[int, list[str]]], accepted: set[str], fixed: int | None,
                label: str) -> tuple[int, dict[int, list[str]]]:
    """The configured header row, or the first row (of the first HEADER_SEARCH_ROWS) holding an
    accepted header; the rows above it are title rows. Returns its number and the rows so far
    (a header cell merged down from a title row takes its value from there)."""
    seen: dict[int, list[str]] = {}
    for number, cells in rows:
        seen[number] = cells
        if fixed is not None and number == fixed:
            return number, seen
        if fixed is None and any(cell.strip() in accepted for cell in cells):
            return number, seen
        if fixed is None and number >= HEADER_SEARCH_ROWS:
            break
    if fixed is not None:
        raise DataError([f"{label}: the sheet ends before row {fixed}, the header_row site_config.yml gives for it. "
                         "Fix: correct header_row, or remove it to find the header by its names."])
    raise DataError([f"{label}: none of its first {HEADER_SEARCH_ROWS} rows holds a header site_config.yml accepts "
                     "for this file, so it is not this extract (or the sheet is another one). Fix: put the right "
                     "extract here, or name its sheet with `sheet` in site_config.yml; the headers accepted: "
                     + ", ".join(sorted(accepted))])


def _records_after(found: tuple[int, dict[int, list[str]]], rows: Iterator[tuple[int, list[str]]],
                   merges: tuple[Merge, ...], limit: int | None) -> SheetRead:
    """The header (a header merged down over several rows ends at the last of them) and the data
    records after it, each as wide as the header; a value merged over several rows of data is
    the value of each of them, in the merge's first column."""
    number, pending = found
    header_row = _header_end(number, merges)
    while max(pending) < header_row:
        row, cells = next(rows, (max(pending) + 1, []))
        pending[row] = cells
    header = _header_cells(pending, header_row, merges)
    width = max((i + 1 for i, cell in enumerate(header) if cell), default=0)
    header = header[:width]
    records: list[list[str]] = []
    for _, cells in rows:
        records.append((cells + [""] * width)[:width] if len(cells) != width else cells)
        if limit is not None and len(records) > limit:
            break
    _fill_merged_down(records, header_row, merges, width)
    return SheetRead(header, header_row, records)


def _header_end(row: int, merges: tuple[Merge, ...]) -> int:
    end = row
    for merge in merges:
        if merge.first_row <= end < merge.last_row:
            end = merge.last_row
    return end


def _header_cells(rows: dict[int, list[str]], header_row: int, merges: tuple[Merge, ...]) -> list[str]:
    """Each column's header in the header row; a cell covered by a merge takes the merge's value
    when it is the merge's first column (a header merged across columns names only the first)."""
    cells = list(rows[header_row])
    for merge in merges:
        if not merge.first_row <= header_row <= merge.last_row or merge.first_row == header_row == merge.last_row:
            continue
        source = rows.get(merge.first_row, [])
        value = source[merge.first_column - 1] if len(source) >= merge.first_column else ""
        cells += [""] * (merge.first_column - len(cells))
        cells[merge.first_column - 1] = value
    return [cell.strip().lstrip("\ufeff").strip() for cell in cells]


def _fill_merged_down(records: list[list[str]], header_row: int, merges: tuple[Merge, ...], width: int) -> None:
    first = header_row + 1
    for merge in merges:
        column = merge.first_column - 1
        if merge.first_row < first or column >= width:
            continue
        top = merge.first_row - first
        if top >= len(records):
            continue
        for index in range(top + 1, min(merge.last_row - first + 1, len(records))):
            records[index][column] = records[top][column]
