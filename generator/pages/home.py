"""The home page: the latest period at a glance, and the way to every other period."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

import pandas as pd

from generator.assessment.counting import COUNTED, counts, not_counted, standing
from generator.assessment.ranking import shared_ranks
from generator.assessment.site import Rollup, SiteAssessments
from generator.config.site import RegionModel
from generator.extract.dataset import Dataset
from generator.i18n import catalogue
from generator.org.charts import OrgChart, label_column
from generator.pages import formatting as fmt
from generator.pages.context import PageContext, PageLink, Shell
from generator.pages.departures import DepartureList
from generator.pages.org import grade_css, node_path, not_counted_text
from generator.pages.paths import (
    decisions_page,
    downloads_page,
    manager_page,
    org_chart_page,
    overview_page,
    rankings_page,
)
from generator.pages.provenance import provenance
from generator.pages.quality import QualityReport

TOP_MANAGERS = 10


@dataclass(frozen=True)
class Glance:
    """A period at a glance: the home page shows the latest, each overview page its own. Links
    are relative to the site root: templates prefix them with the page's root."""

    latest_label: str
    latest_rankings: str  # the period's rankings page
    tiles: list[dict]  # head-count, mean score and the KPI, each with its change
    grades: list[dict]  # per grade, top down: name, count, percent, css; then the not graded
    not_counted: str  # who of the head-count does not count in the mean and the grades, by reason ("" = all do)
    top: list[dict]  # the first managers: rank, name, unit, total, href
    top_units: list[dict]  # the first-level units, ranked
    trend_rows: list[dict]  # the bank's mean score per period up to this one
    trend_json: str = ""  # trend_rows for the browser's chart (formatting.script_json)
    trend_svg: str = ""  # the same chart drawn at build time, for print and no-JavaScript readers
    departures: list[DepartureList] = field(default_factory=list)  # leavers and the absent (pages.departures)
    decisions: list[PageLink] = field(default_factory=list)  # eligibility-grades: the period's grade decisions


@dataclass(frozen=True, kw_only=True)
class HomePage(PageContext):
    """index.html: the latest period at a glance, then every period and roll-up of the site."""

    template: ClassVar[str] = "index.html"
    periods: list[dict]  # newest first (period_rows)
    home: Glance | None  # None while no period is assessed
    rollups: list[dict]  # newest first: label, downloads, rankings


@dataclass(frozen=True, kw_only=True)
class PeriodPage(PageContext):
    """A period's overview: its glance, its org charts, the periods up to it and its provenance."""

    template: ClassVar[str] = "period.html"
    periods: list[dict]  # the periods up to this one, newest first
    charts: list[PageLink]  # the period's org chart per organization model
    pages: list[PageLink]  # the period's rankings, downloads and data-quality page
    home: Glance
    provenance: dict  # build time, config and generator versions, the input files with their hashes
    revision: dict | None  # {"number", "original"} when this is a corrected revision of a closed period


@dataclass(frozen=True, kw_only=True)
class LatestPage(PageContext):
    """latest.html: a fixed address that always leads to the newest period (bookmarks, mail)."""

    template: ClassVar[str] = "latest.html"
    target: str
    label: str


def glance(dataset: Dataset, results: SiteAssessments, latest: str, labels: dict, language: str,
           charts: list[OrgChart]) -> Glance:
    """Tiles, grades, top managers and units of `latest`, and the bank's score trend up to it.
    `charts` are the period's org charts, already built for its org pages."""
    settings = dataset.config.settings
    table = results.results[latest].table
    previous = results.previous(latest)
    kpi = settings.key_indicator
    region = next((m for m in settings.org_models if isinstance(m, RegionModel)), None)
    return Glance(labels[latest], rankings_page(latest),
                  _tiles(dataset, table, previous.table if previous else None, latest, kpi, language),
                  _grades(table, results.grade_order, language),
                  not_counted(standing(table)).text(catalogue(language)),
                  _top_managers(table, latest, catalogue(language)["tied"]),
                  _top_units(region, charts, language), _trend(results, latest))


def _top_managers(table: pd.DataFrame, period: str, tied: str) -> list[dict]:
    ranked = table.dropna(subset=["rank_overall"])
    shared = shared_ranks(ranked["rank_overall"])
    ranked = ranked.assign(tied=shared).sort_values(["rank_overall", "manager_id"]).head(TOP_MANAGERS)
    rows = []
    row: Any  # a row of the table, its cells as the columns hold them
    for row in ranked.itertuples(index=False):
        rows.append({"rank": fmt.rank_text(row.rank_overall, row.tied, tied), "name": row.name,
                     "unit": row.unit_name, "total": fmt.score(row.total),
                     "href": manager_page(period, row.manager_id)})
    return rows


def home_page(shell: Shell, periods: list[dict], latest: Glance | None, rollups: list[Rollup],
              decided: frozenset[str] = frozenset()) -> HomePage:
    """`decided`: the roll-ups with a grade decisions page."""
    shown = [{"label": rollup.label, "downloads": download_links(rollup.id), "rankings": rankings_page(rollup.id),
              "decisions": decisions_page(rollup.id) if rollup.id in decided else ""}
             for rollup in reversed(rollups)]
    return HomePage(shell=shell, path="index.html", periods=periods, home=latest, rollups=shown)


def period_page(shell: Shell, dataset: Dataset, period: str, periods: list[dict], view: Glance,
                revision: dict | None) -> PeriodPage:
    language = shell.lang
    models = dataset.config.settings.org_models
    charts = [PageLink(m.label.text(language), org_chart_page(period, m.id)) for m in models]
    inputs = [item for item in dataset.inputs if item.period in (None, period)]  # the period's files and the reference
    # a snapshot names only the periods that existed when it was made, so it never goes stale
    known = [row for row in periods if row["id"] <= period]
    return PeriodPage(shell=shell, path=overview_page(period), periods=known, charts=charts,
                      pages=_period_links(shell, period, periods), home=view,
                      provenance={**provenance(dataset), "inputs": inputs}, revision=revision)


def _period_links(shell: Shell, period: str, periods: list[dict]) -> list[PageLink]:
    """The rankings, each download and the data-quality page of the period, as its overview links them."""
    row = next(row for row in periods if row["id"] == period)
    t = shell.t
    links = [row["rankings"]] if row["rankings"] else []
    links += [PageLink(f"{t['download']} {link.label}", link.href) for link in row["downloads"]]
    return links + [PageLink(t["data_quality"], row["quality"].href)]


def periods_script(shell: Shell, periods: list[dict], latest: str | None) -> str:
    """assets/periods.js, rewritten by every build: every period of the site now, and the latest.
    An archived snapshot's pages are never rewritten; through this script their period switcher
    lists the periods made since, and a banner says the page is not the latest."""
    listed = [{"id": row["id"], "label": row["label"], "href": row["overview"].href}
              for row in periods if row["overview"] is not None]
    latest_row = next((row for row in listed if row["id"] == latest), None)
    words = {"archived": shell.t["archived_notice"], "latest": shell.t["latest_link"]}
    return f"window.SITE_PERIODS = {fmt.script_json({'periods': listed, 'latest': latest_row, 'words': words})};\n"


def latest_page(shell: Shell, latest: str, view: Glance) -> LatestPage:
    return LatestPage(shell=shell, path="latest.html", target=overview_page(latest), label=view.latest_label)


def period_rows(dataset: Dataset, reports: list[QualityReport], labels: dict, results: SiteAssessments,
                revision_links: dict[str, list[str]]) -> list[dict]:
    """Every period of the site, newest first, with its pages, downloads, data quality and revisions."""
    managers = dataset.performance.groupby("period")["manager_id"].nunique().to_dict()
    models = dataset.config.settings.org_models
    language = dataset.config.settings.site.language
    rankings = catalogue(language)["rankings"]
    rows = [{"id": r.period, "label": labels[r.period], "managers": managers.get(r.period, 0), "rejected": r.rejected,
             "warnings": r.warnings, "quality": PageLink(labels[r.period], f"quality/{r.period}.html"),
             "charts": [PageLink(m.label.text(language), org_chart_page(r.period, m.id)) for m in models],
             "downloads": download_links(r.period) if r.period in results.assessed else [],
             "rankings": PageLink(rankings, rankings_page(r.period)) if r.period in results.assessed else None,
             "overview": PageLink(labels[r.period], overview_page(r.period)) if r.period in results.assessed else None,
             "revisions": [PageLink(folder.rsplit(".", 1)[-1], f"{folder}/index.html")
                           for folder in revision_links.get(r.period, [])]}
            for r in reports if r.period is not None]
    return rows[::-1]


