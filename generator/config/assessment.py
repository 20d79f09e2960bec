"""The `assessment:` section of site_config.yml: how scores, grades, ranks and awards are made.

Every rule a bank may set differently is a key here; the code holds no bank's numbers.
Cross-references to indicator and qualitative ids are checked by `reference_problems`,
which generator.config.site runs with the other cross-checks so errors name the YAML key.
"""
from __future__ import annotations

import math
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

Method = Literal["target_completion", "lower_is_better", "growth_prev", "growth_yoy", "qualitative"]
GROWTH_METHODS = ("growth_prev", "growth_yoy")
TARGET_METHODS = ("target_completion", "lower_is_better")
RollupKind = Literal["quarter", "half_year", "year_to_date", "year"]
PeriodKind = Literal["period", "quarter", "half_year", "year_to_date", "year"]
RollupRule = Literal["sum", "mean", "last"]
Identifier = Annotated[str, Field(pattern=IDENTIFIER)]
INDICATOR_ONLY_KEYS = ("method", "cap", "floor", "target_growth", "no_base")
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


class Item(Strict):
    """One scored line: an indicator or a qualitative score, worth `weight` points at 100%."""

    id: Identifier | None = Field(None, description="Column id of the item; default the indicator or qualitative id.")
    indicator: str | None = None
    qualitative: str | None = None
    weight: float = Field(gt=0, description="Points earned at 100% completion.")
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

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if (self.indicator is None) == (self.qualitative is None):
            raise ValueError("give exactly one of `indicator` or `qualitative`")
        if self.qualitative is not None:
            misplaced = [key for key in INDICATOR_ONLY_KEYS if key in self.model_fields_set
                         and not (key == "method" and self.method == "qualitative")]
            if misplaced:
                raise ValueError(f"{', '.join(misplaced)}: only for indicator items")
            return self
        if self.method == "qualitative":
            raise ValueError("method qualitative is for qualitative items")
        growth = self.method in GROWTH_METHODS
        if growth and self.target_growth is None:
            raise ValueError(f"method {self.method} needs target_growth (the growth rate worth 100%)")
        if not growth and ({"target_growth", "no_base"} & self.model_fields_set):
            raise ValueError("target_growth and no_base are only for the growth methods")
        cap = self.effective_cap(self.method or "target_completion")
        if self.floor is not None and cap is not None and self.floor >= cap:
            raise ValueError(f"floor {self.floor:g} must be below cap {cap:g}")
        return self

    @field_validator("weight")
    @classmethod
    def _weight_is_points(cls, weight: float) -> float:
        if weight > MAX_WEIGHT:
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
        return self.cap if "cap" in self.model_fields_set else DEFAULT_CAP.get(method)


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


def assessment_warnings(assessment: AssessmentConfig, better: dict[str, str]) -> list[str]:
    """Items whose points nothing bounds: allowed (上不封顶 is a bank's choice), but said aloud.
    `better`: each indicator's better (higher or lower), which decides an item's default method."""
    warnings = []
    for g, group in enumerate(assessment.groups):
        for i, item in enumerate(group.items):
            if item.indicator is None:
                continue
            method = item.method or ("lower_is_better" if better.get(item.indicator) == "lower"
                                     else "target_completion")
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
    problems = []
    for g, group in enumerate(_mappings(section.get("groups"))):
        for i, item in enumerate(_mappings(group.get("items"))):
            problems += _item_problems(f"assessment.groups[{g}].items[{i}]", item, indicators, qualitative)
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
    items = _mappings(group.get("items"))
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
    """The highest total the items can reach (every item at its cap), None when one has no cap."""
    points = []
    for group in _mappings(section.get("groups")):
        for item in _mappings(group.get("items")):
            weight, cap = _number(item.get("weight")), _item_cap(item, indicators)
            if weight is None or cap is None:
                return None
            points.append(weight * cap)
    return math.fsum(points) if points else None


def _item_cap(item: dict, indicators: dict) -> float | None:
    if item.get("qualitative") is not None:
        return 1.0  # the loader keeps a qualitative score within 0..max
    if "cap" in item:
        return _number(item["cap"])
    better = (indicators.get(item.get("indicator")) or {}).get("better")
    method = item.get("method") or ("lower_is_better" if better == "lower" else "target_completion")
    return DEFAULT_CAP.get(method)


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
    needs_target = method in TARGET_METHODS or method is None or item.get("no_base") == "target_completion"
    if needs_target and not has_target:
        problems.append(f"{where}.indicator: {indicator_id!r} has no target (target: false); "
                        "use a growth method with no_base: zero")
    return problems


def _unknown(where: str, value: object, known, what: str) -> list[str]:
    if value in known:
        return []
    return [f"{where}: {value!r} is not one of the {what} ({', '.join(sorted(map(str, known)))})"]


def _mappings(value: object) -> list[dict]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []
