"""Who counts (generator.assessment.counting), and saying what happened: ties, leavers,
movements that cannot be compared, gaps in a manager's history.

The tiny bank, September 2026: 000101 张伟 104.41 and 000105 陈静 76.44 sit in 江城东湖支行
(010101), 000102 王芳 81.61 in its outlet 人民路 (01010101), 000104 刘洋 63.00 — disqualified
by a violation, and leaving on 2026-09-30 — alone in its outlet 解放路 (01010102).
"""
from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

from generator.assessment import assess
from generator.assessment.counting import COUNTED, DISQUALIFIED, HELD, INELIGIBLE, counts, not_counted, standing
from generator.assessment.history import ManagerHistory
from generator.assessment.leavers import departures
from generator.i18n import catalogue
from generator.org.charts import build_charts
from generator.pages.manager import tied_scopes
from generator.pages.org import leaderboards
from tests.conftest import TINY, Bank, run_build
from tests.sitecheck import line_breaks, table_rows, unit_board

ZH = catalogue("zh-CN")
HELD_ROW = "000101,2026-10-15,迟到,1,2,disqualification cell holds 2"  # 2 is no 是/否: rejected, 000101 held


def _region(dataset, assessment, period):
    charts = build_charts(dataset, period, assessment[period].table)
    return next(chart for chart in charts if chart.model_id == "region")


@pytest.fixture(scope="module")
def tiny_dataset():
    return Bank(TINY).load()


@pytest.fixture(scope="module")
def september(tiny_dataset):
    assessment = assess(tiny_dataset)
    return assessment, _region(tiny_dataset, assessment, "2026-09")


# --- the rule -------------------------------------------------------------------------------

def test_one_reason_per_manager_and_the_not_counted_text():
    table = pd.DataFrame({"disqualification_reason": ["", "违规", "", "违规", ""],
                          "is_held": [False, True, True, False, False],
                          "is_ineligible": [False, False, True, True, True]}, index=list("abcde"))
    assert standing(table).tolist() == [COUNTED, DISQUALIFIED, HELD, DISQUALIFIED, INELIGIBLE]
    assert counts(table).tolist() == [True, False, False, False, False]
    excluded = not_counted(standing(table))
    assert excluded.total == 4  # each manager once, whatever the number of his reasons
    assert excluded.text(ZH) == "4 人不计入：取消资格 2、结果暂缓 1、不符合参评资格 1"
    assert excluded.text(catalogue("en")) == "4 not counted: 2 disqualified, 1 held, 1 ineligible"
    assert not_counted([COUNTED, COUNTED]).text(ZH) == ""


def test_the_engine_ranks_by_the_same_rule(september):
    assessment, _ = september
    table = assessment["2026-09"].table
    assert standing(table).to_dict() == {"000101": COUNTED, "000102": COUNTED, "000104": DISQUALIFIED,
                                         "000105": COUNTED}
    assert table["rank_overall"].notna().to_dict() == counts(table).to_dict()


# --- aggregates -----------------------------------------------------------------------------

def test_a_disqualified_manager_is_out_of_his_units_mean_and_median(september):
    _, region = september
    stats = region.stats
    # 010101 and everything above it: (104.41 + 81.61 + 76.44) ÷ 3 = 87.486…, not (… + 63.00) ÷ 4 = 81.365
    for unit in ("0100", "0101", "010101"):
        assert stats.at[unit, "score_mean"] == pytest.approx((104.41 + 81.61 + 76.44) / 3)
        assert stats.at[unit, "score_median"] == pytest.approx(81.61)
        assert (stats.at[unit, "headcount"], stats.at[unit, "scored"]) == (4, 3)  # still listed, not counted
        assert stats.at[unit, "not_counted_disqualified"] == 1
    # business figures stay the whole unit's: his 8,000.00 of deposits are in the sub-branch's sum
    assert stats.at["010101", "deposit_avg"] == pytest.approx(12345.60 + 3200.50 + 8000.00 + 15000.00)


