"""The assessment engine wrapped by the build cache: a period whose data up to its end, config
and generator are unchanged is taken from the cache (nothing an assessment reads lies after
its last month); every period assessed now is stored for the next build."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from generator.assessment.calendar import AssessedPeriod
from generator.assessment.engine import AssessedResult, PeriodAssessment, Recalled
from generator.cache.store import BuildCache
from generator.extract.periods import Period


@dataclass
class _CachedAssessment:
    result: PeriodAssessment
    bases: pd.DataFrame  # the period's actuals that later growth items compare with


@dataclass
class _Summary:
    """What every later build reads of a cached period, kept apart from the whole assessment:
    unpickling a province period's full tables took about a second, and a nightly build
    passes three years of them."""

    period: AssessedPeriod
    members: list[Period]
    history: pd.DataFrame  # engine.HISTORY_COLUMNS
    bases: pd.DataFrame
    whole_checksum: str  # of the whole assessment's entry as stored: another or a damaged one is not used


class ShelvedAssessment:
    """A period found in the cache: its summary at once, its tables only when read."""

    ranked_bankwide: int | None = None

    def __init__(self, summary: _Summary, cache: BuildCache, key: str):
        self.period, self.members, self.history = summary.period, summary.members, summary.history
        self._cache, self._key = cache, key

    @property
    def id(self) -> str:
        return self.period.id

    @cached_property
    def _whole(self) -> PeriodAssessment:
        entry = self._cache.reload("assessments", self._key)
        assert isinstance(entry, _CachedAssessment)  # stored by CachedAssessments.remember
        return entry.result

    @property
    def table(self) -> pd.DataFrame:
        return self._whole.table

    @property
    def points(self) -> pd.DataFrame:
        return self._whole.points

    @property
    def detail(self) -> pd.DataFrame:
        return self._whole.detail


class CachedAssessments:
    """The engine's AssessmentMemo backed by the build cache, keyed by the data `fingerprints`
    of the extract periods (generator.archive.fingerprints) and the config's hash."""

    def __init__(self, cache: BuildCache, fingerprints: dict[str, str], config_sha256: str):
        self.cache, self.fingerprints, self.config_sha256 = cache, fingerprints, config_sha256
        self.held: set[str] = set()  # keys whose whole assessment is in the cache, checked or stored now

    def key(self, period: AssessedPeriod, members: list[Period]) -> str | None:
        end = self.fingerprints.get(members[-1].id)
        if not self.cache.enabled or end is None:
            return None
        return self.cache.key("assessment", self.config_sha256, period.id, period.kind,
                              ",".join(member.id for member in members), end)

    def recall(self, period: AssessedPeriod, members: list[Period]) -> Recalled | None:
        key = self.key(period, members)
        if key is None:
            return None
        summary = self.cache.load("summaries", key, lambda entry: isinstance(entry, _Summary)
                                  and self.cache.claim("assessments", key, entry.whole_checksum))
        if not isinstance(summary, _Summary):
            return None
        self.held.add(key)
        return Recalled(ShelvedAssessment(summary, self.cache, key), summary.bases)

    def remember(self, result: PeriodAssessment, bases: pd.DataFrame) -> None:
        key = self.key(result.period, result.members)
        if key is None:
            return
        checksum = self.cache.store("assessments", key, _CachedAssessment(result, bases))
        if checksum is None:  # not kept (the cache cannot be written): the shelf holds it in memory
            return
        self.held.add(key)
        self.cache.store("summaries", key, _Summary(result.period, result.members, result.history, bases, checksum))

    def kept(self, result: AssessedResult) -> str | None:
        """The key to reload `result` by, if its whole assessment is in the cache."""
        key = self.key(result.period, result.members)
        return key if key in self.held else None

    def whole(self, key: str) -> PeriodAssessment:
        """The whole assessment of a period this build recalled or remembered under `key`."""
        entry = self.cache.reload("assessments", key)
        assert isinstance(entry, _CachedAssessment)
        return entry.result
