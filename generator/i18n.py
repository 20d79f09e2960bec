"""Interface words of the generated site in each supported language."""
from __future__ import annotations

TEXT = {
    "zh-CN": {
        "home": "首页", "periods": "考核期", "period": "期间", "data_quality": "数据质量",
        "reference_files": "基础数据（机构表、客户经理名册）", "rows_read": "读取行数",
        "rejected": "拒收行（已隔离）", "warnings": "警告", "severity": "级别", "rule": "规则",
        "file": "文件", "row": "行号", "column": "列", "value": "值", "message": "说明", "fix": "处理方法",
        "count": "数量", "quarantine_file": "隔离文件", "download": "下载", "no_issues": "未发现数据问题。",
        "error": "错误", "reject": "拒收", "warning": "警告", "rules_applied": "校验规则",
        "original_row": "原始行", "input_files": "输入文件", "encoding": "编码",
        "quality_intro": "每一行被拒收或可疑的数据都列在这里，注明文件、行号、列、规则与处理方法；"
                         "被拒收的行原样保存在隔离文件中，不会被悄悄丢弃。",
        "latest": "最新", "managers": "客户经理", "units": "机构",
        "headcount": "人数", "people": "人", "direct_headcount": "本级", "score_mean": "平均得分",
        "score_median": "得分中位数", "rank_in_parent": "同级排名", "rank_in_level": "同层级排名",
        "chart_hint": "点击节点展开或收起；点击名称查看明细。", "expand_all": "全部展开", "collapse_all": "全部收起",
        "find_unit": "查找", "legend": "图例", "attainment": "完成率", "grade_distribution": "职级分布",
        "grade": "职级", "indicators": "指标", "indicator": "指标", "actual": "实际", "target": "目标",
        "children_ranking": "下级排名", "rank": "排名", "name": "名称", "top_managers": "优秀客户经理",
        "direct_members": "本级客户经理", "org_charts": "组织架构图", "unit_ranking": "机构排名",
        "unit_ranking_rule": "按平均得分排名，得分相同者名次并列（1-2-2-4）；无得分的机构不参与排名。",
        "parent_unit": "上级", "rollups": "季度、半年与年度汇总",
        "total_score": "综合考评分", "penalty": "违规扣分", "to_next_grade": "距上一职级", "rank_overall": "全行排名",
        "of_assessed": "参评人数", "score_breakdown": "得分构成", "method": "计分方法", "weight": "权重",
        "completion": "完成率", "cap": "封顶", "counted": "计分完成率", "points": "得分", "ranks": "各范围排名",
        "scope": "范围", "movement": "较上期", "what_moved": "名次变化原因", "component": "构成",
        "change": "变化", "no_previous": "上期未参加考核，无法比较。", "history": "得分与排名走势",
        "peers": "同机构客户经理", "disqualified": "取消评选资格", "awards": "获奖",
    },
    "en": {
        "home": "Home", "periods": "Periods", "period": "Period", "data_quality": "Data quality",
        "reference_files": "Reference data (units, manager roster)", "rows_read": "Rows read",
        "rejected": "Rejected rows (quarantined)", "warnings": "Warnings", "severity": "Severity", "rule": "Rule",
        "file": "File", "row": "Row", "column": "Column", "value": "Value", "message": "Message", "fix": "Fix",
        "count": "Count", "quarantine_file": "Quarantine file", "download": "Download", "no_issues": "No data problems found.",
        "error": "Error", "reject": "Rejected", "warning": "Warning", "rules_applied": "Rules applied",
        "original_row": "Original row", "input_files": "Input files", "encoding": "Encoding",
        "quality_intro": "Every rejected or suspicious row is listed here with its file, row, column, rule and fix; "
                         "rejected rows are kept unchanged in the quarantine file, never silently dropped.",
        "latest": "latest", "managers": "Managers", "units": "Units",
        "headcount": "Headcount", "people": "", "direct_headcount": "directly", "score_mean": "Mean score",
        "score_median": "Median score", "rank_in_parent": "Rank among siblings", "rank_in_level": "Rank in level",
        "chart_hint": "Click a node to open or close it; click a name for details.", "expand_all": "Expand all",
        "collapse_all": "Collapse all", "find_unit": "Find", "legend": "Legend", "attainment": "attainment",
        "grade_distribution": "Grades", "grade": "Grade", "indicators": "Indicators", "indicator": "Indicator",
        "actual": "Actual", "target": "Target", "children_ranking": "Ranking of the units below", "rank": "Rank",
        "name": "Name", "top_managers": "Top managers", "direct_members": "Managers here", "org_charts": "Org charts",
        "unit_ranking": "Unit ranking",
        "unit_ranking_rule": "Ranked by mean score; equal scores share a rank (1-2-2-4); units without scores are unranked.",
        "parent_unit": "Parent", "rollups": "Quarter, half-year and year roll-ups",
        "total_score": "Composite score", "penalty": "Penalty", "to_next_grade": "Points to next grade",
        "rank_overall": "Bank-wide rank", "of_assessed": "assessed", "score_breakdown": "Score breakdown",
        "method": "Method", "weight": "Weight", "completion": "Completion", "cap": "Cap", "counted": "Counted",
        "points": "Points", "ranks": "Ranks", "scope": "Scope", "movement": "Since last period",
        "what_moved": "What moved the rank", "component": "Component", "change": "Change",
        "no_previous": "Not assessed in the previous period: nothing to compare.", "history": "Score and rank history",
        "peers": "Peers in the same unit", "disqualified": "Disqualified", "awards": "Awards",
    },
}


def words(language: str) -> dict[str, str]:
    return TEXT[language]
