"""The swap of generator/archive/publish.py, one file-system step at a time, for the tests that
stop a build inside it: in-process (tests/test_publish.py raises where a kill would land) and in a
process of its own that pauses before a chosen step to be SIGKILLed there (tests/test_killed_build.py:
`python -m tests.swapsteps OUT SOURCE TAG STOP`, run from the checkout).

Every call that changes the file system during the swap is a step: a link, a folder made or
removed, a file removed, a rename, a symlink made or replaced, the exchange of two paths.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.archive import publish as publishing

STEPS = ("link", "mkdir", "rmdir", "unlink", "rename", "replace", "symlink")
CARRIED = ["2026-09", "2026-10"]  # the tiny bank's period folders: carried into the new release unchanged


@contextmanager
def stepping(before: Callable[[int, str], None]) -> Iterator[list[str]]:
    """Call `before(index, name)` ahead of each file-system step; yields the names of the steps taken."""
    taken: list[str] = []
    originals = {name: getattr(os, name) for name in STEPS}
    original_exchange = publishing._exchange

    def wrap(name: str, real: Callable) -> Callable:
        def step(*args, **kwargs):
            before(len(taken), name)
            taken.append(name)
            return real(*args, **kwargs)
        return step

    for name, real in originals.items():
        setattr(os, name, wrap(name, real))
    publishing._exchange = wrap("exchange", original_exchange)  # type: ignore[assignment]
    try:
        yield taken
    finally:
        for name, real in originals.items():
            setattr(os, name, real)
        publishing._exchange = original_exchange  # type: ignore[assignment]


def write_release(source: Path, staging: Path, tag: str) -> list[str]:
    """A build's staging folder: `source`'s files but the carried period folders, its manifest's
    build_time set to `tag` (so the test can tell which release it sees)."""
    for entry in source.iterdir():
        if entry.name in CARRIED:
            continue
        if entry.is_dir():
            shutil.copytree(entry, staging / entry.name)
        else:
            shutil.copy2(entry, staging / entry.name)
    manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
    manifest["build_time"] = tag
    (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return CARRIED


def publish_release(out: Path, source: Path, tag: str, before: Callable[[int, str], None]) -> list[str]:
    """Publish a release of `source` tagged `tag` to `out` as a build does, stepping through the swap."""
    with publishing.only_build(publishing.site_path(out)), publishing.Publication(out) as publication:
        carried = write_release(source, publication.staging, tag)
        with stepping(before) as taken:
            publication.swap(carried)
    return taken


def main(out: str, source: str, tag: str, stop: str) -> None:
    def pause(index: int, name: str) -> None:
        if index == int(stop):
            print(f"paused before step {index} ({name})", flush=True)
            time.sleep(600)  # until SIGKILLed

    taken = publish_release(Path(out), Path(source), tag, pause)
    print(json.dumps(taken), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
