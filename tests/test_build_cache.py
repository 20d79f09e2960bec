"""The build cache: a period read or assessed before is reused only while everything it was
made from is unchanged, and a site built from the cache equals one built without it."""
from __future__ import annotations

import pickle
import re

import pandas as pd
import pytest

from tests.conftest import run_build

PERF_10 = "periods/2026-10/performance.csv"


def tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(bank, out, *extra):
    result = run_build("--config", str(bank.config), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return result


def reused(result) -> tuple[int, int]:
    found = re.search(r"cache: (\d+) entries \(the roster, periods read or assessed before\) reused, (\d+) computed "
                      r"and kept",
                      result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def test_a_site_built_from_the_cache_equals_one_built_without(bank, tmp_path, cache):
    first = build(bank, tmp_path / "first", "--cache", str(cache))
    assert reused(first)[0] == 0 and reused(first)[1] > 0
    # a fresh --out: every page is rendered again, from the cached periods and assessments
    second = build(bank, tmp_path / "second", "--cache", str(cache))
    assert reused(second) == (reused(first)[1], 0)
    plain = build(bank, tmp_path / "plain", "--no-cache")
    assert "cache: not used" in plain.stderr
    assert tree(tmp_path / "second") == tree(tmp_path / "plain") == tree(tmp_path / "first")


def test_a_changed_extract_recomputes_its_period_and_the_later_ones_only(bank, tmp_path, cache):
    build(bank, tmp_path / "first", "--cache", str(cache))
    bank.replace(PERF_10, '"12,800.00"', '"13,800.00"')
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    # the roster and September's extracts and assessment come from the cache (3); October is
    # read and assessed again, with every roll-up ending in it
    hits, stored = reused(again)
    assert hits == 3 and stored >= 2
    build(bank, tmp_path / "plain", "--no-cache")
    assert tree(tmp_path / "again") == tree(tmp_path / "plain")
    assert "13,800.00" in (tmp_path / "again/2026-10/managers/000101.html").read_text(encoding="utf-8")


def test_a_roster_change_to_a_manager_of_the_period_is_not_served_from_the_cache(bank, tmp_path, cache):
    build(bank, tmp_path / "first", "--cache", str(cache))
    not_employed = "不在职"  # the quality page's warning: the roster dates say the manager was not employed
    assert not_employed not in (tmp_path / "first/quality/2026-10.html").read_text(encoding="utf-8")
    # 王芳 now joins in November 2026: both months must warn that she was not employed yet
    bank.replace("managers.csv", "000102,王芳,女,110101199202022345,2018-07-15",
                 "000102,王芳,女,110101199202022345,2026-11-02")
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    assert reused(again)[0] == 0
    build(bank, tmp_path / "plain", "--no-cache")
    assert tree(tmp_path / "again") == tree(tmp_path / "plain")
    assert not_employed in (tmp_path / "again/quality/2026-10.html").read_text(encoding="utf-8")


def test_a_new_hire_in_no_period_keeps_the_periods_read_from_the_cache(bank, tmp_path, cache):
    build(bank, tmp_path / "first", "--cache", str(cache))
    bank.append("managers.csv", "000106,赵磊,男,110101199606066789,2026-11-16,,个人,客户经理助理,试用")
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    hits, _ = reused(again)
    assert hits >= 2  # at least both months' extracts are read from the cache
    build(bank, tmp_path / "plain", "--no-cache")
    assert tree(tmp_path / "again") == tree(tmp_path / "plain")


@pytest.mark.parametrize("kind", ["rosters", "periods", "assessments", "summaries"])
def test_a_damaged_entry_is_computed_again_and_unused_entries_are_removed(bank, tmp_path, cache, kind):
    computed = reused(build(bank, tmp_path / "first", "--cache", str(cache)))[1]
    entries = sorted(cache.rglob("*.pickle"))
    damaged = sorted((cache / kind).glob("*.pickle"))[-1]
    damaged.write_bytes(damaged.read_bytes()[:-20])  # as a full disk might leave it
    stale = cache / "periods" / ("0" * 64 + ".pickle")
    stale.write_bytes(b"from an older generator")
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    assert f"WARNING: cache entry {damaged} was not used: its content does not match" in again.stderr
    assert reused(again) == (computed - 1, 1)  # all but the damaged one reused
    assert tree(tmp_path / "again") == tree(tmp_path / "first")
    assert not stale.exists() and sorted(cache.rglob("*.pickle")) == entries


def test_the_default_cache_sits_beside_the_site_and_is_not_published(bank, tmp_path):
    build(bank, tmp_path / "site")
    assert list((tmp_path / ".site.cache").rglob("*.pickle"))
    assert not [p for p in (tmp_path / "site").rglob("*") if "pickle" in p.name or "cache" in p.name]


def test_the_roster_view_of_a_period_changes_with_its_managers_rows_only():
    from generator.extract.loader import RosterView

    def roster(rows: dict) -> pd.DataFrame:
        return pd.DataFrame({"hire_date": pd.to_datetime([rows[m] for m in rows]), "leave_date": pd.NaT},
                            index=pd.Index(list(rows), name="manager_id"))

    named = ["A1", "B2", "X9"]  # X9: named by the period's files, not in the roster
    before = RosterView(roster({"A1": "2020-01-01", "B2": "2021-01-01", "C3": "2022-01-01"})).of(named)
    assert RosterView(roster({"A1": "2020-01-01", "B2": "2021-01-01", "C3": "2023-05-05"})).of(named) == before
    assert RosterView(roster({"A1": "2020-01-01", "B2": "2021-02-01", "C3": "2022-01-01"})).of(named) != before
    listed = roster({"A1": "2020-01-01", "B2": "2021-01-01", "C3": "2022-01-01", "X9": "2019-01-01"})
    assert RosterView(listed).of(named) != before  # X9 joins the roster: its rows are checked again
    nobody = RosterView(roster({}))  # every roster row rejected
    assert nobody.of(named) != before and nobody.of(named) == nobody.of(named) and nobody.of([]) != before


def test_a_roster_read_from_the_cache_brings_its_quarantined_rows_along(bank, tmp_path, cache):
    bank.append("managers.csv", "000107,钱程,男,110101199707077890,2026-13-45,,个人,客户经理助理,在岗")
    first = build(bank, tmp_path / "first", "--cache", str(cache))
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    assert reused(again) == (reused(first)[1], 0)  # everything, the roster included, from the cache
    # the rejected row, reported and quarantined again
    assert "2026-13-45" in (tmp_path / "again/quality/reference.html").read_text(encoding="utf-8")
    assert "000107,钱程" in (tmp_path / "again/quality/reference.quarantine.csv").read_text(encoding="utf-8-sig")
    assert tree(tmp_path / "again") == tree(tmp_path / "first")


def _altered(value, seen=None):
    """`value` with the first figure of its first table changed, as an edit of the file would."""
    if isinstance(value, pd.DataFrame):
        numeric = [c for c in value.columns if pd.api.types.is_numeric_dtype(value[c])
                   and not pd.api.types.is_bool_dtype(value[c]) and value[c].notna().any()]
        if not numeric:
            return False
        row = value[numeric[0]].first_valid_index()
        value.loc[row, numeric[0]] = value.loc[row, numeric[0]] + 1000
        return True
    children = value.values() if isinstance(value, dict) else vars(value).values() if hasattr(value, "__dict__") \
        else ()
    return any(_altered(child) for child in children)


def alter_a_figure(entry) -> None:
    """Change a stored figure and leave the entry loadable: its header (key and checksum) as it was."""
    from generator.cache.store import HEADER
    data = entry.read_bytes()
    value = pickle.loads(data[HEADER:])
    assert _altered(value), entry
    entry.write_bytes(data[:HEADER] + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


@pytest.mark.parametrize("kind", ["periods", "assessments", "summaries"])
def test_an_altered_figure_in_an_entry_is_recomputed_with_a_warning_never_used(bank, tmp_path, cache, kind):
    computed = reused(build(bank, tmp_path / "first", "--cache", str(cache)))[1]
    altered = sorted((cache / kind).glob("*.pickle"))[-1]
    alter_a_figure(altered)
    again = build(bank, tmp_path / "again", "--cache", str(cache))  # a fresh --out: every page rendered again
    assert tree(tmp_path / "again") == tree(tmp_path / "first")  # the right site, not the altered figure's
    assert f"WARNING: cache entry {altered} was not used: its content does not match its checksum" in again.stderr
    assert reused(again) == (computed - 1, 1)
    assert build(bank, tmp_path / "third", "--cache", str(cache)).stderr.count("WARNING") == 0  # replaced whole


def test_an_entry_made_for_another_key_is_not_used(bank, tmp_path, cache):
    computed = reused(build(bank, tmp_path / "first", "--cache", str(cache)))[1]
    first, second = sorted((cache / "periods").glob("*.pickle"))[:2]
    first.write_bytes(second.read_bytes())  # another period's entry under this one's name
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    assert f"WARNING: cache entry {first} was not used: it was made for another key" in again.stderr
    assert reused(again) == (computed - 1, 1) and tree(tmp_path / "again") == tree(tmp_path / "first")


def test_a_refused_build_removes_the_entries_it_made_and_keeps_the_published_ones(bank, tmp_path, cache):
    bank.replace("site_config.yml", "max_reject_rate: 0.5", "max_reject_rate: 0.05")
    out = tmp_path / "site"
    build(bank, out, "--cache", str(cache))
    kept = tree(cache)
    # two of October's figures are text: 5.7% of the rows rejected, the guards refuse
    bank.replace(PERF_10, "3400.00,80.00", "三千四,80.00")
    bank.replace(PERF_10, '"12,800.00",300.00', '"12,800.00",三百')
    refused = run_build("--config", str(bank.config), "--out", str(out), "--cache", str(cache))
    assert refused.returncode == 4, refused.stderr
    assert tree(cache) == kept  # the new October entries gone, the published site's entries whole
    forced = build(bank, out, "--cache", str(cache), "--force")
    assert reused(forced)[1] >= 2  # computed again for the forced build


def test_an_entry_left_half_written_by_a_killed_build_is_removed(bank, tmp_path, cache):
    build(bank, tmp_path / "first", "--cache", str(cache))
    abandoned = cache / "periods" / f"{'0' * 64}.pickle.999999999.partial"  # no process has this id
    abandoned.write_bytes(b"half an entry")
    again = build(bank, tmp_path / "again", "--cache", str(cache))
    assert not abandoned.exists() and "WARNING" not in again.stderr
