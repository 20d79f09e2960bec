"""A small, fast, byte-reproducible writer of one-sheet XLSX files (Office Open XML SpreadsheetML).

Why not openpyxl: it builds and serialises one object per cell. It measured about 2 ms a
row on a 30-column assessment table, 40 s for the 20,000 managers of a province-size bank,
and every period and roll-up has its download. The downloads need only one sheet of plain
values, so the sheet XML is built here with string joins in one pass over the rows: a
generated province's 20,000 x 91 table took 13 s with openpyxl and takes 1.5 s here.
openpyxl stays a test dependency, to read the files back.

What a cell becomes:
- int: a number; float: a number written with repr(), so it reads back exactly; NaN,
  None and +-inf (which no spreadsheet can store as a number, and openpyxl also wrote as
  an empty cell) leave the cell empty, as does "";
- bool (numpy's too): a TRUE/FALSE cell;
- str (and anything else, Decimal and dates included, as str()): an inline string,
  passed through generator.safe_csv.neutralize first so that no text reaches a
  spreadsheet as a formula.
  Characters XML 1.0 cannot carry (control characters other than tab, LF and CR, lone
  surrogates, U+FFFE/U+FFFF) are written as SpreadsheetML's _xHHHH_ escape, which Excel
  and LibreOffice turn back into the character; a literal "_xHHHH_" in the text is
  written as "_x005F_xHHHH_" so that it is not turned into a character. (openpyxl reads
  both escapes back verbatim.)
The header row is bold, frozen, and carries an autofilter.

The same rows always give the same bytes: fixed zip entry times and creator system, fixed
part order, fixed document dates, no clock and no randomness.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from itertools import islice
from numbers import Integral, Real
from pathlib import Path
from typing import Any, Protocol
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import numpy as np

from generator.export.safe_csv import neutralize

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
FIXED_DOCUMENT_TIME = "2000-01-01T00:00:00Z"
# Deflate level 3 instead of the default 6: compressing was half the time of a province's
# download. Measured on a 20,000 x 91 assessment table, the whole write took 1.8 s and gave
# 8.2 MB at level 6, 1.5 s and 9.6 MB at 3, 1.2 s and 10.5 MB at 1 (openpyxl: 13 s, 9.0 MB).
COMPRESS_LEVEL = 3
ROWS_PER_PIECE = 2_000  # rows of sheet XML compressed at a time
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's sheet limits
MAX_SHEET_NAME = 31  # UTF-16 code units, as Excel counts them
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

# Text that needs more than copying: XML's markup characters, characters XML 1.0 cannot
# carry at all, and text that a reader would take for a _xHHHH_ escape.
_NEEDS_ESCAPE = re.compile(r'[&<>"]|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_')
_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument."

CONTENT_TYPES = f"""<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{_CONTENT_TYPE}spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CONTENT_TYPE}spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="{_CONTENT_TYPE}spreadsheetml.styles+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="{_CONTENT_TYPE}extended-properties+xml"/>\
</Types>"""

PACKAGE_RELS = f"""<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="{_RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/>\
</Relationships>"""

CORE_PROPERTIES = f"""<cp:coreProperties \
xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DOCUMENT_TIME}</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DOCUMENT_TIME}</dcterms:modified>\
</cp:coreProperties>"""

APP_PROPERTIES = """<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>cm-report-site</Application></Properties>"""

WORKBOOK_RELS = f"""<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>"""

# Excel insists on the two fills (none and gray125) even when no cell uses them.
# Cell format 1 is the bold header.
STYLES = f"""<styleSheet xmlns="{_MAIN}">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

_FROZEN_HEADER = """<sheetViews><sheetView tabSelected="1" workbookViewId="0">\
<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"""


class Rows(Protocol):
    """What write_workbook reads: rows it can count before it reads them (a list will do)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Sequence[object]]: ...


def write_workbook(path: Path | str, sheet: str, header: Sequence[str], rows: Rows) -> None:
    """One sheet: the header row (bold, frozen, with an autofilter), then one row per item of `rows`.

    `sheet` is made a name Excel accepts by safe_sheet_name(). The sheet is compressed as
    its rows are read, so neither they nor their XML are ever held whole.
    """
    if len(rows) + 1 > MAX_ROWS or len(header) > MAX_COLUMNS:
        raise ValueError(f"{len(rows)} rows x {len(header)} columns is more than an XLSX sheet holds")
    name = safe_sheet_name(sheet)
    area = _area(len(header), len(rows) + 1)
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/app.xml": APP_PROPERTIES,
        "docProps/core.xml": CORE_PROPERTIES,
        "xl/workbook.xml": _workbook(name, area if header else None),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
    }
    try:
        _write_package(path, parts, _worksheet(header, rows, area), large=False)
    except RuntimeError:
        # A streamed entry cannot know its size in advance; zipfile refuses to close one that
        # grew past 2 GiB without ZIP64 records. Only a sheet that large is written with them.
        _write_package(path, parts, _worksheet(header, rows, area), large=True)


