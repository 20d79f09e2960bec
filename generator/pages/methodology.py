"""The methodology page: the rules that produced the numbers, read from site_config.yml."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from generator.assessment.scoring import ItemRule
from generator.config.assessment import ADJUSTMENT_METHODS, TABLE_METHODS, AssessmentConfig, Reach
from generator.config.grading import Eligibility, LevelRequirement, Waiver
from generator.config.site import SiteConfig
from generator.i18n import Catalogue, catalogue, section
from generator.pages import formatting as fmt
from generator.pages.context import PageContext, Shell
from generator.pages.decisions import rule_text
from generator.pages.scoring_text import describe


@dataclass(frozen=True, kw_only=True)
class MethodologyPage(PageContext):
    """The rules that produced the numbers, in the bank's words, read from site_config.yml."""

    template: ClassVar[str] = "methodology.html"
    indicators: list[dict]
    qualitative: list[dict]
    formulas: list[dict]  # per scoring method: its name and formula
    assessment: bool  # False: the config has no assessment section, and the fields below stay empty
    groups: list[dict] = field(default_factory=list)  # the weighted groups and their items
    reach: list[str] = field(default_factory=list)  # what the total can reach: its ceiling (or none), bonus cap
    rule_column: bool = False  # some item has a rule of its own (区间、阶梯、加减分、相对、配置目标) to state
    grade_system: str = ""
    grades: list[dict] = field(default_factory=list)  # top down: name, minimum score
    below_lowest: str = ""
    subtract_penalty: bool = False
    window: str = ""  # how long a disqualifying violation counts: the period, or the rest of the year
    awards: list[dict] = field(default_factory=list)
    rollups: list[str] = field(default_factory=list)
    ranking_attributes: list[str] = field(default_factory=list)
    # eligibility-grades: 参评资格, 晋级条件 and 破格, what the excluded keep, 职级升降
    eligibility: list[str] = field(default_factory=list)  # one sentence per rule
    keep_grade: list[str] = field(default_factory=list)  # disqualified, then ineligible
    prerequisites: list[dict] = field(default_factory=list)  # per grade: name, education, title, credit_years
    waivers: list[str] = field(default_factory=list)
    decisions: str = ""  # the decision rule in words, "" when none is configured
    decision_kinds: str = ""


def methodology_page(shell: Shell, settings: SiteConfig, rules: list[ItemRule]) -> MethodologyPage:
    language = shell.lang
    words = catalogue(language)
    methods = section(words, "method")
    assessment = settings.assessment
    used = {rule.method for rule in rules}  # the methods beyond the five classic ones: only those in use
    page = MethodologyPage(
        shell=shell, path="methodology.html", assessment=False,
        indicators=[_indicator_row(i, settings, language) for i in settings.indicators],
        qualitative=[{"label": q.label.text(language), "max": f"{q.max:g}"} for q in settings.qualitative],
        formulas=[{"method": methods[m], "formula": f} for m, f in section(words, "formula").items()
                  if m not in TABLE_METHODS + ADJUSTMENT_METHODS + ("relative",) or m in used])
    if assessment is None:
        return page
    system = assessment.grades.systems[assessment.grades.system]
    return replace(
        page, assessment=True,
        groups=_groups(assessment, rules, language, reach := Reach(assessment, _better(settings))),
        reach=_reach_text(assessment, rules, reach, language),
        rule_column=any(describe(rule, language) for rule in rules),
        grade_system=system.label.text(language),
        grades=[{"name": level.name.text(language), "min": f"{level.min:g}"} for level in system.levels],
        below_lowest=system.below_lowest.text(language),
        subtract_penalty=assessment.violations.subtract_penalty,
        window=assessment.violations.disqualification_window,
        awards=[{"label": a.label.text(language), "rule": a.rule, "count": a.count,
                 "indicators": ", ".join(settings.indicator(i).label.text(language) for i in a.indicators)}
                for a in assessment.awards],
        rollups=list(assessment.rollups.periods),
        ranking_attributes=[words[f"attribute.{a}"] for a in assessment.rankings.attributes],
        **grading_rules(assessment, language))


def grading_rules(assessment: AssessmentConfig, language: str) -> dict:
    """The methodology page's eligibility, prerequisites, waivers and decisions, in the site's words."""
    words = catalogue(language)
    grades = assessment.grades
    system = grades.active
    names = {level.id: level.name.text(language) for level in system.levels}
    requirements = grades.prerequisites.levels
    prerequisites = [{"name": names[level.id],
                      "education": _requirement(requirements.get(level.id), "education"),
                      "title": _requirement(requirements.get(level.id), "title"),
                      "credit_years": _requirement(requirements.get(level.id), "credit_years")}
                     for level in system.levels] if requirements else []
    decisions = grades.decisions
    return {
        "eligibility": eligibility_sentences(assessment.eligibility, words),
        "keep_grade": [words[f"keep_grade.disqualified.{grades.excluded_managers.disqualified}"],
                       words[f"keep_grade.ineligible.{grades.excluded_managers.ineligible}"]],
        "prerequisites": prerequisites,
        "waivers": [_waiver(waiver, names, words) for waiver in grades.prerequisites.waivers],
        "decisions": rule_text(decisions, words) if decisions is not None else "",
        "decision_kinds": " · ".join(words[f"decision_kind.{kind}"] for kind in decisions.periods) if decisions else "",
    }


