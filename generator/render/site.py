"""Rendering the site: jinja2 templates straight to HTML, everything computed beforehand."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from generator.assessment.site import Rollup, SiteAssessments
from generator.audience import AudienceSite
from generator.export.safe_csv import write_csv
from generator.export.tables import write_csv as write_csv_table
from generator.export.tables import write_xlsx
from generator.extract.dataset import Dataset
from generator.extract.rules import RULES
from generator.i18n import catalogue
from generator.org.charts import OrgChart, build_charts
from generator.pages.home import home_context, json_island
from generator.pages.manager import ManagerPages, member_rows
from generator.pages.methodology import methodology_context
from generator.pages.org import GradeShare, chart_tree, leaderboards, level_names, node_pages
from generator.pages.paths import (
    downloads_page,
    manager_page,
    org_chart_page,
    org_ranking_page,
    overview_page,
    rankings_page,
    relative,
    search_page,
)
from generator.pages.provenance import provenance
from generator.pages.quality import QualityReport, quality_reports
from generator.pages.rankings import RankingSource, group_ranking_pages, item_ranking_pages, ranking_context
from generator.pages.search import search_script
from generator.render.chart_specs import specs_script
from generator.render.environment import environment
from generator.render.narrative import build_guide
from generator.render.static_charts import StaticCharts
from generator.render.writer import Writer

ASSETS = ("site.css", "orgchart.js", "charts.js", "tables.js", "nav.js", "search.js", "vendor/vega.min.js",
          "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "vendor/vega.LICENSE", "vendor/vega-lite.LICENSE",
          "vendor/vega-embed.LICENSE")
REFERENCE = "reference"
MANAGER_SLICES_PER_JOB = 4


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str


@dataclass(frozen=True)
class RenderedSite:
    files: int  # written now
    snapshots: dict[str, list[str]]  # period -> the files of its snapshot written now


def render_site(site: AudienceSite, out: Path, periods: list[str], render: set[str], jobs: int = 1,
                progress: Callable[[str], None] | None = None, revision: dict | None = None,
                revision_links: dict[str, list[str]] | None = None) -> RenderedSite:
    """Write the site of `periods` into `out`: the pages of the periods in `render`, and the
    home, methodology, guide and quality index for all of them. The pages of the others are
    copied in from the published site by the archive stage. A `revision` ({"number",
    "original"}) marks the rendered period as a corrected revision; `revision_links` lists the
    revision folders of each period for the home page. A period's pages are rendered by `jobs`
    processes."""
    dataset, results = site.dataset, site.assessments
    settings = dataset.config.settings
    language = settings.site.language
    common = {"t": catalogue(language), "lang": language, "bank": settings.bank.name.text(language),
              "title": settings.site.title.text(language), "search_target": search_page(max(periods))}
    labels: dict = {p.id: p.label(language) for p in dataset.periods}
    labels[None] = catalogue(language)["reference_files"]
    static_charts = StaticCharts(language, settings.site.chart_font,
                                 [dataset.config.path.parent / d for d in settings.site.font_directories])
    writer = Writer(out, environment(), common, periods, static_charts, jobs)
    for asset in ASSETS:
        writer.copy_asset(asset)
    writer.text("assets/charts-specs.js", specs_script(language))
    reports = [r for r in quality_reports(dataset) if r.period is None or r.period in periods]
    writer.owners.update({rollup.id: rollup.end for rollup in results.rollups})
    period_rows = _period_rows(dataset, reports, labels, results, revision_links or {})
    glances = {}  # the latest period's view is reused by the home page when rendered now
    for period in sorted(render):
        glances[period] = _render_period(writer, dataset, results, period, labels, language, period_rows, revision)
        if progress:
            progress(period)
    _render_front(writer, dataset, results, period_rows,
                  _latest_glance(writer, dataset, results, labels, language, glances), language)
    _render_quality(writer, dataset, [r for r in reports if r.period is None or r.period in render], reports, labels,
                    language)
    writer.count += build_guide(out, writer.common)
    return RenderedSite(writer.count, writer.snapshots)


def _latest_glance(writer: Writer, dataset: Dataset, results: SiteAssessments, labels: dict, language: str,
                   glances: dict[str, dict]) -> dict:
    """The home page's view: the last assessed period, whether or not its pages are rendered now."""
    if not results.assessed:
        return {}
    latest = max(results.assessed)
    if glances.get(latest):
        return glances[latest]
    glance = home_context(dataset, results, latest, labels, language, build_charts(dataset, latest,
                                                                                   results.results[latest].table))
    return _with_trend(glance, writer)


