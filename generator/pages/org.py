"""What the org-chart page and the unit/group pages show, prepared for the templates."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, cast

import numpy as np
import pandas as pd

from generator.assessment.counting import EXCLUSIONS, NotCounted
from generator.config.site import Indicator, OrgModel, RegionModel, key_indicator
from generator.i18n import catalogue
from generator.org.charts import OrgChart, label_column
from generator.org.lookup import FrameLookup
from generator.pages import formatting as fmt
from generator.pages.context import PageContext, Shell
from generator.pages.paths import group_page, manager_page, org_chart_page, org_ranking_page, relative, unit_page

OPEN_LEVELS = 2  # the first levels of a chart are open; deeper ones open on a click
GRADE_COLOURS = 6  # css classes grade-0 … grade-5, from the top grade down


@dataclass
class GradeShare:
    label: str
    count: int
    percent: float  # of the node's graded headcount, for the colour bar
    css: str


@dataclass
class NodeView:
    node_id: str
    label: str
    href: str
    depth: int
    headcount: str
    score: str
    rank: str
    attainment: str
    attainment_css: str
    grades: list[GradeShare]
    not_counted: str = ""  # "1 人不计入：取消资格 1" (generator.assessment.counting), or ""
    children: list[NodeView] = field(default_factory=list)
    held: str = ""  # "2 held": managers of the node (or below it) whose result is held, or ""

    @property
    def open(self) -> bool:
        return self.depth < OPEN_LEVELS


def _lookups(chart: OrgChart) -> tuple[FrameLookup, FrameLookup]:
    return chart.node_lookup, chart.stats_lookup


def node_path(chart: OrgChart, model, node_id: str) -> str:
    if isinstance(model, RegionModel):
        return unit_page(chart.period, node_id)
    return group_page(chart.period, model.id, node_id)


def chart_tree(chart: OrgChart, model, language: str, kpi: Indicator | None, grade_order: list[str],
               current: str, held: dict[str, int] | None = None) -> list[NodeView]:
    """The roots of the chart, each with its children, linked relative to page `current`;
    `held`: per node, how many of its managers' results are held (held_counts)."""
    nodes, stats = _lookups(chart)
    grades = _grade_shares(chart, grade_order)
    held = held or {}
    sibling_counts = chart.nodes.groupby("parent_id").size().to_dict()
    t = catalogue(language)
    views: dict[str, NodeView] = {}
    for node_id in chart.nodes.sort_values("order").index:
        node = nodes.loc[node_id]
        views[node_id] = NodeView(
            node_id=node_id, label=node[label_column(language)],
            href=relative(node_path(chart, model, node_id), current), depth=int(node["depth"]),
            headcount=fmt.whole(stats.at[node_id, "headcount"]), score=fmt.score(stats.at[node_id, "score_mean"]),
            rank=_rank_text(stats.at[node_id, "rank_in_parent"], sibling_counts[node["parent_id"]],
                            bool(stats.at[node_id, "rank_in_parent_tied"]), t["tied"]),
            attainment=_attainment(stats, node_id, kpi), attainment_css=_attainment_css(stats, node_id, kpi),
            grades=grades.get(node_id, []), not_counted=not_counted_text(stats, node_id, t),
            held=t["held_node"].format(count=held[node_id]) if node_id in held else "")
    roots: list[NodeView] = []
    for node_id, view in views.items():
        parent = nodes.at[node_id, "parent_id"]
        (views[parent].children if parent in views else roots).append(view)
    return roots


def held_counts(chart: OrgChart, members: dict[str, dict] | None) -> dict[str, int]:
    """Per node, its managers (direct or below) whose result is held; nodes without any are left out."""
    held = {manager for manager, row in (members or {}).items() if row.get("held")}
    if not held:
        return {}
    rows = chart.members[chart.members["manager_id"].isin(held)]
    return {str(node): int(count) for node, count in rows.groupby("node_id")["manager_id"].nunique().items()}


def _rank_text(rank, siblings: int, tied: bool, tied_word: str) -> str:
    if pd.isna(rank) or siblings < 2:
        return ""
    return f"{int(rank)}/{siblings} {tied_word}" if tied else f"{int(rank)}/{siblings}"


def not_counted_text(stats: FrameLookup, node_id: str, t: dict[str, str]) -> str:
    """Who of the node does not count in its scores, by reason; with nobody counted, that it is unranked."""
    counts = NotCounted({reason: int(stats.at[node_id, f"not_counted_{reason}"]) for reason in EXCLUSIONS
                         if f"not_counted_{reason}" in stats})
    text = counts.text(t)
    if counts.total and not stats.at[node_id, "scored"]:
        return t["not_counted.unranked"].format(text=text)
    return text


