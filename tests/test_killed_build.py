"""A build killed at any point leaves the published site exactly as it was, and never blocks
the next build (generator/publish.py: build into `.<out>.staging`, swap by two renames, moving
the unchanged snapshot folders across in between; tests/test_publish.py kills after each rename).

The published site is the tiny bank. The killed builds build a changed bank (one manager renamed,
so a finished build would change the site) into the same `--out`, and are SIGKILLed after fixed
fractions of a measured normal build and on events (staging folder created, half written, swap
begun). After each kill the published folder must be the old site
exactly, or (kill after the swap) exactly the new site: never a mix. Then a build of the original
bank into the same `--out` must succeed and leave nothing beside it. The states a kill inside
publish._swap leaves (between its two renames; while deleting the retired copy) are also arranged
by hand, since no timing hits a window of microseconds reliably.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.archive.publish import restore_interrupted_swap
from tests.conftest import ROOT, TINY

# When to SIGKILL the build: after fixed fractions of a normal build's wall time (no randomness),
# then on events that do not depend on the machine's speed: as soon as the staging folder appears,
# once half the site is written into it, and as soon as the swap has begun (`.<out>.retired` appears).
KILL_FRACTIONS = [k / 8 for k in range(1, 9)]
KILL_EVENTS = ["staging", "half-written", "swapping"]
KILL_POINTS: list[float | str] = [*KILL_FRACTIONS, *KILL_EVENTS]
LANES = 2  # the kill points run in two independent published folders at once, to halve the time
OLD_NAME, NEW_NAME = "王芳", "王芳芳"  # manager 000102, renamed in the changed bank
BROKEN_UNIT = "0102,海州市分行,0199,市分行"  # a second unit 0102 whose parent is unknown: exit 1


def snapshot(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of the bytes ("<dir>" for a folder, so an empty folder counts)."""
    return {path.relative_to(root).as_posix():
            "<dir>" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*"))}


def command(config: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--config", str(config), "--out", str(out)]


def build(config: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command(config, out), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def beside(out: Path) -> list[str]:
    """What lies in the folder of `out`: only `out` itself once a build has succeeded (and the
    empty lock file that keeps two builds from publishing at once, and the build cache)."""
    return sorted(path.name for path in out.parent.iterdir() if path.name not in (f".{out.name}.lock",
                                                                                  f".{out.name}.cache"))


def mismatch(actual: dict[str, str], expected: dict[str, str]) -> str:
    missing, extra = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    changed = sorted(name for name in expected.keys() & actual.keys() if expected[name] != actual[name])
    return (f"missing {missing[:5]} ({len(missing)}), extra {extra[:5]} ({len(extra)}), "
            f"changed {changed[:5]} ({len(changed)})")


@dataclass
class Sites:
    original: Path  # config of the tiny bank as published
    changed: Path  # config of the bank with one manager renamed
    broken: Path  # config of a bank with a data error (exit 1)
    old_site: Path  # a pristine copy of the published site, to copy from
    new_site: Path  # a complete build of the changed bank
    old: dict[str, str]
    new: dict[str, str]
    duration: float  # wall time of a normal build of the changed bank, process start to exit
    env: dict[str, str]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Sites:
    root = tmp_path_factory.mktemp("killed")
    banks = {name: root / name for name in ("original", "changed", "broken")}
    for folder in banks.values():
        shutil.copytree(TINY, folder)
    managers = banks["changed"] / "managers.csv"
    text = managers.read_text(encoding="utf-8")
    assert text.count(f",{OLD_NAME},") == 1
    managers.write_text(text.replace(f",{OLD_NAME},", f",{NEW_NAME},"), encoding="utf-8")
    with (banks["broken"] / "units.csv").open("a", encoding="utf-8") as units:
        units.write(BROKEN_UNIT + "\n")
    # what killed builds leave in the temp folder (mkdocs' guide-*, openpyxl's spool files) stays out of /tmp
    scratch = root / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "SOURCE_DATE_EPOCH": "1790000000"}

    old_site, new_site = root / "old" / "site", root / "new" / "site"
    # two builds at once, as the kills below run in two lanes: the measured time fits them
    started = time.monotonic()
    with ThreadPoolExecutor(LANES) as pool:
        old_run, new_run = pool.map(lambda args: (build(*args, env), time.monotonic() - started),
                                    [(banks["original"] / "site_config.yml", old_site),
                                     (banks["changed"] / "site_config.yml", new_site)])
    assert old_run[0].returncode == 0, old_run[0].stderr
    assert new_run[0].returncode == 0, new_run[0].stderr
    duration = new_run[1]
    old, new = snapshot(old_site), snapshot(new_site)
    assert old != new, "renaming a manager must change the site, or the kills prove nothing"
    return Sites(banks["original"] / "site_config.yml", banks["changed"] / "site_config.yml",
                 banks["broken"] / "site_config.yml", old_site, new_site, old, new, duration, env)


def wait_for(point: float | str, process: subprocess.Popen, out: Path, sites: Sites) -> None:
    """Return when the build should be killed: after a delay, or once the event is seen (or the build ended)."""
    if isinstance(point, float):
        time.sleep(sites.duration * point)
        return
    staging, retired = out.parent / f".{out.name}.staging", out.parent / f".{out.name}.retired"
    half = sum(1 for value in sites.new.values() if value != "<dir>") // 2
    while process.poll() is None:
        if point == "staging" and staging.exists():
            return
        if point == "half-written" and staging.exists() and sum(1 for p in staging.rglob("*") if p.is_file()) >= half:
            return
        if point == "swapping" and retired.exists():
            return
        time.sleep(0.001 if point != "half-written" else 0.01)


def kill_lane(sites: Sites, out: Path, points: list[float | str]) -> list[tuple]:
    """For each kill point: start a build of the changed bank into `out`, SIGKILL it at that point and
    check `out`; then build the original bank into `out` again. Returns what each kill found."""
    shutil.copytree(sites.old_site, out)
    outcomes = []
    for point in points:
        started = time.monotonic()
        process = subprocess.Popen(command(sites.changed, out), cwd=ROOT, env=sites.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(point, process, out, sites)
        process.kill()  # SIGKILL: no handler, no cleanup
        code = process.wait(timeout=60)
        after = time.monotonic() - started
        left = beside(out)
        where = (f"kill point {point!r}: killed after {after:.2f} s (a normal build: {sites.duration:.2f} s), "
                 f"exit {code}, beside the site: {left}")

        if out.exists():
            state = snapshot(out)
            if state == sites.old:
                outcome = "old"
            elif state == sites.new:
                outcome = "new"
            else:
                pytest.fail(f"{where}: the published site is a mix of the old and the new one: "
                            f"vs old: {mismatch(state, sites.old)}; vs new: {mismatch(state, sites.new)}")
        else:  # killed inside publish._swap: the old site waits as .<out>.retired (some of its
            # folders perhaps moved into staging), and is put back first by whatever runs next
            assert (out.parent / f".{out.name}.retired").is_dir(), f"{where}: the published site is gone"
            restore_interrupted_swap(out)
            assert snapshot(out) == sites.old, f"{where}: the old site did not come back whole"
            outcome = "between renames"
        outcomes.append((str(point), round(after, 2), code, outcome, f".{out.name}.staging" in left))

        again = build(sites.original, out, sites.env)
        assert again.returncode == 0, f"{where}: the next build failed:\n{again.stderr}"
        assert beside(out) == [out.name], f"{where}: the next build left {beside(out)}"
        assert snapshot(out) == sites.old, f"{where}: the next build did not republish the original site"
    return outcomes


def test_a_killed_build_leaves_the_old_site_or_the_new_one_and_never_blocks_the_next(sites, tmp_path):
    lanes = [(tmp_path / f"lane{lane}" / "site", KILL_POINTS[lane::LANES]) for lane in range(LANES)]
    with ThreadPoolExecutor(LANES) as pool:
        outcomes = [item for found in pool.map(lambda lane: kill_lane(sites, *lane), lanes) for item in found]
    print("\nkill point, killed after s, exit code, published site, staging left:", *outcomes, sep="\n  ")
    by_point = {item[0]: item for item in outcomes}
    for event in ("staging", "half-written"):  # these kills must land inside the build, while it writes
        _, _, code, published, staging_left = by_point[event]
        assert code == -9 and published == "old" and staging_left, by_point[event]


def _half_copy(source: Path, target: Path) -> None:
    """A staging folder as a killed build leaves it: some of the pages written, the rest not."""
    shutil.copytree(source, target)
    for index, path in enumerate(sorted(p for p in target.rglob("*") if p.is_file())):
        if index % 2:
            path.unlink()
    (target / "index.html").write_bytes(b"<html>half-writ")


def _interrupted_between_renames(sites: Sites, out: Path) -> None:
    """publish._swap killed after `out -> .out.retired` and before `.out.staging -> out`."""
    out.parent.mkdir(parents=True)
    shutil.copytree(sites.old_site, out.parent / f".{out.name}.retired")
    _half_copy(sites.new_site, out.parent / f".{out.name}.staging")


def test_interrupted_swap_then_failing_build_restores_the_old_site_first(sites, tmp_path):
    out = tmp_path / "published" / "site"
    _interrupted_between_renames(sites, out)
    result = build(sites.broken, out, sites.env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert out.is_dir(), "a failing build must still put the retired site back"
    assert snapshot(out) == sites.old, mismatch(snapshot(out), sites.old)
    assert f".{out.name}.retired" not in beside(out)
    # the half-written .site.staging stays until the next build that gets as far as publishing:
    # harmless, it is never served and publish() removes it first


def test_interrupted_swap_then_build_publishes_the_new_site_cleanly(sites, tmp_path):
    out = tmp_path / "published" / "site"
    _interrupted_between_renames(sites, out)
    result = build(sites.changed, out, sites.env)
    assert result.returncode == 0, result.stderr
    assert snapshot(out) == sites.new, mismatch(snapshot(out), sites.new)
    assert beside(out) == [out.name]


def test_killed_while_removing_the_retired_site_then_build_succeeds(sites, tmp_path):
    """publish._swap killed after `.out.staging -> out`, while `.out.retired` was being deleted."""
    out = tmp_path / "published" / "site"
    out.parent.mkdir(parents=True)
    shutil.copytree(sites.new_site, out)
    _half_copy(sites.old_site, out.parent / f".{out.name}.retired")
    assert snapshot(out) == sites.new  # what readers see meanwhile: the complete new site
    result = build(sites.original, out, sites.env)
    assert result.returncode == 0, result.stderr
    assert snapshot(out) == sites.old, mismatch(snapshot(out), sites.old)
    assert beside(out) == [out.name]
