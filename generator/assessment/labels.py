"""Human headers (Chinese or English) for the columns of the published tables."""
from __future__ import annotations

from generator.assessment.awards import award_column
from generator.assessment.scoring import group_column
from generator.assessment.table import Context, roster_column
from generator.i18n import catalogue, section


def column_words(language: str) -> dict[str, str]:
    """The header of each column with a fixed name (catalogue entries column.<name>)."""
    return section(catalogue(language), "column")


def column_labels(context: Context, language: str) -> dict[str, str]:
    names = column_words(language)
    labels = dict(names)
    pattern = section(catalogue(language), "column_pattern")
    for depth in context.depths:
        level = _level_name(context, depth) or pattern["depth"].format(depth=depth)
        labels[f"unit_depth{depth}"] = pattern["unit_at"].format(level=level)
        labels[f"rank_depth{depth}"] = pattern["rank_in"].format(scope=level)
    for attribute in context.attributes:
        name = names.get(roster_column(attribute)) or names[attribute]
        labels[roster_column(attribute)] = name
        labels[f"rank_{attribute}"] = pattern["rank_in"].format(scope=name)
    for rule in context.rules:
        item = rule.label.text(language)
        # a qualitative score's own name often ends in 得分 already (所在部门评价得分)
        labels[rule.column] = item if item.endswith("得分") else pattern["score"].format(item=item)
        labels[f"rank_{rule.column}"] = pattern["score_rank"].format(item=item)
    for indicator in context.indicators:
        indicator_name = indicator.label.text(language)
        labels[f"rank_actual_{indicator.id}"] = pattern["actual_rank"].format(indicator=indicator_name)
    for group in context.config.groups:
        labels[group_column(group.id)] = group.label.text(language)
    for award in context.config.awards:
        labels[award_column(award)] = award.label.text(language)
    for scope in context.scopes:
        rank = labels[scope.rank_column]
        labels[scope.move_column] = pattern["move"].format(rank=rank)
        labels[f"{scope.move_column}_note"] = pattern["move_note"].format(rank=rank)
    return labels


def _level_name(context: Context, depth: int) -> str | None:
    """The `level` the units at a depth share (市分行, 支行 ...), if the unit table has one."""
    if "level" not in context.units:
        return None
    names = context.units.loc[context.units["depth"].eq(depth), "level"]
    names = names[names.ne("")]
    return names.mode().iloc[0] if len(names) else None
