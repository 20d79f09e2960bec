"""Archived snapshots: a period is rendered once, copied unchanged by later nightly builds,
and a closed period is never rewritten: a change to it is published as a revision."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT

EPOCH = {"SOURCE_DATE_EPOCH": "1793000000"}
PERF_09 = "periods/2026-09/performance.csv"


def build(bank, out, *args):
    env = {**os.environ, **EPOCH}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--config", str(bank.config), "--out", str(out),
                           *args], capture_output=True, text=True, timeout=300, env=env)


def close_september(bank) -> None:
    bank.replace("site_config.yml", '  directory: "periods/{year}-{month:02d}"',
                 '  directory: "periods/{year}-{month:02d}"\n  closed_through: "2026-09"')


def correct_september(bank) -> None:
    """A late correction of 刘洋's September deposits: 8,000 → 9,000 万元."""
    bank.replace(PERF_09, "000104,刘洋,01010102,8000.00,", "000104,刘洋,01010102,9000.00,")


def tree(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def of_period(files: dict[str, str], period: str) -> dict[str, str]:
    return {f: h for f, h in files.items() if f.startswith(f"{period}/") or f.startswith(f"quality/{period}.")}


def inodes(root, period: str) -> dict[str, int]:
    files = (p for p in sorted((root / period).rglob("*")) if p.is_file())
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in files}


def test_a_nightly_build_with_one_new_period_renders_only_that_period(bank, tmp_path):
    october = tmp_path / "october-extracts"
    shutil.move(bank.path("periods/2026-10"), october)
    out = tmp_path / "site"
    first = build(bank, out)
    assert first.returncode == 0, first.stderr
    september, september_inodes = of_period(tree(out), "2026-09"), inodes(out, "2026-09")
    shutil.move(october, bank.path("periods/2026-10"))  # the warehouse delivers October
    nightly = build(bank, out)
    assert nightly.returncode == 0, nightly.stderr
    assert "snapshots: 1 fresh (2026-09), 1 rebuilt (2026-10), 0 revision(s)" in nightly.stderr
    assert "rendered 2026-09" not in nightly.stderr and "rendered 2026-10 (1/1)" in nightly.stderr
    assert of_period(tree(out), "2026-09") == september  # the September snapshot, byte for byte
    assert inodes(out, "2026-09") == september_inodes, "unchanged snapshots are hard links, not copies"
    cold = tmp_path / "cold"
    assert build(bank, cold).returncode == 0
    assert tree(out) == tree(cold)  # incremental and from scratch give the same site


def test_the_manifest_counts_every_file_of_the_site(bank, tmp_path):
    """Counted as written and linked, not by walking the site (a province archive is most of a
    million files): the page-drop guard compares these counts."""
    out = tmp_path / "site"
    bank.path("periods/2026-10").rename(tmp_path / "held")
    assert build(bank, out).returncode == 0
    (tmp_path / "held").rename(bank.path("periods/2026-10"))
    close_september(bank)
    assert build(bank, out).returncode == 0
    correct_september(bank)  # a revision of September beside the new October
    assert build(bank, out).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["snapshots"]["2026-09"]["revisions"]
    assert manifest["files"] == sum(1 for path in out.rglob("*") if path.is_file())


def test_an_unchanged_night_copies_every_snapshot(bank, tmp_path):
    out = tmp_path / "site"
    assert build(bank, out).returncode == 0
    before = tree(out)
    again = build(bank, out)
    assert "snapshots: 2 fresh (2026-09 … 2026-10), 0 rebuilt (none)" in again.stderr
    assert tree(out) == before


def test_a_changed_closed_period_keeps_its_original_and_gets_a_revision(bank, tmp_path):
    close_september(bank)
    out = tmp_path / "site"
    assert build(bank, out).returncode == 0
    original = of_period(tree(out), "2026-09")
    correct_september(bank)
    corrected = build(bank, out)
    assert corrected.returncode == 0, corrected.stderr
    assert "WARNING: CLOSED PERIOD 2026-09 CHANGED" in corrected.stderr
    assert "published as revision 2026-09.r2" in corrected.stderr
    assert of_period(tree(out), "2026-09") == original  # the original stays exactly as published
    revision = (out / "2026-09.r2/index.html").read_text(encoding="utf-8")
    assert "修订版 r2" in revision and 'href="../2026-09/index.html"' in revision
    assert "9,000.00" in (out / "2026-09.r2/managers/000104.html").read_text(encoding="utf-8")
    assert "9,000.00" not in (out / "2026-09/managers/000104.html").read_text(encoding="utf-8")
    assert '<a class="revision" href="2026-09.r2/index.html">修订版 r2</a>' in (out / "index.html").read_text(
        encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["folder"] for r in manifest["snapshots"]["2026-09"]["revisions"]] == ["2026-09.r2"]
    # October is not closed: it is rebuilt from the corrected September history
    assert "1 rebuilt (2026-10), 1 revision(s)" in corrected.stderr
    kept = tree(out)
    quiet = build(bank, out)  # the next night: nothing new, the revision is not made again
    assert "CLOSED PERIOD" not in quiet.stderr and "0 revision(s)" in quiet.stderr
    assert tree(out) == kept


def test_rewrite_closed_replaces_the_original_loudly(bank, tmp_path):
    close_september(bank)
    out = tmp_path / "site"
    assert build(bank, out).returncode == 0
    correct_september(bank)
    rewritten = build(bank, out, "--rewrite-closed")
    assert rewritten.returncode == 0, rewritten.stderr
    assert "CLOSED PERIOD 2026-09 REWRITTEN IN PLACE" in rewritten.stderr
    assert "9,000.00" in (out / "2026-09/managers/000104.html").read_text(encoding="utf-8")
    assert not (out / "2026-09.r2").exists()


def test_a_roster_change_after_a_period_does_not_touch_its_snapshot(bank, tmp_path):
    out = tmp_path / "site"
    assert build(bank, out).returncode == 0
    bank.append("managers.csv", bank.lines("managers.csv")[-1].replace("000105", "000199", 1))  # a new hire
    later = build(bank, out)
    assert later.returncode == 0, later.stderr
    assert "2 fresh (2026-09 … 2026-10)" in later.stderr


def test_a_new_config_rebuilds_open_periods_and_leaves_closed_ones_as_published(bank, tmp_path):
    close_september(bank)
    out = tmp_path / "site"
    assert build(bank, out).returncode == 0
    original = of_period(tree(out), "2026-09")
    bank.replace("site_config.yml", "title: {zh: 测试报告,", "title: {zh: 测试报告（新）,")
    retitled = build(bank, out)
    assert retitled.returncode == 0, retitled.stderr
    assert "1 fresh (2026-09), 1 rebuilt (2026-10), 0 revision(s)" in retitled.stderr
    assert of_period(tree(out), "2026-09") == original and "CLOSED PERIOD" not in retitled.stderr
    assert "测试报告（新）" in (out / "2026-10/index.html").read_text(encoding="utf-8")


def test_latest_html_always_leads_to_the_newest_period(tiny_site, open_page):
    opened = open_page(tiny_site / "latest.html")
    opened.page.wait_for_url("**/2026-10/index.html")
    assert "本期概览 · 2026年10月" in opened.page.locator("main").inner_text()
    assert opened.errors == []
