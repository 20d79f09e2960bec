"""Problems the build reports to people, as messages rather than tracebacks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EXIT_OK = 0
EXIT_DATA_ERROR = 1
EXIT_CONFIG_ERROR = 2

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
    """One problem in one cell (or row, or file) of an extract."""

    severity: Severity
    rule: str
    file: str
    message: str
    fix: str
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

    def describe(self) -> str:
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{self.severity}: {self.location()}: {self.message}{value} [rule {self.rule}]. Fix: {self.fix}"
