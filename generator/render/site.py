"""Rendering the site: every page's context is made in generator.pages, written here by the
page writer, the heavy parts of a period on every core (generator.render.workers)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd

from generator.assessment.held import HeldRows
from generator.assessment.leavers import Departures
from generator.assessment.site import Rollup, SiteAssessments
from generator.audience import AudienceSite
from generator.export.safe_csv import write_csv
from generator.export.tables import write_csv as write_csv_table
from generator.export.tables import write_xlsx
from generator.extract.dataset import Dataset
from generator.extract.rules import RULES
from generator.i18n import Catalogue, catalogue
from generator.org.charts import OrgChart, build_charts
from generator.pages.context import PageLink, Shell
from generator.pages.decisions import decision_rows, decisions_page_context
from generator.pages.departures import DepartureList, departure_lists
from generator.pages.formatting import script_json
from generator.pages.home import Glance, glance, home_page, latest_page, period_page, period_rows, periods_script
from generator.pages.manager import ManagerPages, member_rows
from generator.pages.methodology import methodology_page
from generator.pages.org import org_pages
from generator.pages.paths import decisions_download, decisions_page, downloads_page
from generator.pages.provenance import build_time
from generator.pages.quality import QualityReport, quality_index_page, quality_period_page, quality_reports
from generator.pages.rankings import RankingSource, RankingsPage, ranking_pages, rollup_ranking_page
from generator.pages.search import search_page_context, search_script
from generator.render.chart_specs import specs_script
from generator.render.environment import environment
from generator.render.narrative import build_guide
from generator.render.static_charts import StaticCharts
from generator.render.writer import Writer

ASSETS = ("site.css", "orgchart.js", "charts.js", "tables.js", "nav.js", "search.js", "vendor/vega.min.js",
          "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "vendor/vega.LICENSE", "vendor/vega-lite.LICENSE",
          "vendor/vega-embed.LICENSE")
MANAGER_SLICES_PER_JOB = 4


@dataclass(frozen=True)
class RenderedSite:
    files: int  # written now
    snapshots: dict[str, list[str]]  # period -> the files of its snapshot written now


@dataclass(frozen=True)
class _Site:
    """What every part of one render reads."""

    dataset: Dataset
    results: SiteAssessments
    shell: Shell
    labels: dict[str | None, str]  # period (None: the reference files) -> its label
    periods: list[dict]  # the home page's rows of every period, newest first
    revision: dict | None
    departures: Departures  # who leaves in each period, who is missing from each (assessment.leavers)


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
    secrecy = settings.site.confidentiality
    shell = Shell(language, catalogue(language), settings.bank.name.text(language), settings.site.title.text(language),
                  _readable(build_time(dataset)), secrecy.text(language) if secrecy else "")
    labels: dict[str | None, str] = {p.id: p.label(language) for p in dataset.periods}
    labels[None] = shell.t["reference_files"]
    static_charts = StaticCharts(language, settings.site.chart_font,
                                 [dataset.config.path.parent / d for d in settings.site.font_directories])
    writer = Writer(out, environment(), shell, periods, static_charts, jobs)
    for asset in ASSETS:
        writer.copy_asset(asset)
    writer.text("assets/charts-specs.js", specs_script(language))
    reports = [r for r in quality_reports(dataset) if r.period is None or r.period in periods]
    writer.owners.update({rollup.id: rollup.end for rollup in results.rollups})
    rows = period_rows(dataset, reports, labels, results, revision_links or {})
    writer.text("assets/periods.js", periods_script(shell, rows, max(results.assessed) if results.assessed else None))
    parts = _Site(dataset, results, shell, labels, rows, revision, site.departures)
    glances = {}  # the latest period's view is reused by the home page when rendered now
    for period in sorted(render):
        glances[period] = _render_period(writer, parts, period)
        if progress:
            progress(period)
    _render_front(writer, parts, _latest_glance(writer, parts, glances))
    _render_quality(writer, parts, [r for r in reports if r.period is None or r.period in render], reports)
    writer.count += build_guide(out, writer.common)
    return RenderedSite(writer.count, writer.snapshots)


def _readable(timestamp: str) -> str:
    """2026-10-31T00:00:00Z as a reader writes it: 2026-10-31 00:00 UTC."""
    return f"{timestamp[:10]} {timestamp[11:16]} UTC"


def _latest_glance(writer: Writer, parts: _Site, glances: dict[str, Glance | None]) -> Glance | None:
    """The home page's view: the last assessed period, whether or not its pages are rendered now."""
    results = parts.results
    if not results.assessed:
        return None
    latest = max(results.assessed)
    known = glances.get(latest)
    if known is not None:
        return known
    charts = build_charts(parts.dataset, latest, results.results[latest].table)
    view = glance(parts.dataset, results, latest, parts.labels, parts.shell.lang, charts)
    return _with_decisions(_with_trend(view, writer, _departure_lists(parts, latest)), parts, latest)


