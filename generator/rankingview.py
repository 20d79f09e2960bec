"""The period's ranking table: every manager, sortable by any score, filterable offline."""
from __future__ import annotations

import pandas as pd

from generator import formatting as fmt
from generator.managerview import movement_text
from generator.paths import manager_page, relative, rankings_page

FILTERS = (("segment", "roster_segment"), ("grade", "grade"), ("region", "unit_depth1"))


def ranking_context(table: pd.DataFrame, period: str, rules: list, labels: dict[str, str],
                    unit_names: pd.Series, t: dict[str, str]) -> dict:
    page = rankings_page(period)
    score_columns = _score_columns(rules)
    ordered = table.sort_values(["rank_overall", "manager_id"], na_position="last", kind="stable")
    filters = _filters(ordered, labels, unit_names, t)
    return {
        "columns": [{"label": t["rank"], "numeric": True}, {"label": t["name"], "numeric": False},
                    {"label": labels.get("manager_id", "ID"), "numeric": False},
                    {"label": labels.get("unit_name", t["units"]), "numeric": False}]
                   + [{"label": labels.get(c, c), "numeric": True} for c in score_columns]
                   + [{"label": t["grade"], "numeric": False}, {"label": t["movement"], "numeric": False},
                      {"label": t["awards"], "numeric": False}],
        "filters": filters,
        "rows": [_row(row, period, page, score_columns, unit_names) for row in ordered.itertuples(index=False)],
    }


def _row(row, period: str, page: str, score_columns: list[str], unit_names: pd.Series) -> dict:
    rank = row.rank_overall
    return {
        "rank": "" if pd.isna(rank) else int(rank), "rank_sort": "" if pd.isna(rank) else int(rank),
        "name": row.name, "manager_id": row.manager_id, "unit": row.unit_name,
        "href": relative(manager_page(period, row.manager_id), page),
        "cells": [fmt.score(getattr(row, c)) for c in score_columns],
        "grade": row.grade if isinstance(row.grade, str) else "—",
        "move": movement_text(row.move_overall, row.move_overall_note),
        "awards": row.awards if isinstance(row.awards, str) else "",
        "search": f"{row.name} {row.manager_id} {row.unit_name}".lower(),
        "filters": {"segment": _text(getattr(row, "roster_segment", "")), "grade": _text(row.grade),
                    "region": _text(unit_names.get(getattr(row, "unit_depth1", None), ""))},
    }


def _score_columns(rules: list) -> list[str]:
    """Total, the groups in config order, then the items of groups with more than one item
    (a one-item group's points are its item's points: one column says it)."""
    groups: dict[str, list[str]] = {}
    for rule in rules:
        groups.setdefault(rule.group, []).append(f"score_{rule.key}")
    items = [item for members in groups.values() if len(members) > 1 for item in members]
    return ["total"] + [f"group_{group}" for group in groups] + items


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _filters(table: pd.DataFrame, labels: dict[str, str], unit_names: pd.Series, t: dict[str, str]) -> list[dict]:
    filters = []
    for key, column in FILTERS:
        if column not in table:
            continue
        values = table[column].dropna()
        if key == "region":
            values = values.map(unit_names)
        filters.append({"key": key, "label": t["filter_" + key], "options": sorted(set(values.dropna()))})
    return filters
