"""A build killed at any point leaves the published site exactly as it was, or the new one whole,
and never blocks the next build (generator/archive/publish.py: build into `.<out>.staging`, link the
unchanged snapshot folders into it, rename it to a release and replace the `--out` symlink by
rename(2); tests/test_publish.py stops the swap before each of its steps in-process).

The published site is the tiny bank. The killed builds build a changed bank (one manager renamed,
so a finished build would change the site) into the same `--out`, and are SIGKILLed after fixed
fractions of a measured normal build and on events (staging folder created, half written, swap
begun). After each kill the published folder must be the old site
exactly, or (kill after the swap) exactly the new site: never a mix. Then a build of the original
bank into the same `--out` must succeed and leave nothing beside it but its releases. Since no timing
hits a window of microseconds reliably, the swap is also run in a process of its own that pauses
before a chosen step and is SIGKILLed there, at 25 steps (tests/swapsteps.py). The states an older
version's swap left when killed (between its two renames; while deleting the retired copy) are
arranged by hand: a build of this version repairs them.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.archive.publish import releases_path
from tests.conftest import ROOT, TINY

# When to SIGKILL the build: after fixed fractions of a normal build's wall time (no randomness),
# then on events that do not depend on the machine's speed: as soon as the staging folder appears,
# once half the site is written into it, and as soon as the swap has begun (a new release appears).
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
    lock file that keeps two builds from publishing at once, the build cache and the releases)."""
    ours = (f".{out.name}.lock", f".{out.name}.cache", f".{out.name}.releases")
    return sorted(path.name for path in out.parent.iterdir() if path.name not in ours)


def releases(out: Path) -> list[str]:
    folder = releases_path(out)
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


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
    staging = out.parent / f".{out.name}.staging"
    published = set(releases(out))
    half = sum(1 for value in sites.new.values() if value != "<dir>") // 2
    while process.poll() is None:
        if point == "staging" and staging.exists():
            return
        if point == "half-written" and staging.exists() and sum(1 for p in staging.rglob("*") if p.is_file()) >= half:
            return
        if point == "swapping" and set(releases(out)) - published:
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

        assert out.exists(), f"{where}: the published site is gone"
        state = snapshot(out)
        if state == sites.old:
            outcome = "old"
        elif state == sites.new:
            outcome = "new"
        else:
            pytest.fail(f"{where}: the published site is a mix of the old and the new one: "
                        f"vs old: {mismatch(state, sites.old)}; vs new: {mismatch(state, sites.new)}")
        outcomes.append((str(point), round(after, 2), code, outcome, f".{out.name}.staging" in left))

        again = build(sites.original, out, sites.env)
        assert again.returncode == 0, f"{where}: the next build failed:\n{again.stderr}"
        assert beside(out) == [out.name], f"{where}: the next build left {beside(out)}"
        assert len(releases(out)) == 2, f"{where}: the next build left the releases {releases(out)}"
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
    """An older version's swap killed after `out -> .out.retired` and before `.out.staging -> out`."""
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
    """An older version's swap killed after `.out.staging -> out`, while `.out.retired` was being deleted."""
    out = tmp_path / "published" / "site"
    out.parent.mkdir(parents=True)
    shutil.copytree(sites.new_site, out)
    _half_copy(sites.old_site, out.parent / f".{out.name}.retired")
    assert snapshot(out) == sites.new  # what readers see meanwhile: the complete new site
    result = build(sites.original, out, sites.env)
    assert result.returncode == 0, result.stderr
    assert snapshot(out) == sites.old, mismatch(snapshot(out), sites.old)
    assert beside(out) == [out.name]


KILLS_CONVERTING, KILLS_SWAPPING = 5, 20  # SIGKILLs inside the swap: converting an older version's folder, then


