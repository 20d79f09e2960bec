"""The periods an assessment covers: the extract periods themselves and roll-ups of them.

Ids (used in file names and URLs, so they sort and never clash):
  extract period   2026-10 (monthly) or 2026-Q3 (quarterly), as in generator.periods
  quarter          2026-Q3      months 7-9 (monthly extracts only)
  half year        2026-H1      months 1-6;  2026-H2 months 7-12
  year to date     2026-YTD-10  months 1-10 (ends with each extract period of the year)
  year             2026-Y       months 1-12
A roll-up exists only when every one of its months is covered by an extract period.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.extract.periods import Period
from generator.i18n import catalogue

SLOTS_PER_YEAR = {"quarter": 4, "half_year": 2, "year": 1}
MONTHS_PER_SLOT = {"quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True, order=True)
class AssessedPeriod:
    """One period that gets scores and ranks.

    number: the month or quarter of an extract period; 1-4 for a quarter; 1-2 for a half
    year; the last month for a year-to-date; 1 for a year.
    """

    kind: str
    year: int
    number: int
    frequency: str

    @classmethod
    def of(cls, period: Period) -> AssessedPeriod:
        return cls("period", period.year, period.number, period.frequency)

    @property
    def is_rollup(self) -> bool:
        return self.kind != "period"

    @property
    def id(self) -> str:
        if self.kind == "period":
            return self._extract_period().id
        return {
            "quarter": f"{self.year}-Q{self.number}",
            "half_year": f"{self.year}-H{self.number}",
            "year_to_date": f"{self.year}-YTD-{self.number:02d}",
            "year": f"{self.year}-Y",
        }[self.kind]

    @property
    def months(self) -> range:
        """Calendar months (1-12) of `year` that the period covers."""
        if self.kind == "period":
            extract = self._extract_period()
            return range(extract.start.month, extract.end.month + 1)
        if self.kind == "year_to_date":
            return range(1, self.number + 1)
        size = MONTHS_PER_SLOT[self.kind]
        return range((self.number - 1) * size + 1, self.number * size + 1)

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        return Period(self.year, self.months[-1], "monthly").end

    def shifted(self, steps: int) -> AssessedPeriod:
        """The period `steps` slots later (earlier if negative), of the same kind."""
        if self.kind == "period":
            return AssessedPeriod.of(self._extract_period().shifted(steps))
        if self.kind == "year_to_date":
            end = Period(self.year, self._end_slot(), self.frequency).shifted(steps)
            return AssessedPeriod(self.kind, end.year, end.end.month, self.frequency)
        per_year = SLOTS_PER_YEAR[self.kind]
        index = self.year * per_year + self.number - 1 + steps
        return AssessedPeriod(self.kind, index // per_year, index % per_year + 1, self.frequency)

    @property
    def previous(self) -> AssessedPeriod:
        return self.shifted(-1)

    @property
    def year_ago(self) -> AssessedPeriod:
        return AssessedPeriod(self.kind, self.year - 1, self.number, self.frequency)

    def label(self, language: str) -> str:
        if self.kind == "period":
            return self._extract_period().label(language)
        words = catalogue(language)
        if self.kind == "quarter":
            return words["period.quarter"].format(year=self.year, quarter=self.number)
        if self.kind == "half_year":
            return words[f"period.half_year.{self.number}"].format(year=self.year)
        if self.kind == "year_to_date":
            return words["period.year_to_date"].format(year=self.year, month=words[f"month.{self.number}"])
        return words["period.year"].format(year=self.year)

    def _extract_period(self) -> Period:
        return Period(self.year, self.number, self.frequency)

    def _end_slot(self) -> int:
        """The extract period (month or quarter number) a year-to-date ends with."""
        return self.number if self.frequency == "monthly" else (self.number + 2) // 3


def members(period: AssessedPeriod, available: list[Period]) -> list[Period] | None:
    """The extract periods a period is made of, or None when one of its months has no extract."""
    inside = [p for p in available if p.year == period.year
              and p.start.month >= period.months[0] and p.end.month <= period.months[-1]]
    covered = sum(p.months_per_period for p in inside)
    return sorted(inside) if covered == len(period.months) else None


def plan(available: list[Period], rollup_kinds: Sequence[str]) -> list[tuple[AssessedPeriod, list[Period]]]:
    """Every period to assess with its members: extract periods first, then each roll-up kind, in time order."""
    planned = [(AssessedPeriod.of(p), [p]) for p in sorted(available)]
    for kind in rollup_kinds:
        for candidate in _candidates(kind, available):
            parts = members(candidate, available)
            if parts is not None:
                planned.append((candidate, parts))
    return planned


def _candidates(kind: str, available: list[Period]) -> list[AssessedPeriod]:
    if not available:
        return []
    frequency = available[0].frequency
    years = sorted({p.year for p in available})
    if kind == "quarter" and frequency == "quarterly":
        return []  # the extract periods are the quarters already
    if kind == "year_to_date":
        return [AssessedPeriod(kind, p.year, p.end.month, frequency) for p in sorted(available)]
    return [AssessedPeriod(kind, year, number, frequency)
            for year in years for number in range(1, SLOTS_PER_YEAR[kind] + 1)]
