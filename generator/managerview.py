"""What a manager's page shows, computed from the assessment of the period (and the one before)."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from generator import formatting as fmt
from generator.i18n import short_language, words
from generator.paths import manager_page, relative, unit_page

METHOD_WORDS = {
    "zh": {"target_completion": "目标完成率", "lower_is_better": "逆向指标（越低越好）", "growth_prev": "环比增长",
           "growth_yoy": "同比增长", "qualitative": "定性评分"},
    "en": {"target_completion": "target completion", "lower_is_better": "lower is better",
           "growth_prev": "growth on previous period", "growth_yoy": "growth on same period last year",
           "qualitative": "qualitative score"},
}


class ManagerHistory:
    """Total and overall rank of every manager in every monthly period assessed so far,
    grouped by manager once, so a page's lookup does not scan every manager's rows."""

    def __init__(self, frame: pd.DataFrame):  # period, label, manager_id, total, rank
        self.frame = frame
        ordered = frame.sort_values(["manager_id", "period"], kind="stable")
        self.by_manager: dict[str, list[tuple[str, dict]]] = {}
        for r in ordered.itertuples(index=False):
            self.by_manager.setdefault(r.manager_id, []).append((r.period, {
                "label": r.label, "total": None if pd.isna(r.total) else float(r.total),
                "rank": None if pd.isna(r.rank) else int(r.rank)}))

    def rows(self, manager_id: str, up_to: str) -> list[dict]:
        return [point for period, point in self.by_manager.get(manager_id, []) if period <= up_to]


def cents(value) -> int:
    return int(round(float(value) * 100))


class ItemFigures:
    """A period's exact points and item details as plain dicts, made once per period: a
    pandas row lookup per manager cost more than rendering the page."""

    def __init__(self, result):
        self.points = result.points.to_dict("index")
        self.detail: dict[str, dict[str, dict]] = {}
        for manager_id, row in result.detail.to_dict("index").items():
            items = self.detail[manager_id] = {}
            for (key, field), value in row.items():
                items.setdefault(key, {})[field] = value

    def item(self, manager_id: str, key: str) -> dict:
        return self.detail[manager_id][key]


def breakdown(figures: ItemFigures, manager_id: str, rules: list, language: str, labels: dict[str, str]) -> list[dict]:
    """Groups with their items: method, weight, actual, target, completion, points. The points
    are the engine's exact hundredths, so every group is the sum of its items."""
    lang = short_language(language)
    points = figures.points[manager_id]
    groups: dict[str, dict] = {}
    for rule in rules:
        group = groups.setdefault(rule.group, {"label": labels.get(f"group_{rule.group}", rule.group),
                                               "points": fmt.score(points[f"group_{rule.group}"] / 100),
                                               "rows": []})
        item = figures.item(manager_id, rule.key)
        group["rows"].append({
            "label": rule.label.text(language), "method": METHOD_WORDS[lang].get(rule.method, rule.method),
            "weight": f"{rule.weight:g}", "cap": "—" if rule.cap is None else fmt.percent(rule.cap),
            "actual": _number(item["actual"]), "target": _target_text(rule, item, lang),
            "completion": fmt.percent(item["completion"]), "counted": fmt.percent(item["counted"]),
            "reason": item["reason"] or "", "points": fmt.score(points[f"score_{rule.key}"] / 100)})
    return list(groups.values())


GROWTH_WORDS = {"zh": "基期 {base}，目标增长 {growth}", "en": "base {base}, target growth {growth}"}


def _target_text(rule, item, lang: str) -> str:
    """Growth items are measured against their base and a growth rate, not a target."""
    if rule.method in ("growth_prev", "growth_yoy") and not pd.isna(item["base"]):
        return GROWTH_WORDS[lang].format(base=_number(item["base"]), growth=fmt.percent(rule.target_growth))
    return _number(item["target"])


def _number(value) -> str:
    return fmt.MISSING if pd.isna(value) else f"{value:,.2f}"


