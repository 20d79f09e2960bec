"""The period's ranking tables: overall, per indicator and per group of every organization
model. Every manager, sortable by any column, filterable and searchable offline."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from generator import formatting as fmt
from generator.assessment.ranking import competition_rank
from generator.i18n import short_language
from generator.managerview import movement_text
from generator.org import OrgChart
from generator.paths import group_ranking_page, item_ranking_page, manager_page, rankings_page, relative, safe_name

FILTERS = (("segment", "roster_segment"), ("grade", "grade"), ("region", "unit_depth1"))


@dataclass
class RankingSource:
    """What every ranking page of one period is made from."""

    table: pd.DataFrame  # the engine's published table
    points: pd.DataFrame | None  # exact hundredths, index manager_id (not needed by the overall ranking)
    detail: pd.DataFrame | None  # per item: actual, target, base, completion, counted
    period: str
    labels: dict[str, str]
    unit_names: pd.Series
    t: dict[str, str]
    # Manager pages exist per month: a roll-up links to those of its last month, where there is one.
    manager_pages_period: str | None = None
    managers_with_pages: frozenset[str] | None = None

    @cached_property
    def identities(self) -> dict[str, dict]:
        """Per manager, the parts of a row that are the same on every ranking page."""
        table = self.table
        region = table["unit_depth1"].map(self.unit_names) if "unit_depth1" in table else pd.Series("", table.index)
        segment = table["roster_segment"] if "roster_segment" in table else pd.Series("", table.index)
        return {manager: {"name": name, "manager_id": manager, "unit": unit, "file": f"{safe_name(manager)}.html",
                          "search": f"{name} {manager} {unit}".lower(),
                          "filters": {"segment": _text(seg), "grade": _text(grade), "region": _text(area)}}
                for manager, name, unit, seg, grade, area in zip(table["manager_id"], table["name"], table["unit_name"],
                                                                 segment, table["grade"], region)}

    def manager_folder(self, page: str) -> str:
        """The manager pages' folder, relative to `page`."""
        return posixpath.dirname(relative(manager_page(self.manager_pages_period or self.period, "x"), page))

    def has_page(self, manager_id: str) -> bool:
        return self.managers_with_pages is None or manager_id in self.managers_with_pages


def ranking_context(source: RankingSource, rules: list) -> dict:
    """The overall ranking: rank, identity, total, groups and items, grade, movement, awards."""
    page = rankings_page(source.period)
    t, labels = source.t, source.labels
    score_columns = _score_columns(rules)
    ordered = source.table.sort_values(["rank_overall", "manager_id"], na_position="last", kind="stable")
    columns = ([(labels.get(c, c), True) for c in score_columns]
               + [(t["grade"], False), (t["movement"], False), (t["awards"], False)])
    cells = [[fmt.score(v) for v in ordered[c]] for c in score_columns] + [
        [_grade_text(g) for g in ordered["grade"]],
        [movement_text(m, n, t) for m, n in zip(ordered["move_overall"], ordered["move_overall_note"])],
        [_text(a) for a in ordered["awards"]]]
    return {"columns": _head(t, labels) + _columns(columns), "filters": _filters(ordered, source),
            "rows": _rows(source, page, ordered["manager_id"], ordered["rank_overall"], cells)}


def item_ranking_pages(source: RankingSource, rules: list, indicators: dict, language: str
                       ) -> Iterator[tuple[str, str, dict]]:
    """(path, item name, context) per scored item: ranked by the item's points, with what they came from."""
    for rule in rules:
        page = item_ranking_page(source.period, rule.key)
        yield page, rule.label.text(language), _item_context(source, rule, indicators.get(rule.source_id), page)


def _item_context(source: RankingSource, rule, indicator, page: str) -> dict:
    t, table = source.t, source.table
    rank_column = f"rank_{rule.column}"
    ordered = table.sort_values([rank_column, "manager_id"], na_position="last", kind="stable")
    item = source.detail[rule.key]
    unit = indicator.unit if indicator is not None else ""
    actual_rank = f"rank_actual_{rule.source_id}" if f"rank_actual_{rule.source_id}" in table else None
    columns = [(t["actual"], True), (t["target"], True), (t["counted"], True), (t["points"], True)]
    ids = ordered["manager_id"]
    figures = item.reindex(ids.to_numpy())
    cells = [[_quantity(v, unit) for v in figures["actual"]], [_quantity(v, unit) for v in figures["target"]],
             [fmt.percent(v) for v in figures["counted"]],
             [fmt.score(v / 100) for v in source.points[rule.column].reindex(ids.to_numpy())]]
    if actual_rank:
        columns.append((source.labels.get(actual_rank, actual_rank), True))
        cells.append([_rank_text(r) for r in ordered[actual_rank]])
    return {"columns": _head(t, source.labels) + _columns(columns), "filters": _filters(ordered, source),
            "rows": _rows(source, page, ids, ordered[rank_column], cells), "rule_note": t["item_ranking_rule"]}


