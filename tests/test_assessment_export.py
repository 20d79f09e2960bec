"""CSV and XLSX downloads: formula-safe, numbers kept as numbers, identical bytes every time."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.assessment import assess
from generator.config.loading import load_config
from generator.export.safe_csv import neutralize
from generator.export.tables import _rows, write_csv, write_xlsx
from generator.extract.loader import load_dataset
from tests.conftest import TINY

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]


@pytest.fixture
def table():
    return pd.DataFrame({
        "name": DANGEROUS + ["-3.5", "张伟"],
        "total": [-3.5, 84.99, 0.0, 100.0, 12.5, np.nan, 1.25, 7.0],
        "rank": pd.array([1, 2, 2, 4, None, 5, 6, 7], dtype="Int64"),
        "flag": [True, False, True, False, True, False, True, False],
    })


def test_csv_is_utf8_with_bom_and_neutralizes_formulas(tmp_path, table):
    write_csv(table, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "total", "rank", "flag"]
    assert [row[0] for row in rows[1:]] == ["'" + cell for cell in DANGEROUS] + ["-3.5", "张伟"]
    # numbers stay plain numbers, a missing value is an empty cell
    assert [row[1] for row in rows[1:]] == ["-3.5", "84.99", "0.0", "100.0", "12.5", "", "1.25", "7.0"]
    assert [row[2] for row in rows[1:5]] == ["1", "2", "2", "4"] and rows[5][2] == ""


def test_csv_headers_can_be_labelled(tmp_path, table):
    write_csv(table, tmp_path / "t.csv", labels={"total": "总分", "name": "=姓名"})
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0] == "'=姓名,总分,rank,flag"


def test_xlsx_keeps_numbers_as_numbers_and_neutralizes_strings(tmp_path, table):
    write_xlsx(table, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("name", "total", "rank", "flag")
    # (XML reads a carriage return back as a line feed)
    assert [row[0] for row in values[1:]] == ["'" + cell.replace("\r", "\n") for cell in DANGEROUS] + ["-3.5", "张伟"]
    assert values[1][1:] == (-3.5, 1, True) and isinstance(values[1][1], float)
    assert values[6][1] is None  # NaN → empty cell
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_same_table_same_bytes(tmp_path, table):
    for name in ("a", "b"):
        write_xlsx(table, tmp_path / f"{name}.xlsx")
        write_csv(table, tmp_path / f"{name}.csv")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_a_whole_period_table_round_trips_through_both_formats(tmp_path):
    table = assess(load_dataset(load_config(TINY / "site_config.yml")))["2026-10"].table
    write_csv(table, tmp_path / "t.csv")
    write_xlsx(table, tmp_path / "t.xlsx", sheet="2026-10")
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", dtype={"manager_id": str})
    assert back["total"].tolist() == table["total"].tolist()
    sheet = load_workbook(tmp_path / "t.xlsx")["2026-10"]
    header = [cell.value for cell in sheet[1]]
    totals = [row[header.index("total")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert totals == table["total"].tolist()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_no_text_cell_reaches_a_spreadsheet_as_a_formula(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv(pd.DataFrame({"cell": [text]}), path)
    written = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")[len("cell\r\n"):], newline="")),
                   [""])[0]
    if text.startswith(("=", "+", "-", "@", "\t", "\r")):
        plain_number = text.lstrip("+-").replace(".", "", 1).isdigit() and text.isascii()
        assert written.startswith("'") or plain_number


# --- the XLSX writer (generator.assessment.xlsx) ------------------------------------------------

TRICKY_TEXT = ["张伟", "a & b < c > d \"q\" 's'", "  leading and trailing  ", "=HYPERLINK(\"x\")", "-3.5",
               "bell\x07 and null\x00", "_x0041_ stays literal", " ", "line\nbreak\ttab"]


def spreadsheet_text(cell: str | None) -> str | None:
    """What Excel shows for an inline string: SpreadsheetML's _xHHHH_ escapes decoded
    (openpyxl leaves them as written)."""
    return None if cell is None else re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), cell)


def read_back(path, sheet=None) -> list[tuple]:
    workbook = load_workbook(path)
    return list((workbook[sheet] if sheet else workbook.active).iter_rows(values_only=True))


@pytest.fixture
def tricky():
    rows = len(TRICKY_TEXT)
    return pd.DataFrame({
        "text": TRICKY_TEXT,
        "int": pd.array([0, -1, 2**53, -(2**40), None, 7, 8, 9, 10], dtype="Int64"),
        "float": [0.1 + 0.2, -1 / 3, 1e-300, 123456.78901234567, -2.5e17, np.nan, np.inf, -0.0, 5e-324],
        "flag": pd.array([True, False, None, True, False, True, False, True, False], dtype="boolean"),
        "small": np.arange(rows, dtype="uint8"),
        "single": np.linspace(0, 1, rows, dtype="float32"),
    })


def test_xlsx_cells_round_trip_with_their_types(tmp_path, tricky):
    write_xlsx(tricky, tmp_path / "t.xlsx", labels={"text": "文本 & <名>"})
    header, *rows = read_back(tmp_path / "t.xlsx")
    assert header == ("文本 & <名>", "int", "float", "flag", "small", "single")
    assert [spreadsheet_text(row[0]) for row in rows] == [neutralize(text) for text in TRICKY_TEXT]
    assert [row[1] for row in rows] == [0, -1, 2**53, -(2**40), None, 7, 8, 9, 10]
    floats = [row[2] for row in rows]
    # repr() digits read back to the very same float; NaN and inf leave the cell empty
    assert floats[:5] + floats[7:] == [0.1 + 0.2, -1 / 3, 1e-300, 123456.78901234567, -2.5e17, -0.0, 5e-324]
    assert floats[5] is None and floats[6] is None
    assert [row[3] for row in rows] == [True, False, None, True, False, True, False, True, False]
    assert [row[4] for row in rows] == list(range(len(TRICKY_TEXT)))
    assert [row[5] for row in rows] == [float(x) for x in np.linspace(0, 1, len(TRICKY_TEXT), dtype="float32")]
    types = {column: {type(row[index]) for row in rows} - {type(None)} for index, column in enumerate(header)}
    assert types["int"] == {int} and types["float"] == {float} and types["flag"] == {bool} and types["small"] == {int}


def test_xlsx_parts_are_valid_xml_in_a_sound_zip(tmp_path, tricky):
    write_xlsx(tricky, tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
                                      "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                      "xl/worksheets/sheet1.xml"]
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # raises on a character XML 1.0 forbids
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "bell_x0007_ and null_x0000_" in sheet_xml and "_x005F_x0041_ stays literal" in sheet_xml
    # (openpyxl keeps the spaces either way; Excel drops them unless told to keep them)
    assert '<t xml:space="preserve">  leading and trailing  </t>' in sheet_xml
    assert '<t xml:space="preserve"> </t>' in sheet_xml and "<t>张伟</t>" in sheet_xml
    assert "nan" not in sheet_xml and "inf" not in sheet_xml


def test_xlsx_header_is_bold_frozen_and_filtered(tmp_path, table):
    write_xlsx(table, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D9"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b


def test_an_empty_table_gives_its_header_only(tmp_path, table):
    write_xlsx(table.iloc[:0], tmp_path / "t.xlsx", sheet="空")
    assert read_back(tmp_path / "t.xlsx", "空") == [("name", "total", "rank", "flag")]
    write_xlsx(pd.DataFrame(), tmp_path / "none.xlsx")
    assert load_workbook(tmp_path / "none.xlsx").sheetnames == ["assessment"]


@pytest.mark.parametrize("asked, kept", [
    ("2026-10", "2026-10"),
    ("2026年10月考核", "2026年10月考核"),
    ("Q3/2026: [final]?*\\", "Q3_2026_ _final____"),
    ("'quoted'", "quoted"),
    ("x" * 40, "x" * 31),
    ("", "Sheet1"),
    ("history", "history_"),
])
def test_sheet_name_is_kept_or_made_one_excel_accepts(tmp_path, table, asked, kept):
    write_xlsx(table, tmp_path / "t.xlsx", sheet=asked)
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == [kept]


def test_rows_are_plain_python_values_whatever_the_column_dtype(tricky):
    for row in _rows(tricky.astype({"text": "string"})):
        assert {type(value) for value in row} <= {str, int, float, bool, type(None)}
    assert _rows(tricky)[2][1:4] == [2**53, 1e-300, None]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12), st.floats(allow_nan=False, allow_infinity=False) | st.integers(-2**63, 2**64))
def test_any_text_and_number_round_trip_through_xlsx(tmp_path_factory, text, number):
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    write_xlsx(pd.DataFrame({"text": [text], "number": [number]}, dtype=object), path)
    [(cell, back)] = read_back(path)[1:]
    # XML reads a carriage return back as a line feed
    assert spreadsheet_text(cell) == (neutralize(text).replace("\r\n", "\n").replace("\r", "\n") or None)
    assert back == number and type(back) is type(number)


class WatchedRows:
    """Rows that note, when the last one is asked for, how many bytes the file being written holds."""

    def __init__(self, path, count: int) -> None:
        self.path, self.count, self.bytes_before_last_row = path, count, None

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        for number in range(self.count):
            if number == self.count - 1:
                self.bytes_before_last_row = self.path.stat().st_size
            yield [f"经理{number:05d}", number, number / 7]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_downloads_are_written_while_their_rows_are_still_being_read(tmp_path, kind):
    from generator.export.safe_csv import write_csv as write_csv_rows
    from generator.export.xlsx import write_workbook
    path = tmp_path / f"t.{kind}"
    rows = WatchedRows(path, 20_000)
    if kind == "csv":
        write_csv_rows(path, ["name", "number", "share"], rows)
    else:
        write_workbook(path, "s", ["name", "number", "share"], rows)
    # Held whole, nothing would reach the file before the last row; streamed, most of it has.
    assert rows.bytes_before_last_row > path.stat().st_size / 2


def test_a_table_longer_than_a_piece_keeps_every_row_in_order(tmp_path, monkeypatch):
    from generator.export import tables as export
    from generator.export import xlsx
    monkeypatch.setattr(export, "ROWS_PER_PIECE", 3)
    monkeypatch.setattr(xlsx, "ROWS_PER_PIECE", 2)
    table = pd.DataFrame({"id": [f"m{n}" for n in range(11)], "total": [n + 0.5 for n in range(11)]})
    write_xlsx(table, tmp_path / "t.xlsx")
    write_csv(table, tmp_path / "t.csv")
    expected = [("id", "total")] + [(f"m{n}", n + 0.5) for n in range(11)]
    assert read_back(tmp_path / "t.xlsx") == expected
    assert load_workbook(tmp_path / "t.xlsx").active.auto_filter.ref == "A1:B12"
    back = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert back == [[str(cell) for cell in row] for row in expected]


def test_a_sheet_past_the_zip_size_limit_is_written_with_zip64_records(tmp_path, monkeypatch, table):
    write_xlsx(table, tmp_path / "small.xlsx")
    # zipfile reads its limit at the moment it closes an entry: a lower limit stands in for 2 GiB.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1_000)
    write_xlsx(table, tmp_path / "large.xlsx")
    with zipfile.ZipFile(tmp_path / "large.xlsx") as archive:
        assert archive.testzip() is None
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size > 1_000 and sheet.extract_version >= zipfile.ZIP64_VERSION
    monkeypatch.undo()
    assert read_back(tmp_path / "large.xlsx") == read_back(tmp_path / "small.xlsx")
