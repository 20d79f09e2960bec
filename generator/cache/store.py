"""What earlier builds computed from inputs that have not changed since.

A nightly build of a three-year archive adds one month, yet every month's extracts would be
parsed, checked and assessed again: at province size that alone takes minutes. The cache
keeps, per period, the validated tables and issues the loader made of its files and the
assessment made of them.

An entry is found only by a key hashed from everything it was computed from: the input
bytes, the config, and the generator's own code and templates (`manifest.code_version`),
so any change to those is a miss, never a stale hit. Entries are pickles, so the folder
is a build directory, as trusted as the checkout and never published. A build that does
not use an entry removes it at the end; a killed build leaves whole entries or none
(each is written beside its name, then renamed).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from generator.resources import code_version

SUFFIX = ".pickle"


def default_folder(out: Path) -> Path:
    """Beside the published site, like its lock: nightly CI keeps it with the site. `out` as
    published (archive.publish.site_path): its last part may be the symlink to a release."""
    return out.parent.resolve() / f".{out.name}.cache"


class BuildCache:
    """Entries by kind and key; `BuildCache(None)` keeps nothing (tests, --no-cache), a
    `read_only` one reuses entries but writes and removes none (--check writes nothing)."""

    def __init__(self, folder: Path | None, read_only: bool = False):
        self.folder, self.read_only = folder, read_only
        self.used: set[Path] = set()
        self.hits = self.stored = 0

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(code_version().encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def load(self, kind: str, key: str, accept: Callable[[object], bool] = lambda entry: True) -> object | None:
        """The entry, if there is one and `accept` finds it still valid."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            with open(path, "rb") as stream:
                value = pickle.load(stream)
        except Exception:  # absent, damaged or from another Python: computed again and rewritten
            return None
        if not accept(value):
            return None
        self.used.add(path)
        self.hits += 1
        return value

    def claim(self, kind: str, key: str, size: int) -> bool:
        """Keep an entry this build will read later (see reload), if it is there whole."""
        path = self._path(kind, key) if self.folder is not None else None
        try:
            if path is None or path.stat().st_size != size:
                return False
        except OSError:
            return False
        self.used.add(path)
        return True

    def reload(self, kind: str, key: str) -> object:
        """An entry this build has already loaded or stored (see generator.shelf)."""
        with open(self._path(kind, key), "rb") as stream:
            return pickle.load(stream)

    def store(self, kind: str, key: str, value: object) -> int:
        """Bytes written (0 without a cache, or a read-only one)."""
        if self.folder is None or self.read_only:
            return 0
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with open(partial, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        self.used.add(path)
        if kind != "summaries":  # a period's summary is stored with its assessment: counted once
            self.stored += 1
        return path.stat().st_size

    def summary(self) -> str:
        if self.folder is None:
            return "cache: not used (--no-cache)"
        return (f"cache: {self.hits} entries (the roster, periods read or assessed before) reused, "
                f"{self.stored} computed and kept")

    def prune(self) -> None:
        """Remove what this build did not use: entries of old inputs or an old generator."""
        if self.folder is None or self.read_only or not self.folder.is_dir():
            return
        for path in self.folder.rglob("*"):
            if path.is_file() and path not in self.used:
                path.unlink()

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None  # callers return early without a cache
        return self.folder / kind / f"{key}{SUFFIX}"


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def folder_digest(folder: Path) -> str:
    """The names and contents of the files in a folder (a period's extracts)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(f"{path.name}\0{file_digest(path)}\0".encode())
    return digest.hexdigest()
