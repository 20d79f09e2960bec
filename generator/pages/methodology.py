"""The methodology page: the rules that produced the numbers, read from site_config.yml."""
from __future__ import annotations

from generator.i18n import short_language
from generator.pages import formatting as fmt
from generator.pages.manager import METHOD_WORDS

FORMULAS = {
    "zh": {"target_completion": "完成率 = 实际 ÷ 目标",
           "lower_is_better": "完成率 = 2 − 实际 ÷ 目标（低于目标10%即完成110%）",
           "growth_prev": "完成率 = 较上期增长率 ÷ 目标增长率",
           "growth_yoy": "完成率 = 较上年同期增长率 ÷ 目标增长率",
           "qualitative": "完成率 = 评分 ÷ 满分"},
    "en": {"target_completion": "completion = actual ÷ target",
           "lower_is_better": "completion = 2 − actual ÷ target (10% under target = 110%)",
           "growth_prev": "completion = growth on the previous period ÷ target growth",
           "growth_yoy": "completion = growth on the same period last year ÷ target growth",
           "qualitative": "completion = score ÷ maximum"},
}
KIND_WORDS = {"zh": {"balance": "余额", "flow": "发生额", "count": "数量", "ratio": "比率"},
              "en": {"balance": "balance", "flow": "flow", "count": "count", "ratio": "ratio"}}
BETTER_WORDS = {"zh": {"higher": "越高越好", "lower": "越低越好"}, "en": {"higher": "higher", "lower": "lower"}}
ATTRIBUTE_WORDS = {"zh": {"segment": "客户类别", "product_line": "产品条线", "grade": "职级", "education": "学历",
                         "title": "职称", "status": "状态"},
                   "en": {"segment": "customer segment", "product_line": "product line", "grade": "grade",
                          "education": "education", "title": "title", "status": "status"}}
NO_BASE_WORDS = {"zh": {"target_completion": "按目标完成率计分", "zero": "计0分"},
                 "en": {"target_completion": "scored on target completion", "zero": "scores 0"}}


def methodology_context(settings, rules: list, language: str) -> dict:
    lang = short_language(language)
    assessment = settings.assessment
    context = {"indicators": [_indicator_row(i, settings, language, lang) for i in settings.indicators],
               "qualitative": [{"label": q.label.text(language), "max": f"{q.max:g}"} for q in settings.qualitative],
               "formulas": [{"method": METHOD_WORDS[lang][m], "formula": f} for m, f in FORMULAS[lang].items()],
               "assessment": assessment is not None}
    if assessment is None:
        return context
    system = assessment.grades.systems[assessment.grades.system]
    context.update({
        "groups": _groups(assessment, rules, language, lang),
        "grade_system": system.label.text(language),
        "grades": [{"name": level.name.text(language), "min": f"{level.min:g}"} for level in system.levels],
        "below_lowest": system.below_lowest.text(language),
        "subtract_penalty": assessment.violations.subtract_penalty,
        "window": assessment.violations.disqualification_window,
        "awards": [{"label": a.label.text(language), "rule": a.rule, "count": a.count,
                    "indicators": ", ".join(settings.indicator(i).label.text(language) for i in a.indicators)}
                   for a in assessment.awards],
        "rollups": assessment.rollups.periods,
        "ranking_attributes": [ATTRIBUTE_WORDS[lang][a] for a in assessment.rankings.attributes],
    })
    return context


def _indicator_row(indicator, settings, language: str, lang: str) -> dict:
    category = settings.categories[indicator.category].text(language)
    weight_by = settings.indicator(indicator.weight_by).label.text(language) if indicator.weight_by else ""
    return {"label": indicator.label.text(language), "unit": indicator.unit, "category": category,
            "kind": KIND_WORDS[lang][indicator.kind], "better": BETTER_WORDS[lang][indicator.better],
            "target": indicator.target, "weight_by": weight_by}


def _groups(assessment, rules: list, language: str, lang: str) -> list[dict]:
    items: dict[str, list[dict]] = {g.id: [] for g in assessment.groups}
    weights = {g.id: 0.0 for g in assessment.groups}
    for rule in rules:
        weights[rule.group] += rule.weight
        items[rule.group].append({
            "label": rule.label.text(language), "method": METHOD_WORDS[lang].get(rule.method, rule.method),
            "weight": f"{rule.weight:g}", "cap": "—" if rule.cap is None else fmt.percent(rule.cap),
            "floor": "—" if rule.floor is None else fmt.percent(rule.floor),
            "target_growth": "" if rule.target_growth is None else fmt.percent(rule.target_growth),
            "no_base": NO_BASE_WORDS[lang].get(rule.no_base, "") if rule.no_base else ""})
    return [{"label": g.label.text(language), "weight": f"{weights[g.id]:g}", "rows": items[g.id]}
            for g in assessment.groups]
