"""Assessment periods: naming, ordering and discovery of their folders."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.config.loading import LoadedConfig
from generator.errors import ConfigError, DataError
from generator.extract.containment import outside_links
from generator.i18n import catalogue


@dataclass(frozen=True, order=True)
class Period:
    """A month (number 1-12) or a quarter (number 1-4); ordered by time."""

    year: int
    number: int
    frequency: str

    @property
    def id(self) -> str:
        if self.frequency == "monthly":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-Q{self.number}"

    @property
    def months_per_period(self) -> int:
        return 1 if self.frequency == "monthly" else 3

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * self.months_per_period + 1, 1)

    @property
    def end(self) -> date:
        following = self.shifted(1).start
        return date.fromordinal(following.toordinal() - 1)

    def shifted(self, steps: int) -> Period:
        per_year = 12 if self.frequency == "monthly" else 4
        index = self.year * per_year + (self.number - 1) + steps
        return Period(index // per_year, index % per_year + 1, self.frequency)

    def label(self, language: str) -> str:
        words = catalogue(language)
        if self.frequency == "monthly":
            return words["period.month"].format(year=self.year, month=words[f"month.{self.number}"])
        return words["period.quarter"].format(year=self.year, quarter=self.number)

    @classmethod
    def parse(cls, text: str, frequency: str) -> Period:
        pattern = r"(\d{4})-(\d{2})" if frequency == "monthly" else r"(\d{4})-?Q([1-4])"
        match = re.fullmatch(pattern, text.strip(), flags=re.IGNORECASE)
        limit = 12 if frequency == "monthly" else 4
        if not match or not 1 <= int(match.group(2)) <= limit:
            example = "2026-10" if frequency == "monthly" else "2026-Q3"
            raise ValueError(f"{text!r} is not a {frequency} period id like {example}")
        return cls(int(match.group(1)), int(match.group(2)), frequency)


@dataclass(frozen=True)
class PeriodFolder:
    period: Period
    path: Path


def discover_periods(config: LoadedConfig) -> list[PeriodFolder]:
    """Every folder under the data directory whose name matches periods.directory, in time order."""
    section = config.settings.periods
    data_dir = config.data_dir
    if not data_dir.is_dir():
        raise DataError([f"{data_dir}: data directory not found (config key data.directory). "
                         "Fix: point data.directory or --data at the folder of the extracts."])
    glob_pattern, regex = _pattern_to_glob_and_regex(section.directory)
    found: dict[Period, Path] = {}
    misnamed = []
    for candidate in sorted(data_dir.glob(glob_pattern)):
        relative = candidate.relative_to(data_dir).as_posix()
        outside = outside_links(config, relative)
        if outside:  # not followed, so not looked into: a named problem, never a silent period less
            misnamed += outside
            continue
        if not candidate.is_dir():
            continue
        match = regex.fullmatch(relative)
        period = _period_from_match(match, section.frequency) if match else None
        if period is None:
            misnamed.append(f"{relative}: folder matches periods.directory but names no valid "
                            f"{section.frequency} period. Fix: rename or remove the folder.")
        else:
            found[period] = candidate
    if misnamed:
        raise DataError(misnamed)
    if not found:
        raise DataError([f"{data_dir}: no period folders match periods.directory "
                         f"{section.directory!r}. Fix: check the folder names or the pattern."])
    return [PeriodFolder(period, found[period]) for period in sorted(found)]


def closed_through_warnings(config: LoadedConfig, periods: list[Period]) -> list[str]:
    """periods.closed_through against the data's periods. Later than the last period would close
    periods not yet published (a typo such as 2062-09): an error. Before the first, or a month the
    data lack, closes what it says but names no published period: a warning."""
    section = config.settings.periods
    if section.closed_through is None or not periods:
        return []
    closed = Period.parse(section.closed_through, section.frequency)  # the config's validator checked the form
    first, last = periods[0], periods[-1]
    span = f"{first.id} … {last.id}"
    if closed > last:
        raise ConfigError([f"{config.path.name}: periods.closed_through: {closed.id} is after the last period of "
                           f"the data ({span}), so it would close periods before they are ever published. "
                           f"Fix: the last period whose results are final, at most {last.id}"])
    if closed < first:
        return [f"{config.path.name}: periods.closed_through: {closed.id} is before the first period of the data "
                f"({span}), so no period is closed. Fix: the last period whose results are final, or remove the key"]
    if closed not in periods:
        return [f"{config.path.name}: periods.closed_through: {closed.id} is not among the data's periods "
                f"({span}: it has no folder); every period before it is closed. Fix: name a period of the data"]
    return []


def select_periods(available: list[Period], wanted: list[str], frequency: str) -> list[Period]:
    """The periods named by --period; unknown or malformed ids are a usage error."""
    known = set(available)
    problems, chosen = [], set()
    for text in wanted:
        try:
            period = Period.parse(text, frequency)
        except ValueError as exc:
            problems.append(f"--period: {exc}")
            continue
        if period not in known:
            problems.append(f"--period: {period.id} has no data folder; available: "
                            f"{available[0].id} … {available[-1].id}")
        chosen.add(period)
    if problems:
        raise ConfigError(problems)
    return sorted(chosen)


def _pattern_to_glob_and_regex(pattern: str) -> tuple[str, re.Pattern]:
    glob_parts, regex_parts = [], []
    for literal, field, spec, _ in string.Formatter().parse(pattern):
        glob_parts.append(literal)
        regex_parts.append(re.escape(literal))
        if field:
            glob_parts.append("*")
            regex_parts.append(_field_regex(field, spec or ""))
    return "".join(glob_parts), re.compile("".join(regex_parts))


def _field_regex(field: str, spec: str) -> str:
    if field == "year":
        return r"(?P<year>\d{4})"
    width = re.fullmatch(r"0?(\d+)d", spec)
    digits = rf"\d{{{width.group(1)}}}" if width else r"\d{1,2}"
    return rf"(?P<{field}>{digits})"


def _period_from_match(match: re.Match, frequency: str) -> Period | None:
    number = int(match.group("month" if frequency == "monthly" else "quarter"))
    if not 1 <= number <= (12 if frequency == "monthly" else 4):
        return None
    return Period(int(match.group("year")), number, frequency)
