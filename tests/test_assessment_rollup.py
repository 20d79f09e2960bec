"""Roll-up periods and whole-bank properties, on small banks built in memory from the tiny config."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assessment import assess, explain
from generator.assessment.calendar import AssessedPeriod, plan
from generator.config.loading import load_config
from generator.extract.loader import load_dataset
from generator.extract.periods import Period
from tests.conftest import TINY

INDICATORS = ["deposit_avg", "new_loans", "new_accounts", "npl_ratio"]
TINY_DATASET = load_dataset(load_config(TINY / "site_config.yml"))
UNIT = "010101"


def month(text: str) -> Period:
    return Period.parse(text, "monthly")


def bank(rows: list[dict], violations: list[dict] = (), rollups: dict | None = None):
    """A dataset of the tiny bank's units and roster with these rows.

    Each row: period, manager_id, the four actuals (a list) and optionally `unit_id`,
    `targets` (a list, None for no targets row) and `dept_eval`.
    """
    frame = pd.DataFrame(rows)
    performance = pd.DataFrame({"period": frame["period"], "manager_id": frame["manager_id"],
                                "unit_id": frame.get("unit_id", pd.Series(UNIT, index=frame.index)).fillna(UNIT)})
    performance[INDICATORS] = np.array(frame["actuals"].tolist(), dtype=float)
    with_targets = frame[frame["targets"].notna()] if "targets" in frame else frame.iloc[:0]
    targets = with_targets[["period", "manager_id"]].copy()
    targets[INDICATORS] = np.array(with_targets["targets"].tolist(), dtype=float).reshape(-1, 4)
    evaluations = frame[["period", "manager_id"]].assign(dept_eval=frame.get("dept_eval", 80.0))
    config = TINY_DATASET.config
    if rollups is not None:
        assessment = config.settings.assessment
        new = assessment.model_copy(update={"rollups": assessment.rollups.model_copy(update=rollups)})
        config = config.model_copy(update={"settings": config.settings.model_copy(update={"assessment": new})})
    violation_frame = pd.DataFrame(list(violations), columns=["period", "manager_id", "date", "type", "penalty",
                                                              "disqualify", "description"])
    return replace(TINY_DATASET, config=config, periods=sorted({month(p) for p in frame["period"]}),
                   performance=performance, targets=targets, evaluations=evaluations, violations=violation_frame)


# --- calendar ---------------------------------------------------------------------------------

def test_roll_up_ids_and_neighbours():
    q3 = AssessedPeriod("quarter", 2026, 3, "monthly")
    assert (q3.id, q3.previous.id, q3.year_ago.id, q3.label("zh-CN")) == ("2026-Q3", "2026-Q2", "2025-Q3",
                                                                            "2026年第3季度")
    h1 = AssessedPeriod("half_year", 2026, 1, "monthly")
    assert (h1.id, h1.previous.id, h1.label("zh-CN"), list(h1.months)) == ("2026-H1", "2025-H2", "2026年上半年",
                                                                          [1, 2, 3, 4, 5, 6])
    ytd = AssessedPeriod("year_to_date", 2026, 1, "monthly")
    assert (ytd.id, ytd.previous.id, ytd.label("en")) == ("2026-YTD-01", "2025-YTD-12", "2026 Jan-Jan YTD")
    year = AssessedPeriod("year", 2026, 1, "monthly")
    assert (year.id, year.previous.id, str(year.start), str(year.end)) == ("2026-Y", "2025-Y", "2026-01-01",
                                                                           "2026-12-31")


def test_a_roll_up_exists_only_when_all_its_months_do():
    available = [Period(2026, m, "monthly") for m in range(1, 10) if m != 5]  # May missing
    planned = [period.id for period, _ in plan(available, ["quarter", "half_year", "year_to_date", "year"])]
    assert [p for p in planned if not p[5:].isdigit()] == ["2026-Q1", "2026-Q3", "2026-YTD-01", "2026-YTD-02",
                                                           "2026-YTD-03", "2026-YTD-04"]


def test_quarterly_extracts_roll_up_into_half_years_and_years():
    available = [Period(2026, q, "quarterly") for q in (1, 2, 3)]
    planned = [period.id for period, _ in plan(available, ["quarter", "half_year", "year_to_date", "year"])]
    assert planned == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-H1", "2026-YTD-03", "2026-YTD-06", "2026-YTD-09"]


# --- roll-up values ---------------------------------------------------------------------------

def q3_bank(**options):
    targets = [100, 20, 10, 1.5]
    return bank([
        # 000101 all three months
        {"period": "2026-07", "manager_id": "000101", "actuals": [100, 10, 8, 1.0], "targets": targets,
         "dept_eval": 80},
        {"period": "2026-08", "manager_id": "000101", "actuals": [200, 20, 10, 2.0], "targets": targets,
         "dept_eval": 90},
        {"period": "2026-09", "manager_id": "000101", "actuals": [301, 30, 12, 1.2], "targets": targets,
         "dept_eval": 85.5},
        # 000102 hired in August: measured against the targets of August and September only
        {"period": "2026-08", "manager_id": "000102", "actuals": [50, 5, 5, 0.5], "targets": targets, "dept_eval": 70},
        {"period": "2026-09", "manager_id": "000102", "actuals": [70, 35, 5, 0.5], "targets": targets,
         "dept_eval": 75, "unit_id": "01010101"},
        # 000105 lacks September's targets row
        {"period": "2026-07", "manager_id": "000105", "actuals": [100, 20, 10, 1.0], "targets": targets},
        {"period": "2026-08", "manager_id": "000105", "actuals": [100, 20, 10, 1.0], "targets": targets},
        {"period": "2026-09", "manager_id": "000105", "actuals": [100, 20, 10, 1.0], "targets": None},
    ], **options)


def test_quarter_values_by_hand():
    result = assess(q3_bank())["2026-Q3"]
    detail = result.detail.loc["000101"]
    # 日均存款 is a balance: mean (100 + 200 + 301) ÷ 3 = 200.333333 (6 decimals) against 100 → capped 120%
    assert detail[("deposit_avg", "actual")] == 200.333333 and detail[("deposit_avg", "target")] == 100
    # 新增贷款 is a flow: 10 + 20 + 30 = 60 against 20 × 3 = 60 → 100% × 20 = 20.00
    assert (detail[("new_loans", "actual")], detail[("new_loans", "target")]) == (60, 60)
    # 新开账户 is a count: 30 against 30; no 2026-Q2 to grow from → scored on the target: 10.00
    assert detail[("new_accounts", "reason")] == "no_base_target"
    # 不良率 is a ratio: the last month, 1.2% against 1.5% → 2 − 0.8 = 1.2, capped 1.0 → 10.00
    assert detail[("npl_ratio", "actual")] == 1.2
    # 部门评价: the mean of the months, (80 + 90 + 85.5) ÷ 3 = 85.166667 → 30 × 0.85166667 = 25.55
    assert result.points.loc["000101"].to_dict() == {
        "score_deposit_avg": 3600, "score_new_loans": 2000, "score_new_accounts": 1000, "score_npl_ratio": 1000,
        "score_dept_eval": 2555, "group_work": 7600, "group_dept": 2555, "penalty": 0, "total": 10155}


def test_a_manager_present_for_part_of_the_quarter_is_flagged_and_measured_on_those_months():
    result = assess(q3_bank())["2026-Q3"]
    wang = result.table.loc["000102"]
    assert (wang["periods_present"], wang["periods_total"], wang["is_partial"]) == (2, 3, True)
    assert wang["unit_id"] == "01010101"  # the unit of the last month present
    # 新增贷款 5 + 35 = 40 against 20 + 20 = 40 → 100% → 20.00
    assert (result.detail.loc["000102", ("new_loans", "target")], wang["score_new_loans"]) == (40, 20.0)


def test_a_month_without_a_target_leaves_the_roll_up_without_one():
    result = assess(q3_bank())["2026-Q3"]
    assert result.detail.loc["000105", ("new_loans", "reason")] == "no_target"
    assert result.table.at["000105", "score_new_loans"] == 0


def test_roll_up_rules_can_be_overridden_per_indicator():
    result = assess(q3_bank(rollups={"rules": {"deposit_avg": "last", "npl_ratio": "mean"}}))["2026-Q3"]
    assert result.detail.loc["000101", ("deposit_avg", "actual")] == 301
    assert result.detail.loc["000101", ("npl_ratio", "actual")] == 1.4  # (1.0 + 2.0 + 1.2) ÷ 3


def test_penalties_add_up_over_the_quarter_and_disqualification_reaches_later_roll_ups():
    violations = [
        {"period": "2026-07", "manager_id": "000101", "date": pd.Timestamp("2026-07-03"), "type": "迟报",
         "penalty": 1.5, "disqualify": False, "description": ""},
        {"period": "2026-08", "manager_id": "000101", "date": pd.Timestamp("2026-08-03"), "type": "迟报",
         "penalty": 2.25, "disqualify": False, "description": ""},
        {"period": "2026-08", "manager_id": "000105", "date": pd.NaT, "type": "违规放贷", "penalty": 0.0,
         "disqualify": True, "description": "造成损失"},
    ]
    result = assess(replace(q3_bank(), violations=pd.DataFrame(violations)))
    assert result["2026-Q3"].table.at["000101", "penalty"] == -3.75
    assert result["2026-07"].table.at["000105", "is_disqualified"] == False  # noqa: E712 - before the violation
    assert result["2026-Q3"].table.at["000105", "disqualification_reason"] == "违规放贷（2026-08）：造成损失"


def test_quarters_are_compared_with_the_previous_quarter():
    rows = [{"period": f"2026-{m:02d}", "manager_id": manager, "actuals": [100, 10, accounts, 1.0],
             "targets": [100, 10, 10, 1.5]}
            for m in range(1, 7) for manager, accounts in (("000101", 10 if m <= 3 else 11), ("000105", 10))]
    result = assess(bank(rows))
    # 新开账户 Q1 30 → Q2 33: +10% ÷ 10% target growth = 100% → 10.00;  000105 30 → 30: 0% → 0.00
    assert result["2026-Q2"].points["score_new_accounts"].to_dict() == {"000101": 1000, "000105": 0}
    assert result["2026-Q2"].table.at["000101", "move_overall"] == 0  # 1st in both quarters
    assert result["2026-YTD-06"].table.at["000101", "periods_total"] == 6


# --- properties over random banks -------------------------------------------------------------

managers = ["000101", "000102", "000103", "000105"]
actuals = st.tuples(st.decimals(0, 50_000, places=2), st.decimals(-500, 5_000, places=2),
                    st.integers(0, 200), st.decimals(0, 8, places=2))
targets = st.tuples(st.decimals(0, 50_000, places=2), st.decimals(0, 5_000, places=2),
                    st.integers(0, 200), st.decimals(0, 8, places=2))
month_rows = st.lists(st.tuples(st.sampled_from(managers), actuals, targets, st.decimals(0, 100, places=1)),
                      min_size=1, max_size=4, unique_by=lambda row: row[0])


def rows_of(months: list[list]) -> list[dict]:
    return [{"period": f"2026-{number:02d}", "manager_id": manager, "actuals": [float(v) for v in actual],
             "targets": [float(v) for v in target], "dept_eval": float(evaluation)}
            for number, rows in enumerate(months, start=1) for manager, actual, target, evaluation in rows]


@settings(max_examples=25, deadline=None)
@given(st.lists(month_rows, min_size=3, max_size=3))
def test_parts_always_add_up_and_ranks_are_standard_competition_ranks(months):
    assessment = assess(bank(rows_of(months)))
    for result in assessment.periods.values():
        points = result.points
        assert (points.filter(like="group_").sum(axis=1) + points["penalty"]).equals(points["total"])
        totals = points["total"]
        ranks = result.table["rank_overall"]
        for manager, rank in ranks.items():
            assert rank == 1 + (totals > totals[manager]).sum()


@settings(max_examples=25, deadline=None)
@given(st.lists(month_rows, min_size=2, max_size=2))
def test_explained_changes_add_up_to_the_change_of_the_total(months):
    assessment = assess(bank(rows_of(months)))
    both = assessment["2026-01"].points.index.intersection(assessment["2026-02"].points.index)
    for manager in both:
        why = explain(assessment, manager, "2026-01", "2026-02")
        change = why.components.groupby("level")["change_hundredths"].sum()
        assert change["item"] + change["penalty"] == change["total"] == change["group"] + change["penalty"]
        assert why.components.loc[why.components["level"] == "total", "change"].iloc[0] == change["total"] / 100
