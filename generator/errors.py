"""Problems the build reports to people, as messages rather than tracebacks."""
from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from generator.i18n import pick

EXIT_OK = 0
EXIT_DATA_ERROR = 1
EXIT_CONFIG_ERROR = 2
EXIT_PUBLISH_REFUSED = 4
EXIT_ENVIRONMENT = 5  # the machine failed the build: a write refused (disk full, read-only, permission), a lost process

# error: the file cannot be used at all, nothing is published.
# reject: the row is quarantined and listed on the data-quality page; the build goes on.
# warning: the row is kept but looks wrong; listed too.
Severity = Literal["error", "reject", "warning"]


class BuildError(Exception):
    """A failure explained by its messages; the CLI prints them and exits with `exit_code`."""

    exit_code = EXIT_DATA_ERROR

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages

    def __reduce__(self) -> tuple[type[BuildError], tuple[list[str]]]:
        """Pickled whole: a page-rendering worker sends its error to the build (render.workers)."""
        return type(self), (self.messages,)


class ConfigError(BuildError):
    exit_code = EXIT_CONFIG_ERROR


class DataError(BuildError):
    exit_code = EXIT_DATA_ERROR


class EnvironmentFault(BuildError):
    """Not the data, the config or the generator: the machine (a full disk, a read-only folder,
    a process killed from outside). Nothing is published; fixed, the same build succeeds."""

    exit_code = EXIT_ENVIRONMENT


# what the operating system says about the machine rather than about the generator's code
_FIXES = {
    errno.ENOSPC: "free space on that disk (a build needs room for the new site beside the published one "
                  "and for its cache), or point --out and --cache at a disk with room",
    errno.EDQUOT: "raise the disk quota of the user running the build or free some of its space, or point --out "
                  "and --cache elsewhere",
    errno.EROFS: "point --out (and --cache) at a folder on a writable file system, or remount it read-write",
    errno.EACCES: "give the user running the build permission on it (to read an input, to write in --out's and "
                  "--cache's folders), or point --out (and --cache) at a folder it may write",
    errno.EPERM: "give the user running the build permission on it (to read an input, to write in --out's and "
                 "--cache's folders), or point --out (and --cache) at a folder it may write",
    errno.ENOTDIR: "a part of that path is a file, not a folder: point --out (or --cache) at a folder",
    errno.EIO: "the disk reported an input/output error: check it (dmesg, the storage's health) before rerunning",
    errno.EFBIG: "the file system refuses files this large: point --out and --cache at another one",
}


_WRITING = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}  # the rest may come of a read too


def is_environment_fault(exc: BaseException) -> bool:
    """An OSError that says the machine refused, not that the generator went wrong."""
    return isinstance(exc, OSError) and exc.errno in _FIXES


def environment_fault(exc: OSError, out: object) -> EnvironmentFault:
    """The message for an OSError that is_environment_fault: what failed, where, and the fix."""
    where = exc.filename if exc.filename is not None else f"a file of the site beside {out} or of the build cache"
    name = errno.errorcode.get(exc.errno or 0, "")
    verb = "write" if exc.errno in _WRITING else "use"
    return EnvironmentFault([
        f"could not {verb} {where}: {exc.strerror or os.strerror(exc.errno or 0)} ({name}). Nothing was published: "
        f"{out} is as it was, and this build's staging folder was removed.",
        f"Fix: {_FIXES[exc.errno or 0]}; then run the build again."])


@contextmanager
def located(path: object) -> Iterator[None]:
    """An OSError raised inside names `path` when it names no file itself (a write that finds
    the disk full says only that): the message can then say where."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        raise type(exc)(exc.errno, exc.strerror, str(path)) from exc


@dataclass(frozen=True)
class Issue:
    """One problem in one cell (or row, or file) of an extract.

    It carries its words in both languages, filled in with the row's values when it was found:
    `message` and `fix` are English (the CLI log); `message_zh` and `fix_zh` say the same in
    Chinese, for a zh site's data-quality pages. `text` and `fix_text` choose by `pick`."""

    severity: Severity
    rule: str
    file: str
    message: str
    fix: str
    message_zh: str
    fix_zh: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    period: str | None = None
    manager_id: str | None = None
    raw: tuple[str, ...] = field(default=(), compare=False)

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def text(self, language: str) -> str:
        """The message in the site language."""
        return self.message_zh if pick(language) == "zh" else self.message

    def fix_text(self, language: str) -> str:
        return self.fix_zh if pick(language) == "zh" else self.fix

    def describe(self) -> str:
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{self.severity}: {self.location()}: {self.message}{value} [rule {self.rule}]. Fix: {self.fix}"
