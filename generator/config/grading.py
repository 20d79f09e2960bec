"""Who is assessed (参评资格), what each grade requires besides the score (晋级条件, with 破格
waivers), what a manager excluded from the ranking keeps of his grade, and the grade decisions
(职级升降) made over consecutive periods. Part of the `assessment:` section; the rules are the
bank's, so every number and word here is a key of site_config.yml, none is code.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from generator.config.base import Strict

# The roster's status words as the loader normalizes them; a bank's other words (借调 …) stay as written.
STATUS_CODES = {"在岗": "active", "在职": "active", "试用": "probation", "见习": "probation",
                "停职": "suspended", "离职": "left", "退休": "left"}
Partial = Literal["pro_rata", "exclude"]
Prerequisite = Literal["education", "title", "credit_years"]
KeepGrade = Literal["none", "roster", "score"]
DecidedKind = Literal["period", "quarter", "half_year", "year"]


class Eligibility(Strict):
    """Who takes part in the ranking, grading and awards of a period. An excluded manager is still
    scored (his page explains his score) and is listed with the reason."""

    min_months_in_post: int = Field(
        0, ge=0, le=600, description="Whole months from the roster's hire date to the period's end needed to take "
                                     "part (0: no minimum).")
    excluded_statuses: list[str] = Field(
        [], description="Roster statuses not assessed, as the roster writes them or as codes: 试用/probation, "
                        "停职/suspended, or the bank's own words.")
    new_hires: Partial = Field(
        "pro_rata", description="A manager hired within the period: pro_rata = assessed on the months in post "
                                "against those months' targets; exclude = not assessed in that period.")
    leavers: Partial = Field(
        "pro_rata", description="A manager whose leave date falls within the period: pro_rata or exclude, as "
                                "for new hires.")

    @field_validator("excluded_statuses")
    @classmethod
    def _as_codes(cls, statuses: list[str]) -> list[str]:
        """The normalized code of each status (the loader turns 试用 into probation before this reads it)."""
        codes = [STATUS_CODES.get(status, status.lower()) for status in statuses]
        if "active" in codes:
            raise ValueError("'active' (在岗) is the status of everyone assessed; excluding it would exclude every "
                             "manager. Fix: list only statuses that are not assessed, e.g. [试用, 停职]")
        return sorted(set(codes))

    @property
    def is_default(self) -> bool:
        return self == Eligibility()

    @property
    def needs_hire_date(self) -> bool:
        return self.min_months_in_post > 0 or self.new_hires == "exclude"


class LevelRequirement(Strict):
    """What a grade needs besides its score: each one is optional."""

    education: str | None = Field(None, description="The lowest education, one of prerequisites.education_order.")
    title: str | None = Field(None, description="The lowest title (职称), one of prerequisites.title_order.")
    credit_years: float | None = Field(None, ge=0, le=60, description="Years of credit work (信贷从业年限) at least.")


class Waiver(Strict):
    """破格: an outstanding score waives some requirements. Give top_share or min_total."""

    waives: list[Prerequisite] = Field(min_length=1, description="The requirements waived.")
    top_share: float | None = Field(None, gt=0, le=1, description="Waived for the bank-wide top share of the "
                                                                  "ranked managers, e.g. 0.1 = top 10%.")
    min_total: float | None = Field(None, description="Waived for a total of at least this score.")
    levels: list[str] | None = Field(None, description="The grade ids the waiver applies to; null = every grade.")

    @model_validator(mode="after")
    def _one_condition(self) -> Waiver:
        if (self.top_share is None) == (self.min_total is None):
            raise ValueError("give exactly one of `top_share` (e.g. 0.1 for the top 10%) or `min_total` "
                             "(e.g. 95 points)")
        return self


class Prerequisites(Strict):
    """晋级条件 per grade level, and the 破格 waivers."""

    education_order: list[str] = Field([], description="The roster's education words from lowest to highest, "
                                                       "e.g. [中专, 大专, 本科, 硕士, 博士].")
    title_order: list[str] = Field([], description="The roster's titles from lowest to highest.")
    levels: dict[str, LevelRequirement] = Field({}, description="Per grade id (of the system in use): what it "
                                                                "requires.")
    waivers: list[Waiver] = []  # noqa: RUF012 - a pydantic field: copied per instance

    @model_validator(mode="after")
    def _words_are_ordered(self) -> Prerequisites:
        problems = []
        for level_id, requirement in self.levels.items():
            for field, order, key in (("education", self.education_order, "education_order"),
                                      ("title", self.title_order, "title_order")):
                wanted = getattr(requirement, field)
                if wanted is not None and wanted not in order:
                    problems.append(f"levels.{level_id}.{field}: {wanted!r} is not in {key} "
                                    f"({', '.join(order) or 'empty'}). Fix: add it to {key} in its place "
                                    "from lowest to highest")
        for name, order in (("education_order", self.education_order), ("title_order", self.title_order)):
            if len(set(order)) != len(order):
                problems.append(f"{name}: {next(w for w in order if order.count(w) > 1)!r} is listed twice")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def used(self) -> set[str]:
        """The roster fields the requirements read."""
        return {field for requirement in self.levels.values() for field in ("education", "title", "credit_years")
                if getattr(requirement, field) is not None}


class ExcludedManagersGrade(Strict):
    """What a manager excluded from the ranking keeps of his grade in the period."""

    disqualified: KeepGrade = Field(
        "none", description="取消评选资格: none = no grade in the period; roster = keeps the roster's grade; "
                            "score = graded by his score like the others.")
    ineligible: KeepGrade = Field("none", description="Not eligible (参评资格): none, roster or score, as above.")


class StreakRule(Strict):
    consecutive: int = Field(1, ge=1, le=12, description="Periods in a row (of the decided kind) it takes.")


class BottomRule(Strict):
    """末位淘汰: the bottom share of the ranked managers."""

    share: float = Field(gt=0, le=0.5, description="e.g. 0.05 = the bottom 5% (at least one manager).")
    action: Literal["warning", "demotion"] = Field("warning", description="warning (警示) or demotion (降级).")


class GradeDecisions(Strict):
    """职级升降: promotions, demotions and warnings from consecutive periods' scores."""

    periods: list[DecidedKind] = Field(
        ["year"], min_length=1, description="The kinds of period decided on: period (each extract period), quarter, "
                                            "half_year or year.")
    promote: StreakRule | None = Field(
        StreakRule(consecutive=1), description="Promote one grade when the grade given by score and prerequisites "
                                              "is above the roster's grade this many periods in a row; null: never.")
    demote: StreakRule | None = Field(
        StreakRule(consecutive=2), description="Demote one grade when the score is below the roster grade's min "
                                              "this many periods in a row; null: never.")
    bottom: BottomRule | None = Field(None, description="末位淘汰; null: none.")


