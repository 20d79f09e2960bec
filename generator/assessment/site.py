"""The site's assessments: every period and roll-up of the site assessed in order, with what
the pages read across periods (the managers' history, the roll-ups, the grade order, the
column headers). Only the periods rendered now, the ones before them and the latest are
kept, in a ResultStore: at province size all of them would not fit in memory."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

import pandas as pd

from generator.assessment.engine import AssessedResult, Assessor
from generator.assessment.history import ManagerHistory
from generator.assessment.labels import column_labels
from generator.assessment.scoring import ItemRule
from generator.extract.dataset import Dataset
from generator.extract.periods import Period

Transform = Callable[[AssessedResult], AssessedResult]


class ResultStore(Mapping[str, AssessedResult]):
    """Period or roll-up id -> its assessment, with a transform applied on reading (e.g. the cut
    to one branch of an --audience build). generator.cache keeps them on disk instead."""

    def put(self, result: AssessedResult) -> None:
        raise NotImplementedError

    def restricted(self, transform: Transform) -> ResultStore:
        raise NotImplementedError


class KeptResults(ResultStore):
    """The results held in memory (no build cache)."""

    def __init__(self, transform: Transform | None = None, kept: dict[str, AssessedResult] | None = None):
        self.transform = transform
        self.kept: dict[str, AssessedResult] = {} if kept is None else kept

    def put(self, result: AssessedResult) -> None:
        self.kept[result.id] = result

    def restricted(self, transform: Transform) -> KeptResults:
        return KeptResults(transform, self.kept)

    def __getitem__(self, period_id: str) -> AssessedResult:
        result = self.kept[period_id]
        return self.transform(result) if self.transform is not None else result

    def __iter__(self) -> Iterator[str]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)


@dataclass(frozen=True)
class Rollup:
    """A quarter, half-year, year-to-date or year, published with the month it ends in."""

    id: str
    label: str
    end: str  # the last month, whose manager pages the roll-up's ranking links to
    rendered: bool  # False: its files come with its month's snapshot
    kind: str = ""  # quarter, half_year, year_to_date or year


@dataclass(frozen=True)
class SiteAssessments:
    results: ResultStore  # what is rendered now, the periods before them, the latest
    labels: dict[str, str]  # column -> header in the site's language
    grade_order: list[str]  # grade names from the top grade down
    rollups: list[Rollup] = field(default_factory=list)
    rules: list[ItemRule] = field(default_factory=list)  # the scored items, in config order
    history: ManagerHistory | None = None
    wanted: set[str] = field(default_factory=set)  # the periods rendered now
    assessed: set[str] = field(default_factory=set)  # every period of the site with an assessment

    def table(self, period: str) -> pd.DataFrame | None:
        """The period's published table when it is rendered now and assessed."""
        return self.results[period].table if period in self.wanted and period in self.results else None

    def previous(self, period: str) -> AssessedResult | None:
        result = self.results[period]
        return self.results.get(result.period.previous.id)

    def rendering(self, periods: set[str]) -> SiteAssessments:
        """The same assessments, for a render of other periods (a revision of a closed one)."""
        rollups = [replace(rollup, rendered=rollup.end in periods) for rollup in self.rollups]
        return replace(self, wanted=set(periods), rollups=rollups)


def assess_site(dataset: Dataset, periods: list[str], render: set[str], assessor: Assessor | None,
                store: ResultStore, revise: AbstractSet[str] = frozenset()) -> SiteAssessments:
    """Assess every period of the site; keep in `store` those rendered now (`render`, and the
    closed periods revised now, `revise`), the ones before them and the latest (the home page).
    Without an assessment section, only the roster's grade order."""
    settings = dataset.config.settings
    if settings.assessment is None or assessor is None:
        return SiteAssessments(store, {}, roster_grade_order(dataset))
    site = set(periods)
    shown = render | set(revise) | {max(site)}
    needed = shown | {Period.parse(p, settings.periods.frequency).shifted(-1).id for p in shown}
    language = settings.site.language
    rollups: list[Rollup] = []
    history: list[pd.DataFrame] = []
    assessed: set[str] = set()
    for result in assessor.run():
        end = result.members[-1].id
        if not result.period.is_rollup and result.id in site:
            assessed.add(result.id)
        if result.id in needed or (result.period.is_rollup and end in render | set(revise)):
            store.put(result)
        if result.period.is_rollup and end in site:
            rollups.append(Rollup(result.id, result.period.label(language), end, end in render, result.period.kind))
        if not result.period.is_rollup and result.id <= max(periods):
            history.append(result.history.rename(columns={"rank_overall": "rank"})
                           .assign(period=result.id, label=result.period.label(language)))
    system = settings.assessment.grades.systems[settings.assessment.grades.system]
    order = [level.name.text(language) for level in system.levels] + [system.below_lowest.text(language)]
    return SiteAssessments(store, column_labels(assessor.context, language), order, rollups, assessor.context.rules,
                           ManagerHistory(pd.concat(history, ignore_index=True)), set(render), assessed)


def roster_grade_order(dataset: Dataset) -> list[str]:
    """Without an assessment, the roster's grades, top down by how rarely they occur (a pyramid)."""
    if "grade" not in dataset.managers:
        return []
    counts = {str(grade): int(count) for grade, count in dataset.managers["grade"].value_counts().items()}
    return sorted(counts, key=lambda grade: (counts[grade], grade))