def group_ranking_pages(source: RankingSource, chart: OrgChart, model, language: str
                        ) -> Iterator[tuple[str, str, dict]]:
    """(path, group name, context) per group of the model's ranking level: its managers ranked
    within it by composite score, by the same tie rule as every other ranking."""
    lang = short_language(language)
    nodes = chart.nodes
    members = chart.members.groupby("node_id")["manager_id"]
    assessed = source.table.set_index("manager_id", drop=False)
    for node_id in ranking_groups(chart, model):
        page = group_ranking_page(source.period, model.id, node_id)
        ids = [m for m in members.get_group(node_id) if m in assessed.index] if node_id in members.groups else []
        yield page, nodes.at[node_id, f"label_{lang}"], _group_context(source, assessed.loc[ids], page)


def ranking_groups(chart: OrgChart, model) -> list[str]:
    """Groups whose managers are ranked together: the first level below the root (city
    branches, segments, tiers); for a composite model its finest cells (e.g. city × segment)."""
    depth = chart.nodes["depth"]
    level = depth.max() if model.type == "composite" else depth.min() + 1
    return list(chart.nodes[depth.eq(level)].sort_values("order").index)


def _group_context(source: RankingSource, members: pd.DataFrame, page: str) -> dict:
    t = source.t
    qualified = ~members["is_disqualified"].astype(bool)
    totals = source.points.loc[members.index, "total"].where(qualified)
    rank = competition_rank(totals.astype(float))
    ordered = members.assign(rank_in_group=rank).reset_index(drop=True).sort_values(["rank_in_group", "manager_id"], na_position="last",
                                                             kind="stable")
    columns = [(source.labels.get("total", "total"), True), (t["grade"], False),
               (source.labels.get("rank_overall", t["rank_overall"]), True)]
    cells = [[fmt.score(v) for v in ordered["total"]], [_grade_text(g) for g in ordered["grade"]],
             [_rank_text(r) for r in ordered["rank_overall"]]]
    return {"columns": _head(t, source.labels) + _columns(columns), "filters": _filters(ordered, source),
            "rows": _rows(source, page, ordered["manager_id"], ordered["rank_in_group"], cells),
            "rule_note": t["group_ranking_rule"]}


def _head(t: dict[str, str], labels: dict[str, str]) -> list[dict]:
    return _columns([(t["rank"], True), (t["name"], False), (labels.get("manager_id", "ID"), False),
                     (labels.get("unit_name", t["units"]), False)])


def _columns(pairs: list[tuple[str, bool]]) -> list[dict]:
    return [{"label": label, "numeric": numeric} for label, numeric in pairs]


def _rows(source: RankingSource, page: str, ids: pd.Series, ranks: pd.Series, cells: list[list[str]]) -> list[dict]:
    """One row per manager: rank, identity, link and the page's cells (given column by column)."""
    folder, identities = source.manager_folder(page), source.identities
    rows = []
    for position, (manager, rank) in enumerate(zip(ids, ranks)):
        identity = identities[manager]
        rows.append({**identity, "rank": "" if pd.isna(rank) else int(rank),
                     "href": f"{folder}/{identity['file']}" if source.has_page(manager) else "",
                     "cells": [column[position] for column in cells]})
    return rows


def _score_columns(rules: list) -> list[str]:
    """Total, the groups in config order, then the items of groups with more than one item
    (a one-item group's points are its item's points: one column says it)."""
    groups: dict[str, list[str]] = {}
    for rule in rules:
        groups.setdefault(rule.group, []).append(f"score_{rule.key}")
    items = [item for members in groups.values() if len(members) > 1 for item in members]
    return ["total"] + [f"group_{group}" for group in groups] + items


def _quantity(value, unit: str) -> str:
    return fmt.quantity(value, unit) if unit else fmt.score(value)


def _rank_text(rank) -> str:
    return "" if pd.isna(rank) else str(int(rank))


def _grade_text(grade) -> str:
    return grade if isinstance(grade, str) else "—"


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _filters(table: pd.DataFrame, source: RankingSource) -> list[dict]:
    filters = []
    for key, column in FILTERS:
        if column not in table:
            continue
        values = table[column].dropna()
        if key == "region":
            values = values.map(source.unit_names)
        options = sorted(set(values.dropna()))
        if len(options) > 1:  # a filter with one choice filters nothing
            filters.append({"key": key, "label": source.t["filter_" + key], "options": options})
    return filters
