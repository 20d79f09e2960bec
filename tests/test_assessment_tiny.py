"""The assessment of the hand-made tiny bank, every number worked out by hand.

tests/fixtures/tiny/site_config.yml weighs: 日均存款 30 (target, cap 120%), 新增贷款 20
(target, no cap), 新开账户 10 (growth on the previous month ÷ 10%, cap 150%, no base →
target), 不良率 10 (lower is better, default cap 100%), 部门评价 30 (÷ 100).
"""
from __future__ import annotations

import pytest

from generator.assessment import assess, explain
from generator.config.loading import load_config
from generator.errors import ConfigError
from generator.extract.loader import load_dataset
from tests.conftest import TINY


@pytest.fixture(scope="module")
def tiny():
    return assess(load_dataset(load_config(TINY / "site_config.yml")))


def row(assessment, period: str, manager: str):
    return assessment[period].table.loc[manager]


def test_september_scores_by_hand(tiny):
    # 000101 张伟: 日均存款 12,345.60 ÷ 12,000 = 1.0288 × 30 = 30.864 → 30.86
    #   新增贷款 500 ÷ 400 = 1.25 × 20 = 25.00 (no cap)
    #   新开账户: first month, no base → on target 12 ÷ 10 = 1.2 × 10 = 12.00
    #   不良率 2 − 1.20 ÷ 1.50 = 1.2, capped 1.0 × 10 = 10.00
    #   部门评价 30 × 88.5 ÷ 100 = 26.55
    #   工作实际 30.86 + 25 + 12 + 10 = 77.86; total 77.86 + 26.55 = 104.41
    zhang = row(tiny, "2026-09", "000101")
    assert [zhang[c] for c in ("score_deposit_avg", "score_new_loans", "score_new_accounts", "score_npl_ratio",
                               "score_dept_eval", "group_work", "group_dept", "penalty", "total")] == \
        [30.86, 25.00, 12.00, 10.00, 26.55, 77.86, 26.55, 0.0, 104.41]
    # 000102 王芳: 3,200.50 ÷ 3,000 × 30 = 32.005 → 32.01 (an exact tie, rounded away from zero);
    #   新增贷款 −20 ÷ 100 < 0 → 0; 新开账户 30 ÷ 25 = 1.2 → 12; 不良率 0% → 10; 评价 92 → 27.60
    assert row(tiny, "2026-09", "000102")["total"] == 81.61  # 32.01 + 0 + 12 + 10 + 27.60
    # 000105 陈静: 15,000 ÷ 14,000 × 30 = 32.142… → 32.14; 0 ÷ 50 → 0; 5 ÷ 5 → 10; 2 − 0.8 → 10; 81 → 24.30
    assert row(tiny, "2026-09", "000105")["total"] == 76.44


def test_the_disqualified_manager_keeps_a_score_but_no_grade_rank_or_award(tiny):
    # 000104 刘洋: 30 + 15 (150 ÷ 200) + 8 (8 ÷ 10) + 7.5 (2 − 2.5 ÷ 2 = 0.75) + 22.5 = 83.00, − 20 penalty
    liu = row(tiny, "2026-09", "000104")
    assert (liu["group_work"], liu["penalty"], liu["total"]) == (60.5, -20.0, 63.0)
    assert liu["is_disqualified"]
    assert liu["disqualification_reason"] == "违规放贷（2026-09-12）：造成资产损失"
    assert liu[["grade", "rank_overall", "rank_unit", "rank_score_new_loans"]].isna().all()
    assert liu["awards"] == ""
    assert not liu["award_top_two"]


def test_october_growth_uses_the_previous_month_as_base(tiny):
    october = tiny["2026-10"].detail
    # 000101: accounts 12 → 9, growth −25% ÷ 10% = −250% → floor 0 → 0.00
    assert tiny["2026-10"].points.at["000101", "score_new_accounts"] == 0
    assert october.loc["000101", ("new_accounts", "base")] == 12
    # 000105: 5 → 6, +20% ÷ 10% = 200% → cap 150% × 10 = 15.00
    assert row(tiny, "2026-10", "000105")["score_new_accounts"] == 15.0
    assert october.loc["000105", ("new_accounts", "counted")] == 1.5
    # 000103, hired 2026-10-08: no base, scored on the target: 15 ÷ 10 = 1.5 × 10 = 15.00
    assert row(tiny, "2026-10", "000103")["score_new_accounts"] == 15.0
    assert october.loc["000103", ("new_accounts", "reason")] == "no_base_target"


