"""Organization models on the hand-made tiny bank: every figure below is checked by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from generator.org.charts import ROOT, build_charts, period_facts


@pytest.fixture
def charts(bank):
    dataset = bank.load()
    return {chart.model_id: chart for chart in build_charts(dataset, "2026-09")}, dataset


def test_region_aggregates_add_up_from_the_leaves(charts):
    by_model, _ = charts
    region = by_model["region"]
    stats = region.stats
    for node_id in region.nodes.index:
        children = region.children(node_id)
        assert stats.at[node_id, "headcount"] == stats.at[node_id, "direct_headcount"] + sum(
            stats.at[child, "headcount"] for child in children)
    # 2026-09: 张伟 12,345.60 and 陈静 15,000.00 at the sub-branch, 王芳 3,200.50 and
    # 刘洋 8,000.00 at the two outlets: 38,546.10 in all.
    assert stats.at["0100", "deposit_avg"] == pytest.approx(38546.10)
    assert stats.at["010101", "direct_headcount"] == 2
    assert stats.at["01010101", "deposit_avg"] == pytest.approx(3200.50)


def test_attainment_compares_actual_and_target_over_the_same_managers(bank):
    # Without 陈静's target, her 15,000 must not count against nobody's target.
    bank.write_lines("periods/2026-09/targets.csv",
                     [line for line in bank.lines("periods/2026-09/targets.csv") if not line.startswith("000105")])
    stats = {c.model_id: c for c in build_charts(bank.load(), "2026-09")}["region"].stats
    # (12,345.60 + 3,200.50 + 8,000.00) / (12,000 + 3,000 + 8,000) = 23,546.10 / 23,000
    assert stats.at["0100", "deposit_avg__attainment"] == pytest.approx(23546.10 / 23000)
    assert stats.at["0100", "deposit_avg"] == pytest.approx(38546.10)


def test_lower_is_better_attainment(charts):
    stats = charts[0]["region"].stats
    # 刘洋's outlet: NPL 2.50% against a 2.00% ceiling: 2 - 2.5 / 2.0 = 0.75
    assert stats.at["01010102", "npl_ratio__attainment"] == pytest.approx(0.75)


def test_ratio_is_weighted_when_the_config_says_so(bank):
    bank.replace("site_config.yml", "kind: ratio, better: lower}",
                 "kind: ratio, better: lower, weight_by: deposit_avg}")
    stats = {c.model_id: c for c in build_charts(bank.load(), "2026-09")}["region"].stats
    # sub-branch 010101's subtree: 张伟 1.20 % on 12,345.60, 王芳 0 % on 3,200.50,
    # 刘洋 2.50 % on 8,000, 陈静 0.80 % on 15,000: 46,814.72 / 38,546.10 = 1.2145 %
    expected = (1.20 * 12345.60 + 0 * 3200.50 + 2.50 * 8000 + 0.80 * 15000) / 38546.10
    assert stats.at["010101", "npl_ratio"] == pytest.approx(expected)
    assert stats.at["010101", "npl_ratio"] != pytest.approx((1.20 + 0 + 2.50 + 0.80) / 4)


def test_moved_manager_is_counted_once_under_the_unit_of_each_period(bank):
    dataset = bank.load()
    september = {c.model_id: c for c in build_charts(dataset, "2026-09")}["region"]
    october = {c.model_id: c for c in build_charts(dataset, "2026-10")}["region"]
    # 王芳 (000102) sat at 人民路 (01010101) in September and 解放路 (01010102) in October.
    def direct(chart, unit):
        return set(chart.members[(chart.members["node_id"] == unit) & chart.members["direct"]]["manager_id"])
    assert "000102" in direct(september, "01010101") and "000102" not in direct(september, "01010102")
    assert "000102" in direct(october, "01010102") and "000102" not in direct(october, "01010101")
    for chart in (september, october):
        root_members = chart.members[chart.members["node_id"] == "0100"]["manager_id"]
        assert root_members.is_unique


def test_attribute_model_groups_in_configured_order(charts):
    segment = charts[0]["segment"]
    assert list(segment.nodes.index) == [ROOT, "公司", "个人", "机构", "小微"]
    assert segment.stats.at[ROOT, "headcount"] == 4 and segment.stats.at["公司", "headcount"] == 1


def test_volume_tiers_by_book_size(charts):
    volume = charts[0]["volume"]
    members = volume.members[volume.members["direct"]].set_index("manager_id")["node_id"].to_dict()
    # deposits ≥ 10,000 are big-customer managers: 张伟 12,345.60 and 陈静 15,000.
    assert members == {"000101": "大客户经理", "000105": "大客户经理",
                       "000102": "一般客户经理", "000104": "一般客户经理"}


def test_volume_below_the_lowest_tier_gets_its_own_group(bank):
    volume = {c.model_id: c for c in build_charts(bank.load(), "2026-10")}["volume"]
    # 李娜's 200.00 is under the 1,000 floor of 一般客户经理.
    assert "低于最低档" in set(volume.nodes.index)


def test_composite_splits_units_at_the_cut_depth_and_keeps_subtree_members(charts):
    composite = charts[0]["region_segment"]
    assert composite.nodes["depth"].max() == 3
    assert set(composite.children("010101")) == {"010101/公司", "010101/个人", "010101/机构", "010101/小微"}
    # 王芳 (个人) sits in an outlet below the cut: she is counted in 010101/个人.
    assert composite.stats.at["010101/个人", "headcount"] == 1
    assert composite.stats.at["0100", "headcount"] == sum(
        composite.stats.at[child, "headcount"] for child in composite.children("010101"))


def test_scores_give_means_medians_sibling_ranks_and_top_managers(bank):
    dataset = bank.load()
    scores = pd.DataFrame({"period": "2026-09", "manager_id": ["000101", "000102", "000104", "000105"],
                           "total": [88.0, 72.5, 60.0, 91.0], "grade": ["资深", "高级", "客户经理", "资深"]})
    region = {c.model_id: c for c in build_charts(dataset, "2026-09", scores)}["region"]
    stats = region.stats
    assert stats.at["010101", "score_mean"] == pytest.approx((88.0 + 91.0 + 72.5 + 60.0) / 4)
    assert stats.at["010101", "score_median"] == pytest.approx((72.5 + 88.0) / 2)
    # outlets: 人民路 72.5 ranks above 解放路 60.0 among the sub-branch's children
    assert (stats.at["01010101", "rank_in_parent"], stats.at["01010102", "rank_in_parent"]) == (1, 2)
    top = region.top[region.top["node_id"] == "0100"]
    assert list(top["manager_id"]) == ["000105", "000101", "000102"]
    grades = region.grades[region.grades["node_id"] == "0100"].set_index("grade")["headcount"].to_dict()
    assert grades == {"资深": 2, "高级": 1, "客户经理": 1}


def test_equal_unit_scores_share_a_rank(bank):
    dataset = bank.load()
    scores = pd.DataFrame({"period": "2026-09", "manager_id": ["000101", "000102", "000104", "000105"],
                           "total": [80.0, 70.0, 70.0, 80.0], "grade": None})
    stats = {c.model_id: c for c in build_charts(dataset, "2026-09", scores)}["region"].stats
    assert (stats.at["01010101", "rank_in_parent"], stats.at["01010102", "rank_in_parent"]) == (1, 1)


def test_period_facts_hold_one_row_per_active_manager(bank):
    facts = period_facts(bank.load(), "2026-10")
    assert facts["manager_id"].is_unique and len(facts) == 4
