"""Reading one extract (CSV, or an Excel sheet: generator.extract.xlsx): decoding, records
with their row numbers, header mapping.

Every cell is read as text; parsing to numbers and dates happens per column in
generator.extract.cells, so an ID like 00123 never passes through a numeric type.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from generator.errors import DataError, Issue
from generator.extract.privacy import mask_name
from generator.extract.rules import make_issue, message
from generator.extract.tally import IssueTally
from generator.extract.xlsx import ENCODING as XLSX_ENCODING
from generator.extract.xlsx import ZIP_MAGIC, Merge, column_letter, inspect_workbook, read_sheet

ROW_COLUMN = "_row"  # spreadsheet row number of the record: the header is row 1
WITHHELD = "(withheld)"  # a cell of a quarantined row that the config does not allow to publish


@dataclass
class ExtractFile:
    """A decoded CSV file or Excel sheet: its mapped columns as text, plus what is needed to
    quarantine rows."""

    path: Path
    label: str  # the path shown in messages, relative to the data directory
    encoding: str
    sha256: str
    header: list[str]
    frame: pd.DataFrame  # one column per mapped field, plus ROW_COLUMN
    headers_used: dict[str, str]  # field -> header found in the file
    records: list[list[str]] = field(repr=False, default_factory=list)
    tally: IssueTally = field(default_factory=IssueTally)  # the issues of reading it (rows of the wrong width)
    malformed_rows: set[int] = field(default_factory=set)  # rows rejected before their fields were read
    complete: bool = True  # False when only the first records were read (read_extract's limit)
    masked_headers: set[str] = field(default_factory=set)  # read, but published masked (names)
    first_row: int = 2  # the row number of records[0]: a sheet's header may sit below title rows
    sheet: str | None = None  # the sheet read, for an Excel extract

    def raw_record(self, row: int) -> tuple[str, ...]:
        return tuple(self.records[row - self.first_row])

    def column_label(self, field: str) -> str | None:
        """How a message names the column of `field`: its header, and in a sheet its letter too."""
        header = self.headers_used.get(field)
        if header is None or self.sheet is None:
            return header
        return f"{header} ({column_letter(self.header.index(header))})"

    def published_record(self, row: int) -> tuple[str, ...]:
        """The row as the quarantine file may show it: only the columns the config reads.
        Others (ID-card or phone numbers in a roster) are withheld; in a row of the wrong
        width every cell is, because its cells may have shifted into a read column."""
        record = self.records[row - self.first_row]
        if len(record) != len(self.header):
            return (WITHHELD,) * len(record)
        read = set(self.headers_used.values())
        return tuple(WITHHELD if header not in read else mask_name(cell) if header in self.masked_headers else cell
                     for header, cell in zip(self.header, record))

    @property
    def rows_read(self) -> int:
        """Data rows, not counting blank lines (they carry nothing to keep or quarantine)."""
        return sum(1 for record in self.records if any(cell.strip() for cell in record))


CHUNK = 1 << 20  # bytes read at a time: a file is checked and parsed as a stream, never held whole


@dataclass(frozen=True)
class Source:
    """An extract on disk whose bytes were checked (they decode, they hold no NUL) and hashed,
    read in chunks so that a file of any size costs a few MB to check."""

    path: Path
    label: str  # for a sheet: file:sheet
    encoding: str
    sha256: str
    sheet: str | None = None  # an Excel extract: the sheet to read
    header_row: int | None = None  # an Excel extract: its header row as configured (None: found by its headers)
    merges: tuple[Merge, ...] = ()  # an Excel extract: the sheet's merged cells


def inspect_extract(path: Path, label: str, encoding_mode: str, sheet: str | None = None,
                    header_row: int | None = None) -> Source:
    """Check that the file decodes as a text CSV (or opens as an Excel workbook with that sheet:
    a file named .xlsx), and hash it, without keeping its content."""
    if not path.is_file():
        raise DataError([f"{label}: file not found{_beside(path)}. Fix: add the extract or correct the file name "
                         "in site_config.yml."])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        digest, chosen, merges = inspect_workbook(path, label, sheet)
        return Source(path, f"{label}:{chosen}", XLSX_ENCODING, digest, chosen, header_row, merges)
    if suffix == ".xls":
        raise DataError([f"{label}: the old Excel format (.xls) is not read. Fix: save the workbook as .xlsx "
                         "(Excel: File › Save As › Excel Workbook) and name that file in site_config.yml."])
    with path.open("rb") as stream:
        start = stream.read(len(codecs.BOM_UTF8))
    if start.startswith(ZIP_MAGIC[:3]):
        raise DataError([f"{label}, row 1: is a zip archive (an Excel workbook saved under a .csv name?), not a text "
                         "CSV file. Fix: give an Excel workbook an .xlsx name (and that name in site_config.yml), or "
                         "export the extract as CSV."])
    candidates = _candidates(encoding_mode, start.startswith(codecs.BOM_UTF8))
    first_failure: tuple[int, int, int] | None = None  # offset, byte, line
    for encoding in candidates:
        digest, nul_line, failure = _scan(path, encoding)
        if failure is not None:
            first_failure = first_failure or failure
            continue
        if nul_line is not None:
            raise DataError([f"{label}, row {nul_line}: contains a NUL byte, so it is not a text CSV file. "
                             "Fix: re-export the extract as CSV."])
        return Source(path, label, encoding, digest)
    assert first_failure is not None, "candidates is never empty"
    offset, byte, line = first_failure
    tried = " nor ".join(c.upper() for c in candidates)
    raise DataError([
        f"{label}, row {line}: cannot be decoded as {tried} (byte 0x{byte:02x} "
        f"at offset {offset}). Fix: export the file as UTF-8 or GB18030 "
        "(or set data.encoding in site_config.yml)."
    ])


def _beside(path: Path, shown: int = 8) -> str:
    """The files in the folder of a missing one: a name that carries its period
    (performance_{year}{month:02d}.csv) is told apart from its neighbours at a glance."""
    if not path.parent.is_dir():
        return ""
    names = sorted(p.name for p in path.parent.iterdir() if p.is_file())
    if not names:
        return " (its folder holds no file)"
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f" (its folder holds: {', '.join(names[:shown])}{more})"


def _candidates(mode: str, has_bom: bool) -> list[str]:
    """Strict UTF-8 is always tried before GB18030."""
    if mode == "gb18030":
        return ["gb18030"]
    if has_bom:
        return ["utf-8-sig"]
    if mode == "auto":
        return ["utf-8", "gb18030"]
    return ["utf-8-sig"]


def _scan(path: Path, encoding: str) -> tuple[str, int | None, tuple[int, int, int] | None]:
    """sha256, the line of the first NUL (or None) and, when the file does not decode, where it
    fails (offset, byte, line). Decoded text is looked at chunk by chunk and dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    digest = hashlib.sha256()
    offset = lines = 0
    nul_line: int | None = None
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            pending = decoder.getstate()[0]  # the bytes of a character split across chunks
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                seen = pending + chunk
                return "", None, (offset - len(pending) + exc.start, seen[exc.start],
                                  lines + seen.count(b"\n", 0, exc.start) + 1)
            if nul_line is None and "\x00" in text:
                nul_line = lines + chunk.count(b"\n", 0, chunk.index(b"\x00")) + 1
            offset += len(chunk)
            lines += chunk.count(b"\n")
    pending = decoder.getstate()[0]
    if pending:  # the file ends inside a character
        return "", None, (offset - len(pending), pending[0], lines + 1)
    return digest.hexdigest(), nul_line, None


