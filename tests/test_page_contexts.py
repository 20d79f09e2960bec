"""The page contexts of the tiny bank, built directly from the pipeline's stages, without
rendering: each page kind's key fields, its template and its place in the site."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from generator.assessment.engine import Assessor
from generator.assessment.site import KeptResults, SiteAssessments, assess_site
from generator.config.loading import load_config
from generator.extract.dataset import Dataset
from generator.extract.loader import load_dataset
from generator.i18n import catalogue
from generator.org.charts import build_charts
from generator.pages.context import PageContext, Shell
from generator.pages.home import (
    HomePage,
    LatestPage,
    PeriodPage,
    glance,
    home_page,
    latest_page,
    period_page,
    period_rows,
)
from generator.pages.manager import ManagerPage, ManagerPages, member_rows
from generator.pages.methodology import MethodologyPage, methodology_page
from generator.pages.org import OrgChartPage, OrgNodePage, OrgRankingPage, org_pages
from generator.pages.quality import QualityPeriodPage, quality_index_page, quality_period_page, quality_reports
from generator.pages.rankings import RankingListPage, RankingSource, RankingsPage, ranking_pages
from generator.pages.search import SearchPage, search_page_context
from tests.conftest import TINY

PERIOD = "2026-10"


@dataclass(frozen=True)
class TinySite:
    dataset: Dataset
    assessments: SiteAssessments
    shell: Shell
    labels: dict


def _shell(language: str) -> Shell:
    return Shell(language, catalogue(language), "测试银行", "考核报告")


@pytest.fixture(scope="module")
def tiny() -> TinySite:
    dataset = load_dataset(load_config(TINY / "site_config.yml"))
    periods = [period.id for period in dataset.periods]
    assessments = assess_site(dataset, periods, set(periods), Assessor(dataset), KeptResults())
    labels = {period.id: period.label("zh-CN") for period in dataset.periods}
    return TinySite(dataset, assessments, _shell("zh-CN"), labels)


def _manager_pages(tiny: TinySite) -> ManagerPages:
    results = tiny.assessments
    assert results.history is not None
    return ManagerPages(tiny.shell, tiny.labels[PERIOD], results.results[PERIOD], results.previous(PERIOD),
                        results.rules, results.labels, results.history)


def test_a_manager_page_holds_his_results_and_their_parts_add_up(tiny):
    page = _manager_pages(tiny).page("000101")
    assert isinstance(page, ManagerPage) and page.template == "manager.html"
    assert (page.path, page.root) == ("2026-10/managers/000101.html", "../../")
    assert (page.name, page.total, page.grade) == ("张伟", "83.74", "高级客户经理")
    assert (page.rank_overall, page.assessed) == (3, 4)
    assert page.awards == "营销之星" and page.disqualified == ""
    groups = sum(Decimal(group["points"]) for group in page.groups)
    assert groups - Decimal(page.penalty) == Decimal(page.total)
    for group in page.groups:
        assert sum(Decimal(row["points"]) for row in group["rows"]) == Decimal(group["points"])
    assert page.ranks[0] == {"scope": "总排名", "rank": "3", "move": "↓2"}  # text: a shared rank reads "3 并列"
    assert page.history_json == ('{"label":["2026年9月","2026年10月"],"total":[104.41,83.74],"rank":[1,3],'
                                 '"note":["",""]}')  # a note says why a period is a gap


def test_a_context_gives_its_template_the_shell_the_root_and_its_own_fields(tiny):
    page = _manager_pages(tiny).page("000101")
    variables = page.variables()
    assert {key: variables[key] for key in ("lang", "bank", "title", "root")} == {
        "lang": "zh-CN", "bank": "测试银行", "title": "考核报告", "root": "../../"}
    assert variables["t"]["rankings"] == catalogue("zh-CN")["rankings"]
    assert "shell" not in variables and "path" not in variables
    assert variables["total"] == "83.74"


def test_the_home_and_overview_pages_show_the_period_at_a_glance(tiny):
    dataset, results = tiny.dataset, tiny.assessments
    charts = build_charts(dataset, PERIOD, results.results[PERIOD].table)
    view = glance(dataset, results, PERIOD, tiny.labels, "zh-CN", charts)
    assert view.latest_label == "2026年10月" and view.latest_rankings == "2026-10/rankings.html"
    ranks = [int(row["rank"].split()[0]) for row in view.top]  # text: a shared rank reads "2 并列"
    assert ranks == sorted(ranks)
    assert view.top[0]["rank"] == "1"
    graded = results.results[PERIOD].table["grade"].notna().sum()
    assert sum(grade["count"] for grade in view.grades) == graded
    assert [row["label"] for row in view.trend_rows] == ["2026年9月", "2026年10月"]
    rows = period_rows(dataset, quality_reports(dataset), {**tiny.labels, None: "参考"}, results, {})
    assert [row["id"] for row in rows] == ["2026-10", "2026-09"]  # newest first
    home = home_page(tiny.shell, rows, view, results.rollups)
    assert isinstance(home, HomePage) and (home.template, home.path, home.root) == ("index.html", "index.html", "")
    overview = period_page(tiny.shell, dataset, "2026-09", rows, view, None)
    assert isinstance(overview, PeriodPage) and overview.path == "2026-09/index.html"
    assert [row["id"] for row in overview.periods] == ["2026-09"]  # a snapshot never names a later period
    assert {item.period for item in overview.provenance["inputs"]} == {None, "2026-09"}
    latest = latest_page(tiny.shell, PERIOD, view)
    assert isinstance(latest, LatestPage) and latest.target == "2026-10/index.html"


def test_the_methodology_page_states_the_rules_in_the_site_language(tiny):
    settings = tiny.dataset.config.settings
    page = methodology_page(tiny.shell, settings, tiny.assessments.rules)
    assert isinstance(page, MethodologyPage) and page.assessment
    assert [grade["name"] for grade in page.grades][:1] == ["资深客户经理"]
    assert len(page.groups) == len(settings.assessment.groups)
    english = methodology_page(_shell("en"), settings, tiny.assessments.rules)
    assert english.formulas[0]["formula"].startswith("completion")
    assert english.grades != page.grades  # the config's grade names in each language


def test_an_org_model_gives_its_chart_its_unit_ranking_and_a_page_per_node(tiny):
    dataset, results = tiny.dataset, tiny.assessments
    table = results.results[PERIOD].table
    chart = build_charts(dataset, PERIOD, table)[0]
    model = dataset.config.settings.org_models[0]
    pages = list(org_pages(tiny.shell, chart, model, dataset.config.settings.indicators, dataset.units,
                           dataset.managers["name"], tiny.labels[PERIOD], results.grade_order, member_rows(table)))
    assert isinstance(pages[0], OrgChartPage) and isinstance(pages[1], OrgRankingPage)
    nodes = [page for page in pages if isinstance(page, OrgNodePage)]
    assert len(nodes) == len(chart.nodes) and all(page.chart_title == model.label.zh for page in pages)
    unit = next(page for page in nodes if page.path == "2026-10/units/010101.html")
    assert unit.node_label == dataset.units.at["010101", "name"] and unit.root == "../../"
    listed = {row["manager_id"] for row in unit.direct}
    assert listed == set(table[table["unit_id"] == "010101"]["manager_id"])


def test_a_period_has_a_ranking_per_item_and_group_and_then_the_overall_one(tiny):
    dataset, results = tiny.dataset, tiny.assessments
    result = results.results[PERIOD]
    source = RankingSource(result.table, result.points, result.detail, PERIOD, results.labels,
                           dataset.units["name"], tiny.shell.t)
    charts = build_charts(dataset, PERIOD, result.table)
    pages = list(ranking_pages(tiny.shell, source, results.rules, dataset.config.settings, charts,
                               tiny.labels[PERIOD]))
    overall = pages[-1]
    assert isinstance(overall, RankingsPage) and overall.path == "2026-10/rankings.html"
    assert overall.table.row_count == len(result.table)
    items = [page for page in pages[:-1] if page.rule_note == tiny.shell.t["item_ranking_rule"]]
    assert len(items) == len(results.rules) and all(isinstance(page, RankingListPage) for page in pages[:-1])
    linked = [link.href for section in overall.ranking_links for link in section["links"]]
    assert len(linked) == len(pages) - 1


def test_the_quality_pages_name_each_periods_files_and_quarantine(tiny):
    dataset = tiny.dataset
    reports = quality_reports(dataset)
    labels = {**tiny.labels, None: "参考文件"}
    index = quality_index_page(tiny.shell, reports, labels)
    assert [row["link"].href for row in index.reports] == ["reference.html", "2026-09.html", "2026-10.html"]
    report = next(r for r in reports if r.period == "2026-09")
    page = quality_period_page(tiny.shell, report, labels["2026-09"], dataset.inputs)
    assert isinstance(page, QualityPeriodPage) and page.path == "quality/2026-09.html" and page.root == "../"
    assert page.quarantine == "2026-09.quarantine.csv"
    assert page.inputs and all(item.period == "2026-09" for item in page.inputs)
    assert (page.report.rows_read, page.report.rejected, page.report.warnings) == (13, 0, 0)  # a clean month


def test_every_page_kind_names_a_template_that_exists(tiny):
    from generator.resources import TEMPLATES
    kinds = [ManagerPage, HomePage, PeriodPage, LatestPage, MethodologyPage, OrgChartPage, OrgRankingPage,
             OrgNodePage, RankingsPage, RankingListPage, QualityPeriodPage, SearchPage]
    assert all(issubclass(kind, PageContext) and (TEMPLATES / kind.template).is_file() for kind in kinds)
    search = search_page_context(tiny.shell, PERIOD, tiny.labels[PERIOD])
    assert (search.path, search.period_label) == ("2026-10/search.html", "2026年10月")
