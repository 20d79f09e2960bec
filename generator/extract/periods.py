"""Assessment periods: naming, ordering and discovery of their folders."""
from __future__ import annotations

import glob
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.config.loading import LoadedConfig
from generator.config.patterns import example_name, period_name
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
    """Every folder under the data directory whose name is periods.directory filled with a period,
    in time order. A folder at that place that looks like a period but is not named as the
    pattern names one (2026-13, 2026-9 for {month:02d}, 2026q3 for Q) is a named problem; one
    with no year in its name at all (an archive, notes) is not a period folder."""
    section = config.settings.periods
    data_dir = config.data_dir
    if not data_dir.is_dir():
        raise DataError([f"{data_dir}: data directory not found (config key data.directory). "
                         "Fix: point data.directory or --data at the folder of the extracts."])
    naming = _Naming(section.directory, section.frequency)
    found: dict[Period, Path] = {}
    misnamed = []
    for candidate in sorted(data_dir.glob(naming.glob)):
        relative = candidate.relative_to(data_dir).as_posix()
        period, problem = naming.period_of(relative)
        if period is None and problem is None:
            continue  # no period's name, nor like one: another folder (an archive) or a file
        outside = outside_links(config, relative)
        if outside:  # not followed, so not looked into: a named problem, never a silent period less
            misnamed += outside
            continue
        if not candidate.is_dir():
            continue
        if problem:
            misnamed.append(problem)
        elif period is not None:
            found[period] = candidate
    if misnamed:
        raise DataError(misnamed)
    if not found:
        raise DataError([f"{data_dir}: no period folders match periods.directory {section.directory!r} (a period "
                         f"is named like {naming.example!r}). Fix: check the folder names or the pattern."])
    return [PeriodFolder(period, found[period]) for period in sorted(found)]


def period_file(pattern: str, period: Period) -> str:
    """A period file's name: its pattern (performance_{year}{month:02d}.csv) filled with the period."""
    return period_name(pattern, period.year, period.number, period.frequency)


class _Naming:
    """periods.directory as a way to find the period folders and read their names. The folders
    looked at are every folder at the pattern's depth (its fixed parts as written); each is a
    period when its name is the pattern filled with that period's numbers."""

    def __init__(self, pattern: str, frequency: str):
        self.pattern, self.frequency = pattern, frequency
        self.example = example_name(pattern, frequency)
        self.glob = "/".join(glob.escape(part) if "{" not in part.replace("{{", "") else "*"
                             for part in pattern.split("/"))
        self.strict = _regex(pattern, loose=False)
        self.loose = _regex(pattern, loose=True)

    def period_of(self, relative: str) -> tuple[Period | None, str | None]:
        """The period a folder names, or else the problem with its name (None, None: not a period folder)."""
        match = self.strict.fullmatch(relative)
        if match:
            period = _period_from_match(match, self.frequency)
            if period is not None and period_file(self.pattern, period) == relative:
                return period, None
        loose = self.loose.fullmatch(unicodedata.normalize("NFKC", relative))
        if loose:
            return None, self._misnamed(relative, loose)
        if _YEAR_LIKE.search(relative.rsplit("/", 1)[-1]):
            return None, (f"{relative}: folder looks like a period (it names a year) but is not named as "
                          f"periods.directory {self.pattern!r} names one (like {self.example!r}). Fix: rename the "
                          "folder, move it out of the data folder, or correct periods.directory.")
        return None, None

    def _misnamed(self, relative: str, match: re.Match) -> str:
        numbers = {name: int(value) for name, value in match.groupdict().items()}
        field = "month" if self.frequency == "monthly" else "quarter"
        limit = 12 if field == "month" else 4
        where = (f"{relative}: folder matches periods.directory {self.pattern!r} but names no valid "
                 f"{self.frequency} period")
        if not 1 <= numbers[field] <= limit:
            return f"{where}: {field} {numbers[field]} is not 1 to {limit}. Fix: rename or remove the folder."
        if not FIRST_YEAR <= numbers["year"] <= LAST_YEAR:
            return f"{where}: {numbers['year']:04d} is no year of a period. Fix: rename or remove the folder."
        named = period_file(self.pattern, Period(numbers["year"], numbers[field], self.frequency))
        return (f"{where}: it is written differently from the pattern, which names that period {named!r} "
                f"(digits, padding, letter case). Fix: rename the folder {named!r}, or correct periods.directory.")


_YEAR_LIKE = re.compile(r"(?:19|20)[0-9]{2}")
FIRST_YEAR, LAST_YEAR = 1900, 2999  # beyond them a four-digit number is no period's year (0000 has no dates)


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


def _regex(pattern: str, *, loose: bool) -> re.Pattern:
    """The names the pattern can give, with a group per field. Strict: the digits its format
    writes (a padded month has exactly that many); loose (to say why a name is wrong): any run
    of digits, the fixed text in any letter case."""
    parts = []
    for literal, field, spec, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if field:
            parts.append(_field_regex(field, spec or "", loose))
    return re.compile("".join(parts), flags=re.IGNORECASE if loose else 0)


def _field_regex(field: str, spec: str, loose: bool) -> str:
    if field == "year":
        return r"(?P<year>[0-9]{4})"
    if loose:
        return rf"(?P<{field}>[0-9]+)"
    width = re.fullmatch(r"0([1-4])d?", spec)
    digits = rf"[0-9]{{{width.group(1)},2}}" if width else r"[0-9]{1,2}"
    return rf"(?P<{field}>{digits})"


def _period_from_match(match: re.Match, frequency: str) -> Period | None:
    number, year = int(match.group("month" if frequency == "monthly" else "quarter")), int(match.group("year"))
    if not 1 <= number <= (12 if frequency == "monthly" else 4) or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return Period(year, number, frequency)