def test_october_totals_grades_and_points_to_the_next_grade(tiny):
    # 000105: 32.98 (15,500 ÷ 14,100 × 30 = 32.978…) + 24 (60 ÷ 50, no cap) + 15 + 10 + 25.05 = 107.03
    # 000102: 32.90 + 16 + 0 + 10 + 25.80 = 84.70 → 高级 (70–84.99), 0.30 to 资深 at 85
    # 000101: 31.74 + 15 + 0 + 10 + 27 = 83.74;  000103: 12 + 0 + 15 + 10 + 21 = 58.00 → 客户经理
    october = tiny["2026-10"].table
    assert october["total"].to_dict() == {"000101": 83.74, "000102": 84.70, "000103": 58.00, "000105": 107.03}
    assert october["grade"].to_dict() == {"000101": "高级客户经理", "000102": "高级客户经理",
                                          "000103": "客户经理", "000105": "资深客户经理"}
    assert october.at["000102", "points_to_next_grade"] == 0.30
    assert october.at["000103", "points_to_next_grade"] == 12.00
    assert october["points_to_next_grade"].isna()["000105"]  # at the top grade


def test_ranks_and_movements(tiny):
    october = tiny["2026-10"].table
    # overall 107.03, 84.70, 83.74, 58.00; September was 104.41 (101), 81.61 (102), 76.44 (105)
    assert october["rank_overall"].to_dict() == {"000101": 3, "000102": 2, "000103": 4, "000105": 1}
    moves = october["move_overall"]
    assert moves.dropna().to_dict() == {"000101": -2, "000102": 0, "000105": 2}  # positive = moved up
    assert moves.isna()["000103"]
    assert october.at["000103", "move_overall_note"] == "new_hire"  # hired 2026-10-08: says why, not blank
    # Within 江城东湖支行 (depth 2) all four compete; within unit 010101 only 000105 and 000101.
    assert october["rank_depth2"].to_dict() == {"000101": 3, "000102": 2, "000103": 4, "000105": 1}
    assert october.loc[["000105", "000101"], "rank_unit"].tolist() == [1, 2]


def test_a_transfer_makes_the_unit_rank_movement_not_comparable(tiny):
    # 000102 moved from 人民路网点 (01010101) to 解放路网点 (01010102): still in the same 支行.
    wang = row(tiny, "2026-10", "000102")
    assert wang["is_transferred"] and wang["previous_unit_id"] == "01010101"
    assert wang["move_unit_note"] == "not_comparable" and wang["move_depth3_note"] == "not_comparable"
    assert wang["move_depth2_note"] == "" and wang["move_depth2"] == 0


def test_new_hires_are_flagged(tiny):
    assert tiny["2026-10"].table["is_new_hire"].to_dict() == {"000101": False, "000102": False, "000103": True,
                                                              "000105": False}


def test_awards_by_hand(tiny):
    october = tiny["2026-10"].table
    # top two totals; marketing star = new loans + new accounts: 309, 108, 15, 66; most improved: +30.59
    assert october.index[october["award_top_two"]].tolist() == ["000102", "000105"]
    assert october.index[october["award_marketing_star"]].tolist() == ["000101"]
    assert october.index[october["award_most_improved"]].tolist() == ["000105"]
    assert october.at["000105", "awards"] == "前两名、进步之星"
    assert october.at["000105", "total_change"] == 30.59


def test_parts_add_up_to_the_total_exactly(tiny):
    for result in tiny.periods.values():
        points = result.points
        items = points.filter(like="score_").sum(axis=1)
        groups = points.filter(like="group_").sum(axis=1)
        assert (groups + points["penalty"]).equals(points["total"])
        assert (items + points["penalty"]).equals(points["total"])
        assert (result.table["total"] * 100).round().astype("int64").equals(points["total"].rename(None)
                                                                            .set_axis(result.table.index))


