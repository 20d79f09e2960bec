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
    },
}


def words(language: str) -> dict[str, str]:
    return TEXT[language]