def download_links(period: str) -> list[PageLink]:
    return [PageLink(kind.upper(), downloads_page(period, kind)) for kind in ("csv", "xlsx")]


def _tiles(dataset, table: pd.DataFrame, before: pd.DataFrame | None, period: str, kpi, language: str) -> list[dict]:
    performance = dataset.performance[dataset.performance["period"] == period]
    mean, mean_before = _counted_mean(table), _counted_mean(before) if before is not None else None
    tiles = [{"key": "managers", "label": "", "value": fmt.whole(len(table)),
              **_change(len(table), len(before) if before is not None else None, 0)},
             {"key": "score_mean", "label": "", "value": fmt.score(mean), **_change(mean, mean_before, 2)}]
    if kpi is not None:
        actual = performance[kpi.id].sum()
        targets = dataset.targets[dataset.targets["period"] == period][kpi.id].sum()
        tiles.append({"key": "kpi", "label": kpi.label.text(language), "value": fmt.quantity(actual, kpi.unit),
                      "change": fmt.percent(actual / targets) if targets else "", "trend": ""})
    return tiles


def _counted_mean(table: pd.DataFrame) -> float:
    """The mean total of the managers who count (generator.assessment.counting)."""
    return float(table["total"].where(counts(table)).mean())


def _change(now, before, places: int) -> dict[str, str]:
    """The change against the previous period as shown (places decimals), with its direction as an
    arrow and a css class (up, down, "" for none at that precision), so that it reads without colour too."""
    if before is None or pd.isna(before) or pd.isna(now):
        return {"change": "", "trend": ""}
    delta = round(now - before, places)
    trend = "up" if delta > 0 else "down" if delta < 0 else ""
    arrow = {"up": "↑ ", "down": "↓ "}.get(trend, "")
    return {"change": f"{arrow}{now - before:+,.{places}f}", "trend": trend}


def _grades(table: pd.DataFrame, order: list[str], language: str) -> list[dict]:
    """Counted managers per grade, then the not graded (not counted: held, disqualified, ineligible;
    or without a grade): the rows add up to the head-count."""
    graded = table["grade"].where(counts(table))
    per_grade = graded.value_counts()
    total = len(table) or 1
    rows = [{"name": grade, "count": int(per_grade.get(grade, 0)),
             "percent": round(100 * per_grade.get(grade, 0) / total, 1), "css": grade_css(index)}
            for index, grade in enumerate(order)]
    ungraded = int(graded.isna().sum())
    if ungraded:
        rows.append({"name": catalogue(language)["not_graded"], "count": ungraded,
                     "percent": round(100 * ungraded / total, 1), "css": "grade-none"})
    return rows


def _top_units(region, charts: list[OrgChart], language: str) -> list[dict]:
    """The units one level below the root, ranked as on the unit ranking page."""
    if region is None:
        return []
    chart = next(c for c in charts if c.model_id == region.id)
    level = chart.nodes.index[chart.nodes["depth"] == 1]
    stats = chart.stats.loc[level].sort_values(["rank_in_level", "headcount"], ascending=[True, False])
    label, t = label_column(language), catalogue(language)
    return [{"rank": fmt.rank_text(row.rank_in_level, bool(row.rank_in_level_tied), t["tied"]),
             "name": chart.nodes.at[node_id, label], "href": node_path(chart, region, cast(str, node_id)),
             "headcount": fmt.whole(row.headcount), "score": fmt.score(row.score_mean),
             "not_counted": not_counted_text(chart.stats_lookup, cast(str, node_id), t)}
            for node_id, row in stats.iterrows()]


def _trend(results, up_to: str) -> list[dict]:
    """The bank's mean score per period: the mean of the managers who counted in it."""
    frame = results.history.frame
    frame = frame[frame["period"] <= up_to]
    if "standing" in frame:
        frame = frame.assign(total=frame["total"].where(frame["standing"].eq(COUNTED)))
    means = frame.groupby(["period", "label"], sort=True)["total"].mean().round(2).reset_index()
    # a period where nobody counted is a gap in the line, not a point at 0
    return [{"label": r.label, "total": None if pd.isna(r.total) else float(r.total)}
            for r in means.itertuples(index=False)]
