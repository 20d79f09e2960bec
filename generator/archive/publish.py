"""Publishing a site so that `--out` always holds a complete one: the old or the new, never none
and never a mix, whenever the build is killed.

The layout, for `--out site`:

    site -> .site.releases/7     a symlink: the published path readers open
    .site.releases/7/            the site they see
    .site.releases/6/            the one before, kept for rollback
    .site.staging/               the build being written (only while a build runs)
    .site.lock                   who is building now (pid, host, start time)

A build writes into the staging folder. At the swap it hard-links into it the files of the
snapshot folders it carries over unchanged, from the published release, which stays whole (a
link per file: 0.7 s for 100,000 files on ext4; a copy where the disk allows no links), renames
it to the next release, and replaces the symlink by a fresh one with rename(2), which is atomic:
at every instant `site` names the old complete release or the new one. Then releases before the
previous one are removed, each renamed to a dot-name first, so every numbered release is whole.

A real folder published by an older version (which swapped by two renames) is converted by the
first build: it becomes the previous release in the same atomic step that puts the symlink in
its place (renameat2 with RENAME_EXCHANGE, Linux 3.15+ on ext4, xfs, btrfs, tmpfs). Where the
file system cannot exchange, it is moved aside first, and for that one moment `site` does not
exist: a build killed then is repaired by the next one, which points `site` at the newest release.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from generator.errors import EXIT_CONFIG_ERROR, BuildError

RELEASE = re.compile(r"[0-9]+")  # a release's folder name; anything else in the releases folder is a leftover
MAX_LINKS = 40  # symlinks followed to find the published path, as the kernel does


def staging_path(out: Path) -> Path:
    return out.parent / f".{out.name}.staging"


def releases_path(out: Path) -> Path:
    return out.parent / f".{out.name}.releases"


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _new_link_path(out: Path) -> Path:
    return out.parent / f".{out.name}.link"


def retired_path(out: Path) -> Path:
    """Where an older version put the published site during its swap."""
    return out.parent / f".{out.name}.retired"


def journal_path(out: Path) -> Path:
    """The folders an older version's swap was moving (see restore_interrupted_swap)."""
    return out.parent / f".{out.name}.carried.json"


def site_path(out: Path) -> Path:
    """The published path `--out` names, absolute, with every symlink resolved but this
    generator's own release link: `--out www` where `www -> /srv/cm` publishes /srv/cm."""
    path = out.absolute()
    for _ in range(MAX_LINKS):
        path = path.resolve() if path.name in ("", "..") else path.parent.resolve() / path.name
        if not path.is_symlink() or release_of(path) is not None:
            return path
        path = path.parent / os.readlink(path)
    raise BuildError([f"--out {out}: too many levels of symbolic links. Fix: point --out at a folder."])


def release_of(out: Path) -> Path | None:
    """The release `out` links to, when it is this generator's symlink into its releases folder."""
    if not out.is_symlink():
        return None
    target = Path(os.readlink(out))
    if target.parent != Path(releases_path(out).name) or not RELEASE.fullmatch(target.name):
        return None
    return releases_path(out) / target.name


class Publication:
    """One build's publication to `out`, as a context, entered under the build lock (only_build):
    entering tidies what a killed build left and makes a fresh staging folder; `swap` publishes
    it; leaving removes the staging folder if it was not published, so a failed or refused build
    leaves the published site as it was."""

    def __init__(self, out: Path):
        self.out = site_path(out)
        self.staging = staging_path(self.out)

    def __enter__(self) -> Publication:
        restore_interrupted_swap(self.out)
        self.staging.mkdir()
        return self

    def swap(self, carried: list[str]) -> None:
        """Publish the staging folder; `carried`: the top-level folders of the published site to
        carry into the new one as they are (none of them may exist in the staging folder)."""
        published = self.out.resolve() if self.out.is_dir() else None
        for folder in carried:
            assert published is not None, "only a published site has folders to carry"
            link_tree(published / folder, self.staging / folder)
        releases = releases_path(self.out)
        releases.mkdir(exist_ok=True)
        number = max((int(p.name) for p in releases.iterdir() if RELEASE.fullmatch(p.name)), default=0) + 1
        if published is not None and release_of(self.out) is None:  # a real folder: becomes release `number`
            number += 1
        release = releases / str(number)
        os.rename(self.staging, release)
        previous = _point(self.out, release)
        _prune(releases, keep={release.name} | ({previous.name} if previous else set()))

    def __exit__(self, *error: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def publish(out: Path, write: Callable[[Path], list[str]], wait: float = 0) -> None:
    """Run `write` into a fresh staging folder next to `out`, then put it in place of `out`.
    `write` returns the top-level folders of the published site to carry into the new one."""
    with only_build(site_path(out), wait), Publication(out) as publication:
        publication.swap(write(publication.staging))


def link_tree(source: Path, target: Path) -> None:
    """`target` made a copy of the folder `source` whose files are hard links to its files, or
    copies where the disk allows no links (another device, a file system without links)."""
    for folder, _, names in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(folder, name), into / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), into / name)


def _point(out: Path, release: Path) -> Path | None:
    """Make `out` the symlink to `release` in one atomic step; returns the release it showed before
    (a converted real folder included), if any."""
    target = f"{releases_path(out).name}/{release.name}"
    previous = release_of(out)
    if out.is_dir() and previous is None:  # a real folder, from an older version or empty
        return _convert(out, release, target)
    link = _new_link_path(out)
    link.unlink(missing_ok=True)
    os.symlink(target, link)
    os.replace(link, out)
    return previous