def rank_rows(row: pd.Series, labels: dict[str, str], t: dict[str, str]) -> list[dict]:
    """Every scope the manager is ranked in, with the movement since the previous period."""
    rows = []
    for column in row.index:
        if not column.startswith("rank_") or column.startswith(("rank_score_", "rank_actual_")):
            continue
        scope = column.removeprefix("rank_")
        if pd.isna(row[column]) and not row["is_disqualified"]:
            continue  # a scope that does not apply, e.g. an outlet rank for a sub-branch manager
        move, note = row.get(f"move_{scope}"), row.get(f"move_{scope}_note", "")
        rows.append({"scope": labels.get(column, scope), "rank": "" if pd.isna(row[column]) else int(row[column]),
                     "move": movement_text(move, note, t)})
    return rows


def movement_text(move, note, t: dict[str, str]) -> str:
    """↑n, ↓n or —; the engine's notes (new, not_comparable) in the site language."""
    if isinstance(note, str) and note:
        return t.get(f"move_{note}", note)
    if move is None or pd.isna(move):
        return ""
    return f"↑{int(move)}" if move > 0 else f"↓{-int(move)}" if move < 0 else "—"


def rank_move(current, previous, manager_id: str, labels: dict[str, str]) -> list[dict] | None:
    """Each component's change since the previous period, in exact hundredths: they sum to
    the change of the total. None when the manager was not assessed then."""
    if previous is None or manager_id not in previous.points.index:
        return None
    new, old = current.points.loc[manager_id], previous.points.loc[manager_id]
    return [{"label": labels.get(column, column), "old": fmt.score(old[column] / 100),
             "new": fmt.score(new[column] / 100), "change": f"{(new[column] - old[column]) / 100:+.2f}",
             "is_total": column == "total"}
            for column in current.points.columns if not column.startswith("group_")]


def peers_by_unit(table: pd.DataFrame, period: str) -> dict[str, list[dict]]:
    """Every unit's managers in unit-rank order, built once per period. Links are relative to
    a manager page, and all manager pages of a period share one folder, so they hold for each."""
    ordered = table.sort_values(["unit_id", "rank_unit", "manager_id"], na_position="last", kind="stable")
    groups: dict[str, list[dict]] = {}
    for peer in ordered.itertuples(index=False):
        groups.setdefault(peer.unit_id, []).append({
            "name": peer.name, "manager_id": peer.manager_id,
            "href": relative(manager_page(period, peer.manager_id), manager_page(period, "x")),
            "total": fmt.score(peer.total), "grade": peer.grade if isinstance(peer.grade, str) else "—",
            "rank": "" if pd.isna(peer.rank_unit) else int(peer.rank_unit)})
    return groups


def manager_context(result, previous, manager_id: str, rules: list, language: str, labels: dict[str, str],
                    history: ManagerHistory, peers: dict[str, list[dict]], figures: ItemFigures) -> dict:
    table = result.table
    row = table.loc[manager_id]
    page = manager_page(result.id, manager_id)
    history_rows = json.dumps(history.rows(manager_id, result.id), ensure_ascii=False, separators=(",", ":"))
    return {
        "manager_id": manager_id, "name": row["name"], "unit_name": row["unit_name"],
        "unit_href": relative(unit_page(result.id, row["unit_id"]), page),
        "total": fmt.score(row["total"]), "grade": row["grade"] if isinstance(row["grade"], str) else "—",
        "to_next": fmt.score(row["points_to_next_grade"]),
        "rank_overall": "" if pd.isna(row["rank_overall"]) else int(row["rank_overall"]),
        "assessed": table.attrs.get("ranked_bankwide", int(table["rank_overall"].notna().sum())),
        "disqualified": row["disqualification_reason"] if row["is_disqualified"] else "",
        "flags": [labels[f] for f in ("is_new_hire", "is_transferred") if f in row and row[f] is True and f in labels],
        "groups": breakdown(figures, manager_id, rules, language, labels),
        "penalty": fmt.score(row["penalty"]),
        "ranks": rank_rows(row, labels, words(language)),
        "moves": rank_move(result, previous, manager_id, labels),
        "previous_label": previous.period.label(language) if previous is not None else "",
        "peers": peers.get(row["unit_id"], []),
        "awards": row["awards"] if isinstance(row["awards"], str) else "",
        # every "<" escaped: the JSON sits in a <script> element, where no HTML escaping applies
        "history_json": history_rows.replace("<", "\\u003c"),
    }