def whole_site(out: Path) -> str:
    """The tag (build_time) of the site at `out`, after checking it is whole: every file its manifest
    lists is there, and as many files as it counts."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = [name for entry in manifest["snapshots"].values() for name in entry["files"]]
    missing = [name for name in listed if not (out / name).is_file()]
    files = sum(1 for path in out.rglob("*") if path.is_file())
    assert not missing and files == manifest["files"], f"missing {missing[:5]} ({len(missing)}), {files} files"
    return manifest["build_time"]


def swap(out: Path, source: Path, tag: str, stop: int = -1) -> subprocess.Popen:
    """The publish step of a build in a process of its own, paused before step `stop` of the swap."""
    return subprocess.Popen([sys.executable, "-m", "tests.swapsteps", str(out), str(source), tag, str(stop)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)


def steps_of_a_swap(out: Path, source: Path) -> list[str]:
    """The steps of the swap from the state in `out`, counted on a copy of its folder."""
    copy = out.parent.parent / f"{out.parent.name}-count"
    subprocess.run(["cp", "-a", str(out.parent), str(copy)], check=True)
    process = swap(copy / out.name, source, "count")
    steps = json.loads(process.communicate(timeout=60)[0])
    shutil.rmtree(copy)
    return steps


def kill_points(steps: list[str], count: int) -> list[int]:
    """`count` steps to be killed before: every rename, symlink and exchange and the step after each,
    then steps spread evenly over the rest (the links of the carried files, the removal of a release)."""
    chosen = {index + after for index, name in enumerate(steps) if name in ("rename", "replace", "symlink", "exchange")
              for after in (0, 1) if index + after < len(steps)}
    spread = [round(k * (len(steps) - 1) / max(1, count - 1)) for k in range(count)]
    for index in spread:
        if len(chosen) >= count:
            break
        chosen.add(index)
    return sorted(chosen)[:count]


def kill_inside_the_swap(out: Path, source: Path, step: int, tag: str) -> tuple[str, str]:
    """SIGKILL the swap before `step`; returns the tag of the site then at `out` and the step's name."""
    published = whole_site(out) if out.exists() else None
    process = swap(out, source, tag, step)
    line = process.stdout.readline() if process.stdout else ""
    assert line.startswith("paused before step"), f"the swap did not pause before step {step}: {line!r}"
    process.kill()
    process.wait(timeout=60)
    found = whole_site(out)
    assert found in (published, tag), f"killed {line.strip()}: the site at --out is {found}"
    return found, line.strip()


def test_sigkilled_inside_the_swap_the_published_path_always_holds_a_whole_site(sites, tmp_path):
    out = tmp_path / "published" / "site"
    shutil.copytree(sites.old_site, out)  # as an older version published it: a real folder
    pristine = tmp_path / "pristine"
    shutil.copytree(out.parent, pristine)
    kills: list[tuple[str, str]] = []
    for step in kill_points(steps_of_a_swap(out, sites.old_site), KILLS_CONVERTING):
        shutil.rmtree(out.parent)
        shutil.copytree(pristine, out.parent, symlinks=True)
        kills.append(kill_inside_the_swap(out, sites.old_site, step, f"converted-{step}"))
        assert swap(out, sites.old_site, "next").wait(timeout=60) == 0
        assert whole_site(out) == "next" and out.is_symlink() and len(releases(out)) == 2
    points = kill_points(steps_of_a_swap(out, sites.old_site), KILLS_SWAPPING)
    assert len(points) == KILLS_SWAPPING
    for step in points:
        kills.append(kill_inside_the_swap(out, sites.old_site, step, f"swapped-{step}"))
        assert swap(out, sites.old_site, f"next-{step}").wait(timeout=60) == 0, "the next build failed"
        assert whole_site(out) == f"next-{step}", "the next build did not publish"
        assert beside(out) == [out.name] and len(releases(out)) == 2, (beside(out), releases(out))
    print("\nsite at --out after each SIGKILL:", *kills, sep="\n  ")
    assert {found.split("-")[0] for found, _ in kills} >= {"next", "swapped"}, "kills found only one side"
    # and a real build after all that publishes the original bank, cleanly
    result = build(sites.original, out, sites.env)
    assert result.returncode == 0, result.stderr
    assert snapshot(out) == sites.old and beside(out) == [out.name] and len(releases(out)) == 2
