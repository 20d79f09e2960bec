"""Publishing a site: build beside the old one, then swap by rename, so a failed or killed
build never leaves the published site half-written."""
from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError


def staging_path(out: Path) -> Path:
    return out.parent / f".{out.name}.staging"


def publish(out: Path, write: Callable[[Path], None]) -> None:
    """Run `write` into a fresh staging folder next to `out`, then put it in place of `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _only_build(out):
        _publish(out, write)


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


def _publish(out: Path, write: Callable[[Path], None]) -> None:
    restore_interrupted_swap(out)
    staging = staging_path(out)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)


def _swap(staging: Path, out: Path) -> None:
    retired = out.parent / f".{out.name}.retired"
    shutil.rmtree(retired, ignore_errors=True)
    if out.exists():
        os.rename(out, retired)
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def restore_interrupted_swap(out: Path) -> None:
    """A build killed between the two renames leaves only the retired copy: put it back."""
    out = out.resolve()
    retired = out.parent / f".{out.name}.retired"
    if retired.exists() and not out.exists():
        os.rename(retired, out)