def read_extract(source: Source, fields: dict[str, list[str]], required: set[str],
                 limit: int | None = None) -> ExtractFile:
    """Parse a checked file and pick out the configured fields by their accepted headers;
    with `limit`, only its first `limit` records (to judge a file before reading it all)."""
    header_row = 1
    if source.sheet is None:
        header, records = _parse_records(source, limit)
    else:
        accepted = {h for headers in fields.values() for h in headers}
        sheet = read_sheet(source.path, source.label, source.sheet, source.merges, accepted, source.header_row, limit)
        header, records, header_row = sheet.header, sheet.records, sheet.header_row
    headers_used = _map_headers(header, fields, required, source.label, header_row, source.sheet is not None)
    positions = {name: header.index(found) for name, found in headers_used.items()}
    extract = ExtractFile(source.path, source.label, source.encoding, source.sha256, header,
                          pd.DataFrame(), headers_used, records, first_row=header_row + 1, sheet=source.sheet)
    if limit is not None and len(records) > limit:
        extract.complete = False
        del records[limit:]
    extract.frame = _frame_of_fields(extract, positions)
    return extract


def _parse_records(source: Source, limit: int | None) -> tuple[list[str], list[list[str]]]:
    # newline="" keeps line breaks inside quoted cells, and only \r and \n end a line
    # (str.splitlines would also split on U+2028 inside a name).
    rows: list[list[str]] = []
    with source.path.open(encoding=source.encoding, newline="") as text:
        reader = csv.reader(text, strict=True)
        try:
            for record in reader:
                rows.append(record)
                if limit is not None and len(rows) > limit + 1:  # the header, the limit, one more: not the end
                    break
        except csv.Error as exc:
            # The record that failed is the one after the last complete record, whatever the
            # physical line the parser had reached (an open quote runs on to the end of file).
            raise DataError([f"{source.label}, row {len(rows) + 1}: not well-formed CSV ({exc}). "
                             "Fix: re-export the file; check this row for an unclosed quote."]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise DataError([f"{source.label}: the file is empty or its first row (the header) is blank. "
                         "Fix: export the file with its header row."])
    header = [cell.strip().lstrip("\ufeff").strip() for cell in rows[0]]
    return header, rows[1:]


def _map_headers(header: list[str], fields: dict[str, list[str]], required: set[str], label: str,
                 header_row: int = 1, lettered: bool = False) -> dict[str, str]:
    """Field -> the header it was found under. `lettered`: a sheet, whose columns messages name
    by their Excel letter too."""
    row = f"row {header_row}"

    def named(name: str) -> str:
        return f"{name} ({column_letter(header.index(name))})" if lettered else name

    if not any(h in header for accepted in fields.values() for h in accepted):
        # Not one header the config accepts: this is not the extract (a wrong file, a link to
        # something else), so nothing of its first line is repeated in the message.
        which = "the first row" if header_row == 1 else row
        raise DataError([f"{label}, {row}: none of the {len(header)} column(s) of {which} is a header "
                         "site_config.yml accepts for this file, so it is not this extract (its content is not "
                         f"shown). Fix: put the right extract at {label}, with its header row first; the headers "
                         "accepted: " + "; ".join(f"{name}: {', '.join(accepted)}"
                                                  for name, accepted in fields.items())])
    problems = [f"{label}, {row}, column {named(name)}: the header appears {header.count(name)} times. "
                "Fix: give every column a distinct header."
                for name in sorted(set(header)) if name and header.count(name) > 1]
    used: dict[str, str] = {}
    for name, accepted in fields.items():
        present = [h for h in accepted if h in header]
        if len(present) > 1:
            problems.append(f"{label}, {row}: headers {' and '.join(map(named, present))} both mean {name}. "
                            "Fix: keep only one of them.")
        elif present:
            used[name] = present[0]
        elif name in required:
            found = ", ".join(f"{_shown(h)} ({column_letter(i)})" if lettered else _shown(h)
                              for i, h in enumerate(header) if h or not lettered)
            problems.append(f"{label}, {row}: no column for {name} (accepted headers: {', '.join(accepted)}; "
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
        row = index + extract.first_row
        if not any(cell.strip() for cell in record):
            continue  # a blank line carries no data
        if len(record) != width:
            extract.malformed_rows.add(row)
            extract.tally.add("wrong_field_count", partial(_wrong_width, extract, row, len(record), width))
            continue
        merged = None if extract.sheet else next(  # a sheet's cell may hold a line break: no quote can swallow it
            (i for i, cell in enumerate(record) if ("\n" in cell or "\r" in cell) and "," in cell), None)
        if merged is not None:
            extract.malformed_rows.add(row)
            extract.tally.add("merged_lines", partial(_merged_lines, extract, row, merged))
            continue
        kept_rows.append(row)
        for name, position in positions.items():
            columns[name].append(record[position])
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})
    frame[ROW_COLUMN] = pd.Series(kept_rows, dtype="int64")
    return frame


def _merged_lines(extract: ExtractFile, row: int, position: int) -> Issue:
    return make_issue("merged_lines", extract.label, message("merged_lines"), row=row,
                      column=extract.header[position], value=extract.records[row - extract.first_row][position][:80],
                      raw=extract.published_record(row))


def _wrong_width(extract: ExtractFile, row: int, found: int, width: int) -> Issue:
    said = message("wrong_field_count", case="too_few" if found < width else "too_many", found=found, width=width)
    return make_issue("wrong_field_count", extract.label, said, row=row, raw=extract.published_record(row))