def _with_trend(glance: dict, writer: Writer) -> dict:
    return {**glance, "trend_json": json_island(glance["trend_rows"]),
            "trend_svg": writer.static_charts.svg("score_trend", glance["trend_rows"])}


def _render_front(writer: Writer, dataset: Dataset, results: SiteAssessments, period_rows: list[dict],
                  latest_glance: dict, language: str) -> None:
    """Home, methodology and the latest-period link (a roll-up is rendered with its last month)."""
    settings = dataset.config.settings
    writer.page("index.html", "index.html", root="", periods=period_rows, home=latest_glance,
                rollups=[{"label": rollup.label, "downloads": _download_links(rollup.id),
                          "rankings": rankings_page(rollup.id)} for rollup in reversed(results.rollups)])
    writer.page("methodology.html", "methodology.html", root="",
                **methodology_context(settings, results.rules, language))
    latest = max(results.assessed) if results.assessed else None
    if latest:  # a fixed address that always leads to the newest period: for bookmarks and links in mail
        writer.page("latest.html", "latest.html", root="", target=overview_page(latest),
                    label=latest_glance["latest_label"])


def _render_rollup_ranking(writer: Writer, dataset: Dataset, results: SiteAssessments, rollup: Rollup) -> None:
    end_managers = frozenset(results.results[rollup.end].table["manager_id"])
    source = RankingSource(results.results[rollup.id].table, None, None, rollup.id, results.labels,
                           dataset.units["name"], writer.common["t"], rollup.end, end_managers)
    page = rankings_page(rollup.id)
    writer.streamed_page(page, "rankings.html", root=_root(page), period_label=rollup.label, ranking_links=[],
                         **ranking_context(source, results.rules))


def _render_period(writer: Writer, dataset: Dataset, results: SiteAssessments, period: str, labels: dict,
                   language: str, period_rows: list[dict], revision: dict | None) -> dict:
    """Search, org charts and, when assessed, the overview, downloads, manager pages, the
    rankings and the roll-ups ending in it, on every core (see generator.parallel). Returns
    the period's at-a-glance view (empty when not assessed)."""
    period_label = labels[period]
    scores = results.table(period)
    # the pages that need no org chart are started first: the workers write them while this
    # process builds the charts, the overview and the search pages
    early = writer.start(_chartless_tasks(writer, dataset, results, period, period_label, language)
                         if scores is not None else [])
    try:
        writer.text(f"{period}/search-index.js", search_script(period, scores, dataset.units))
        search = search_page(period)
        writer.page(search, "search.html", root=_root(search), period_label=period_label)
        charts = build_charts(dataset, period, scores)  # once: the org pages and the overview share them
        tasks = [lambda: _render_org(writer, dataset, charts, period, period_label, language, results.grade_order,
                                     scores)]
        glance = {}
        if scores is not None:
            glance = _render_overview(writer, dataset, results, period, labels, language, period_rows, revision,
                                      charts)
            tasks.insert(0, lambda: _render_rankings(writer, dataset, results, period, period_label, language, charts))
    except BaseException:
        early.stop()
        raise
    # One set of workers at a time: each worker's own pages come on top of what it shares with
    # this process, and two sets at once held 1.7 GB in the province nightly against 1.4 GB
    # (benchmarks/README.md), for no gain in time on two cores.
    writer.finish(early)
    writer.parallel(tasks)
    return glance