def _write_package(path: Path | str, parts: dict[str, str], sheet: Iterator[str], large: bool) -> None:
    with ZipFile(path, "w", ZIP_DEFLATED) as archive:
        for part, xml in parts.items():
            archive.writestr(_timeless(part), (_XML_DECLARATION + xml).encode("utf-8"), compresslevel=COMPRESS_LEVEL)
        entry = _timeless("xl/worksheets/sheet1.xml")
        # what writestr(compresslevel=) sets; open() takes no level. Private before Python 3.13, so not in typeshed
        entry._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]
        with archive.open(entry, "w", force_zip64=large) as stream:
            stream.write(_XML_DECLARATION.encode("utf-8"))
            for piece in sheet:
                stream.write(piece.encode("utf-8"))


def safe_sheet_name(name: str) -> str:
    """`name` as Excel accepts it: []:*?/\\ and characters XML cannot carry become "_", no
    apostrophe at either end, at most 31 UTF-16 code units, not empty, not "History"
    (which Excel reserves)."""
    name = _NOT_XML.sub("_", FORBIDDEN_IN_SHEET_NAME.sub("_", str(name))).strip("'")
    while len(name.encode("utf-16-le")) > 2 * MAX_SHEET_NAME:
        name = name[:-1]
    if not name or name.casefold() == "history":
        name = f"{name}_" if name else "Sheet1"
    return name


def column_letters(count: int) -> list[str]:
    """A, B, ... Z, AA, AB, ...: the first `count` column names."""
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, remainder = divmod(index - 1, 26)
            name = chr(ord("A") + remainder) + name
        letters.append(name)
    return letters


def _timeless(part: str) -> ZipInfo:
    info = ZipInfo(part, date_time=FIXED_ZIP_TIME)
    info.compress_type = ZIP_DEFLATED
    info.create_system = 0  # MS-DOS, as Office writes; the default depends on the building OS
    return info


def _area(columns: int, rows: int) -> str:
    return f"A1:{column_letters(columns)[-1]}{rows}" if columns else "A1"


def _workbook(sheet: str, filter_area: str | None) -> str:
    names = _filter_name(sheet, filter_area) if filter_area else ""
    return (f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            '<bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{_escape(sheet)}" sheetId="1" r:id="rId1"/></sheets>{names}</workbook>')


def _filter_name(sheet: str, area: str) -> str:
    """Excel also keeps an autofilter's range as this hidden name, and may "repair" a file without it."""
    absolute = re.sub(r"([A-Z]+)([0-9]+)", r"$\1$\2", area)
    reference = "'" + sheet.replace("'", "''") + "'!" + absolute
    return ('<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{_escape(reference)}</definedName></definedNames>")


def _worksheet(header: Sequence[str], rows: Rows, area: str) -> Iterator[str]:
    """The sheet XML in pieces of ROWS_PER_PIECE rows."""
    letters = column_letters(len(header))
    texts = _InlineTexts()
    header_cells = "".join(f'<c r="{letter}1" s="1" t="inlineStr">{texts[str(label)]}</c>'
                           for letter, label in zip(letters, header) if texts[str(label)])
    yield (f'<worksheet xmlns="{_MAIN}"><dimension ref="{area}"/>{_FROZEN_HEADER}'
           f'<sheetData><row r="1">{header_cells}</row>')
    numbered = enumerate(rows, start=2)
    while piece := [_row(number, letters, row, texts) for number, row in islice(numbered, ROWS_PER_PIECE)]:
        yield "".join(piece)
    filter_ = f'<autoFilter ref="{area}"/>' if header else ""
    yield f"</sheetData>{filter_}</worksheet>"


def _row(number: int, letters: list[str], values: Sequence[object], texts: _InlineTexts) -> str:
    cells = []
    value: Any  # narrowed by `kind is ...` below, which mypy does not follow (type(value) per test costs time)
    for letter, value in zip(letters, values):
        kind = type(value)
        if kind is str:
            if value:
                cells.append(f'<c r="{letter}{number}" t="inlineStr">{texts[value]}</c>')
        elif kind is float:
            if math.isfinite(value):
                cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
        elif kind is int:
            cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
        elif kind is bool:
            cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
        elif value is not None:
            cells.append(_other_cell(f"{letter}{number}", value, texts))
    return f'<row r="{number}">{"".join(cells)}</row>'


def _other_cell(reference: str, value: object, texts: _InlineTexts) -> str:
    """Values of types other than exactly str/float/int/bool (numpy scalars, Decimal, dates ...)."""
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Integral):
        return f'<c r="{reference}"><v>{int(value)}</v></c>'
    if isinstance(value, Real):
        number = float(value)
        return f'<c r="{reference}"><v>{number!r}</v></c>' if math.isfinite(number) else ""
    text = str(value)
    return f'<c r="{reference}" t="inlineStr">{texts[text]}</c>' if text else ""


class _InlineTexts(dict):
    """Text -> its <is> element, neutralized and escaped once however often the text repeats
    (unit names, grades and periods repeat on every row)."""

    def __missing__(self, text: str) -> str:
        safe = _escape(neutralize(text))
        # Excel drops spaces at either end of a text unless xml:space says to keep them.
        space = ' xml:space="preserve"' if safe != safe.strip() else ""
        element = f"<is><t{space}>{safe}</t></is>" if text else ""
        self[text] = element
        return element


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    found = match.group()
    if found in _MARKUP:
        return _MARKUP[found]
    if len(found) == 1:
        return f"_x{ord(found):04X}_"
    return "_x005F" + found  # a literal "_xHHHH_": escape its underscore