def _with_trend(view: Glance, writer: Writer, departed: list[DepartureList]) -> Glance:
    return replace(view, trend_json=script_json(view.trend_rows),
                   trend_svg=writer.static_charts.svg("score_trend", view.trend_rows), departures=departed)


def _departure_lists(parts: _Site, period: str) -> list[DepartureList]:
    return departure_lists(parts.departures, period, parts.shell.t, parts.dataset.units["name"],
                           parts.results.assessed)


# --- eligibility-grades: the grade decisions pages (职级升降) and their downloads ---

def _decided_kinds(parts: _Site) -> set[str]:
    """The kinds of period with grade decisions (from the config: the same on every build, whatever
    periods are rendered now)."""
    assessment = parts.dataset.config.settings.assessment
    decisions = assessment.grades.decisions if assessment is not None else None
    return set(decisions.periods) if decisions is not None else set()


def _decided(parts: _Site, period: str) -> list[tuple[str, str]]:
    """(period or roll-up id, label) of every decided period published with `period`'s snapshot."""
    kinds = _decided_kinds(parts)
    owned = [(period, parts.labels[period])] if "period" in kinds else []
    return owned + [(rollup.id, rollup.label) for rollup in parts.results.rollups
                    if rollup.end == period and rollup.kind in kinds]


def _with_decisions(view: Glance, parts: _Site, period: str) -> Glance:
    links = [PageLink(f"{parts.shell.t['decisions']} · {label}", decisions_page(owner))
             for owner, label in _decided(parts, period)]
    return replace(view, decisions=links)


def _decision_tasks(writer: Writer, parts: _Site, period: str) -> list[Callable[[], None]]:
    return [partial(_render_decisions, writer, parts, owner, label, period) for owner, label in _decided(parts, period)]


def _render_decisions(writer: Writer, parts: _Site, owner: str, label: str, period: str) -> None:
    """The decisions page of `owner` (the period or a roll-up ending in it) and its CSV and XLSX."""
    dataset, results, shell = parts.dataset, parts.results, parts.shell
    settings = dataset.config.settings
    assert settings.assessment is not None and settings.assessment.grades.decisions is not None, "decided"
    roster_grades = dataset.managers["grade"] if "grade" in dataset.managers else pd.Series(dtype=object)
    rows = decision_rows(results.results[owner].table, roster_grades, shell.t)
    closed = settings.periods.closed_through is not None and period <= settings.periods.closed_through
    with_pages = frozenset(results.results[period].table["manager_id"])
    writer.page(decisions_page_context(shell, owner, label, rows, settings.assessment.grades.decisions, closed,
                                       period, with_pages))
    for kind, write in (("csv", write_csv_table), ("xlsx", write_xlsx)):
        _write_download(writer, decisions_download(owner, kind), write, rows.drop(columns="kind"), results.labels)

# --- end eligibility-grades ---


def _render_front(writer: Writer, parts: _Site, latest: Glance | None) -> None:
    """Home, methodology and the latest-period link (a roll-up is rendered with its last month)."""
    results = parts.results
    kinds = _decided_kinds(parts)
    decided = frozenset(rollup.id for rollup in results.rollups if rollup.kind in kinds)
    writer.page(home_page(parts.shell, parts.periods, latest, results.rollups, decided))
    writer.page(methodology_page(parts.shell, parts.dataset.config.settings, results.rules))
    if latest is not None:
        writer.page(latest_page(parts.shell, max(results.assessed), latest))


def _render_period(writer: Writer, parts: _Site, period: str) -> Glance | None:
    """Search, org charts and, when assessed, the overview, downloads, manager pages, the
    rankings and the roll-ups ending in it, on every core (see render.workers). Returns the
    period's at-a-glance view (None when not assessed)."""
    dataset, results = parts.dataset, parts.results
    scores = results.table(period)
    # the pages that need no org chart are started first: the workers write them while this
    # process builds the charts, the overview and the search pages
    early = writer.start(_chartless_tasks(writer, parts, period) if scores is not None else [])
    try:
        writer.text(f"{period}/search-index.js", search_script(period, scores, dataset.units_in(period)))
        writer.page(search_page_context(parts.shell, period, parts.labels[period]))
        charts = build_charts(dataset, period, scores)  # once: the org pages and the overview share them
        tasks: list[Callable[[], None]] = [partial(_render_org, writer, parts, charts, period, scores)]
        view = None
        if scores is not None:
            view = _with_trend(glance(dataset, results, period, parts.labels, parts.shell.lang, charts), writer,
                               _departure_lists(parts, period))
            view = _with_decisions(view, parts, period)
            writer.page(period_page(parts.shell, dataset, period, parts.periods, view, parts.revision))
            tasks.insert(0, partial(_render_rankings, writer, parts, period, charts))
    except BaseException:
        early.stop()
        raise
    # One set of workers at a time: each worker's own pages come on top of what it shares with
    # this process, and two sets at once held 1.7 GB in the province nightly against 1.4 GB
    # (benchmarks/README.md), for no gain in time on two cores.
    writer.finish(early)
    writer.parallel(tasks)
    return view


def _chartless_tasks(writer: Writer, parts: _Site, period: str) -> list[Callable[[], None]]:
    """The downloads, the roll-ups' rankings and the manager pages, the longest first; the
    manager pages in slices small enough to even out the workers' ends."""
    results = parts.results
    tasks = _download_tasks(writer, period, results.results[period].table, results.labels)
    for rollup in results.rollups:
        if rollup.rendered and rollup.end == period:
            tasks += _download_tasks(writer, rollup.id, results.results[rollup.id].table, results.labels)
            tasks.append(partial(_render_rollup_ranking, writer, parts, rollup))
    tasks += _decision_tasks(writer, parts, period)
    assert results.history is not None  # an assessed site has one
    held = HeldRows(parts.dataset, parts.shell.lang).of(results.results[period].members)
    managers = ManagerPages(parts.shell, parts.labels[period], results.results[period], results.previous(period),
                            results.rules, results.labels, results.history, held)
    managers.leaving = frozenset(parts.departures.left_ids(period))
    ids = managers.manager_ids
    share = -(-len(ids) // (MANAGER_SLICES_PER_JOB * writer.jobs))
    return tasks + [partial(_render_managers, writer, managers, ids[start:start + share])
                    for start in range(0, len(ids), share or 1)]


def _render_managers(writer: Writer, pages: ManagerPages, manager_ids: list[str]) -> None:
    for manager_id in manager_ids:
        writer.page(pages.page(manager_id))


def _render_rollup_ranking(writer: Writer, parts: _Site, rollup: Rollup) -> None:
    results = parts.results
    end_managers = frozenset(results.results[rollup.end].table["manager_id"])
    source = RankingSource(results.results[rollup.id].table, None, None, rollup.id, results.labels,
                           parts.dataset.units_in(rollup.end)["name"], parts.shell.t, rollup.end, end_managers)
    writer.streamed_page(rollup_ranking_page(parts.shell, source, results.rules, rollup.label))


def _render_rankings(writer: Writer, parts: _Site, period: str, charts: list[OrgChart]) -> None:
    """The overall ranking, one page per scored item and one per group of every model."""
    result = parts.results.results[period]
    source = RankingSource(result.table, result.points, result.detail, period, parts.results.labels,
                           parts.dataset.units_in(period)["name"], parts.shell.t)
    departed = _departure_lists(parts, period)
    for page in ranking_pages(parts.shell, source, parts.results.rules, parts.dataset.config.settings, charts,
                              parts.labels[period]):
        writer.streamed_page(replace(page, departures=departed) if isinstance(page, RankingsPage) else page)


def _render_org(writer: Writer, parts: _Site, charts: list[OrgChart], period: str,
                scores: pd.DataFrame | None) -> None:
    dataset = parts.dataset
    settings = dataset.config.settings
    members = member_rows(scores, parts.shell.lang) if scores is not None else None
    for chart, model in zip(charts, settings.org_models):
        for page in org_pages(parts.shell, chart, model, settings.indicators, dataset.units_in(period),
                              dataset.managers_in(period)["name"],
                              parts.labels[period], parts.results.grade_order, members):
            writer.page(page)


def _download_tasks(writer: Writer, period: str, table: pd.DataFrame,
                    labels: dict[str, str]) -> list[Callable[[], None]]:
    return [partial(_write_download, writer, downloads_page(period, kind), write, table, labels)
            for kind, write in (("xlsx", write_xlsx), ("csv", write_csv_table))]


def _write_download(writer: Writer, path: str, write: Callable, table: pd.DataFrame, labels: dict[str, str]) -> None:
    target = writer.out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    write(table, target, labels)
    writer.written(path)


def _render_quality(writer: Writer, parts: _Site, rendered: list[QualityReport], reports: list[QualityReport]) -> None:
    """The index over every period's report; the pages of the periods rendered now."""
    writer.page(quality_index_page(parts.shell, reports, parts.labels))
    for report in rendered:
        page = quality_period_page(parts.shell, report, parts.labels[report.period], parts.dataset.inputs)
        _write_quarantine(writer.out / "quality" / page.quarantine, report, parts.shell.t, parts.shell.lang)
        writer.written(f"quality/{page.quarantine}")
        writer.page(page)


def _write_quarantine(path: Path, report: QualityReport, t: Catalogue, language: str) -> None:
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
    rows += [[file, "", rule, "", t["quality_unlisted"].format(count=count, rule=rule, file=file,
                                                                listed=report.listed_per_rule), ""]
             for file, rule, count in report.unlisted if RULES[rule].severity == "reject"]
    write_csv(path, header, rows)