def _convert(out: Path, release: Path, target: str) -> Path | None:
    """Put the symlink to `release` in place of the real folder `out`, which becomes the release
    before it: an atomic exchange where the file system offers one."""
    if not any(out.iterdir()):  # an empty folder: nothing published to keep
        out.rmdir()
        os.symlink(target, out)
        return None
    kept = release.parent / str(int(release.name) - 1)
    os.symlink(target, kept)  # dangling where it is: it resolves once it stands at `out`
    try:
        _exchange(kept, out)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
            raise
        kept.unlink()
        os.rename(out, kept)  # here, and here only, `out` does not exist for a moment
        os.symlink(target, out)
    return kept


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths atomically: renameat2(2) with RENAME_EXCHANGE (Linux 3.15+, glibc 2.28+)."""
    libc = ctypes.CDLL(None, use_errno=True)
    rename = getattr(libc, "renameat2", None)
    if rename is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    at_cwd, exchange = -100, 2
    if rename(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


def _prune(releases: Path, keep: set[str]) -> None:
    """Remove every release but `keep`, and leftovers; renamed to a dot-name before they are
    deleted, so that a numbered release is always whole."""
    for path in sorted(releases.iterdir()):
        if path.name in keep:
            continue
        if RELEASE.fullmatch(path.name):
            path = path.rename(releases / f".removing-{path.name}")
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)


def restore_interrupted_swap(out: Path) -> None:
    """Tidy what a killed build left beside `out`, before a build under the lock starts: its staging
    folder, a new symlink not yet in place, releases half-removed. A build killed while converting
    a real folder on a file system that cannot exchange leaves no `out`: it is pointed at the
    newest release, which is whole. And an older version killed inside its own swap left the old
    site as the retired copy, perhaps with some folders moved into the staging folder: put back."""
    out = site_path(out)
    _restore_legacy_swap(out)
    shutil.rmtree(staging_path(out), ignore_errors=True)
    _new_link_path(out).unlink(missing_ok=True)
    releases = releases_path(out)
    if not releases.is_dir():
        return
    whole = sorted((p for p in releases.iterdir() if RELEASE.fullmatch(p.name) and not p.is_symlink()),
                   key=lambda p: int(p.name))
    if not os.path.lexists(out) and whole:
        os.symlink(f"{releases.name}/{whole[-1].name}", out)
    _prune(releases, keep={p.name for p in whole})  # a release is removed only once a newer one is published


def _restore_legacy_swap(out: Path) -> None:
    retired, staging, journal = retired_path(out), staging_path(out), journal_path(out)
    if retired.is_dir() and not os.path.lexists(out):
        for folder in _read_journal(journal):
            if (staging / folder).exists() and not (retired / folder).exists():
                os.rename(staging / folder, retired / folder)
        os.rename(retired, out)
    shutil.rmtree(retired, ignore_errors=True)
    journal.unlink(missing_ok=True)
    journal.with_suffix(".partial").unlink(missing_ok=True)


def _read_journal(journal: Path) -> list[str]:
    try:
        return json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []


class BuildLocked(BuildError):
    """Another build holds the lock of this `--out`."""

    exit_code = EXIT_CONFIG_ERROR


def _make_folder(folder: Path) -> None:
    """A part of the path that is a file says EEXIST, which reads as a bug: say ENOTDIR, as the
    system does for a file met further down the path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from exc


@contextmanager
def only_build(out: Path, wait: float = 0, waiting: Callable[[str], None] = lambda holder: None) -> Iterator[None]:
    """Hold the lock of `out` for the whole build: two builds touching one site (its staging folder,
    its releases, its cache) could publish a mix. A second build waits up to `wait` seconds,
    telling `waiting` once who holds it, then stops. The lock goes with the open file when the
    process ends, however it ends; the file says who holds it."""
    _make_folder(out.parent)
    descriptor = os.open(lock_path(out), os.O_RDWR | os.O_CREAT, 0o644)  # not truncated: the holder's words
    with os.fdopen(descriptor, "r+", encoding="utf-8") as lock:
        _acquire(lock, out, wait, waiting)
        _write_holder(lock)
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()


def _acquire(lock: IO[str], out: Path, wait: float, waiting: Callable[[str], None]) -> None:
    deadline, told = time.monotonic() + max(0.0, wait), False
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _holder(lock)
        if time.monotonic() >= deadline:
            waited = f"waited {wait:g} s; " if wait > 0 else ""
            raise BuildLocked([f"another build is publishing to {out} right now ({holder}, see {lock_path(out)}); "
                               f"{waited}nothing was changed. Fix: wait for it to finish, or rerun with --wait SECONDS "
                               "to wait for it (CI: let only one nightly job run at a time)."])
        if not told:
            waiting(f"another build is publishing to {out} ({holder}); waiting up to {wait:g} s for it to finish")
            told = True
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def _write_holder(lock: IO[str]) -> None:
    lock.seek(0)
    lock.truncate()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")  # for people, not the pages
    json.dump({"pid": os.getpid(), "host": socket.gethostname(), "started": started}, lock)
    lock.flush()


def _holder(lock: IO[str]) -> str:
    lock.seek(0)
    try:
        holder = json.loads(lock.read() or "{}")
        return f"pid {holder['pid']} on host {holder['host']}, started {holder['started']}"
    except (ValueError, KeyError, TypeError):
        return "a build that has not said who it is yet"
