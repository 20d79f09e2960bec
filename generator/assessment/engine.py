"""assess(dataset): every period and roll-up scored, graded, ranked and awarded."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np
import pandas as pd

from generator.assessment.as_of import PeriodRosters
from generator.assessment.calendar import AssessedPeriod, plan
from generator.assessment.counting import standing
from generator.assessment.held import HeldRows, nearest_units
from generator.assessment.inputs import ExtractTables, PeriodInputs, with_absent
from generator.assessment.ranking import unit_ancestors
from generator.assessment.relative import config_targets, scope_figures, scope_keys
from generator.assessment.rollup import rollup_inputs, rollup_rules
from generator.assessment.scoring import ItemRule, ItemScore, composite, item_rules, score_item
from generator.assessment.table import Context, build_table
from generator.assessment.violations import disqualification_reasons, penalty_points
from generator.config.assessment import GROWTH_METHODS, AssessmentConfig
from generator.errors import ConfigError
from generator.extract.dataset import Dataset
from generator.extract.periods import Period

DETAIL_FIELDS = ("actual", "target", "base", "completion", "counted", "reason")


@dataclass
class PeriodAssessment:
    """One assessed period.

    table:   the published table (one row per manager, index manager_id)
    points:  exact int64 hundredths per manager: score_<item>..., group_<id>..., penalty, total
    detail:  per item (column level 0): actual (the value, for a qualitative item), target,
             base, completion, counted (completion after floor and cap) and reason codes
    members: the extract periods the period is made of
    """

    period: AssessedPeriod
    members: list[Period]
    table: pd.DataFrame
    points: pd.DataFrame
    detail: pd.DataFrame
    ranked_bankwide: int | None = None  # set when the table is cut to one branch: the bank-wide count

    @property
    def id(self) -> str:
        return self.period.id

    @property
    def history(self) -> pd.DataFrame:
        """The columns a manager's history chart reads, with whether he counted (counting.standing)."""
        return self.table[HISTORY_COLUMNS].assign(standing=standing(self.table))


HISTORY_COLUMNS = ["manager_id", "unit_id", "total", "rank_overall"]  # and standing


class AssessedResult(Protocol):
    """What the site reads of an assessed period, whether just computed (PeriodAssessment) or
    found in a build cache, whose tables load only when read."""

    period: AssessedPeriod
    members: list[Period]

    @property
    def id(self) -> str: ...

    @property
    def table(self) -> pd.DataFrame: ...

    @property
    def points(self) -> pd.DataFrame: ...

    @property
    def detail(self) -> pd.DataFrame: ...

    @property
    def history(self) -> pd.DataFrame: ...

    @property
    def ranked_bankwide(self) -> int | None: ...


@dataclass(frozen=True)
class Recalled:
    """A period an AssessmentMemo already holds, and the actuals later growth items compare with."""

    result: AssessedResult
    bases: pd.DataFrame


class AssessmentMemo(Protocol):
    """Where assessed periods may be kept for later builds (generator.cache wraps the engine with
    one); the engine itself keeps nothing."""

    def recall(self, period: AssessedPeriod, members: list[Period]) -> Recalled | None: ...

    def remember(self, result: PeriodAssessment, bases: pd.DataFrame) -> None: ...


class _NoMemo:
    def recall(self, period: AssessedPeriod, members: list[Period]) -> Recalled | None:
        return None

    def remember(self, result: PeriodAssessment, bases: pd.DataFrame) -> None:
        return None


@dataclass
class Assessment:
    context: Context
    periods: dict[str, AssessedResult]

    def __getitem__(self, period_id: str) -> AssessedResult:
        return self.periods[period_id]

    @property
    def rules(self) -> list[ItemRule]:
        return self.context.rules

    @property
    def config(self) -> AssessmentConfig:
        return self.context.config

    @property
    def language(self) -> str:
        return self.context.language