def test_why_did_my_rank_move(tiny):
    why = explain(tiny, "000101", "2026-09", "2026-10")
    items = why.components[why.components["level"] == "item"].set_index("component")["change"]
    # 30.86 → 31.74: +0.88; 25 → 15: −10; 12 → 0: −12; 10 → 10: 0; 26.55 → 27: +0.45
    assert items.to_dict() == {"score_deposit_avg": 0.88, "score_new_loans": -10.0, "score_new_accounts": -12.0,
                               "score_npl_ratio": 0.0, "score_dept_eval": 0.45}
    # 0.88 − 10 − 12 + 0 + 0.45 = −20.67 = 83.74 − 104.41, exactly
    hundredths = why.components.set_index("level")["change_hundredths"]
    assert hundredths["item"].sum() + hundredths["penalty"] == hundredths["total"] == -2067
    assert hundredths["group"].sum() + hundredths["penalty"] == -2067
    assert (why.old_rank, why.new_rank, why.rank_change) == (1, 3, -2)
    assert why.total_change == -20.67


def test_explaining_a_manager_absent_from_a_period_says_so(tiny):
    with pytest.raises(LookupError, match="000103 has no assessment in 2026-09"):
        explain(tiny, "000103", "2026-09", "2026-10")


# --- rules switched by the config alone -------------------------------------------------------

def test_disqualification_lasts_the_rest_of_the_year_by_default(bank):
    bank.append("periods/2026-09/violations.csv", "000101,2026-09-20,违规操作,5,是,测试")
    assessment = assess(bank.load())
    assert assessment["2026-09"].table.at["000101", "penalty"] == -5.0
    assert assessment["2026-10"].table.at["000101", "is_disqualified"]
    assert assessment["2026-10"].table.at["000101", "penalty"] == 0.0  # the penalty counts once


def test_disqualification_for_the_period_only(bank):
    bank.append("periods/2026-09/violations.csv", "000101,2026-09-20,违规操作,5,是,测试")
    bank.replace("site_config.yml", "assessment:\n", "assessment:\n  violations: {disqualification_window: period}\n")
    assessment = assess(bank.load())
    assert assessment["2026-09"].table.at["000101", "is_disqualified"]
    assert not assessment["2026-10"].table.at["000101", "is_disqualified"]


SIX_LEVELS = """assessment:
  grades:
    system: six_level
    systems:
      six_level:
        label: {zh: 六级制, en: Six levels}
        levels:
          - {id: top, name: {zh: 高级客户经理, en: Senior}, min: 100}
          - {id: first, name: {zh: 一级客户经理, en: First}, min: 84.70}
          - {id: second, name: {zh: 二级客户经理, en: Second}, min: 80}
          - {id: third, name: {zh: 三级客户经理, en: Third}, min: 70}
          - {id: fourth, name: {zh: 四级客户经理, en: Fourth}, min: 60}
          - {id: probation, name: {zh: 见习客户经理, en: Probationary}, min: 58.01}
        below_lowest: {zh: 末位待淘汰, en: Out}
"""


def test_a_six_level_system_with_its_own_names_is_one_key_away(bank):
    bank.replace("site_config.yml", "assessment:\n", SIX_LEVELS)
    october = assess(bank.load())["2026-10"].table
    # 107.03 ≥ 100; 84.70 ≥ 84.70 (inclusive); 83.74 ≥ 80; 58.00 < 58.01 → below the lowest
    assert october["grade"].to_dict() == {"000101": "二级客户经理", "000102": "一级客户经理",
                                          "000103": "末位待淘汰", "000105": "高级客户经理"}
    assert october["is_removal_candidate"].to_dict() == {"000101": False, "000102": False, "000103": True,
                                                         "000105": False}
    assert october.at["000103", "points_to_next_grade"] == 0.01


ALTERNATIVE_SPLIT = """assessment:
  groups:
    - id: performance
      label: {zh: 绩效指标, en: Performance}
      items:
        - {indicator: deposit_avg, weight: 40, cap: 1.2}
        - {indicator: npl_ratio, weight: 20}
    - id: behaviour
      label: {zh: 行为指标, en: Behaviour}
      items:
        - {qualitative: dept_eval, weight: 25}
    - id: ability
      label: {zh: 能力指标, en: Ability}
      items:
        - {id: loans_growth, indicator: new_loans, weight: 15, method: growth_prev, target_growth: 0.2}
"""


def test_the_performance_behaviour_ability_split_is_config_alone(bank):
    text = bank.path("site_config.yml").read_text(encoding="utf-8")
    head, tail = text.split("assessment:\n  groups:\n")
    tail = tail[tail.index("  awards:"):]
    bank.path("site_config.yml").write_text(head + ALTERNATIVE_SPLIT + tail, encoding="utf-8")
    result = assess(bank.load())["2026-10"]
    assert list(result.points.columns) == ["score_deposit_avg", "score_npl_ratio", "score_dept_eval",
                                           "score_loans_growth", "group_performance", "group_behaviour",
                                           "group_ability", "penalty", "total"]
    # 000105: 40 × 1.0993 = 43.97; 20 × 1 = 20; 25 × 0.835 = 20.875 → 20.88;
    #   new loans 0 → 60: base 0 → scored on target 60 ÷ 50 = 1.2 × 15 = 18.00
    assert result.table.loc["000105", ["group_performance", "group_behaviour", "group_ability", "total"]] \
        .tolist() == [63.97, 20.88, 18.0, 102.85]


@pytest.mark.parametrize("edit, message", [
    ("{indicator: new_loans, weight: 20, method: target_completion, cap: null}",
     "assessment.groups[0].items[1].indicator: 'no_such' is not one of the indicators"),
    ("{qualitative: dept_eval, weight: 30}",
     "assessment.groups[1].items[0].qualitative: 'no_such' is not one of the qualitative scores"),
])
def test_unknown_ids_are_named_by_their_yaml_key(bank, edit, message):
    bank.replace("site_config.yml", edit, edit.replace("new_loans", "no_such").replace("dept_eval", "no_such"))
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert any(message in line for line in raised.value.messages), raised.value.messages


@pytest.mark.parametrize("old, new, message", [
    ("growth_prev, target_growth: 0.1,", "growth_prev,",
     "assessment.groups[0].items[2]: method growth_prev needs target_growth"),
    ("{indicator: npl_ratio, weight: 10, method: lower_is_better}",
     "{indicator: npl_ratio, weight: 10, method: target_completion}",
     "assessment.groups[0].items[3].method: target_completion rewards a higher actual"),
    ("{qualitative: dept_eval, weight: 30}", "{qualitative: dept_eval, weight: 30, cap: 1.2}",
     "cap: only for indicator items"),
    ("indicators: [new_loans, new_accounts]", "indicators: [new_loans, nothing]",
     "assessment.awards[1].indicators[1]: 'nothing' is not one of the indicators"),
    ("{indicator: new_loans, weight: 20, method: target_completion, cap: null}",
     "{indicator: deposit_avg, weight: 20, method: target_completion, cap: null}",
     "id 'deposit_avg' is already used at groups[0].items[0]; give one of them an `id`"),
    ("assessment:\n", "assessment:\n  grades: {system: seven_level}\n",
     "system 'seven_level' is not one of the systems (four_level)"),
])
def test_assessment_config_errors_name_the_key(bank, old, new, message):
    bank.replace("site_config.yml", old, new)
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert any(message in line for line in raised.value.messages), raised.value.messages


def test_assessing_without_the_section_is_a_config_error(bank):
    text = bank.path("site_config.yml").read_text(encoding="utf-8")
    bank.path("site_config.yml").write_text(text[:text.index("# 考核方案")], encoding="utf-8")
    with pytest.raises(ConfigError, match="assessment: the section is missing"):
        assess(bank.load())


def test_every_column_has_a_header_and_every_reason_is_documented(tiny):
    from generator.assessment.labels import column_labels
    from generator.assessment.scoring import REASONS
    for language in ("zh-CN", "en"):
        labels = column_labels(tiny.context, language)
        assert [column for column in tiny["2026-10"].table.columns if column not in labels] == []
    assert column_labels(tiny.context, "zh-CN")["score_dept_eval"] == "所在部门评价得分"
    docs = (TINY.parent.parent.parent / "docs" / "assessment.md").read_text(encoding="utf-8")
    assert [code for code in REASONS if f"| `{code}` |" not in docs] == []


def test_ranking_within_the_roster_grade_keeps_the_assessed_grade_apart(bank):
    bank.replace("site_config.yml", "assessment:\n", "assessment:\n  rankings: {attributes: [segment, grade]}\n")
    october = assess(bank.load())["2026-10"].table
    assert october.at["000103", "roster_grade"] == "客户经理助理" and october.at["000103", "grade"] == "客户经理"
    # 000102 and 000105 are both 客户经理 in the roster: 107.03 before 84.70
    assert october.loc[["000105", "000102"], "rank_grade"].tolist() == [1, 2]
    assert october.loc[["000102", "000103"], "rank_segment"].tolist() == [1, 2]  # both 个人
