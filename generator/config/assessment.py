"""The `assessment:` section of site_config.yml: how scores, grades, ranks and awards are made.

Every rule a bank may set differently is a key here; the code holds no bank's numbers.
Cross-references to indicator and qualitative ids are checked by `reference_problems`,
which generator.config.site runs with the other cross-checks so errors name the YAML key.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from generator.config.base import IDENTIFIER, ROSTER_ATTRIBUTES, Bilingual, Strict
from generator.config.grading import (
    Eligibility,
    ExcludedManagersGrade,
    GradeDecisions,
    Prerequisites,
    roster_problems,
)

Method = Literal["target_completion", "lower_is_better", "growth_prev", "growth_yoy", "qualitative",
                 "piecewise", "banded", "bonus", "deduction", "relative"]
GROWTH_METHODS = ("growth_prev", "growth_yoy")
TARGET_METHODS = ("target_completion", "lower_is_better")
# Points read off the bank's own table of the measure (no weight × completion): see SCORING_KEYS.
TABLE_METHODS = ("piecewise", "banded")
ADJUSTMENT_METHODS = ("bonus", "deduction")  # points on or off beyond a threshold, outside the weights
Basis = Literal["actual", "completion", "excess"]
RollupKind = Literal["quarter", "half_year", "year_to_date", "year"]
PeriodKind = Literal["period", "quarter", "half_year", "year_to_date", "year"]
RollupRule = Literal["sum", "mean", "last"]
Identifier = Annotated[str, Field(pattern=IDENTIFIER)]
INDICATOR_ONLY_KEYS = ("method", "cap", "floor", "target_growth", "no_base", "of", "breakpoints", "bands",
                       "inclusive", "threshold", "per", "points", "steps", "limit", "scope", "by", "rank_points",
                       "target_share", "target")
# The keys each method reads beyond weight, floor and cap; any other of them on the item is an error.
SCORING_KEYS = {
    "piecewise": ("of", "breakpoints"),
    "banded": ("of", "bands", "inclusive"),
    "bonus": ("of", "threshold", "per", "points", "steps", "limit"),
    "deduction": ("of", "threshold", "per", "points", "steps", "limit"),
    "relative": ("scope", "by", "rank_points", "target_share"),
}
# The bases a completion needs a target for.
TARGET_BASES = ("completion", "excess")
# Omitting `cap` means the method's default; `cap: null` means no ceiling (上不封顶).
# lower_is_better reaches 200% at an actual of 0 (a manager with no loans has an NPL
# ratio of 0), so its default ceiling is 100%; the other methods have none by default.
DEFAULT_CAP = {"lower_is_better": 1.0}
# Completions (cap, floor, target_growth) are fractions: 1.2 = 120%. Beyond these bounds a value is
# a percentage written as a number (120 for 120%), not a rule anyone means.
MAX_CAP = 10.0
FLOOR_RANGE = (-10.0, 1.0)
MAX_TARGET_GROWTH = 1.0
# Scores are exact int64 hundredths: a weight beyond this cannot be meant and would overflow them.
MAX_WEIGHT = 1_000_000


class Breakpoint(Strict):
    """区间计分: `points` at a value `at` of the measure; between two breakpoints points are interpolated."""

    at: float = Field(description="A value of the measure (the actual, the completion or the excess).")
    points: float = Field(description="Points at exactly that value.")


class Band(Strict):
    """阶梯计分: every measure within [from, to) (or (from, to] with inclusive: upper) is worth `points`."""

    model_config = Strict.model_config | {"populate_by_name": True}

    lower: float | None = Field(None, alias="from", description="Lower end of the band; null = no lower end.")
    upper: float | None = Field(None, alias="to", description="Upper end of the band; null = no upper end.")
    points: float = Field(description="Points for a measure in the band.")

    def overlaps(self, other: Band) -> bool:
        low = max(-math.inf if self.lower is None else self.lower, -math.inf if other.lower is None else other.lower)
        high = min(math.inf if self.upper is None else self.upper, math.inf if other.upper is None else other.upper)
        return low < high

    def text(self) -> str:
        return f"{'' if self.lower is None else f'{self.lower:g}'}–{'' if self.upper is None else f'{self.upper:g}'}"


class ConstantTarget(Strict):
    """A target written in the config: one per value of a roster attribute (grade, segment ...)."""

    by: ROSTER_ATTRIBUTES = Field(description="The roster attribute the target depends on, e.g. grade or segment.")
    values: dict[str, float] = Field(min_length=1, description="Attribute value → target of one extract period.")
    default: float | None = Field(None, description="Target for a value not listed; null: no target (0 points).")


class Item(Strict):
    """One scored line: an indicator or a qualitative score, worth `weight` points at 100%."""

    id: Identifier | None = Field(None, description="Column id of the item; default the indicator or qualitative id.")
    indicator: str | None = None
    qualitative: str | None = None
    weight: float | None = Field(None, gt=0, description="Points earned at 100% completion (full marks, 满分). "
                                                         "Not for bonus and deduction items, which are outside them.")
    method: Method | None = Field(
        None, description="Default: target_completion (better: higher), lower_is_better (better: lower), "
                          "qualitative for qualitative items.")
    cap: float | None = Field(None, gt=0, description="Highest completion counted, e.g. 1.2; null = no ceiling.")
    floor: float | None = Field(0.0, description="Lowest completion counted; null = no floor (negative scores).")
    target_growth: float | None = Field(None, gt=0,
                                        description="Growth methods: the growth rate worth 100%, e.g. 0.10.")
    no_base: Literal["target_completion", "zero"] | None = Field(
        None, description="Growth methods without a base (new hire, first period, base 0): score on the target, "
                          "or 0. Default target_completion when the indicator has a target, else zero.")
    target: float | ConstantTarget | None = Field(
        None, description="A target written here instead of the targets file: one number for the whole bank, or "
                          "{by: grade, values: {...}, default: ...}. Per extract period; a summed roll-up adds it "
                          "up over the months present.")
    of: Basis | None = Field(
        None, description="piecewise, banded, bonus, deduction: the measure scored: the actual, the completion "
                          "(actual ÷ target) or the excess (actual − target).")
    breakpoints: list[Breakpoint] | None = Field(
        None, min_length=2, description="piecewise (区间计分): points at ascending values of the measure; "
                                        "interpolated between them, the end points' beyond them.")
    bands: list[Band] | None = Field(
        None, min_length=1, description="banded (阶梯计分): bands of the measure that do not overlap, each worth "
                                        "fixed points; a measure in no band gets 0 points.")
    inclusive: Literal["lower", "upper"] = Field(
        "lower", description="banded: which end of a band belongs to it: lower ([from, to), e.g. 完成率≥100%) or "
                             "upper ((from, to], e.g. 不良率≤1.5%).")
    threshold: float | None = Field(None, description="bonus, deduction: the measure beyond which points are added "
                                                      "or taken off (above it for a bonus on a higher-is-better "
                                                      "indicator, below it for a deduction on one; the other way "
                                                      "round for lower-is-better).")
    per: float | None = Field(None, gt=0,
                              description="bonus, deduction: the step of the measure, e.g. 0.1 (每0.1个百分点).")
    points: float | None = Field(None, gt=0, description="bonus, deduction: points per step, e.g. 1 (扣1分).")
    steps: Literal["whole", "proportional"] = Field(
        "whole", description="bonus, deduction: count whole steps only (不足一档不计, default) or in proportion.")
    limit: float | None = Field(None, gt=0, description="bonus, deduction: at most these points (最多扣/加); "
                                                        "null: no limit.")
    scope: str | None = Field(None, description="relative: managers compared together: bank, unit, depth<d> "
                                                "(e.g. depth2 = 支行) or a roster attribute (segment ...).")
    by: Literal["rank", "ratio_to_best", "share"] | None = Field(
        None, description="relative: by rank in the scope, by the ratio to the scope's best, or by the share of "
                          "the scope's total (÷ target_share).")
    rank_points: list[float] | None = Field(
        None, min_length=1, description="relative by rank: the points of the 1st, 2nd, ... (0 beyond); default "
                                        "weight × (n − rank + 1) ÷ n of n managers compared.")
    target_share: float | None = Field(None, gt=0, le=1,
                                       description="relative by share: the share of the scope's total worth 100%.")

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if (self.indicator is None) == (self.qualitative is None):
            raise ValueError("give exactly one of `indicator` or `qualitative`")
        if self.qualitative is not None:
            misplaced = [key for key in INDICATOR_ONLY_KEYS if key in self.model_fields_set
                         and not (key == "method" and self.method == "qualitative")]
            if misplaced:
                raise ValueError(f"{', '.join(misplaced)}: only for indicator items")
            return self._weighted()
        if self.method == "qualitative":
            raise ValueError("method qualitative is for qualitative items")
        method = self.method or "target_completion"
        for key in sorted(set().union(*SCORING_KEYS.values()) - set(SCORING_KEYS.get(method, ()))):
            if key in self.model_fields_set:
                users = " or ".join(m for m, keys in SCORING_KEYS.items() if key in keys)
                raise ValueError(f"{key}: only for method {users}, not {method}. Fix: remove it, or set method")
        growth = method in GROWTH_METHODS
        if growth and self.target_growth is None:
            raise ValueError(f"method {method} needs target_growth (the growth rate worth 100%)")
        if not growth and ({"target_growth", "no_base"} & self.model_fields_set):
            raise ValueError("target_growth and no_base are only for the growth methods")
        self._method_rules(method)
        if method in TABLE_METHODS + ADJUSTMENT_METHODS and {"cap", "floor"} & self.model_fields_set:
            raise ValueError(f"cap and floor bound a completion; method {method} reads its points off its own "
                             "table. Fix: remove them (write the highest and lowest points in the table, or limit)")
        cap = self.effective_cap(method)
        if self.floor is not None and cap is not None and self.floor >= cap:
            raise ValueError(f"floor {self.floor:g} must be below cap {cap:g}")
        return self._weighted()

    def _weighted(self) -> Item:
        adjustment = self.method in ADJUSTMENT_METHODS
        if adjustment and self.weight is not None:
            raise ValueError(f"weight: a {self.method} item adds or takes off points outside the full marks, so "
                             "it has no weight. Fix: remove weight (its size is per, points and limit)")
        if not adjustment and self.weight is None:
            raise ValueError("weight: missing. Fix: write the points the item is worth at 100% (满分), e.g. 15")
        return self

    def _method_rules(self, method: str) -> None:
        needs = {"piecewise": ("of", "breakpoints"), "banded": ("of", "bands"),
                 "bonus": ("of", "threshold", "per", "points"), "deduction": ("of", "threshold", "per", "points"),
                 "relative": ("scope", "by")}.get(method, ())
        missing = [key for key in needs if getattr(self, key) is None]
        if missing:
            raise ValueError(f"method {method} needs {', '.join(missing)} (see docs/assessment.md)")
        if self.breakpoints is not None:
            values = [point.at for point in self.breakpoints]
            for k in range(1, len(values)):
                if values[k] <= values[k - 1]:
                    raise ValueError(f"breakpoints[{k}].at: {values[k]:g} is not above breakpoints[{k - 1}].at "
                                     f"{values[k - 1]:g}. Fix: list the breakpoints by ascending `at`, each value once")
        if self.bands is not None:
            self._bands_apart(self.bands)
        if method == "relative":
            self._relative_rules()

    @staticmethod
    def _bands_apart(bands: list[Band]) -> None:
        for k, band in enumerate(bands):
            if band.lower is not None and band.upper is not None and band.lower >= band.upper:
                raise ValueError(f"bands[{k}]: from {band.lower:g} is not below to {band.upper:g}. Fix: swap them")
            for j in range(k):
                if band.overlaps(bands[j]):
                    raise ValueError(f"bands[{k}] ({band.text()}) overlaps bands[{j}] ({bands[j].text()}), so a "
                                     "measure in both would have two scores. Fix: make one band end where the next "
                                     "begins")

    def _relative_rules(self) -> None:
        if self.by == "share" and self.target_share is None:
            raise ValueError("relative by share needs target_share (the share of the scope's total worth 100%, "
                             "e.g. 0.25)")
        if self.by != "share" and self.target_share is not None:
            raise ValueError("target_share is only for relative by share")
        if self.by != "rank" and self.rank_points is not None:
            raise ValueError("rank_points is only for relative by rank")
        if self.rank_points is not None and self.rank_points != sorted(self.rank_points, reverse=True):
            raise ValueError("rank_points: the 1st place's points come first, each at least the next one's. "
                             "Fix: list them from the 1st place down")

    @field_validator("weight")
    @classmethod
    def _weight_is_points(cls, weight: float | None) -> float | None:
        if weight is not None and weight > MAX_WEIGHT:
            raise ValueError(f"a weight is the points an item is worth at 100%; {weight:g} points cannot be "
                             f"meant (at most {MAX_WEIGHT:,}). Fix: write the item's points, e.g. 15")
        return weight

    @field_validator("cap")
    @classmethod
    def _cap_is_a_fraction(cls, cap: float | None) -> float | None:
        if cap is not None and cap > MAX_CAP:
            raise ValueError(f"cap is a fraction of the target (1.2 = 120%); {cap:g} would count up to "
                             f"{cap:.0%}. Fix: write {cap / 100:g} for {cap:g}%, or null for no ceiling")
        return cap

    @field_validator("floor")
    @classmethod
    def _floor_is_a_fraction(cls, floor: float | None) -> float | None:
        low, high = FLOOR_RANGE
        if floor is not None and floor > high:
            raise ValueError(f"floor is a fraction of the target; {floor:g} would give every manager at least "
                             f"{floor:.0%} of the weight whatever he did. Fix: write {floor / 100:g} for {floor:g}%, "
                             "or 0")
        if floor is not None and floor < low:
            raise ValueError(f"floor is a fraction of the target; {floor:g} would count down to {floor:.0%}. "
                             f"Fix: write {floor / 100:g} for {floor:g}%, or null for no floor")
        return floor

    @field_validator("target_growth")
    @classmethod
    def _growth_is_a_fraction(cls, growth: float | None) -> float | None:
        if growth is not None and growth > MAX_TARGET_GROWTH:
            raise ValueError(f"target_growth is a fraction (0.10 = 10%); {growth:g} asks for {growth:.0%} "
                             f"growth for full points. Fix: write {growth / 100:g} for {growth:g}%")
        return growth

    @property
    def key(self) -> str:
        key = self.id or self.indicator or self.qualitative
        assert key is not None, "validated: an item has an indicator or a qualitative"
        return key

    def effective_cap(self, method: str) -> float | None:
        if method in TABLE_METHODS + ADJUSTMENT_METHODS:
            return None
        return self.cap if "cap" in self.model_fields_set else DEFAULT_CAP.get(method)

    def effective_floor(self, method: str) -> float | None:
        return None if method in TABLE_METHODS + ADJUSTMENT_METHODS else self.floor

    def highest(self, method: str) -> float | None:
        """The most points the item can give a manager; None: no ceiling (上不封顶)."""
        weight = self.weight or 0.0
        if self.qualitative is not None:
            return weight  # the loader keeps a qualitative score within 0..max
        if method == "piecewise" and self.breakpoints:
            return max(point.points for point in self.breakpoints)
        if method == "banded" and self.bands:
            return max([band.points for band in self.bands] + [0.0])  # a measure in no band scores 0
        if method == "bonus":
            return self.limit
        if method == "deduction":
            return 0.0
        cap = self.effective_cap(method)
        if method == "relative":
            # a rank or a ratio to the best counts at most 100%; a share at most the whole scope
            most = 1.0 / self.target_share if self.by == "share" and self.target_share else 1.0
            if self.by == "rank" and self.rank_points:
                return max(self.rank_points[0], 0.0)
            return _times(weight, most if cap is None else min(cap, most))
        return None if cap is None else _times(weight, cap)


class Group(Strict):
    """Items whose scores add up to one part of the total, e.g. 工作实际考评得分."""

    id: Identifier
    label: Bilingual
    items: list[Item] = Field(min_length=1)
    total: float | None = Field(
        None, gt=0, description="The points the weights of this group's items add up to (e.g. 70); a config "
                                "whose weights add up to anything else is refused. null: not checked.")


class ViolationRules(Strict):
    subtract_penalty: bool = Field(True, description="Subtract the penalty points of the period's violations.")
    disqualification_window: Literal["period", "rest_of_year"] = Field(
        "rest_of_year", description="A disqualifying violation (取消评选资格) counts in its period only, or in "
                                    "its period and the rest of that calendar year.")


class GradeLevel(Strict):
    id: Identifier
    name: Bilingual
    min: float = Field(description="Lowest total score of the grade (inclusive), at most 2 decimals.")


class GradeSystem(Strict):
    label: Bilingual
    levels: list[GradeLevel] = Field(min_length=1, description="From the top grade down.")
    below_lowest: Bilingual = Field(
        Bilingual(zh="待淘汰", en="Candidate for removal"),
        description="Shown for a total below the lowest grade; such managers are flagged for removal.")

    @model_validator(mode="after")
    def _levels_descend(self) -> GradeSystem:
        bounds = [level.min for level in self.levels]
        if any(round(bound * 100) != bound * 100 for bound in bounds):
            raise ValueError("grade thresholds have at most 2 decimals, like the scores")
        if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
            raise ValueError("levels must be listed from the highest min to the lowest, each min distinct")
        if len({level.id for level in self.levels}) != len(self.levels):
            raise ValueError("each level needs its own id")
        for language in ("zh", "en"):
            names = [getattr(level.name, language) for level in self.levels]
            if len(set(names)) != len(names):
                raise ValueError(f"each level needs its own name: two levels are called "
                                 f"{next(n for n in names if names.count(n) > 1)!r} ({language})")
        return self


FOUR_LEVEL = GradeSystem(
    label=Bilingual(zh="四级制", en="Four levels"),
    levels=[
        GradeLevel(id="senior", name=Bilingual(zh="资深客户经理", en="Senior customer manager"), min=85),
        GradeLevel(id="high", name=Bilingual(zh="高级客户经理", en="High-level customer manager"), min=70),
        GradeLevel(id="manager", name=Bilingual(zh="客户经理", en="Customer manager"), min=50),
        GradeLevel(id="assistant", name=Bilingual(zh="客户经理助理", en="Assistant customer manager"), min=20),
    ],
)


class GradeRules(Strict):
    system: Identifier = Field("four_level", description="The key of the grade system in use.")
    systems: dict[Identifier, GradeSystem] = Field(default_factory=lambda: {"four_level": FOUR_LEVEL})
    # --- eligibility-grades: prerequisites, what the excluded keep, decisions (generator/config/grading.py) ---
    prerequisites: Prerequisites = Field(Prerequisites(), description="晋级条件 per grade and the 破格 waivers.")
    excluded_managers: ExcludedManagersGrade = Field(
        ExcludedManagersGrade(), description="Whether disqualified and ineligible managers keep a grade.")
    decisions: GradeDecisions | None = Field(None, description="职级升降 from consecutive periods; null: none.")
    # --- end eligibility-grades ---

    @model_validator(mode="after")
    def _system_exists(self) -> GradeRules:
        if self.system not in self.systems:
            raise ValueError(f"system {self.system!r} is not one of the systems ({', '.join(sorted(self.systems))})")
        self._grade_ids_exist()
        return self

    def _grade_ids_exist(self) -> None:
        """The prerequisites and waivers name grades of the system in use."""
        known = [level.id for level in self.active.levels]
        named = [(f"prerequisites.levels.{level_id}", level_id) for level_id in self.prerequisites.levels]
        named += [(f"prerequisites.waivers[{w}].levels[{k}]", level_id)
                  for w, waiver in enumerate(self.prerequisites.waivers)
                  for k, level_id in enumerate(waiver.levels or [])]
        problems = [f"{where}: {level_id!r} is not a grade id of system {self.system!r} ({', '.join(known)}). "
                    "Fix: use one of those ids" for where, level_id in named if level_id not in known]
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def active(self) -> GradeSystem:
        return self.systems[self.system]


class RankingRules(Strict):
    tree_depths: list[Annotated[int, Field(ge=1)]] | None = Field(
        None, description="Depths of the unit tree to rank within (1 = the root's children); null = every depth.")
    attributes: list[ROSTER_ATTRIBUTES] = Field(
        ["segment", "product_line"], description="Roster attributes to rank within (used when the roster has them).")
    indicators: bool = Field(True, description="Also rank by each item score and each indicator's actual.")


class RollupRules(Strict):
    periods: list[RollupKind] = Field(["quarter", "half_year", "year_to_date", "year"],
                                      description="Roll-up periods to assess besides the extract periods.")
    rules: dict[str, RollupRule] = Field(
        {}, description="Per indicator id: sum, mean or last; default flow/count sum, balance mean, ratio last.")


class Award(Strict):
    id: Identifier
    label: Bilingual
    rule: Literal["top_total", "top_indicators", "most_improved"]
    count: int = Field(1, ge=1, description="Winners; managers tied with the last winner also win.")
    indicators: list[str] = Field([], description="top_indicators: the indicators whose actuals are added up.")
    periods: list[PeriodKind] | None = Field(None, description="Kinds of period the award is given in; null = all.")

    @model_validator(mode="after")
    def _indicators_match_rule(self) -> Award:
        if self.rule == "top_indicators" and not self.indicators:
            raise ValueError("rule top_indicators needs `indicators`")
        if self.rule != "top_indicators" and self.indicators:
            raise ValueError(f"`indicators` is only for rule top_indicators, not {self.rule}")
        return self


class AssessmentConfig(Strict):
    groups: list[Group] = Field(min_length=1, description="Score groups; the total is their sum minus penalties.")
    violations: ViolationRules = ViolationRules()
    grades: GradeRules = GradeRules()
    rankings: RankingRules = RankingRules()
    rollups: RollupRules = RollupRules()
    awards: list[Award] = []  # noqa: RUF012 - a pydantic field: copied per instance, and `[]` is the schema's default
    total: float | None = Field(
        None, gt=0, description="The points the weights of every item add up to (e.g. 100); a config whose "
                                "weights add up to anything else is refused. null: not checked.")
    eligibility: Eligibility = Field(Eligibility(), description="参评资格: who takes part in ranks, grades and awards.")
    bonus_cap: float | None = Field(
        None, gt=0, description="The most points all bonus items together may add (加分封顶); the excess is taken "
                                "off as its own line. null: no cap (取消加分封顶).")
    implausible_completion: float | None = Field(
        10, gt=1, description="On an item without a cap: a completion above this (10 = 1,000%), or below its "
                              "negative without a floor, rejects the manager's targets row as implausible (a target "
                              "of 0.000001 would score billions of points). null: never.")

    @model_validator(mode="after")
    def _ids_unique(self) -> AssessmentConfig:
        problems = _repeated([(f"groups[{g}].id", group.id) for g, group in enumerate(self.groups)])
        problems += _repeated([(f"groups[{g}].items[{i}]", item.key) for g, group in enumerate(self.groups)
                               for i, item in enumerate(group.items)], hint="; give one of them an `id`")
        problems += _repeated([(f"awards[{a}].id", award.id) for a, award in enumerate(self.awards)])
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def items(self) -> list[tuple[Group, Item]]:
        return [(group, item) for group in self.groups for item in group.items]


def item_method(item: Item, better: str | None) -> str:
    """The item's method with the default decided: by the indicator's direction, or qualitative."""
    if item.qualitative is not None:
        return "qualitative"
    return item.method or ("lower_is_better" if better == "lower" else "target_completion")


class Reach:
    """What each group and the total can reach, given caps, bonuses and the bonus cap (None: no ceiling)."""

    def __init__(self, assessment: AssessmentConfig, better: dict[str, str]):
        self.items: dict[str, float | None] = {}
        self.bonus: list[float | None] = []
        for _, item in assessment.items():
            method = item_method(item, better.get(item.indicator or ""))
            self.items[item.key] = item.highest(method)
            if method == "bonus":
                self.bonus.append(self.items[item.key])
        self.groups = {group.id: _sum([self.items[item.key] for item in group.items]) for group in assessment.groups}
        self.bonus_cap = assessment.bonus_cap
        bonus = _sum(self.bonus)
        others = _sum([value for key, value in self.items.items() if key not in self._bonus_keys(assessment, better)])
        if self.bonus_cap is not None:
            bonus = self.bonus_cap if bonus is None else min(bonus, self.bonus_cap)
        self.total = None if others is None or bonus is None else others + bonus

    @staticmethod
    def _bonus_keys(assessment: AssessmentConfig, better: dict[str, str]) -> set[str]:
        return {item.key for _, item in assessment.items()
                if item_method(item, better.get(item.indicator or "")) == "bonus"}


def _sum(values: list[float | None]) -> float | None:
    if any(value is None for value in values):
        return None
    return float(sum((Decimal(repr(value)) for value in values if value is not None), Decimal(0)))


def _times(weight: float, share: float) -> float:
    """weight × share of the decimals written in the config (6 × 0.6 is 3.6, not 3.5999999999999996)."""
    return float(Decimal(repr(weight)) * Decimal(repr(share)))


def assessment_warnings(assessment: AssessmentConfig, better: dict[str, str]) -> list[str]:
    """Items whose points nothing bounds: allowed (上不封顶 is a bank's choice), but said aloud.
    `better`: each indicator's better (higher or lower), which decides an item's default method."""
    warnings = []
    for g, group in enumerate(assessment.groups):
        for i, item in enumerate(group.items):
            if item.indicator is None:
                continue
            method = item_method(item, better.get(item.indicator))
            if method == "bonus" and "limit" not in item.model_fields_set:
                warnings.append(f"assessment.groups[{g}].items[{i}].limit: not given, so the bonus {item.key} has "
                                "no limit. Fix: write a limit such as 5, or limit: null to confirm no limit")
            if method in TABLE_METHODS + ADJUSTMENT_METHODS or method == "relative":
                continue  # bounded by their own tables (a relative completion is at most 100% or 1 ÷ target_share)
            where = f"assessment.groups[{g}].items[{i}].cap"
            if item.effective_cap(method) is not None:
                continue
            if "cap" not in item.model_fields_set:
                warnings.append(f"{where}: not given, so {item.key}'s completion has no ceiling (上不封顶) and a "
                                "target or base near zero scores without limit. Fix: write a cap such as 1.5, or "
                                "cap: null to confirm no ceiling")
            elif method in GROWTH_METHODS:
                warnings.append(f"{where}: null on a growth method, so growth on a small base (1 → 40 accounts is "
                                f"+3,900%) gives {item.key} points without limit, and no data rule catches it. "
                                "Fix: set a cap such as 1.5")
    return warnings


def _repeated(places: list[tuple[str, str]], hint: str = "") -> list[str]:
    first: dict[str, str] = {}
    problems = []
    for where, key in places:
        if key in first:
            problems.append(f"{where}: id {key!r} is already used at {first[key]}{hint}")
        first.setdefault(key, where)
    return problems


# --- cross-references (run on the raw YAML mapping, so they work even when other keys are invalid) ---

def reference_problems(raw: dict) -> list[str]:
    """Every id the assessment section names must exist, and each method must suit its indicator."""
    section = raw.get("assessment")
    if not isinstance(section, dict):
        return []
    indicators = {item.get("id"): item for item in _mappings(raw.get("indicators"))}
    qualitative = {item.get("id") for item in _mappings(raw.get("qualitative"))}
    roster = _roster_attributes(raw)
    problems = []
    for g, group in enumerate(_mappings(section.get("groups"))):
        for i, item in enumerate(_mappings(group.get("items"))):
            where = f"assessment.groups[{g}].items[{i}]"
            problems += _item_problems(where, item, indicators, qualitative)
            problems += _roster_problems(where, item, roster)
    rules = (section.get("rollups") or {}).get("rules") if isinstance(section.get("rollups"), dict) else None
    for indicator_id in rules if isinstance(rules, dict) else {}:
        problems += _unknown(f"assessment.rollups.rules.{indicator_id}", indicator_id, indicators, "indicators")
    for a, award in enumerate(_mappings(section.get("awards"))):
        for k, indicator_id in enumerate(award.get("indicators") or []):
            problems += _unknown(f"assessment.awards[{a}].indicators[{k}]", indicator_id, indicators, "indicators")
    return (problems + _total_problems(section) + _grade_problems(section, indicators)
            + roster_problems(raw))  # eligibility-grades


# --- sums and reachable scores (on the raw mapping too: a value of the wrong type is skipped) ---

def _number(value: object) -> float | None:
    """A finite number from the YAML (or a numeric string, which the schema accepts too), else
    None: its own error is reported by the schema."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _weights(group: dict) -> list[tuple[str, float]] | None:
    """The group's items as (key, weight), or None when a weight is not a number."""
    items = [item for item in _mappings(group.get("items")) if item.get("method") not in ADJUSTMENT_METHODS]
    weights = [(item.get("id") or item.get("indicator") or item.get("qualitative"), _number(item.get("weight")))
               for item in items]
    if not weights or any(weight is None for _, weight in weights):
        return None
    return [(str(key), float(weight)) for key, weight in weights if weight is not None]


def _adds_up(parts: list[float], total: float) -> bool:
    return math.isclose(math.fsum(parts), total, rel_tol=0, abs_tol=1e-9)


def _total_problems(section: dict) -> list[str]:
    """Declared totals (assessment.total, groups[g].total) must be what the weights add up to."""
    problems: list[str] = []
    sums: dict[str, float] = {}
    for g, group in enumerate(_mappings(section.get("groups"))):
        weights = _weights(group)
        if weights is None:
            return problems  # a weight is already an error of its own
        sums[str(group.get("id"))] = math.fsum(weight for _, weight in weights)
        total = _number(group.get("total"))
        if total is not None and not _adds_up([weight for _, weight in weights], total):
            parts = ", ".join(f"{key} {weight:g}" for key, weight in weights)
            problems.append(f"assessment.groups[{g}].total: the weights of the group's items add up to "
                            f"{sums[str(group.get('id'))]:g} ({parts}), not the declared {total:g}. Fix: correct "
                            "the weights (points at 100%) or the group's total")
    total = _number(section.get("total"))
    if total is not None and sums and not _adds_up(list(sums.values()), total):
        parts = ", ".join(f"{key} {weight:g}" for key, weight in sums.items())
        problems.append(f"assessment.total: the weights of every item add up to {math.fsum(sums.values()):g} "
                        f"(by group: {parts}), not the declared {total:g}. Fix: correct the weights (points at "
                        "100%) or the total")
    return problems


def _highest_total(section: dict, indicators: dict) -> float | None:
    """The highest total the items can reach (every item at its most, the bonus cap applied), None when
    nothing bounds it or the section is invalid (its own errors are reported)."""
    try:  # only the keys that decide the scores: a bad award or ranking rule must not hide this check
        assessment = AssessmentConfig.model_validate({"groups": section.get("groups"),
                                                      "bonus_cap": section.get("bonus_cap")})
    except ValueError:
        return None
    return Reach(assessment, {str(key): str((value or {}).get("better")) for key, value in indicators.items()}).total


def _grade_problems(section: dict, indicators: dict) -> list[str]:
    """A grade whose min no total can reach is a grade nobody can be given."""
    highest = _highest_total(section, indicators)
    grades: dict = section["grades"] if isinstance(section.get("grades"), dict) else {}
    systems = grades.get("systems", {"four_level": FOUR_LEVEL.model_dump()})
    if highest is None or not isinstance(systems, dict):
        return []
    problems = []
    for name, system in systems.items():
        levels = _mappings(system.get("levels")) if isinstance(system, dict) else []
        for index, level in enumerate(levels):
            minimum = _number(level.get("min"))
            if minimum is not None and minimum > highest:
                problems.append(
                    f"assessment.grades.systems.{name}.levels[{index}].min: grade {level.get('id')!r} needs "
                    f"{minimum:g}, but the highest total the items can reach is {highest:g} (every item at its "
                    "cap), so no one can be given it. Fix: lower the min, or raise the weights or caps")
    return problems


def _item_problems(where: str, item: dict, indicators: dict, qualitative: set) -> list[str]:
    if item.get("qualitative") is not None:
        return _unknown(f"{where}.qualitative", item["qualitative"], qualitative, "qualitative scores")
    indicator_id = item.get("indicator")
    if indicator_id is None:
        return []
    if indicator_id not in indicators:
        return _unknown(f"{where}.indicator", indicator_id, indicators, "indicators")
    indicator = indicators[indicator_id]
    better, has_target = indicator.get("better"), indicator.get("target", True)
    method = item.get("method")
    problems = []
    if method == "lower_is_better" and better == "higher":
        problems.append(f"{where}.method: lower_is_better, but indicator {indicator_id!r} has better: higher")
    if method == "target_completion" and better == "lower":
        problems.append(f"{where}.method: target_completion rewards a higher actual, but indicator "
                        f"{indicator_id!r} has better: lower; use lower_is_better")
    has_target = has_target or item.get("target") is not None
    needs_target = method in TARGET_METHODS or method is None or item.get("no_base") == "target_completion"
    if item.get("of") in TARGET_BASES and not has_target:
        problems.append(f"{where}.of: {item['of']} needs a target, but {indicator_id!r} has none (target: false). "
                        "Fix: score the actual (of: actual), or give the item a target")
    elif needs_target and not has_target:
        problems.append(f"{where}.indicator: {indicator_id!r} has no target (target: false); "
                        "use a growth method with no_base: zero")
    return problems


def _roster_attributes(raw: dict) -> set[str]:
    """The roster attributes the managers file is read with (reference.managers.columns)."""
    columns = _mapping(_mapping(_mapping(raw.get("reference")).get("managers")).get("columns"))
    return {str(key) for key in columns} - {"manager_id", "name", "hire_date", "leave_date", "unit_id"}


def _roster_problems(where: str, item: dict, roster: set[str]) -> list[str]:
    """A relative scope and a constant target's `by` must be something the roster (or the unit tree) has."""
    problems = []
    scope = item.get("scope")
    if isinstance(scope, str) and scope not in ("bank", "unit") and not re.fullmatch(r"depth[1-9][0-9]*", scope) \
            and scope not in roster:
        known = ", ".join(["bank", "unit", "depth<d>"] + sorted(roster))
        problems.append(f"{where}.scope: {scope!r} is not a scope managers can be compared in ({known}). Fix: use "
                        "one of them, or read the attribute in reference.managers.columns")
    target = item.get("target")
    by = target.get("by") if isinstance(target, dict) else None
    if isinstance(by, str) and by not in roster:
        problems.append(f"{where}.target.by: the roster is not read with {by!r} (it has {', '.join(sorted(roster))}). "
                        "Fix: add it to reference.managers.columns, or use one of those")
    return problems


def _unknown(where: str, value: object, known, what: str) -> list[str]:
    if value in known:
        return []
    return [f"{where}: {value!r} is not one of the {what} ({', '.join(sorted(map(str, known)))})"]


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _mappings(value: object) -> list[dict]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []
