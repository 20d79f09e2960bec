"""The home page: the latest period at a glance, and the way to every other period."""
from __future__ import annotations

import json
from typing import cast

import pandas as pd

from generator.config.site import RegionModel
from generator.org.charts import OrgChart, label_column
from generator.pages import formatting as fmt
from generator.pages.org import node_path
from generator.pages.paths import manager_page, rankings_page

TOP_MANAGERS = 10


def home_context(dataset, results, latest: str, labels: dict, language: str, charts: list[OrgChart]) -> dict:
    """Tiles, grades, top managers and units of `latest`, and the bank's score trend up to it.
    `charts` are the period's org charts, already built for its org pages. Links are
    relative to the site root: templates prefix them with the page's root."""
    settings = dataset.config.settings
    table = results.results[latest].table
    previous = results.previous(latest)
    kpi = next((i for i in settings.indicators if i.target), None)
    region = next((m for m in settings.org_models if isinstance(m, RegionModel)), None)
    return {
        "latest_label": labels[latest], "latest_rankings": rankings_page(latest),
        "tiles": _tiles(dataset, table, previous.table if previous else None, latest, kpi, language),
        "grades": _grades(table, results.grade_order),
        "top": [{"rank": int(r.rank_overall), "name": r.name, "unit": r.unit_name, "total": fmt.score(r.total),
                 "href": manager_page(latest, r.manager_id)}
                for r in table.dropna(subset=["rank_overall"]).sort_values(["rank_overall", "manager_id"])
                .head(TOP_MANAGERS).itertuples(index=False)],
        "top_units": _top_units(region, charts, language),
        "trend_rows": _trend(results, latest),
    }


def _tiles(dataset, table: pd.DataFrame, before: pd.DataFrame | None, period: str, kpi, language: str) -> list[dict]:
    performance = dataset.performance[dataset.performance["period"] == period]
    tiles = [{"key": "managers", "label": "", "value": fmt.whole(len(table)),
              "change": _change(len(table), len(before) if before is not None else None, 0)},
             {"key": "score_mean", "label": "", "value": fmt.score(table["total"].mean()),
              "change": _change(table["total"].mean(), before["total"].mean() if before is not None else None, 2)}]
    if kpi is not None:
        actual = performance[kpi.id].sum()
        targets = dataset.targets[dataset.targets["period"] == period][kpi.id].sum()
        tiles.append({"key": "kpi", "label": kpi.label.text(language), "value": fmt.quantity(actual, kpi.unit),
                      "change": fmt.percent(actual / targets) if targets else ""})
    return tiles


def _change(now, before, places: int) -> str:
    if before is None or pd.isna(before):
        return ""
    return f"{now - before:+,.{places}f}"


def _grades(table: pd.DataFrame, order: list[str]) -> list[dict]:
    counts = table["grade"].value_counts()
    total = int(counts.sum()) or 1
    return [{"name": grade, "count": int(counts.get(grade, 0)), "percent": round(100 * counts.get(grade, 0) / total, 1),
             "css": f"grade-{min(index, 5)}"} for index, grade in enumerate(order)]


def _top_units(region, charts: list[OrgChart], language: str) -> list[dict]:
    """The units one level below the root, ranked as on the unit ranking page."""
    if region is None:
        return []
    chart = next(c for c in charts if c.model_id == region.id)
    level = chart.nodes.index[chart.nodes["depth"] == 1]
    stats = chart.stats.loc[level].sort_values(["rank_in_level", "headcount"], ascending=[True, False])
    label = label_column(language)
    return [{"rank": "" if pd.isna(row.rank_in_level) else int(row.rank_in_level),
             "name": chart.nodes.at[node_id, label], "href": node_path(chart, region, cast(str, node_id)),
             "headcount": fmt.whole(row.headcount), "score": fmt.score(row.score_mean)}
            for node_id, row in stats.iterrows()]


def _trend(results, up_to: str) -> list[dict]:
    frame = results.history.frame
    frame = frame[frame["period"] <= up_to]
    means = frame.groupby(["period", "label"], sort=True)["total"].mean().round(2).reset_index()
    return [{"label": r.label, "total": float(r.total)} for r in means.itertuples(index=False)]


def json_island(rows: list[dict]) -> str:
    """Rows for a <script type="application/json">: every '<' escaped, so no text can close the script."""
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