def _unit_rank(stats: FrameLookup, node_id: str, column: str, t: dict[str, str]) -> str:
    """A node's rank among its siblings or its level, marked tied; "" when unranked."""
    return fmt.rank_text(stats.at[node_id, column], bool(stats.at[node_id, f"{column}_tied"]), t["tied"])


def _attainment(stats: FrameLookup, node_id: str, kpi: Indicator | None) -> str:
    column = f"{kpi.id}__attainment" if kpi else None
    return fmt.percent(stats.at[node_id, column]) if column in stats else ""


def _attainment_css(stats: FrameLookup, node_id: str, kpi: Indicator | None) -> str:
    column = f"{kpi.id}__attainment" if kpi else None
    if column not in stats or pd.isna(stats.at[node_id, column]):
        return ""
    value = stats.at[node_id, column]
    return "good" if value >= 1 else "fair" if value >= 0.9 else "poor"


def _grade_shares(chart: OrgChart, grade_order: list[str]) -> dict[str, list[GradeShare]]:
    """Per node, its graded headcount by grade from the top grade down (read as plain lists:
    a groupby over a province's nodes cost more than the pages it fed)."""
    order = {grade: index for index, grade in enumerate(grade_order)}
    rows: dict[str, list[tuple[str, int]]] = {}
    for node_id, grade, count in zip(*(chart.grades[c].tolist() for c in ("node_id", "grade", "headcount"))):
        rows.setdefault(node_id, []).append((grade, count))
    shares = {}
    for node_id, counts in rows.items():
        total = np.int64(sum(count for _, count in counts))  # a numpy share, rounded as numpy rounds
        ranked = sorted(counts, key=lambda pair: (order.get(pair[0], len(order)), pair[0]))
        shares[node_id] = [GradeShare(grade, int(count), round(100 * count / total, 2),
                                      grade_css(order.get(grade, GRADE_COLOURS - 1)))
                           for grade, count in ranked]
    return shares


def node_pages(head: OrgHead, chart: OrgChart, model: OrgModel, indicators: list[Indicator], grade_order: list[str],
               manager_names: pd.Series, assessed: dict[str, dict] | None = None) -> Iterator[OrgNodePage]:
    """The page of every node of the chart. With the period's `assessed` managers
    (manager.member_rows) a node lists its own managers in rank order, linked to their pages;
    without an assessment, by ID."""
    language = head.shell.lang
    nodes, stats = _lookups(chart)
    grades = _grade_shares(chart, grade_order)
    direct = chart.members[chart.members["direct"]]
    direct_by_node = {node: list(rows) for node, rows in direct.groupby("node_id")["manager_id"]}
    top_by_node = _top_rows(chart.top, head.shell.t["tied"])
    label = label_column(language)
    held = held_counts(chart, assessed)
    for node_id in chart.nodes.index:
        path = node_path(chart, model, node_id)
        yield OrgNodePage(
            shell=head.shell, path=path, chart_title=head.chart_title, period_label=head.period_label,
            kpi_label=head.kpi_label,
            node_label=nodes.at[node_id, label],
            breadcrumb=_breadcrumb(chart, model, node_id, path, label),
            chart_href=relative(org_chart_page(chart.period, model.id), path),
            tiles=_tiles(stats, node_id, head.shell.t),
            grades=grades.get(node_id, []),
            indicators=[_indicator_row(stats, node_id, i, language) for i in indicators],
            children=_child_rows(chart, model, node_id, path, label, indicators, head.shell.t),
            top=top_by_node.get(node_id, []),
            held_note=head.shell.t["held_node"].format(count=held[node_id]) if node_id in held else "",
            direct=_direct_rows(direct_by_node.get(node_id, []), manager_names, assessed, chart.period, path))


def _direct_rows(manager_ids: list[str], names: pd.Series, assessed: dict[str, dict] | None, period: str,
                 path: str) -> list[dict]:
    folder = posixpath.dirname(relative(manager_page(period, "x"), path))
    rows = []
    for manager_id in manager_ids:
        row = (assessed or {}).get(manager_id)
        if row is None:  # not assessed: listed, without scores or a page to link to
            rows.append({"name": names.get(manager_id, ""), "manager_id": manager_id, "total": "", "grade": "",
                         "rank": "", "held": False, "order": (True, 0.0, manager_id), "href": None})
        else:
            rows.append({**row, "href": f"{folder}/{posixpath.basename(manager_page(period, manager_id))}"})
    return sorted(rows, key=lambda row: row["order"])


