"""CSV and XLSX downloads: formula-safe, numbers kept as numbers, identical bytes every time."""
from __future__ import annotations

import csv
import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.assessment import assess, write_csv, write_xlsx
from generator.config import load_config
from generator.loader import load_dataset
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
