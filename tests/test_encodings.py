"""The same extract in UTF-8, UTF-8 with BOM and GB18030 (CRLF, as Windows exports) loads identically."""
from __future__ import annotations

import pandas as pd
import pytest

from generator.errors import DataError
from generator.extract import files
from generator.extract.files import inspect_extract


def reencode(bank, encoding: str, newline: str = "\n") -> None:
    for path in sorted(bank.root.rglob("*.csv")):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.replace("\n", newline).encode(encoding))


def tables(dataset):
    return [dataset.units, dataset.managers, dataset.performance, dataset.targets,
            dataset.evaluations, dataset.violations]


@pytest.mark.parametrize("encoding, newline", [("utf-8-sig", "\n"), ("gb18030", "\r\n"), ("utf-8", "\r\n")])
def test_same_data_in_each_encoding_loads_identically(bank, tmp_path, encoding, newline):
    reference = bank.load()
    reencode(bank, encoding, newline)
    dataset = bank.load()
    for expected, actual in zip(tables(reference), tables(dataset)):
        pd.testing.assert_frame_equal(expected, actual)
    assert {item.encoding for item in dataset.inputs} == {encoding}
    assert dataset.issues == []


def test_gb18030_bytes_really_differ_from_utf8(bank):
    """Guards the test above: the files must not be plain ASCII in every encoding."""
    original = bank.path("units.csv").read_bytes()
    reencode(bank, "gb18030")
    assert bank.path("units.csv").read_bytes() != original


def test_files_of_one_period_may_mix_encodings(bank):
    reference = bank.load()
    bank.path("managers.csv").write_bytes(bank.path("managers.csv").read_text("utf-8").encode("gb18030"))
    bank.path("units.csv").write_bytes(bank.path("units.csv").read_text("utf-8").encode("utf-8-sig"))
    dataset = bank.load()
    pd.testing.assert_frame_equal(reference.managers, dataset.managers)
    encodings = {item.label: item.encoding for item in dataset.inputs}
    assert (encodings["managers.csv"], encodings["units.csv"]) == ("gb18030", "utf-8-sig")


def test_utf8_is_tried_before_gb18030(tmp_path):
    # These bytes are valid in both encodings; UTF-8 must win.
    path = tmp_path / "x.csv"
    path.write_bytes("机构".encode())
    assert inspect_extract(path, "x.csv", "auto").encoding == "utf-8"


def test_a_character_split_across_read_chunks_still_decodes_and_a_bad_byte_is_placed(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CHUNK", 4)  # 机构 is 6 bytes in UTF-8: every character straddles a chunk
    path = tmp_path / "x.csv"
    path.write_bytes("机构,a\n机构".encode() + b"\xff\n")
    with pytest.raises(DataError) as caught:
        inspect_extract(path, "x.csv", "utf-8")
    assert "x.csv, row 2: cannot be decoded as UTF-8-SIG (byte 0xff at offset 15)" in caught.value.messages[0]
    path.write_bytes("机构,a\n机构\n".encode())
    assert inspect_extract(path, "x.csv", "auto").encoding == "utf-8"


def test_undecodable_file_names_file_and_row(bank):
    path = bank.path("periods/2026-10/performance.csv")
    path.write_bytes(path.read_bytes() + b"000109,\xff\xfe\xff,010101,1,1,1,0\n")
    # \xff cannot start a GB18030 character either
    with pytest.raises(DataError) as caught:
        bank.load()
    message = caught.value.messages[0]
    assert "periods/2026-10/performance.csv, row 6" in message and "UTF-8 nor GB18030" in message


def test_declared_encoding_is_respected(bank):
    reencode(bank, "gb18030")
    config = bank.config.read_text(encoding="utf-8").replace("encoding: auto", "encoding: utf-8")
    bank.config.write_text(config, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        bank.load()
    assert "cannot be decoded as UTF-8-SIG" in caught.value.messages[0]
