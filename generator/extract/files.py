"""Reading one CSV extract: decoding, records with their row numbers, header mapping.

Every cell is read as text; parsing to numbers and dates happens per column in
generator.values, so an ID like 00123 never passes through a numeric type.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.errors import DataError, Issue
from generator.extract.privacy import mask_name
from generator.extract.rules import make_issue, message

ROW_COLUMN = "_row"  # spreadsheet row number of the record: the header is row 1
WITHHELD = "(withheld)"  # a cell of a quarantined row that the config does not allow to publish


@dataclass
class ExtractFile:
    """A decoded CSV file: its mapped columns as text, plus what is needed to quarantine rows."""

    path: Path
    label: str  # the path shown in messages, relative to the data directory
    encoding: str
    sha256: str
    header: list[str]
    frame: pd.DataFrame  # one column per mapped field, plus ROW_COLUMN
    headers_used: dict[str, str]  # field -> header found in the file
    records: list[list[str]] = field(repr=False, default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    masked_headers: set[str] = field(default_factory=set)  # read, but published masked (names)

    def raw_record(self, row: int) -> tuple[str, ...]:
        return tuple(self.records[row - 2])

    def published_record(self, row: int) -> tuple[str, ...]:
        """The row as the quarantine file may show it: only the columns the config reads.
        Others (ID-card or phone numbers in a roster) are withheld; in a row of the wrong
        width every cell is, because its cells may have shifted into a read column."""
        record = self.records[row - 2]
        if len(record) != len(self.header):
            return (WITHHELD,) * len(record)
        read = set(self.headers_used.values())
        return tuple(WITHHELD if header not in read else mask_name(cell) if header in self.masked_headers else cell
                     for header, cell in zip(self.header, record))

    @property
    def rows_read(self) -> int:
        """Data rows, not counting blank lines (they carry nothing to keep or quarantine)."""
        return sum(1 for record in self.records if any(cell.strip() for cell in record))


def decode(data: bytes, mode: str, label: str) -> tuple[str, str]:
    """Text and the encoding that decoded it; strict UTF-8 is always tried before GB18030."""
    if mode == "gb18030":
        candidates = ["gb18030"]
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif mode == "auto":
        candidates = ["utf-8", "gb18030"]
    else:
        candidates = ["utf-8-sig"]
    first_failure: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_failure = first_failure or exc
    assert first_failure is not None, "candidates is never empty"
    line = data.count(b"\n", 0, first_failure.start) + 1
    tried = " nor ".join(c.upper() for c in candidates)
    raise DataError([
        f"{label}, row {line}: cannot be decoded as {tried} (byte 0x{data[first_failure.start]:02x} "
        f"at offset {first_failure.start}). Fix: export the file as UTF-8 or GB18030 "
        "(or set data.encoding in site_config.yml)."
    ])


def read_extract(path: Path, label: str, encoding_mode: str,
                 fields: dict[str, list[str]], required: set[str]) -> ExtractFile:
    """Read a CSV file and pick out the configured fields by their accepted headers."""
    if not path.is_file():
        raise DataError([f"{label}: file not found. Fix: add the extract or correct the file name in site_config.yml."])
    data = path.read_bytes()
    text, encoding = decode(data, encoding_mode, label)
    header, records = _parse_records(text, label)
    headers_used = _map_headers(header, fields, required, label)
    positions = {name: header.index(found) for name, found in headers_used.items()}
    extract = ExtractFile(path, label, encoding, hashlib.sha256(data).hexdigest(), header,
                          pd.DataFrame(), headers_used, records)
    extract.frame = _frame_of_fields(extract, positions)
    return extract


def _parse_records(text: str, label: str) -> tuple[list[str], list[list[str]]]:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError([f"{label}, row {line}: contains a NUL byte, so it is not a text CSV file. "
                         "Fix: re-export the extract as CSV."])
    # newline="" keeps line breaks inside quoted cells, and only \r and \n end a line
    # (str.splitlines would also split on U+2028 inside a name).
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as exc:
        # The record that failed is the one after the last complete record, whatever the
        # physical line the parser had reached (an open quote runs on to the end of file).
        raise DataError([f"{label}, row {len(rows) + 1}: not well-formed CSV ({exc}). "
                         "Fix: re-export the file; check this row for an unclosed quote."]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise DataError([f"{label}: the file is empty or its first row (the header) is blank. "
                         "Fix: export the file with its header row."])
    header = [cell.strip().lstrip("\ufeff").strip() for cell in rows[0]]
    return header, rows[1:]


def _map_headers(header: list[str], fields: dict[str, list[str]], required: set[str], label: str) -> dict[str, str]:
    problems = [f"{label}, row 1, column {name}: the header appears {header.count(name)} times. "
                "Fix: give every column a distinct header."
                for name in sorted(set(header)) if name and header.count(name) > 1]
    used: dict[str, str] = {}
    for name, accepted in fields.items():
        present = [h for h in accepted if h in header]
        if len(present) > 1:
            problems.append(f"{label}, row 1: headers {' and '.join(present)} both mean {name}. "
                            "Fix: keep only one of them.")
        elif present:
            used[name] = present[0]
        elif name in required:
            found = ", ".join(_shown(h) for h in header)
            problems.append(f"{label}, row 1: no column for {name} (accepted headers: {', '.join(accepted)}; "
                            f"the file has: {found}). Fix: add the column to the extract, or add its header "
                            "to site_config.yml.")
    if problems:
        raise DataError(problems)
    return used


def _shown(header: str) -> str:
    """A header as text, with invisible or unusual characters made visible."""
    visible = all(ch.isprintable() and ch not in "\u200b\u200c\u200d\u2060\ufeff" for ch in header)
    return header if visible and header else repr(header)


def _frame_of_fields(extract: ExtractFile, positions: dict[str, int]) -> pd.DataFrame:
    """Text columns of the well-shaped records; a record of the wrong width is rejected whole."""
    width = len(extract.header)
    kept_rows: list[int] = []
    columns: dict[str, list[str]] = {name: [] for name in positions}
    for index, record in enumerate(extract.records):
        row = index + 2
        if not any(cell.strip() for cell in record):
            continue  # a blank line carries no data
        if len(record) != width:
            extract.issues.append(_wrong_width(extract, row, len(record), width))
            continue
        merged = next((i for i, cell in enumerate(record) if ("\n" in cell or "\r" in cell) and "," in cell), None)
        if merged is not None:
            extract.issues.append(_merged_lines(extract, row, merged))
            continue
        kept_rows.append(row)
        for name, position in positions.items():
            columns[name].append(record[position])
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})
    frame[ROW_COLUMN] = pd.Series(kept_rows, dtype="int64")
    return frame


def _merged_lines(extract: ExtractFile, row: int, position: int) -> Issue:
    return make_issue("merged_lines", extract.label, message("merged_lines"), row=row,
                      column=extract.header[position], value=extract.records[row - 2][position][:80],
                      raw=extract.published_record(row))


def _wrong_width(extract: ExtractFile, row: int, found: int, width: int) -> Issue:
    said = message("wrong_field_count", case="too_few" if found < width else "too_many", found=found, width=width)
    return make_issue("wrong_field_count", extract.label, said, row=row, raw=extract.published_record(row))
