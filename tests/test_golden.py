"""Golden pages: the tiny bank's key pages byte for byte. A change to any of them fails
until it is reviewed and accepted with `python -m pytest tests/test_golden.py --update-golden`."""
from __future__ import annotations

import difflib

import pytest

from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "tiny"
PAGES = [
    "index.html", "methodology.html", "quality/index.html", "quality/2026-09.html",
    "2026-10/rankings.html", "2026-10/managers/000101.html", "2026-10/org/region.html",
    "2026-10/org/region-ranking.html", "2026-10/units/010101.html", "2026-10/search-index.js",
    "2026-10/downloads/rankings-2026-10.csv", "guide/index.html",
]


@pytest.fixture
def built(tiny_site):
    return tiny_site


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_its_golden_copy(built, page, request):
    actual = (built / page).read_bytes()
    golden = GOLDEN / page
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        return
    assert golden.is_file(), f"no golden copy of {page}: run with --update-golden and review it"
    expected = golden.read_bytes()
    if actual != expected:
        diff = difflib.unified_diff(expected.decode("utf-8-sig").splitlines(), actual.decode("utf-8-sig").splitlines(),
                                    f"golden/{page}", f"built/{page}", lineterm="", n=2)
        pytest.fail("\n".join(list(diff)[:60]))
