"""The scoring methods in the bank's words: how one manager's points came about (manager page)
and what each rule says (methodology page), for the methods read off the bank's own tables
(piecewise, banded, bonus, deduction, relative) and targets written in the config.

Only display: the published points are the engine's exact hundredths; these texts show the
arithmetic that leads to them with the same inputs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from generator.config.assessment import ConstantTarget, Item
from generator.i18n import Catalogue, catalogue
from generator.pages import formatting as fmt

if TYPE_CHECKING:
    from generator.assessment.scoring import ItemRule


def _value(of: str, value: float, exact_points: bool = False) -> str:
    """A measure as the bank writes it: a completion as a percentage, else the number."""
    if of == "completion":
        return f"{value * 100:g}%" if exact_points else f"{value * 100:,.2f}%"
    return f"{value:g}" if exact_points else f"{value:,.2f}"


def _points(value: float) -> str:
    return f"{value:g}"


def scope_name(scope: str, words: Catalogue) -> str:
    if scope in ("bank", "unit"):
        return words[f"scoring.scope.{scope}"]
    if scope.startswith("depth"):
        return words["scoring.scope.depth"].format(depth=scope[5:])
    return words["scoring.scope.attribute"].format(attribute=words.get(f"attribute.{scope}", scope))


# --- the manager page: one manager's arithmetic --------------------------------------------

def how(rule: ItemRule, detail: dict, points: str, words: Catalogue) -> str:
    """How the item's points came about, or "" for the weight × completion methods (whose
    columns already show it) and rows not scored (their reason says why)."""
    item = rule.item
    if item is None or fmt.is_missing(detail["completion"]):
        return ""
    if rule.method == "piecewise" and item.of and item.breakpoints:
        return _how_piecewise(item, float(detail["completion"]), points, words)
    if rule.method == "banded" and item.of and item.bands:
        return _how_banded(item, detail, points, words)
    if rule.method in ("bonus", "deduction") and item.of:
        return _how_adjustment(rule, item, detail, points, words)
    if rule.method == "relative":
        return _how_relative(rule, item, detail, points, words)
    return ""


def _how_piecewise(item: Item, x: float, points: str, words: Catalogue) -> str:
    assert item.of is not None and item.breakpoints is not None
    of, marks = item.of, item.breakpoints
    measure = words[f"scoring.measure.{of}"]
    shown = _value(of, x)
    if x <= marks[0].at:
        return words["scoring.piecewise.below"].format(measure=measure, x=shown, at=_value(of, marks[0].at, True),
                                                       points=points)
    if x > marks[-1].at:
        return words["scoring.piecewise.above"].format(measure=measure, x=shown, at=_value(of, marks[-1].at, True),
                                                       points=points)
    low, high = next((marks[k], marks[k + 1]) for k in range(len(marks) - 1) if marks[k].at < x <= marks[k + 1].at)
    scale = 100 if of == "completion" else 1  # the arithmetic in the units shown
    return words["scoring.piecewise.between"].format(
        measure=measure, x=shown, low=_value(of, low.at, True), high=_value(of, high.at, True),
        x_plain=f"{x * scale:,.2f}", low_plain=f"{low.at * scale:g}", high_plain=f"{high.at * scale:g}",
        p_low=_points(low.points), p_high=_points(high.points), points=points)


def _how_banded(item: Item, detail: dict, points: str, words: Catalogue) -> str:
    assert item.of is not None and item.bands is not None
    measure, shown = words[f"scoring.measure.{item.of}"], _value(item.of, float(detail["completion"]))
    band = detail["counted"]  # the engine keeps the band's index there
    if fmt.is_missing(band):
        return words["scoring.banded.none"].format(measure=measure, x=shown)
    return words["scoring.banded.in"].format(measure=measure, x=shown,
                                             band=band_text(item, item.bands[int(band)]), points=points)


def band_text(item: Item, band) -> str:
    """[80%, 100%) or (1.5, 2.5], as the bank's inclusive end says."""
    assert item.of is not None
    low = "−∞" if band.lower is None else _value(item.of, band.lower, True)
    high = "+∞" if band.upper is None else _value(item.of, band.upper, True)
    opening, closing = ("[", ")") if item.inclusive == "lower" else ("(", "]")
    return f"{'(' if band.lower is None else opening}{low}, {high}{')' if band.upper is None else closing}"


def _how_adjustment(rule: ItemRule, item: Item, detail: dict, points: str, words: Catalogue) -> str:
    assert item.of is not None and item.threshold is not None and item.per is not None
    steps = detail["counted"]
    return words["scoring.adjust.how"].format(
        measure=words[f"scoring.measure.{item.of}"], x=_value(item.of, float(detail["completion"])),
        direction=words["scoring.above" if rule.beyond > 0 else "scoring.below"],
        threshold=_value(item.of, item.threshold, True),
        steps="0" if fmt.is_missing(steps) else f"{float(steps):,.4g}", per=_value(item.of, item.per, True),
        each=f"{'+' if rule.method == 'bonus' else '−'}{_points(item.points or 0)}", limit=_limit(item, words),
        points=points)