def eligibility_sentences(rules: Eligibility, words: Catalogue) -> list[str]:
    sentences = []
    if rules.min_months_in_post:
        sentences.append(words["eligibility_min_months"].format(months=rules.min_months_in_post))
    if rules.excluded_statuses:
        statuses = words["list.separator"].join(words.get(f"status.{code}", code) for code in rules.excluded_statuses)
        sentences.append(words["eligibility_statuses"].format(statuses=statuses))
    sentences.append(words[f"eligibility_new_hires.{rules.new_hires}"])
    sentences.append(words[f"eligibility_leavers.{rules.leavers}"])
    return sentences if not rules.is_default else [words["eligibility_all"], *sentences]


def _requirement(requirement: LevelRequirement | None, field: str) -> str:
    value = getattr(requirement, field) if requirement is not None else None
    if value is None:
        return "—"
    return f"≥ {value:g}" if field == "credit_years" else f"≥ {value}"


def _waiver(waiver: Waiver, names: dict[str, str], words: Catalogue) -> str:
    rule = (words["waiver.min_total"].format(points=f"{waiver.min_total:g}") if waiver.min_total is not None
            else words["waiver.top_share"].format(share=f"{waiver.top_share:.0%}"))
    waives = words["list.separator"].join(words[f"attribute.{field}"] if f"attribute.{field}" in words
                                          else words[f"field.{field}"] for field in waiver.waives)
    levels = (words["list.separator"].join(names[level] for level in waiver.levels) if waiver.levels
              else words["all_grades"])
    return words["waiver_rule"].format(rule=rule, waives=waives, levels=levels)


def _indicator_row(indicator, settings, language: str) -> dict:
    words = catalogue(language)
    category = settings.categories[indicator.category].text(language)
    weight_by = settings.indicator(indicator.weight_by).label.text(language) if indicator.weight_by else ""
    return {"label": indicator.label.text(language), "unit": indicator.unit, "category": category,
            "kind": words[f"kind.{indicator.kind}"], "better": words[f"better.{indicator.better}"],
            "target": indicator.target, "weight_by": weight_by}


def _better(settings: SiteConfig) -> dict[str, str]:
    return {indicator.id: indicator.better for indicator in settings.indicators}


def _reach_text(assessment: AssessmentConfig, rules: list[ItemRule], reach: Reach, language: str) -> list[str]:
    """The highest total the rules allow, or the items that leave it without a ceiling; the bonus cap."""
    words = catalogue(language)
    full = sum(rule.weight for rule in rules if rule.method not in ADJUSTMENT_METHODS)
    if reach.total is not None:
        lines = [words["reach.total"].format(points=f"{reach.total:g}", full=f"{full:g}")]
    else:
        open_items = [rule.label.text(language) for rule in rules if reach.items.get(rule.key) is None]
        lines = [words["reach.total_none"].format(items=words["list.separator"].join(open_items))]
    if any(rule.method == "bonus" for rule in rules):
        lines.append(words["reach.bonus_uncapped"] if assessment.bonus_cap is None
                     else words["reach.bonus_cap"].format(cap=f"{assessment.bonus_cap:g}"))
    if assessment.violations.subtract_penalty:
        lines.append(words["reach.penalty"])
    return lines


def _groups(assessment, rules: list, language: str, reach: Reach) -> list[dict]:
    words = catalogue(language)
    methods, no_base = section(words, "method"), section(words, "no_base")
    items: dict[str, list[dict]] = {g.id: [] for g in assessment.groups}
    weights = {g.id: 0.0 for g in assessment.groups}
    for rule in rules:
        weights[rule.group] += rule.weight
        items[rule.group].append({
            "rule": describe(rule, language),
            "label": rule.label.text(language), "method": methods.get(rule.method, rule.method),
            "weight": "—" if rule.method in ADJUSTMENT_METHODS else f"{rule.weight:g}",
            "cap": "—" if rule.cap is None else fmt.percent(rule.cap),
            "floor": "—" if rule.floor is None else fmt.percent(rule.floor),
            "target_growth": "" if rule.target_growth is None else fmt.percent(rule.target_growth),
            "no_base": no_base.get(rule.no_base, "") if rule.no_base else ""})
    return [{"label": g.label.text(language), "weight": f"{weights[g.id]:g}" if weights[g.id] else "—",
             "rows": items[g.id],
             "reach": _reach(reach.groups[g.id], words)}
            for g in assessment.groups]


def _reach(points: float | None, words) -> str:
    return words["reach.none"] if points is None else words["reach.group"].format(points=f"{points:g}")