def _breadcrumb(chart: OrgChart, model, node_id: str, path: str, label: str) -> list[tuple[str, str]]:
    """(label, link) of every node above this one, the root first; `label` is the nodes' label column."""
    nodes = _lookups(chart)[0]
    trail, current = [], nodes.at[node_id, "parent_id"]
    while current:
        trail.append((nodes.at[current, label], relative(node_path(chart, model, current), path)))
        current = nodes.at[current, "parent_id"]
    return trail[::-1]


def _tiles(stats: FrameLookup, node_id: str, t: dict[str, str]) -> dict[str, str]:
    row = stats.loc[node_id]
    return {"headcount": fmt.whole(row["headcount"]), "direct_headcount": fmt.whole(row["direct_headcount"]),
            "score_mean": fmt.score(row["score_mean"]), "score_median": fmt.score(row["score_median"]),
            "rank_in_parent": _unit_rank(stats, node_id, "rank_in_parent", t),
            "rank_in_level": _unit_rank(stats, node_id, "rank_in_level", t),
            "not_counted": not_counted_text(stats, node_id, t)}


def _indicator_row(stats: FrameLookup, node_id: str, indicator: Indicator, language: str) -> dict[str, str]:
    target = f"{indicator.id}__target"
    return {"label": indicator.label.text(language),
            "actual": fmt.quantity(stats.at[node_id, indicator.id], indicator.unit),
            "target": fmt.quantity(stats.at[node_id, target], indicator.unit) if target in stats else "",
            "attainment": _attainment(stats, node_id, indicator),
            "attainment_css": _attainment_css(stats, node_id, indicator)}


def _child_rows(chart: OrgChart, model, node_id: str, path: str, label: str,
                indicators: list[Indicator], t: dict[str, str]) -> list[dict]:
    kpi = key_indicator(indicators)
    nodes, stats = _lookups(chart)
    rows = []
    for child in chart.children(node_id):
        rank = stats.at[child, "rank_in_parent"]
        rows.append({"label": nodes.at[child, label],
                     "href": relative(node_path(chart, model, child), path),
                     "headcount": fmt.whole(stats.at[child, "headcount"]),
                     "score": fmt.score(stats.at[child, "score_mean"]),
                     "rank": _unit_rank(stats, child, "rank_in_parent", t),
                     "order": (pd.isna(rank), _whole_or_zero(rank)),
                     "not_counted": not_counted_text(stats, child, t),
                     "attainment": _attainment(stats, child, kpi)})
    return sorted(rows, key=lambda r: (r["order"], r["label"]))


def _top_rows(top: pd.DataFrame, tied_word: str) -> dict[str, list[dict]]:
    """Per node, its best counted managers in place order, a shared place marked tied."""
    rows: dict[str, list[dict]] = {}
    columns = (top[c].tolist() for c in ("node_id", "place", "tied", "manager_id", "name", "score"))
    for node_id, place, tied, manager_id, name, score in zip(*columns):
        rows.setdefault(node_id, []).append({"place": int(place), "tied": tied_word if tied else "",
                                             "manager_id": manager_id, "name": name, "score": fmt.score(score)})
    return rows


@dataclass
class LevelBoard:
    """All nodes of one level of a model ranked together: the branch leaderboard."""

    depth: int
    title: str
    rows: list[dict]


def leaderboards(chart: OrgChart, model, language: str, kpi: Indicator | None, current: str,
                 level_names: dict[int, str]) -> list[LevelBoard]:
    """One board per level below the root, ranked by mean score (ties share a rank)."""
    nodes, stats = _lookups(chart)
    label = label_column(language)
    t = catalogue(language)
    boards = []
    depths = chart.nodes["depth"]
    for depth in sorted(set(depths) - {0}):
        level = chart.nodes.index[depths == depth]
        rows = [{"rank": _unit_rank(stats, n, "rank_in_level", t),
                 "order": (pd.isna(stats.at[n, "rank_in_level"]), _whole_or_zero(stats.at[n, "rank_in_level"])),
                 "label": nodes.at[n, label], "href": relative(node_path(chart, model, n), current),
                 "parent": nodes.at[nodes.at[n, "parent_id"], label] if nodes.at[n, "parent_id"] else "",
                 "headcount": fmt.whole(stats.at[n, "headcount"]), "score": fmt.score(stats.at[n, "score_mean"]),
                 "median": fmt.score(stats.at[n, "score_median"]), "attainment": _attainment(stats, n, kpi),
                 "not_counted": not_counted_text(stats, n, t)}
                for n in level]
        rows.sort(key=lambda r: (r["order"], r["label"]))
        boards.append(LevelBoard(depth, level_names.get(depth, str(depth)), rows))
    return boards