def _limit(item: Item, words: Catalogue) -> str:
    if item.limit is None:
        return words["scoring.no_limit"]
    return words["scoring.limit"].format(limit=_points(item.limit))


def _how_relative(rule: ItemRule, item: Item, detail: dict, points: str, words: Catalogue) -> str:
    assert item.scope is not None
    scope, figure, compared = scope_name(item.scope, words), detail["base"], detail["compared"]
    completion = f"{float(detail['completion']) * 100:,.2f}%"
    if item.by == "rank":
        n, rank = int(compared), int(figure)
        key = "scoring.relative.rank_table" if item.rank_points else "scoring.relative.rank"
        return words[key].format(scope=scope, n=n, rank=rank, completion=completion, points=points)
    actual = f"{float(detail['actual']):,.2f}"
    if item.by == "share":
        return words["scoring.relative.share"].format(
            scope=scope, total=f"{float(figure):,.2f}", x=actual,
            share=f"{float(detail['actual']) / float(figure):.2%}",
            target_share=f"{(item.target_share or 0) * 100:g}%", completion=completion, points=points)
    key = "scoring.relative.best_over_actual" if rule.better == "lower" else "scoring.relative.ratio_to_best"
    return words[key].format(scope=scope, best=f"{float(figure):,.2f}", x=actual, completion=completion,
                             points=points)


# --- the methodology page: each rule ---------------------------------------------------------

def describe(rule: ItemRule, language: str) -> str:
    """The rule of an item in the bank's words; "" for weight × completion (its columns say it)."""
    words, item = catalogue(language), rule.item
    if item is None:
        return ""
    parts = []
    if item.target is not None:
        parts.append(target_text(item.target, words))
    if rule.method in ("piecewise", "banded", "bonus", "deduction", "relative"):
        parts.append(_DESCRIBERS[rule.method](rule, item, words))
    return words["scoring.separator"].join(parts)


def target_text(target: float | ConstantTarget, words: Catalogue) -> str:
    if not isinstance(target, ConstantTarget):
        return words["scoring.target.bank"].format(target=_points(target))
    values = words["list.separator"].join(f"{key} {_points(value)}" for key, value in target.values.items())
    other = "" if target.default is None else words["scoring.target.default"].format(target=_points(target.default))
    return words["scoring.target.by"].format(attribute=words.get(f"attribute.{target.by}", target.by),
                                             values=values, default=other)


def _describe_piecewise(rule: ItemRule, item: Item, words: Catalogue) -> str:
    assert item.of is not None and item.breakpoints is not None
    point = words["scoring.describe.point"]
    marks = words["scoring.separator"].join(point.format(at=_value(item.of, p.at, True), points=_points(p.points))
                                            for p in item.breakpoints)
    return words["scoring.describe.piecewise"].format(measure=words[f"scoring.measure.{item.of}"], points=marks)


def _describe_banded(rule: ItemRule, item: Item, words: Catalogue) -> str:
    assert item.of is not None and item.bands is not None
    point = words["scoring.describe.point"]
    bands = words["scoring.separator"].join(point.format(at=band_text(item, b), points=_points(b.points))
                                            for b in item.bands)
    return words["scoring.describe.banded"].format(measure=words[f"scoring.measure.{item.of}"], bands=bands)


def _describe_adjustment(rule: ItemRule, item: Item, words: Catalogue) -> str:
    assert item.of is not None and item.threshold is not None and item.per is not None
    return words[f"scoring.describe.{rule.method}"].format(
        measure=words[f"scoring.measure.{item.of}"], direction=words["scoring.above" if rule.beyond > 0
                                                                     else "scoring.below"],
        threshold=_value(item.of, item.threshold, True), per=_value(item.of, item.per, True),
        each=_points(item.points or 0), steps=words[f"scoring.steps.{item.steps}"], limit=_limit(item, words))


def _describe_relative(rule: ItemRule, item: Item, words: Catalogue) -> str:
    assert item.scope is not None
    scope = scope_name(item.scope, words)
    if item.by == "rank" and item.rank_points:
        table = words["list.separator"].join(_points(p) for p in item.rank_points)
        text = words["scoring.describe.rank_table"].format(scope=scope, points=table)
    elif item.by == "share":
        text = words["scoring.describe.share"].format(scope=scope, target_share=f"{(item.target_share or 0) * 100:g}%")
    else:
        key = "best_over_actual" if item.by == "ratio_to_best" and rule.better == "lower" else item.by or "rank"
        text = words[f"scoring.describe.{key}"].format(scope=scope)
    return text + words["scoring.describe.pool"]


_DESCRIBERS = {"piecewise": _describe_piecewise, "banded": _describe_banded, "bonus": _describe_adjustment,
               "deduction": _describe_adjustment, "relative": _describe_relative}
