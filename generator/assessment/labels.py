"""Human headers (Chinese or English) for the columns of the published tables."""
from __future__ import annotations

from generator.assessment.awards import award_column
from generator.assessment.scoring import PENALTY, TOTAL, group_column
from generator.assessment.table import Context, roster_column

WORDS = {
    "zh": {
        "period": "考核期", "manager_id": "客户经理编号", "name": "姓名", "unit_id": "机构编号", "unit_name": "机构名称",
        "previous_unit_id": "上期机构编号", "is_transferred": "本期调动", "is_new_hire": "本期新入职",
        "periods_present": "在岗期数", "periods_total": "期数", "is_partial": "部分期间在岗",
        PENALTY: "违规扣分", TOTAL: "综合考评分", "total_previous": "上期综合考评分", "total_change": "综合考评分变动",
        "is_disqualified": "取消评选资格", "disqualification_reason": "取消资格原因", "grade_id": "职级代码",
        "grade": "职级", "points_to_next_grade": "距上一职级分数", "is_removal_candidate": "待淘汰",
        "rank_overall": "总排名", "rank_unit": "机构内排名", "awards": "获奖",
        "segment": "客户类别", "product_line": "产品条线", "education": "学历", "title": "职称", "status": "状态",
        "roster_grade": "名册职级",
        "unit_at": "所属{level}", "rank_in": "{scope}内排名", "score": "{item}得分", "score_rank": "{item}得分排名",
        "actual_rank": "{indicator}排名", "move": "{rank}变动", "move_note": "{rank}变动说明", "depth": "第{depth}层机构",
    },
    "en": {
        "period": "Period", "manager_id": "Manager ID", "name": "Name", "unit_id": "Unit ID", "unit_name": "Unit",
        "previous_unit_id": "Previous unit ID", "is_transferred": "Transferred", "is_new_hire": "New hire",
        "periods_present": "Periods present", "periods_total": "Periods", "is_partial": "Partly present",
        PENALTY: "Penalty", TOTAL: "Total score", "total_previous": "Previous total", "total_change": "Change of total",
        "is_disqualified": "Disqualified", "disqualification_reason": "Disqualified because", "grade_id": "Grade code",
        "grade": "Grade", "points_to_next_grade": "Points to next grade", "is_removal_candidate": "Candidate for removal",
        "rank_overall": "Rank", "rank_unit": "Rank in unit", "awards": "Awards",
        "segment": "Segment", "product_line": "Product line", "education": "Education", "title": "Title",
        "status": "Status", "roster_grade": "Roster grade",
        "unit_at": "{level}", "rank_in": "Rank in {scope}", "score": "{item} score", "score_rank": "Rank by {item}",
        "actual_rank": "Rank by {indicator}", "move": "{rank} change", "move_note": "{rank} change note",
        "depth": "level-{depth} unit",
    },
}


def words(language: str) -> dict[str, str]:
    return WORDS["zh" if language.startswith("zh") else "en"]


def column_labels(context: Context, language: str) -> dict[str, str]:
    said = words(language)
    labels = {key: text for key, text in said.items() if "{" not in text}
    for depth in context.depths:
        level = _level_name(context, depth) or said["depth"].format(depth=depth)
        labels[f"unit_depth{depth}"] = said["unit_at"].format(level=level)
        labels[f"rank_depth{depth}"] = said["rank_in"].format(scope=level)
    for attribute in context.attributes:
        name = said.get(roster_column(attribute)) or said[attribute]
        labels[roster_column(attribute)] = name
        labels[f"rank_{attribute}"] = said["rank_in"].format(scope=name)
    for rule in context.rules:
        item = rule.label.text(language)
        # a qualitative score's own name often ends in 得分 already (所在部门评价得分)
        labels[rule.column] = item if item.endswith("得分") else said["score"].format(item=item)
        labels[f"rank_{rule.column}"] = said["score_rank"].format(item=item)
    for indicator in context.indicators:
        labels[f"rank_actual_{indicator.id}"] = said["actual_rank"].format(indicator=indicator.label.text(language))
    for group in context.config.groups:
        labels[group_column(group.id)] = group.label.text(language)
    for award in context.config.awards:
        labels[award_column(award)] = award.label.text(language)
    for scope in context.scopes:
        rank = labels[scope.rank_column]
        labels[scope.move_column] = said["move"].format(rank=rank)
        labels[f"{scope.move_column}_note"] = said["move_note"].format(rank=rank)
    return labels


def _level_name(context: Context, depth: int) -> str | None:
    """The `level` the units at a depth share (市分行, 支行 ...), if the unit table has one."""
    if "level" not in context.units:
        return None
    names = context.units.loc[context.units["depth"].eq(depth), "level"]
    names = names[names.ne("")]
    return names.mode().iloc[0] if len(names) else None