def test_an_outlet_whose_only_manager_is_disqualified_is_unranked_not_first(september, tiny_dataset):
    _, region = september
    stats = region.stats
    assert pd.isna(stats.at["01010102", "score_mean"]) and pd.isna(stats.at["01010102", "rank_in_parent"])
    assert pd.isna(stats.at["01010102", "rank_in_level"])
    assert stats.at["01010101", "rank_in_parent"] == 1 and stats.at["01010101", "rank_in_level"] == 1
    model = _model(tiny_dataset, region)
    boards = {board.depth: board for board in leaderboards(region, model, "zh-CN", None, "x.html", {})}
    outlets = {row["label"]: row for row in boards[3].rows}
    assert outlets["东湖人民路网点"]["rank"] == "1"
    assert outlets["东湖解放路网点"]["rank"] == ""
    assert outlets["东湖解放路网点"]["not_counted"] == "1 人不计入：取消资格 1；无计入人员，不排名"
    assert [row["label"] for row in boards[3].rows] == ["东湖人民路网点", "东湖解放路网点"]  # the unranked last


def test_grade_distributions_and_top_managers_hold_only_the_counted(september):
    _, region = september
    grades = region.grades[region.grades["node_id"] == "0100"].set_index("grade")["headcount"].to_dict()
    assert grades == {"资深客户经理": 1, "高级客户经理": 2}  # 104.41; 81.61, 76.44 — not 刘洋
    assert "000104" not in set(region.top["manager_id"])
    assert region.top[region.top["node_id"] == "01010102"].empty


def test_a_held_manager_is_out_of_the_unit_mean_too(bank):
    bank.append("periods/2026-10/violations.csv", HELD_ROW)
    dataset = bank.load()
    assessment = assess(dataset)
    stats = _region(dataset, assessment, "2026-10").stats
    # October 010101: 000105 107.03, 000102 84.70, 000103 58.00 count; 000101 (83.74) is held
    assert stats.at["010101", "score_mean"] == pytest.approx((107.03 + 84.70 + 58.00) / 3)
    assert (stats.at["010101", "not_counted_held"], stats.at["010101", "headcount"]) == (1, 4)


# --- ties -----------------------------------------------------------------------------------

def test_equal_unit_means_are_labelled_tied(tiny_dataset):
    scores = pd.DataFrame({"period": "2026-09", "manager_id": ["000101", "000102", "000104", "000105"],
                           "total": [80.0, 70.0, 70.0, 80.0], "grade": None})
    region = next(c for c in build_charts(tiny_dataset, "2026-09", scores) if c.model_id == "region")
    model = _model(tiny_dataset, region)
    boards = {board.depth: board for board in leaderboards(region, model, "zh-CN", None, "x.html", {})}
    assert [row["rank"] for row in boards[3].rows] == ["1 并列", "1 并列"]
    assert boards[1].rows[0]["rank"] == "1"  # alone in its level: no tie


def test_a_tie_within_a_scope_is_labelled_on_that_scope_only():
    table = pd.DataFrame({"unit_id": ["A", "A", "B"], "rank_overall": [1, 1, 3], "rank_unit": [1, 1, 1]},
                         index=["m1", "m2", "m3"])
    tied = tied_scopes(table, ["rank_overall", "rank_unit"])
    assert tied == {"m1": {"rank_overall", "rank_unit"}, "m2": {"rank_overall", "rank_unit"}}  # m3: 1st of B alone


# --- movements ------------------------------------------------------------------------------

def test_a_movement_that_cannot_be_compared_says_why(bank):
    bank.replace("site_config.yml", "assessment:\n", "assessment:\n  violations: {disqualification_window: period}\n")
    bank.append("periods/2026-09/violations.csv", "000105,2026-09-20,违规操作,5,是,test",
                "000101,2026-09-21,迟到,1,2,disqualification cell holds 2")
    table = assess(bank.load())["2026-10"].table
    notes = table["move_overall_note"].to_dict()
    assert notes == {"000101": "previous_held", "000102": "", "000103": "new_hire",
                     "000105": "previous_disqualified"}
    assert table.at["000102", "move_unit_note"] == "not_comparable"  # 人民路 → 解放路
    assert table["move_overall"].isna().to_dict() == {"000101": True, "000102": False, "000103": True,
                                                      "000105": True}
    assert set(assess(bank.load())["2026-09"].table["move_overall_note"]) == {"no_previous", "not_ranked"}
    # the awards' pool follows the rule too: 陈静's rise from a disqualified 71.44 (76.44 − 5) to 107.03
    # is no improvement to award; 王芳's 81.61 → 84.70 is
    assert table["award_most_improved"].to_dict() == {"000101": False, "000102": True, "000103": False,
                                                      "000105": False}


def test_absent_last_period_and_not_ranked_now(bank):
    for name in ("performance.csv", "targets.csv", "evaluations.csv"):
        relative = f"periods/2026-09/{name}"
        bank.write_lines(relative, [line for line in bank.lines(relative) if not line.startswith("000105,")])
    bank.append("periods/2026-10/violations.csv", HELD_ROW)
    table = assess(bank.load())["2026-10"].table
    assert table.at["000105", "move_overall_note"] == "previous_absent"
    assert table.at["000101", "move_overall_note"] == "not_ranked"


# --- leavers --------------------------------------------------------------------------------

def test_a_leaver_is_named_in_the_period_he_left_and_the_next(tiny_dataset):
    found = departures(tiny_dataset)
    [leaving] = found.leaving_in("2026-09")
    assert (leaving.manager_id, leaving.name, leaving.unit_id, leaving.leave_date, leaving.left) == (
        "000104", "刘洋", "01010102", "2026-09-30", True)
    [gone] = found.gone_from("2026-10")
    assert gone.manager_id == "000104" and gone.left
    assert found.leaving_in("2026-10") == []  # the latest period: nobody is known to leave


# --- history gaps ---------------------------------------------------------------------------

def test_history_leaves_a_gap_for_held_and_absent_periods():
    frame = pd.DataFrame({"period": ["2026-09", "2026-10", "2026-09", "2026-11", "2026-11"],
                          "label": ["9月", "10月", "9月", "11月", "11月"],
                          "manager_id": ["a", "a", "b", "a", "b"], "unit_id": "u",
                          "total": [80.0, 70.0, 60.0, 90.0, 65.0], "rank": [1, None, 2, 1, 2],
                          "standing": [COUNTED, HELD, COUNTED, COUNTED, COUNTED]})
    history = ManagerHistory(frame)
    assert history.columns("a", "2026-11") == {"label": ["9月", "10月", "11月"], "total": [80.0, None, 90.0],
                                               "rank": [1, None, 1], "note": ["", "held", ""]}
    assert history.columns("b", "2026-11") == {"label": ["9月", "10月", "11月"], "total": [60.0, None, 65.0],
                                               "rank": [2, None, 2], "note": ["", "absent", ""]}


def test_the_build_time_chart_breaks_its_line_at_a_gap():
    from generator.render.static_charts import StaticCharts
    charts = StaticCharts("zh-CN", "Noto Sans CJK SC", [])
    rows = [{"label": "9月", "total": 80.0}, {"label": "10月", "total": None}, {"label": "11月", "total": 82.0},
            {"label": "12月", "total": 85.0}]
    svg = charts.svg("score_history", rows)
    line = next(d for d in re.findall(r'<path[^>]* d="([^"]+)"', svg) if "L" in d)
    assert line.count("M") == 2  # 9月 alone, then 11月–12月: no line across 10月
    assert "10月" in svg  # the gap keeps its place on the axis


# --- the pages, in the browser ---------------------------------------------------------------

@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("who-counts") / "site"
    result = run_build("--config", str(TINY / "site_config.yml"), "--out", str(out), "--no-cache")
    assert result.returncode == 0, result.stderr
    return out


def test_the_org_ranking_page_reads_right_in_the_browser(plain_site, open_page):
    opened = open_page(plain_site / "2026-09/org/region-ranking.html")
    page = opened.page
    assert opened.errors == [] and opened.external == []
    outlets = unit_board(page, "网点")
    # rank, name, parent, head-count, mean, median, not counted, attainment
    assert outlets[0][:7] == ["1", "东湖人民路网点", "江城东湖支行", "1", "81.61", "81.61", ""]
    assert outlets[1][:7] == ["", "东湖解放路网点", "江城东湖支行", "1", "—", "—",
                              "1 人不计入：取消资格 1；无计入人员，不排名"]
    branch = unit_board(page, "支行")
    assert branch[0][:7] == ["1", "江城东湖支行", "江城市分行", "4", "87.49", "81.61", "1 人不计入：取消资格 1"]
    assert "不计入者单列人数" in page.locator(".period-note").all_inner_texts()[1]


