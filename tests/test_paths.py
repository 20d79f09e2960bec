"""IDs from the data never escape the output folder and never share a file name."""
from hypothesis import given
from hypothesis import strategies as st

from generator.pages.paths import relative, safe_name


def test_plain_ids_stay_readable():
    assert safe_name("000123") == "000123" and safe_name("0101-a_b") == "0101-a_b"


def test_dangerous_ids_are_hashed():
    for identifier in ("../etc/passwd", "/abs", "a/b", "CON", "con", "nul", "Abc", "公司", "", ".", "..", "_x"):
        name = safe_name(identifier)
        assert name.startswith("_") and "/" not in name and "." not in name, identifier


@given(st.text(max_size=20), st.text(max_size=20))
def test_different_ids_never_share_a_file_name(first, second):
    if first != second:
        assert safe_name(first) != safe_name(second)


@given(st.text(max_size=40))
def test_names_are_single_safe_path_components(identifier):
    name = safe_name(identifier)
    assert name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\x00" not in name
    assert name == name.lower()


def test_relative_links():
    assert relative("2026-10/units/0101.html", "2026-10/org/region.html") == "../units/0101.html"
    assert relative("index.html", "2026-10/units/0101.html") == "../../index.html"
    assert relative("2026-10/org/region.html", "index.html") == "2026-10/org/region.html"
