"""Standard competition ranking, the unit tree's subtrees, and grade thresholds."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assessment.grades import grade
from generator.assessment.ranking import competition_rank, unit_ancestors
from generator.config.assessment import FOUR_LEVEL, GradeLevel, GradeSystem
from generator.config.base import Bilingual


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    totals = pd.Series([9000, 8500, 8500, 8000, np.nan], index=list("abcde"))
    assert competition_rank(totals).tolist()[:4] == [1, 2, 2, 4]
    assert competition_rank(totals).isna()["e"]  # unranked (disqualified)


def test_lower_is_better_ranks_the_smallest_first():
    assert competition_rank(pd.Series([1.2, 0.0, 0.0, 2.5]), ascending=True).tolist() == [3, 1, 1, 4]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["x", "y", "z", None])), min_size=1, max_size=40))
def test_ranks_are_one_plus_the_number_strictly_better_in_the_group(rows):
    values = pd.Series([float(v) for v, _ in rows])
    groups = pd.Series([g for _, g in rows], dtype=object)
    ranks = competition_rank(values, groups)
    for i, (value, group) in enumerate(rows):
        if group is None:
            assert pd.isna(ranks[i])
            continue
        better = sum(1 for v, g in rows if g == group and v > value)
        assert ranks[i] == 1 + better
    for group in {"x", "y", "z"} & {g for _, g in rows}:
        in_group = sorted(ranks[groups == group].tolist())
        assert in_group[0] == 1 and all(rank <= len(in_group) for rank in in_group)


def test_each_unit_knows_its_ancestor_at_every_depth():
    units = pd.DataFrame({"parent_id": ["", "root", "root", "city", "sub"], "depth": [0, 1, 1, 2, 3]},
                         index=["root", "city", "city2", "sub", "outlet"])
    ancestors = unit_ancestors(units)
    assert ancestors.loc["outlet"].tolist() == ["root", "city", "sub", "outlet"]
    assert ancestors.loc["city2"].tolist()[:2] == ["root", "city2"] and ancestors.loc["city2"][2:].isna().all()


def grades_of(totals: list[int], system: GradeSystem = FOUR_LEVEL, qualified: list[bool] | None = None):
    qualified = np.array(qualified if qualified is not None else [True] * len(totals))
    return grade(np.array(totals, dtype=np.int64), qualified, system, "zh-CN")


def test_four_level_thresholds_are_inclusive_to_the_hundredth():
    graded = grades_of([8500, 8499, 7000, 6999, 5000, 4999, 2000, 1999])
    assert graded["grade"].tolist() == ["资深客户经理", "高级客户经理", "高级客户经理", "客户经理", "客户经理",
                                        "客户经理助理", "客户经理助理", "待淘汰"]
    assert graded["is_removal_candidate"].tolist() == [False] * 7 + [True]
    # points to the next grade: none at the top; 85.00 − 84.99 = 0.01; 20.00 − 19.99 = 0.01
    assert graded["points_to_next_grade"].tolist()[1:] == [1, 1500, 1, 2000, 1, 3000, 1]
    assert pd.isna(graded["points_to_next_grade"][0])


def test_custom_grade_names_and_english():
    system = GradeSystem(label=Bilingual(zh="二级制", en="Two levels"), levels=[
        GradeLevel(id="gold", name=Bilingual(zh="金牌客户经理", en="Gold"), min=90.5),
        GradeLevel(id="silver", name=Bilingual(zh="银牌客户经理", en="Silver"), min=60)])
    graded = grade(np.array([9050, 9049, 100]), np.array([True, True, True]), system, "en")
    assert graded["grade"].tolist() == ["Gold", "Silver", "Candidate for removal"]
    assert graded["grade_id"].tolist() == ["gold", "silver", "below_lowest"]


def test_disqualified_managers_get_no_grade():
    graded = grades_of([9000, 1000], qualified=[False, False])
    assert graded["grade"].isna().all() and graded["points_to_next_grade"].isna().all()
    assert not graded["is_removal_candidate"].any()


def test_grade_systems_must_descend_and_match_the_scores_precision():
    import pytest
    from pydantic import ValidationError
    name = Bilingual(zh="级", en="Level")
    with pytest.raises(ValidationError, match="at most 2 decimals"):
        GradeSystem(label=name, levels=[GradeLevel(id="a", name=name, min=84.995)])
    with pytest.raises(ValidationError, match="from the highest min to the lowest"):
        GradeSystem(label=name, levels=[GradeLevel(id="a", name=name, min=50), GradeLevel(id="b", name=name, min=70)])
