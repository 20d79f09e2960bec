"""Problems the build reports to people, as messages rather than tracebacks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.i18n import pick

EXIT_OK = 0
EXIT_DATA_ERROR = 1
EXIT_CONFIG_ERROR = 2
EXIT_PUBLISH_REFUSED = 4

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


class ConfigError(BuildError):
    exit_code = EXIT_CONFIG_ERROR


class DataError(BuildError):
    exit_code = EXIT_DATA_ERROR


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