# --- cross-references with the roster (on the raw YAML mapping, like config.assessment's) ---

def roster_problems(raw: dict) -> list[str]:
    """The roster columns the eligibility and the prerequisites read must be declared."""
    section = raw.get("assessment")
    if not isinstance(section, dict):
        return []
    managers = _mapping(_mapping(raw.get("reference")).get("managers"))
    declared = set(_mapping(managers.get("columns")))
    wanted = _eligibility_fields(section.get("eligibility")) + _prerequisite_fields(section.get("grades"))
    return [f"{where}: needs the roster's {field}, which reference.managers.columns does not declare. Fix: add "
            f"`{field}: [<its header>]` to reference.managers.columns, or drop this rule"
            for where, field in wanted if field not in declared]


def _eligibility_fields(section: object) -> list[tuple[str, str]]:
    if not isinstance(section, dict):
        return []
    wanted = []
    if section.get("min_months_in_post"):
        wanted.append(("assessment.eligibility.min_months_in_post", "hire_date"))
    if section.get("new_hires") == "exclude":
        wanted.append(("assessment.eligibility.new_hires", "hire_date"))
    if section.get("leavers") == "exclude":
        wanted.append(("assessment.eligibility.leavers", "leave_date"))
    if section.get("excluded_statuses"):
        wanted.append(("assessment.eligibility.excluded_statuses", "status"))
    return wanted


def _prerequisite_fields(grades: object) -> list[tuple[str, str]]:
    prerequisites = grades.get("prerequisites") if isinstance(grades, dict) else None
    levels = prerequisites.get("levels") if isinstance(prerequisites, dict) else None
    if not isinstance(levels, dict):
        return []
    return [(f"assessment.grades.prerequisites.levels.{level_id}.{field}", field)
            for level_id, requirement in levels.items() if isinstance(requirement, dict)
            for field in ("education", "title", "credit_years") if requirement.get(field) is not None]


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}
