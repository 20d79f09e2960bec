"""The swap in generator/publish.py: unchanged snapshot folders are moved from the published
site into the new one between the two renames, under a journal. A build killed after any of
those renames is undone by the next build: the old site comes back exactly as it was."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from generator.archive import publish as publishing
from generator.archive.publish import publish, restore_interrupted_swap


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def put(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


OLD = {"index.html": "home of September", "2026-08/index.html": "August", "2026-08/managers/1.html": "A1",
       "2026-09/index.html": "September", "2026-Q3/rankings.html": "Q3", "quality/2026-08.html": "q8"}
# the nightly renders October and the home page, links quality/2026-08.html, and carries the three folders
NEW_WRITTEN = {"index.html": "home of October", "2026-10/index.html": "October", "quality/2026-10.html": "q10"}
CARRIED = ["2026-08", "2026-09", "2026-Q3"]


def nightly(staging: Path) -> list[str]:
    put(staging, NEW_WRITTEN)
    os.link(staging.parent / "site" / "quality/2026-08.html", staging / "quality/2026-08.html")
    return CARRIED


def expected_new() -> dict[str, str]:
    carried = {f: t for f, t in OLD.items() if f.split("/")[0] in CARRIED or f == "quality/2026-08.html"}
    return tree_of({**carried, **NEW_WRITTEN})


def tree_of(files: dict[str, str]) -> dict[str, str]:
    return {f: hashlib.sha256(t.encode()).hexdigest() for f, t in sorted(files.items())}


@pytest.fixture
def site(tmp_path) -> Path:
    out = tmp_path / "site"
    put(out, OLD)
    return out


def test_the_carried_folders_are_moved_not_copied(site):
    inode = (site / "2026-08/managers/1.html").stat().st_ino
    publish(site, nightly)
    assert tree(site) == expected_new()
    assert (site / "2026-08/managers/1.html").stat().st_ino == inode
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.lock", "site"]


RENAMES = 1 + len(CARRIED) + 1  # site -> retired, each carried folder, staging -> site


@pytest.mark.parametrize("survived", range(RENAMES + 1))
def test_a_build_killed_after_any_rename_of_the_swap_is_undone(site, monkeypatch, survived):
    """`survived` renames happen, then the process 'dies' (an exception no code catches)."""
    real_rename, done = os.rename, []

    def rename(source, target):
        if len(done) == survived and not str(source).endswith(".partial"):
            raise KeyboardInterrupt("killed")
        if not str(source).endswith(".partial"):
            done.append(source)
        real_rename(source, target)

    monkeypatch.setattr(publishing.os, "rename", rename)
    if survived < RENAMES:
        with pytest.raises(KeyboardInterrupt):
            publish(site, nightly)
    else:
        publish(site, nightly)
    monkeypatch.setattr(publishing.os, "rename", real_rename)
    restore_interrupted_swap(site)  # what the next build does first
    assert tree(site) == (expected_new() if survived == RENAMES else tree_of(OLD))
    assert not publishing.journal_path(site.resolve()).exists()
    publish(site, nightly)  # and the next build publishes cleanly
    assert tree(site) == expected_new()


def test_a_failed_write_moves_nothing(site):
    def failing(staging: Path) -> list[str]:
        nightly(staging)
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        publish(site, failing)
    assert tree(site) == tree_of(OLD)
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.lock", "site"]
