"""Publishing a site: build beside the old one, then swap by rename, so a failed or killed
build never leaves the published site half-written.

The snapshot folders a nightly build leaves unchanged (most of a province archive: hundreds
of thousands of files) are not copied into the staging folder: the swap moves them, folder
by folder, from the retired site into the new one, between its two renames. A journal
beside the site names them first, so a build killed in that moment is undone by the next
one: the folders go back and the old site is put in place, exactly as it was."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError


def staging_path(out: Path) -> Path:
    return out.parent / f".{out.name}.staging"


def retired_path(out: Path) -> Path:
    return out.parent / f".{out.name}.retired"


def journal_path(out: Path) -> Path:
    return out.parent / f".{out.name}.carried.json"


class Publication:
    """One build's publication to `out`, as a context: entering takes the lock, undoes an
    interrupted swap and makes a fresh staging folder; `swap` puts the staging folder in place
    of `out`; leaving before the swap (an error, a refusal) removes the staging folder, and the
    published site stays as it was. A swap cut short is left to restore_interrupted_swap: the
    staging folder may hold folders of the published site by then."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.staging = staging_path(self.out)
        self._lock: contextlib.AbstractContextManager[None] = _only_build(self.out)
        self._swapping = False

    def __enter__(self) -> Publication:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._lock.__enter__()
        restore_interrupted_swap(self.out)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()
        return self

    def swap(self, carried: list[str]) -> None:
        """Publish the staging folder; `carried`: the top-level folders of the published site
        to move into the new one as they are (none of them may exist in the staging folder)."""
        self._swapping = True
        _swap(self.staging, self.out, carried)

    def __exit__(self, *error: object) -> None:
        if not self._swapping:
            shutil.rmtree(self.staging, ignore_errors=True)
        self._lock.__exit__(None, None, None)


def publish(out: Path, write: Callable[[Path], list[str]]) -> None:
    """Run `write` into a fresh staging folder next to `out`, then put it in place of `out`.
    `write` returns the top-level folders of the published site to carry into the new one."""
    with Publication(out) as publication:
        publication.swap(write(publication.staging))


@contextmanager
def _only_build(out: Path) -> Iterator[None]:
    """Two builds sharing one staging folder could swap in a mix: the second one waits for nobody, it stops."""
    with open(out.parent / f".{out.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError([f"another build is publishing to {out} right now; nothing was changed. "
                              "Fix: wait for it to finish (CI: let only one nightly job run at a time)."]) from None
        yield  # the lock goes with the file when the process ends, however it ends


def _swap(staging: Path, out: Path, carried: list[str]) -> None:
    retired = retired_path(out)
    shutil.rmtree(retired, ignore_errors=True)
    _write_journal(out, carried)
    if out.exists():
        os.rename(out, retired)
        for folder in carried:
            os.rename(retired / folder, staging / folder)
    os.rename(staging, out)
    journal_path(out).unlink()
    shutil.rmtree(retired, ignore_errors=True)


def _write_journal(out: Path, carried: list[str]) -> None:
    """Written whole, then renamed into place: a journal is either absent or complete."""
    partial = journal_path(out).with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as file:
        json.dump(carried, file)
        file.flush()
        os.fsync(file.fileno())
    os.rename(partial, journal_path(out))


def restore_interrupted_swap(out: Path) -> None:
    """A build killed inside the swap leaves the old site as the retired copy, perhaps with some
    of its folders already moved into the staging folder: put them back and the site in place."""
    out = out.resolve()
    retired, staging, journal = retired_path(out), staging_path(out), journal_path(out)
    if retired.exists() and not out.exists():
        for folder in _read_journal(journal):
            if (staging / folder).exists() and not (retired / folder).exists():
                os.rename(staging / folder, retired / folder)
        os.rename(retired, out)
    journal.unlink(missing_ok=True)
    journal.with_suffix(".partial").unlink(missing_ok=True)


def _read_journal(journal: Path) -> list[str]:
    try:
        return json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