def assess(dataset: Dataset) -> Assessment:
    """Assess every extract period and configured roll-up, holding them all (a site streams them:
    generator.assessment.site)."""
    assessor = Assessor(dataset)
    return Assessment(assessor.context, {result.id: result for result in assessor.run()})


class Assessor:
    """Walks the planned periods in order, remembering what later periods compare with.

    A `memo` (generator.cache) may hold periods assessed by earlier builds; the engine asks it
    before assessing a period and hands it every period it assesses."""

    def __init__(self, dataset: Dataset, memo: AssessmentMemo | None = None):
        self.dataset = dataset
        self.memo: AssessmentMemo = memo or _NoMemo()
        self.context = _context(dataset)
        self.rollup_rules = rollup_rules(dataset.config.settings)
        self.growth_indicators = sorted({r.source_id for r in self.context.rules if r.method in GROWTH_METHODS})
        self.bases: dict[str, pd.DataFrame] = {}  # period id → actuals of the growth indicators
        self.latest: dict[str, AssessedResult] = {}  # kind → last result, for movements

    def run(self) -> Iterator[AssessedResult]:
        for period, members in plan(self.dataset.periods, self.context.config.rollups.periods):
            recalled = self.memo.recall(period, members)
            if recalled is not None:
                self.bases[period.id] = recalled.bases
                result = recalled.result
            else:
                result = self._assess(period, members)
                self.memo.remember(result, self.bases[period.id])
            self.latest[period.kind] = result
            yield result

    def _assess(self, period: AssessedPeriod, members: list[Period]) -> PeriodAssessment:
        inputs = self._inputs(period, members)
        self.bases[period.id] = inputs.actuals[self.growth_indicators]
        previous = self.latest.get(period.kind)
        if previous is not None and previous.id != period.previous.id:
            previous = None  # a gap in the data: nothing to compare with
        return self.assess_period(inputs, previous)

    @cached_property
    def tables(self) -> ExtractTables:
        """Split on first use: a build that finds every period in the cache never needs it."""
        return ExtractTables(self.dataset)

    @cached_property
    def held(self) -> HeldRows:
        return HeldRows(self.dataset, self.context.language)

    def _inputs(self, period: AssessedPeriod, members: list[Period]) -> PeriodInputs:
        if period.is_rollup:
            inputs = rollup_inputs(self.tables, period, members, self.rollup_rules)
        else:
            inputs = self.tables.extract_period_inputs(period, members[0])
        absent = self.held.absent(members, inputs.index)
        if not absent:
            return inputs
        root = str(self.dataset.units.index[self.dataset.units["depth"].eq(0)][0])
        return with_absent(inputs, nearest_units(self.dataset.performance, absent, members[-1].id, root))

    def assess_period(self, inputs: PeriodInputs, previous: AssessedResult | None) -> PeriodAssessment:
        context, config = self.context, self.context.config
        index = inputs.index
        bases = {method: self._bases(method, inputs) for method in GROWTH_METHODS}
        disqualification = disqualification_reasons(self.dataset.violations, inputs.period,
                                                    config.violations.disqualification_window, index,
                                                    context.language)
        held = self.held.reasons(inputs.members, index)
        pool = (disqualification.eq("") & held.eq("")).to_numpy(bool)  # who relative items compare with
        values = {rule.key: self._item_values(rule, inputs, bases, pool) for rule in context.rules}
        items = {rule.key: score_item(rule, values[rule.key]) for rule in context.rules}
        penalty = (penalty_points(inputs.violations, index) if config.violations.subtract_penalty
                   else np.zeros(len(index), dtype=np.int64))
        points = composite(context.rules, items, penalty, index, config.bonus_cap)
        table = build_table(context, inputs, points, disqualification,
                            previous.table if previous else None, previous.points if previous else None,
                            held=held)
        return PeriodAssessment(inputs.period, inputs.members, table, points,
                                _detail(context.rules, values, items, index))

    def _item_values(self, rule: ItemRule, inputs: PeriodInputs, bases: dict[str, pd.DataFrame | None],
                     pool: np.ndarray) -> dict[str, np.ndarray]:
        values = _item_values(rule, inputs, bases)
        item = rule.item
        if item is None:
            return values
        if item.target is not None:
            summed = inputs.period.is_rollup and self.rollup_rules.get(rule.source_id) == "sum"
            months = inputs.roster["periods_present"].to_numpy(float) if summed else np.ones(len(inputs.index))
            values["target"] = config_targets(item.target, self.context.managers, inputs.index, months)
        if rule.method == "relative":
            assert item.scope is not None, "validated: a relative item has its scope"
            where = next(f"assessment.groups[{g}].items[{i}]" for g, group in enumerate(self.context.config.groups)
                         for i, candidate in enumerate(group.items) if candidate.key == rule.key)
            keys = scope_keys(item.scope, inputs.roster["unit_id"], self.context.ancestors,
                              self.context.managers, where)
            values |= scope_figures(values["actual"], keys, pool, rule.better == "lower")
            values["in_pool"] = pool.astype(float)
            # shown beside the points: the scope's figure the item is measured on, and how many compared
            values["base"] = values[{"rank": "rank", "share": "total", "ratio_to_best": "best"}[item.by or "rank"]]
            values["compared"] = values["pool"]
        return values

    def _bases(self, method: str, inputs: PeriodInputs) -> pd.DataFrame | None:
        """The actuals a growth method compares with, on this period's managers (None: no such period)."""
        period = inputs.period.previous if method == "growth_prev" else inputs.period.year_ago
        base = self.bases.get(period.id)
        return None if base is None else base.reindex(inputs.index)