def _whole_or_zero(rank) -> int:
    return 0 if pd.isna(rank) else int(rank)


def level_names(chart: OrgChart, units: pd.DataFrame, model) -> dict[int, str]:
    """The unit table's level label (省分行, 市分行, …) of each depth, when it has one."""
    if not isinstance(model, RegionModel) or "level" not in units:
        return {}
    named = units[units["level"].ne("")]
    return cast(dict[int, str], named.groupby("depth")["level"].first().to_dict())


@dataclass(frozen=True)
class OrgHead:
    """What every page of one organization model in one period shows in its head."""

    shell: Shell
    chart_title: str  # the model's name
    period_label: str
    kpi_label: str  # the key indicator's name ("" without one)


@dataclass(frozen=True, kw_only=True)
class OrgPage(PageContext):
    """A page of one organization model in one period (its head: OrgHead)."""

    chart_title: str  # the model's name
    period_label: str
    kpi_label: str  # the key indicator's name ("" without one)


@dataclass(frozen=True, kw_only=True)
class OrgChartPage(OrgPage):
    """The model's tree of nodes, each with its head-count, score, rank, KPI and grade bar."""

    template: ClassVar[str] = "org_chart.html"
    roots: list[NodeView]
    legend: list[GradeShare]  # the grade colours, top grade first
    ranking_href: str  # the model's unit ranking page, relative to this one


@dataclass(frozen=True, kw_only=True)
class OrgRankingPage(OrgPage):
    """Every level of the model ranked: the branch leaderboards."""

    template: ClassVar[str] = "org_ranking.html"
    boards: list[LevelBoard]
    chart_href: str


@dataclass(frozen=True, kw_only=True)
class OrgNodePage(OrgPage):
    """One unit or group: its figures, its grade shares, its children, its best and own managers."""

    template: ClassVar[str] = "org_node.html"
    node_label: str
    breadcrumb: list[tuple[str, str]]  # (label, href) from the root down to this node
    chart_href: str
    tiles: dict[str, str]
    grades: list[GradeShare]
    indicators: list[dict[str, str]]  # per indicator: label, actual, target, attainment
    children: list[dict]
    top: list[dict]  # the node's best managers
    held_note: str  # "2 held": managers of the node (or below it) whose result is held, or ""
    direct: list[dict]  # the managers directly in the node, in rank order


def org_pages(shell: Shell, chart: OrgChart, model: OrgModel, indicators: list[Indicator], units: pd.DataFrame,
              names: pd.Series, period_label: str, grade_order: list[str],
              members: dict[str, dict] | None) -> Iterator[OrgPage]:
    """The chart page, the unit ranking page and every node's page of one model in one period.
    `members`: the period's assessed managers (manager.member_rows), or None."""
    language = shell.lang
    kpi = key_indicator(indicators)
    head = OrgHead(shell, model.label.text(language), period_label, kpi.label.text(language) if kpi else "")
    page, ranking = org_chart_page(chart.period, model.id), org_ranking_page(chart.period, model.id)
    yield OrgChartPage(shell=shell, path=page, chart_title=head.chart_title, period_label=period_label,
                       kpi_label=head.kpi_label,
                       roots=chart_tree(chart, model, language, kpi, grade_order, page, held_counts(chart, members)),
                       legend=legend(grade_order), ranking_href=relative(ranking, page))
    boards = leaderboards(chart, model, language, kpi, ranking, level_names(chart, units, model))
    yield OrgRankingPage(shell=shell, path=ranking, chart_title=head.chart_title, period_label=period_label,
                         kpi_label=head.kpi_label, boards=boards, chart_href=relative(page, ranking))
    yield from node_pages(head, chart, model, indicators, grade_order, names, members)


def legend(grade_order: list[str]) -> list[GradeShare]:
    return [GradeShare(grade, 0, 0.0, grade_css(index)) for index, grade in enumerate(grade_order)]


def grade_css(index: int) -> str:
    """The colour class of the grade `index` places from the top (the lowest ones share one)."""
    return f"grade-{min(index, GRADE_COLOURS - 1)}"