def _chartless_tasks(writer: Writer, dataset: Dataset, results: SiteAssessments, period: str,
                     period_label: str, language: str) -> list[Callable[[], None]]:
    """The downloads, the roll-ups' rankings and the manager pages, the longest first; the
    manager pages in slices small enough to even out the workers' ends."""
    tasks = _download_tasks(writer, period, results.results[period].table, results.labels)
    for rollup in results.rollups:
        if rollup.rendered and rollup.end == period:
            tasks += _download_tasks(writer, rollup.id, results.results[rollup.id].table, results.labels)
            tasks.append(partial(_render_rollup_ranking, writer, dataset, results, rollup))
    assert results.history is not None  # an assessed site has one
    managers = ManagerPages(results.results[period], results.previous(period), results.rules, language,
                            results.labels, results.history)
    ids = managers.manager_ids
    share = -(-len(ids) // (MANAGER_SLICES_PER_JOB * writer.jobs))
    return tasks + [partial(_render_managers, writer, managers, ids[start:start + share], period_label)
                    for start in range(0, len(ids), share or 1)]


def _render_overview(writer: Writer, dataset: Dataset, results: SiteAssessments, period: str, labels: dict,
                     language: str, period_rows: list[dict], revision: dict | None, charts: list[OrgChart]) -> dict:
    """The period's overview page; returns its at-a-glance view, which the home page reuses."""
    glance = _with_trend(home_context(dataset, results, period, labels, language, charts), writer)
    page = overview_page(period)
    links = [PageLink(m.label.text(language), org_chart_page(period, m.id)) for m in dataset.config.settings.org_models]
    inputs = [item for item in dataset.inputs if item.period in (None, period)]  # the period's files and the reference
    # a snapshot names only the periods that existed when it was made, so it never goes stale
    known = [row for row in period_rows if row["id"] <= period]
    writer.page(page, "period.html", root=_root(page), periods=known, charts=links, home=glance,
                provenance={**provenance(dataset), "inputs": inputs}, revision=revision)
    return glance


def _render_rankings(writer: Writer, dataset: Dataset, results: SiteAssessments, period: str,
                     period_label: str, language: str, charts: list[OrgChart]) -> None:
    """The overall ranking, one page per scored item and one per group of every model."""
    result = results.results[period]
    source = RankingSource(result.table, result.points, result.detail, period, results.labels,
                           dataset.units["name"], writer.common["t"])
    overall = rankings_page(period)
    indicators = {indicator.id: indicator for indicator in dataset.config.settings.indicators}
    models = {model.id: model for model in dataset.config.settings.org_models}
    sections = [(writer.common["t"]["by_item"], item_ranking_pages(source, results.rules, indicators, language))]
    sections += [(models[chart.model_id].label.text(language),
                  group_ranking_pages(source, chart, models[chart.model_id], language)) for chart in charts]
    links = []
    for label, pages in sections:
        # one page's context at a time: each holds the cells of its whole table, megabytes at a
        # province's size, and a period has dozens of these pages
        written = []
        for page, name, context in pages:
            writer.streamed_page(page, "ranking_list.html", root=_root(page), period_label=period_label,
                                 heading=f"{label} · {name}", back_href=relative(overall, page), **context)
            written.append(PageLink(name, relative(page, overall)))
        if written:
            links.append({"label": label, "links": written})
    writer.streamed_page(overall, "rankings.html", root=_root(overall), period_label=period_label,
                         ranking_links=links, **ranking_context(source, results.rules))


def _render_quality(writer: Writer, dataset: Dataset, rendered: list[QualityReport], reports: list[QualityReport],
                    labels: dict, language: str) -> None:
    """The index over every period's report; the pages of the periods rendered now."""
    writer.page("quality/index.html", "quality_index.html", root="../", reports=_summary_rows(reports, labels),
                rules=_rule_rows(language))
    rule_names = {rule: _rule_name(rule, language) for rule in RULES}
    for report in rendered:
        name = report.period or REFERENCE
        quarantine = f"{name}.quarantine.csv"
        _write_quarantine(writer.out / "quality" / quarantine, report, writer.common["t"], language)
        writer.written(f"quality/{quarantine}")
        writer.page(f"quality/{name}.html", "quality_period.html", root="../", report=report,
                    heading=labels[report.period], quarantine=quarantine, language=language,
                    rule_names=rule_names, inputs=[i for i in dataset.inputs if i.period == report.period])


def _render_managers(writer: Writer, pages: ManagerPages, manager_ids: list[str], period_label: str) -> None:
    for manager_id in manager_ids:
        page = manager_page(pages.result.id, manager_id)
        writer.page(page, "manager.html", root=_root(page), period_label=period_label, **pages.context(manager_id))


def _download_links(period: str) -> list[PageLink]:
    return [PageLink(kind.upper(), downloads_page(period, kind)) for kind in ("csv", "xlsx")]


def _download_tasks(writer: Writer, period: str, table: pd.DataFrame,
                    labels: dict[str, str]) -> list[Callable[[], None]]:
    return [partial(_write_download, writer, downloads_page(period, kind), write, table, labels)
            for kind, write in (("xlsx", write_xlsx), ("csv", write_csv_table))]


def _write_download(writer: Writer, path: str, write: Callable, table: pd.DataFrame, labels: dict[str, str]) -> None:
    target = writer.out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    write(table, target, labels)
    writer.written(path)


def _render_org(writer: Writer, dataset: Dataset, charts: list[OrgChart], period: str, period_label: str,
                language: str, grades: list[str], scores: pd.DataFrame | None) -> None:
    settings = dataset.config.settings
    kpi = next((i for i in settings.indicators if i.target), None)
    kpi_label = kpi.label.text(language) if kpi else ""
    names = dataset.managers["name"]
    members = member_rows(scores) if scores is not None else None
    for chart, model in zip(charts, settings.org_models):
        title = model.label.text(language)
        page = org_chart_page(period, model.id)
        roots = chart_tree(chart, model, language, kpi, grades, page)
        legend = _legend(grades)
        ranking = org_ranking_page(period, model.id)
        writer.page(page, "org_chart.html", root=_root(page), roots=roots, chart_title=title,
                    period_label=period_label, kpi_label=kpi_label, legend=legend,
                    ranking_href=relative(ranking, page))
        boards = leaderboards(chart, model, language, kpi, ranking, level_names(chart, dataset.units, model))
        writer.page(ranking, "org_ranking.html", root=_root(ranking), boards=boards, chart_title=title,
                    period_label=period_label, kpi_label=kpi_label, chart_href=relative(page, ranking))
        for path, context in node_pages(chart, model, language, settings.indicators, grades, names, members):
            writer.page(path, "org_node.html", root=_root(path), chart_title=title, period_label=period_label,
                        kpi_label=kpi_label, **context)


def _legend(grades: list[str]) -> list[GradeShare]:
    return [GradeShare(grade, 0, 0.0, f"grade-{min(index, 5)}") for index, grade in enumerate(grades)]


def _root(path: str) -> str:
    return "../" * path.count("/")


def _rule_name(rule: str, language: str) -> str:
    return RULES[rule].name(language)


def _period_rows(dataset: Dataset, reports: list[QualityReport], labels: dict, results: SiteAssessments,
                 revision_links: dict[str, list[str]]) -> list[dict]:
    managers = dataset.performance.groupby("period")["manager_id"].nunique().to_dict()
    models = dataset.config.settings.org_models
    language = dataset.config.settings.site.language
    rows = [{"id": r.period, "label": labels[r.period], "managers": managers.get(r.period, 0), "rejected": r.rejected,
             "warnings": r.warnings, "quality": PageLink(labels[r.period], f"quality/{r.period}.html"),
             "charts": [PageLink(m.label.text(language), org_chart_page(r.period, m.id)) for m in models],
             "downloads": _download_links(r.period) if r.period in results.assessed else [],
             "rankings": PageLink(catalogue(language)["rankings"], rankings_page(r.period))
             if r.period in results.assessed else None,
             "overview": PageLink(labels[r.period], overview_page(r.period)) if r.period in results.assessed else None,
             "revisions": [PageLink(folder.rsplit(".", 1)[-1], f"{folder}/index.html")
                           for folder in revision_links.get(r.period, [])]}
            for r in reports if r.period is not None]
    return rows[::-1]


def _summary_rows(reports: list[QualityReport], labels: dict) -> list[dict]:
    return [{"link": PageLink(labels[r.period], f"{r.period or REFERENCE}.html"), "rows_read": r.rows_read,
             "rejected": r.rejected, "warnings": r.warnings} for r in reports]


def _rule_rows(language: str) -> list[dict]:
    return [{"rule": rule, "name": _rule_name(rule, language), "severity": spec.severity,
             "fix": spec.fix_text(language)} for rule, spec in RULES.items()]


def _write_quarantine(path: Path, report: QualityReport, t: dict, language: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # QuarantinedRow.messages are the English ones; the file speaks the site language, so each
    # row's messages are taken from its rejecting issues instead (the same issues, same order).
    messages: dict[tuple[str, int], list[str]] = {}
    for issue in report.issues:
        if issue.severity == "reject" and issue.row is not None:
            messages.setdefault((issue.file, issue.row), []).append(issue.text(language))
    header = [t["file"], t["row"], t["rule"], t["column"], t["message"], t["original_row"]]
    rows = [[q.file, q.row, "; ".join(q.rules), "; ".join(c for c in q.columns if c),
             "; ".join(messages[(q.file, q.row)]), q.original] for q in report.quarantine]
    write_csv(path, header, rows)