def _context(dataset: Dataset) -> Context:
    settings = dataset.config.settings
    config = settings.assessment
    if config is None:
        raise ConfigError([f"{dataset.config.path.name}: assessment: the section is missing; the assessment "
                           "needs its groups of weighted items. Fix: add an `assessment:` section "
                           "(see docs/assessment.md)."])
    ancestors = unit_ancestors(dataset.units)
    deepest = int(ancestors.columns.max())
    return Context(
        config=config,
        rules=item_rules(settings, config),
        indicators=settings.indicators,
        managers=dataset.managers,
        units=dataset.units,
        ancestors=ancestors,
        depths=[d for d in (config.rankings.tree_depths or range(1, deepest + 1)) if d <= deepest],
        attributes=[a for a in config.rankings.attributes if a in dataset.managers.columns],
        language=settings.site.language,
        rosters=PeriodRosters(dataset),
    )


def _item_values(rule: ItemRule, inputs: PeriodInputs, bases: dict[str, pd.DataFrame | None]) -> dict[str, np.ndarray]:
    """The arrays an item's formulas read, all on the period's managers (NaN = missing)."""
    size = len(inputs.index)
    if rule.source == "qualitative":
        return {"value": _column(inputs.evaluations, rule.source_id, size)}
    return {"actual": _column(inputs.actuals, rule.source_id, size),
            "target": _column(inputs.targets, rule.source_id, size),
            "base": _column(bases.get(rule.method), rule.source_id, size)}


def _column(frame: pd.DataFrame | None, column: str, size: int) -> np.ndarray:
    if frame is None or column not in frame:
        return np.full(size, np.nan)
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def _detail(rules: list[ItemRule], values: dict[str, dict], items: dict[str, ItemScore],
            index: pd.Index) -> pd.DataFrame:
    columns = {}
    for rule in rules:
        given, scored = values[rule.key], items[rule.key]
        actual = given["actual"] if "actual" in given else given["value"]
        nothing = np.full(len(actual), np.nan)
        for field, data in zip(DETAIL_FIELDS, (actual, given.get("target", nothing), given.get("base", nothing),
                                               scored.completion, scored.counted, scored.reason)):
            columns[(rule.key, field)] = data
        if "compared" in given:  # relative items: how many managers the scope compared
            columns[(rule.key, "compared")] = given["compared"]
    return pd.DataFrame(columns, index=index)
