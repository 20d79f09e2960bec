"""What earlier builds computed from inputs that have not changed since.

A nightly build of a three-year archive adds one month, yet every month's extracts would be
parsed, checked and assessed again: at province size that alone takes minutes. The cache
keeps, per period, the validated tables and issues the loader made of its files and the
assessment made of them.

An entry is found only by a key hashed from everything it was computed from: the input
bytes, the config, and the generator's own code and templates (`manifest.code_version`),
so any change to those is a miss, never a stale hit. Entries are pickles, so the folder
is a build directory, as trusted as the checkout and never published.

An entry cannot lie: it starts with the key it was made for and the SHA-256 of its content,
both checked before it is used. One that is truncated, altered or unreadable is reported
(a warning) and computed again, never used. Each is written to a temporary name, flushed to
disk and renamed, so a killed build leaves whole entries or none; a failed write removes
what it began. A cache that cannot be written (disk full, read-only, no permission) is
reported once and the build goes on without keeping entries.

A build that publishes removes the entries it did not use; one the guards refuse removes
the entries it made (see discard_made); any other failed build keeps them all (see README).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from generator.errors import EnvironmentFault
from generator.resources import code_version

SUFFIX = ".pickle"
PARTIAL = ".partial"
MAGIC = b"cm-report cache 1\n"
KEY_BYTES = 64  # the key, in hex
HEADER = len(MAGIC) + KEY_BYTES + 32  # then the SHA-256 of the content, then the content (a pickle)
Warn = Callable[[str], None]


def default_folder(out: Path) -> Path:
    """Beside the published site, like its lock: nightly CI keeps it with the site. `out` as
    published (archive.publish.site_path): its last part may be the symlink to a release."""
    return out.parent.resolve() / f".{out.name}.cache"


class EntryDamaged(Exception):
    """An entry whose bytes are not what was written under its key."""


class BuildCache:
    """Entries by kind and key; `BuildCache(None)` keeps nothing (tests, --no-cache), a
    `read_only` one reuses entries but writes and removes none (--check writes nothing).
    `warn` receives what the person running the build should know: a damaged entry, a cache
    that cannot be written."""

    def __init__(self, folder: Path | None, read_only: bool = False, warn: Warn = lambda message: None):
        self.folder, self.read_only, self.warn = folder, read_only, warn
        self.used: set[Path] = set()
        self.made: set[Path] = set()  # stored by this build
        self.hits = self.stored = self.unkept = 0
        self.unwritable: str | None = None  # why entries are no longer stored, once a write failed
        if folder is not None and not read_only:
            self._remove_abandoned_partials()

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(code_version().encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def load(self, kind: str, key: str, accept: Callable[[object], bool] = lambda entry: True) -> object | None:
        """The entry, if there is one, it is whole and `accept` finds it still valid."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            value = _read(path, key)
        except FileNotFoundError:
            return None
        except Exception as exc:  # damaged, altered or from another Python: computed again and rewritten
            self._warn_damaged(path, exc)
            return None
        if not accept(value):
            return None
        self.used.add(path)
        self.hits += 1
        return value

    def claim(self, kind: str, key: str, checksum: str) -> bool:
        """Keep an entry this build will read later (see reload), if it is there whole and is the
        one whose content hashed to `checksum` when stored."""
        if self.folder is None:
            return False
        path = self._path(kind, key)
        try:
            if _checked(path, key) != checksum:
                raise EntryDamaged("it is not the entry its summary was stored with")
        except FileNotFoundError:
            return False
        except Exception as exc:
            self._warn_damaged(path, exc)
            return False
        self.used.add(path)
        return True

    def reload(self, kind: str, key: str) -> object:
        """An entry this build has already claimed or stored (see generator.cache.shelf), checked
        again: one changed since is an error, never used."""
        path = self._path(kind, key)
        try:
            return _read(path, key)
        except (OSError, EntryDamaged, pickle.UnpicklingError) as exc:
            path.unlink(missing_ok=True)
            raise CacheChanged(path, exc) from None

    def store(self, kind: str, key: str, value: object) -> str | None:
        """Write the entry; its checksum, or None when nothing was kept (no cache, a read-only
        one, or one that could not be written)."""
        if self.folder is None or self.read_only:
            return None
        counted = kind != "summaries"  # a period's summary is stored with its assessment: counted once
        path = self._path(kind, key)
        checksum = self._write(path, key, value)
        if checksum is None:
            self.unkept += counted
            return None
        self.used.add(path)
        self.made.add(path)
        self.stored += counted
        return checksum

    def _write(self, path: Path, key: str, value: object) -> str | None:
        if self.unwritable is not None:
            return None
        try:
            return _write_atomically(path, key, value)
        except OSError as exc:
            self._stop_storing(exc)
            return None

    def summary(self) -> str:
        if self.folder is None:
            return "cache: not used (--no-cache)"
        unkept = f", {self.unkept} computed and not kept (the cache could not be written)" if self.unkept else ""
        return (f"cache: {self.hits} entries (the roster, periods read or assessed before) reused, "
                f"{self.stored} computed and kept{unkept}")

    def prune(self) -> None:
        """Remove what this build did not use: entries of old inputs or an old generator."""
        self._remove(lambda path: path not in self.used)

    def discard_made(self) -> None:
        """Remove the entries this build stored: a build the guards refused rests on data judged
        suspect (a wrong folder, a broken month), whose entries the next build, on corrected
        data, would never read. A rerun with --force computes them again."""
        self._remove(lambda path: path in self.made)
        self.made.clear()

    def _remove(self, chosen: Callable[[Path], bool]) -> None:
        if self.folder is None or self.read_only or not self.folder.is_dir():
            return
        for path in self.folder.rglob("*"):
            if path.is_file() and chosen(path):
                try:
                    path.unlink()
                except OSError:  # a read-only cache: reported when its first write failed
                    pass

    def _warn_damaged(self, path: Path, exc: Exception) -> None:
        reason = exc if isinstance(exc, EntryDamaged) else f"it cannot be read: {type(exc).__name__}: {exc}"
        self.warn(f"cache entry {path} was not used: {reason}. It is computed again and replaced.")

    def _stop_storing(self, exc: OSError) -> None:
        self.unwritable = exc.strerror or str(exc)
        self.warn(f"the build cache in {self.folder} cannot be written ({self.unwritable}); "
                  "this build goes on without keeping entries, so the next one computes them again. "
                  "Fix: free space on that disk or give it write permission, or point --cache at another folder "
                  "(--no-cache: do not use one).")

    def _remove_abandoned_partials(self) -> None:
        """A build killed while writing an entry leaves its temporary file: nothing reads it."""
        assert self.folder is not None
        if not self.folder.is_dir():
            return
        for path in self.folder.glob(f"*/*{PARTIAL}"):
            owner = re.search(r"\.(\d+)\.partial$", path.name)
            if owner is None or not _running(int(owner[1])):
                path.unlink(missing_ok=True)

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None  # callers return early without a cache
        return self.folder / kind / f"{key}{SUFFIX}"


