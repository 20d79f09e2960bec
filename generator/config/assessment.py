"""The `assessment:` section of site_config.yml: how scores, grades, ranks and awards are made.

Every rule a bank may set differently is a key here; the code holds no bank's numbers.
Cross-references to indicator and qualitative ids are checked by `reference_problems`,
which generator.config.site runs with the other cross-checks so errors name the YAML key.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from generator.config.base import IDENTIFIER, ROSTER_ATTRIBUTES, Bilingual, Strict

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

    @model_validator(mode="after")
    def _system_exists(self) -> GradeRules:
        if self.system not in self.systems:
            raise ValueError(f"system {self.system!r} is not one of the systems ({', '.join(sorted(self.systems))})")
        return self

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