def test_the_overview_counts_only_the_counted_and_adds_up(plain_site, open_page):
    page = open_page(plain_site / "2026-09/index.html").page
    tiles = page.locator(".tile").all_inner_texts()
    assert any("平均得分" in tile and "87.49" in tile for tile in tiles)  # (104.41 + 81.61 + 76.44) ÷ 3
    grades = table_rows(page, page.locator("h3:text-is('职级分布') + table"))
    assert ["未评级", "1", "25.0"] in grades
    assert sum(int(row[1]) for row in grades) == 4  # the head-count
    assert page.locator("td.not-counted").inner_text() == "1 人不计入：取消资格 1"


def test_leavers_are_named_on_the_rankings_and_overview(plain_site, open_page):
    september = open_page(plain_site / "2026-09/rankings.html").page
    assert "本期离职 1 人：刘洋 000104 · 东湖解放路网点 · 离职日期 2026-09-30" in \
        september.locator(".departures").inner_text()
    october = open_page(plain_site / "2026-10/index.html").page
    names = october.locator(".departures")
    assert "上期离职 1 人（本期不再参评）：刘洋" in names.inner_text()
    names.get_by_role("link", name="刘洋").click()
    assert october.url.endswith("2026-09/managers/000104.html")
    assert "本期离职" in october.locator(".period-note").first.inner_text()
    assert "新入职" in (plain_site / "2026-10/rankings.html").read_text(encoding="utf-8")  # 000103's movement


@pytest.fixture(scope="module")
def gap_site(tmp_path_factory):
    """Three months: 陈静 000105 has no October rows (absent), 张伟 000101 is held in October."""
    root = tmp_path_factory.mktemp("gaps")
    shutil.copytree(TINY, root / "bank")
    bank = Bank(root / "bank")
    shutil.copytree(bank.path("periods/2026-10"), bank.path("periods/2026-11"))
    for name in ("performance.csv", "targets.csv", "evaluations.csv"):
        relative = f"periods/2026-10/{name}"
        bank.write_lines(relative, [line for line in bank.lines(relative) if not line.startswith("000105,")])
    bank.append("periods/2026-10/violations.csv", HELD_ROW)
    out = root / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force")
    assert result.returncode == 0, result.stderr
    return out


def test_an_absent_manager_is_named_and_his_chart_has_a_gap(gap_site, open_page):
    october = (gap_site / "2026-10/rankings.html").read_text(encoding="utf-8")
    assert "上期参评、本期无业绩数据 1 人" in october and "陈静" in october
    opened = open_page(gap_site / "2026-11/managers/000105.html")
    page = opened.page
    history = json.loads(page.locator("#history-data").text_content())
    assert history["total"][1] is None and history["note"] == ["", "absent", ""]
    rows = table_rows(page, page.locator("table.history"))  # only the periods the chart has a gap for
    assert rows == [["2026年10月", "—", "", "未参评（本期无业绩数据）"]]
    page.wait_for_selector(".chart.drawn .vega-embed svg", timeout=10_000)
    assert line_breaks(page, page.locator(".chart").first) == [2]  # 9月 alone, then 11月: no line across 10月
    assert opened.errors == [] and opened.external == []


def test_a_held_period_is_a_gap_with_its_reason(gap_site, open_page):
    page = open_page(gap_site / "2026-11/managers/000101.html").page
    rows = table_rows(page, page.locator("table.history"))
    assert rows == [["2026年10月", "—", "", "结果暂缓：数据待核实（得分不计）"]]
    moves = table_rows(page, page.locator("table.ranks"))
    assert moves[0][2] == "上期结果暂缓"  # the overall rank's movement says why it is not compared


def _model(dataset, chart):
    return next(model for model in dataset.config.settings.org_models if model.id == chart.model_id)