class CacheChanged(EnvironmentFault):
    """An entry this build checked changed or went missing before it was read again."""

    def __init__(self, path: Path, exc: Exception):
        super().__init__([f"cache entry {path} changed or went missing while the build ran ({exc}); it was "
                          "removed and nothing was published. Fix: run the build again (it computes the entry "
                          "again), and let only one build use a cache folder at a time."])


def _checked(path: Path, key: str) -> str:
    """The checksum of an entry that is whole and made for `key`, read in blocks (an assessment
    of a province period is tens of megabytes)."""
    with open(path, "rb") as stream:
        header = stream.read(HEADER)
        if header[:len(MAGIC)] != MAGIC:
            raise EntryDamaged("it does not start as an entry of this cache does")
        if header[len(MAGIC):len(MAGIC) + KEY_BYTES] != key.encode("ascii"):
            raise EntryDamaged("it was made for another key")
        if hashlib.file_digest(stream, "sha256").digest() != header[len(MAGIC) + KEY_BYTES:]:
            raise EntryDamaged("its content does not match its checksum (truncated or altered)")
    return header[len(MAGIC) + KEY_BYTES:].hex()


def _read(path: Path, key: str) -> object:
    """The content of an entry, checked whole before a byte of it is unpickled."""
    _checked(path, key)
    with open(path, "rb") as stream:
        stream.seek(HEADER)
        return pickle.load(stream)


class _Hashing:
    """A file that hashes what is written to it: the pickle is streamed, never held whole."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest = stream, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.stream.write(data)


def _write_atomically(path: Path, key: str, value: object) -> str:
    """Written to a temporary name, flushed to disk, then renamed: the entry is whole or absent.
    Returns the content's checksum."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}{PARTIAL}")
    try:
        with open(partial, "wb") as stream:
            stream.write(MAGIC + key.encode("ascii") + bytes(32))  # the checksum's place, filled in below
            hashing = _Hashing(stream)
            pickle.dump(value, hashing, protocol=pickle.HIGHEST_PROTOCOL)
            stream.seek(len(MAGIC) + KEY_BYTES)
            stream.write(hashing.digest.digest())
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return hashing.digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    """The rename reaches the disk too (a power cut after it must not lose the entry's name)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
