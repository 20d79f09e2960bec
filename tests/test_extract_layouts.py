"""The tiny bank in the layouts other warehouses deliver: targets beside the actuals, one file per
branch, long (tidy) files by indicator code, violations as counts in the performance file. Each is
the same bank, so each must score exactly as the tiny bank in its own layout; and each layout's
own problems are named by file, row and column."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from generator.assessment import assess
from generator.config.loading import load_config
from generator.errors import ConfigError, DataError
from generator.extract.loader import load_dataset
from tests.conftest import TINY, Bank, run_build

PERIODS = ("2026-09", "2026-10")
CODES = {"deposit_avg": "CK001", "new_loans": "DK002", "new_accounts": "ZH003", "npl_ratio": "FX004"}
SCORES = ["score_deposit_avg", "score_new_loans", "score_new_accounts", "score_npl_ratio", "score_dept_eval",
          "penalty", "total", "is_disqualified", "grade", "rank_overall"]


# --- the bank in other layouts -----------------------------------------------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_config(bank: Bank, change) -> None:
    config = yaml.safe_load(bank.config.read_text(encoding="utf-8"))
    change(config)
    bank.config.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def indicator(config: dict, indicator_id: str) -> dict:
    return next(item for item in config["indicators"] if item["id"] == indicator_id)


def targets_beside_actuals(bank: Bank) -> None:
    """targets.csv folded into performance.csv as columns 日均存款余额目标 …"""
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        performance, targets = read_csv(folder / "performance.csv"), read_csv(folder / "targets.csv")
        by_manager = {row["客户经理编号"]: row for row in targets}
        header = list(performance[0]) + [f"{h}目标" for h in list(targets[0])[1:]]
        for row in performance:
            target = by_manager.get(row["客户经理编号"], {})
            row.update({f"{h}目标": target.get(h, "") for h in list(targets[0])[1:]})
        write_csv(folder / "performance.csv", performance, header)
        (folder / "targets.csv").unlink()

    def change(config: dict) -> None:
        config["periods"]["files"]["targets"]["file"] = "performance.csv"
        for item in config["indicators"]:
            item["target_column"] = [f"{item['column'][0]}目标"]
    edit_config(bank, change)


def split_by_branch(bank: Bank, relative: str = "performance.csv", pattern: str = "业绩_*.csv") -> None:
    """performance.csv as one file per branch: the first two managers' rows, and the others'."""
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        rows = read_csv(folder / relative)
        header = list(rows[0])
        first = list(dict.fromkeys(row["客户经理编号"] for row in rows))[:2]
        write_csv(folder / pattern.replace("*", "东湖"), [r for r in rows if r["客户经理编号"] in first], header)
        write_csv(folder / pattern.replace("*", "江城"), [r for r in rows if r["客户经理编号"] not in first], header)
        (folder / relative).unlink()
    edit_config(bank, lambda config: config["periods"]["files"]["performance"].update(file=pattern))


def long_file(bank: Bank) -> None:
    """performance.csv and targets.csv as one long file: a row per manager and indicator."""
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        performance, targets = read_csv(folder / "performance.csv"), read_csv(folder / "targets.csv")
        by_manager = {row["客户经理编号"]: row for row in targets}
        rows = []
        for actual in performance:
            target = by_manager.get(actual["客户经理编号"], {})
            for header, code in zip(["日均存款余额", "新增贷款", "新开账户数", "不良贷款率"], CODES.values()):
                rows.append({"客户经理编号": actual["客户经理编号"], "所属机构编号": actual["所属机构编号"],
                             "指标代码": code, "完成值": actual[header], "目标值": target.get(header, "")})
        write_csv(folder / "kpi.csv", rows, ["客户经理编号", "所属机构编号", "指标代码", "完成值", "目标值"])
        (folder / "performance.csv").unlink()
        (folder / "targets.csv").unlink()

    def change(config: dict) -> None:
        files = config["periods"]["files"]
        files["performance"] = {"file": "kpi.csv", "layout": "long",
                                "columns": {"manager_id": ["客户经理编号"], "unit_id": ["所属机构编号"],
                                            "indicator": ["指标代码"], "actual": ["完成值"]}}
        files["targets"] = {"file": "kpi.csv", "layout": "long", "columns": {
            "manager_id": ["客户经理编号"], "indicator": ["指标代码"], "target": ["目标值"]}}
        for indicator_id, code in CODES.items():
            indicator(config, indicator_id)["code"] = code
    edit_config(bank, change)


def scores_in_performance(bank: Bank) -> None:
    """evaluations.csv folded into performance.csv: the qualitative scores as its columns."""
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        performance, evaluations = read_csv(folder / "performance.csv"), read_csv(folder / "evaluations.csv")
        by_manager = {row["客户经理编号"]: row for row in evaluations}
        for row in performance:
            row["部门评价得分"] = by_manager.get(row["客户经理编号"], {}).get("部门评价得分", "")
        write_csv(folder / "performance.csv", performance, list(performance[0]))
        (folder / "evaluations.csv").unlink()
    edit_config(bank, lambda config: config["periods"]["files"]["evaluations"].update(file="performance.csv"))


def violation_counts(bank: Bank) -> None:
    """violations.csv as a count and points column of performance.csv (000104's one violation of
    September, 20 points, disqualifying: here by its count, at or above 1)."""
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        performance, violations = read_csv(folder / "performance.csv"), read_csv(folder / "violations.csv")
        for row in performance:
            own = [v for v in violations if v["客户经理编号"] == row["客户经理编号"]]
            row["违规次数"] = str(len(own))
            row["违规扣分"] = str(sum(float(v["扣分"]) for v in own)) if own else "0"
        write_csv(folder / "performance.csv", performance, list(performance[0]))
        (folder / "violations.csv").unlink()
    edit_config(bank, lambda config: config["periods"]["files"].update(violations={
        "file": "performance.csv", "layout": "counts",
        "columns": {"manager_id": ["客户经理编号"], "count": ["违规次数"], "points": ["违规扣分"]},
        "disqualify": {"count_at_least": 1}}))


def scores(bank_or_config) -> dict[str, list]:
    config = getattr(bank_or_config, "config", bank_or_config)
    assessment = assess(load_dataset(load_config(config)))
    return {period: assessment[period].table[SCORES].reset_index().to_dict("records") for period in PERIODS}


@pytest.fixture(scope="module")
def tiny_scores() -> dict[str, list]:
    return scores(TINY / "site_config.yml")


def issues_of(dataset, rule: str):
    return [issue for issue in dataset.issues if issue.rule == rule]


# --- the same scores in every layout -----------------------------------------------------------

@pytest.mark.parametrize("layout", [targets_beside_actuals, split_by_branch, long_file, scores_in_performance,
                                    violation_counts],
                         ids=lambda layout: layout.__name__)
def test_the_tiny_bank_in_another_layout_scores_the_same(bank, tiny_scores, layout):
    layout(bank)
    assert scores(bank) == tiny_scores


def test_all_layouts_at_once_score_the_same(bank, tiny_scores):
    long_file(bank)
    split_by_branch(bank, "kpi.csv", "kpi_*.csv")
    edit_config(bank, lambda config: config["periods"]["files"]["targets"].update(file="kpi_*.csv"))
    assert scores(bank) == tiny_scores
    dataset = bank.load()
    read = sorted(item.label for item in dataset.inputs if item.period == "2026-10")
    assert read == ["periods/2026-10/evaluations.csv", "periods/2026-10/kpi_东湖.csv",
                    "periods/2026-10/kpi_江城.csv", "periods/2026-10/violations.csv"]  # each file once


def test_a_shared_file_is_read_once_and_its_rows_counted_once(bank):
    targets_beside_actuals(bank)
    dataset = bank.load()
    september = [item for item in dataset.inputs if item.period == "2026-09"]
    assert [(item.label, item.rows) for item in september if "performance" in item.label] == \
        [("periods/2026-09/performance.csv", 4)]


# --- a shared file: each problem once, naming the role -----------------------------------------

def test_a_bad_row_of_a_shared_file_is_reported_once_and_quarantined_for_every_role(bank):
    targets_beside_actuals(bank)
    bank.append("periods/2026-10/performance.csv", ",无名,010101,1,1,1,1,1,1,1,1")
    dataset = bank.load()
    empty = issues_of(dataset, "empty_id")
    assert [(issue.file, issue.row, issue.column) for issue in empty] == \
        [("periods/2026-10/performance.csv", 6, "客户经理编号")]
    assert next(i for i in dataset.inputs if i.label == "periods/2026-10/performance.csv").rejected == 1


def test_a_bad_target_cell_names_the_target_column_and_withdraws_the_row_from_both_roles(bank):
    targets_beside_actuals(bank)
    bank.replace("periods/2026-10/performance.csv", "000102,王芳,01010102,3400.00,80.00,28,0.00,3100.00",
                 "000102,王芳,01010102,3400.00,80.00,28,0.00,abc")
    dataset = bank.load()
    [issue] = issues_of(dataset, "not_a_number")
    assert (issue.file, issue.row, issue.column) == ("periods/2026-10/performance.csv", 3, "日均存款余额目标")
    october = dataset.performance[dataset.performance["period"].eq("2026-10")]
    assert "000102" not in set(october["manager_id"])  # the row is quarantined whole
    assert "000102" not in set(dataset.targets[dataset.targets["period"].eq("2026-10")]["manager_id"])


def test_a_missing_target_column_names_the_role_and_the_headers_the_file_has(bank):
    targets_beside_actuals(bank)
    bank.replace("periods/2026-10/performance.csv", "新增贷款目标", "贷款目标")
    with pytest.raises(DataError) as raised:
        bank.load()
    [problem] = raised.value.messages
    assert "periods/2026-10/performance.csv, row 1: no column for targets.new_loans (accepted headers: 新增贷款目标" \
        in problem
    assert "贷款目标" in problem


# --- one role over several files ---------------------------------------------------------------

def test_a_manager_in_two_branch_files_is_rejected_in_both_naming_the_other(bank):
    split_by_branch(bank)
    bank.append("periods/2026-10/业绩_江城.csv", "000101,张伟,010101,1.00,1.00,1,1.00")
    dataset = bank.load()
    found = [(i.file, i.row, i.column, i.message) for i in issues_of(dataset, "manager_in_two_files")]
    assert found == [
        ("periods/2026-10/业绩_东湖.csv", 2, "客户经理编号",
         "manager 000101 is also in periods/2026-10/业绩_江城.csv row 4"),
        ("periods/2026-10/业绩_江城.csv", 4, "客户经理编号",
         "manager 000101 is also in periods/2026-10/业绩_东湖.csv row 2"),
    ]
    assert "客户经理 000101 也出现在 periods/2026-10/业绩_江城.csv 第 4 行" in issues_of(
        dataset, "manager_in_two_files")[0].message_zh
    october = dataset.performance[dataset.performance["period"].eq("2026-10")]
    assert "000101" not in set(october["manager_id"])
    rejected = {i.label: i.rejected for i in dataset.inputs if i.period == "2026-10" and "业绩" in i.label}
    assert rejected == {"periods/2026-10/业绩_东湖.csv": 1, "periods/2026-10/业绩_江城.csv": 1}


def test_a_pattern_matching_no_file_of_a_period_names_the_folder_and_the_key(bank):
    split_by_branch(bank)
    for name in ("业绩_东湖.csv", "业绩_江城.csv"):
        bank.path(f"periods/2026-09/{name}").unlink()
    with pytest.raises(DataError) as raised:
        bank.load()
    assert raised.value.messages == [
        "periods/2026-09: no file matches '业绩_*.csv' (periods.files.performance.file). Fix: add the period's "
        "extract(s), or correct the pattern in site_config.yml."]


# --- long files --------------------------------------------------------------------------------

def test_long_file_problems_are_named_by_file_row_and_column(bank):
    long_file(bank)
    kpi = "periods/2026-10/kpi.csv"
    lines = bank.lines(kpi)
    # 000103 (rows 10-13): its 新开账户数 row given twice with different values, its 不良率 row dropped
    lines[11] = lines[11].replace("ZH003,15", "ZH003,15")
    lines[12] = lines[12].replace("FX004", "ZH003").replace(",0.00,", ",16,")
    lines.append("000105,010101,XX999,1,1")
    bank.write_lines(kpi, lines)
    dataset = bank.load()
    [unknown] = issues_of(dataset, "unknown_indicator_code")
    assert (unknown.file, unknown.row, unknown.column, unknown.value) == (kpi, 18, "指标代码", "XX999")
    assert unknown.message == "the indicator code is none of the configured codes (CK001, DK002, FX004, ZH003)"
    repeated = issues_of(dataset, "repeated_indicator_row")
    assert [(i.row, i.message) for i in repeated] == [
        (12, "manager 000103 has New accounts (code ZH003) on several rows (12, 13)"),
        (13, "manager 000103 has New accounts (code ZH003) on several rows (12, 13)")]
    gaps = [(i.rule, i.row, i.column, i.message) for i in dataset.issues
            if i.message.startswith("no row for")]
    assert gaps == [
        ("missing_value", 10, "指标代码", "no row for NPL ratio (code FX004) of this manager: the actual is missing"),
        ("missing_target", 10, "指标代码", "no row for NPL ratio (code FX004) of this manager: the target is missing"),
    ]
    october = dataset.performance[dataset.performance["period"].eq("2026-10")].set_index("manager_id")
    assert october.loc["000103", "deposit_avg"] == 200.0  # its other indicators stand
    assert october.loc["000103", ["new_accounts", "npl_ratio"]].isna().all()


def test_a_long_file_without_an_indicators_code_is_a_config_error_naming_it(bank):
    long_file(bank)
    edit_config(bank, lambda config: indicator(config, "new_loans").pop("code"))
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert any("indicators[1].code: periods.files.performance is a long file, so each indicator is found in it by "
               "its code. Fix: add code: its code in kpi.csv" in problem for problem in raised.value.messages)


# --- violations as counts, and what disqualifies -----------------------------------------------

def test_a_count_at_or_above_the_limit_disqualifies_and_says_so_on_the_page(bank):
    violation_counts(bank)
    assessment = assess(bank.load())
    reason = assessment["2026-09"].table.loc["000104", "disqualification_reason"]
    assert reason == "违规（2026-09）（本期违规 1 次，达到 1 次即取消评选资格）"


def test_points_per_violation_and_a_type_list(bank):
    bank.append("periods/2026-10/violations.csv", "000102,2026-10-09,飞单,,否,", "000102,2026-10-20,迟到,,否,")

    def change(config: dict) -> None:
        spec = config["periods"]["files"]["violations"]
        del spec["columns"]["penalty"]
        spec["penalty_per_violation"] = 2.5
        spec["disqualify"] = {"types": ["飞单"]}
    edit_config(bank, change)
    table = assess(bank.load())["2026-10"].table
    assert table.loc["000102", "penalty"] == -5.0  # two violations × 2.5, off the total
    assert table.loc["000102", "is_disqualified"]
    assert table.loc["000102", "disqualification_reason"] == "飞单（2026-10-09）（违规类型“飞单”取消评选资格）"


def test_counts_of_several_violations_name_the_count(bank):
    violation_counts(bank)
    bank.replace("periods/2026-10/performance.csv", "000102,王芳,01010102,3400.00,80.00,28,0.00,0,0",
                 "000102,王芳,01010102,3400.00,80.00,28,0.00,3,6")
    table = assess(bank.load())["2026-10"].table
    assert table.loc["000102", "penalty"] == -6.0
    assert table.loc["000102", "disqualification_reason"] == \
        "违规×3（2026-10）（本期违规 3 次，达到 1 次即取消评选资格）"


def test_a_bad_count_is_rejected_with_its_column(bank):
    violation_counts(bank)
    bank.replace("periods/2026-10/performance.csv", "28,0.00,0,0", "28,0.00,1.5,0")
    dataset = bank.load()
    [issue] = issues_of(dataset, "not_a_whole_number")
    assert (issue.row, issue.column, issue.message) == (3, "违规次数", "violation count is a count")


# --- config errors that fit the layout ---------------------------------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c["periods"]["files"]["targets"].update(file="performance.csv"),
     "indicators[0].target_column: the targets are read from performance.csv, the file of the actuals, so the "
     "target needs a header of its own, not '日均存款余额'. Fix: add target_column"),
    (lambda c: c["periods"]["files"]["performance"].update(layout="long"),
     "periods.files.performance: columns.indicator: required with layout: long (the column of the indicator code)"),
    (lambda c: c["periods"]["files"]["violations"].update(layout="counts"),
     "columns.date: a counts file has one row per manager, not one per violation. Fix: remove the key, or use "
     "layout: rows"),
    (lambda c: c["periods"]["files"]["violations"].update(penalty_per_violation=5),
     "penalty_per_violation: the penalty would come from both this and columns.penalty. Fix: keep one of them"),
    (lambda c: c["periods"]["files"]["violations"].update(file="performance.csv"),
     "periods.files.violations.file: performance.csv is also the file of periods.files.performance, read as "
     "wide, but violations reads it as one row per violation"),
    (lambda c: (c["periods"]["files"]["evaluations"].update(file="performance.csv"),
                c["qualitative"][0].update(column=["新增贷款"])),
     "qualitative[0].column: header '新增贷款' is also accepted for indicators[1].column in performance.csv, which "
     "both are read from. Fix: give each field its own header"),
    (lambda c: c["periods"]["files"]["targets"].update(
        file="kpi.csv", layout="long", columns={"manager_id": ["客户经理编号"], "indicator": ["指标代码"],
                                                "target": ["目标值"]}),
     "indicators[0].code: periods.files.targets is a long file, so each indicator with a target is found in it "
     "by its code. Fix: add code: its code in kpi.csv"),
    (lambda c: (c["periods"]["files"]["performance"].update(file="业绩.xlsx", sheet="业绩"),
                c["periods"]["files"]["evaluations"].update(file="业绩.xlsx", sheet="评价")),
     "periods.files.evaluations.sheet: 业绩.xlsx is also the file of periods.files.performance, which reads it "
     "from another sheet or header row"),
])
def test_a_layout_the_config_cannot_mean_is_refused_naming_the_key(bank, change, expected):
    edit_config(bank, change)
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert any(expected in problem for problem in raised.value.messages), raised.value.messages


# --- end to end --------------------------------------------------------------------------------

def test_a_build_in_another_layout_publishes_the_tiny_banks_results_byte_for_byte(bank, tiny_site, tmp_path):
    """A long file, split by branch, read for both actuals and targets: the result downloads (every
    score, rank, grade and reason) are the tiny bank's, byte for byte."""
    long_file(bank)
    split_by_branch(bank, "kpi.csv", "kpi_*.csv")
    edit_config(bank, lambda config: config["periods"]["files"]["targets"].update(file="kpi_*.csv"))
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for period in PERIODS:
        ours = sorted((out / period).glob("downloads/*.csv"))
        assert ours, "the build publishes its result downloads"
        for path in ours:
            assert path.read_bytes() == (tiny_site / period / path.relative_to(out / period)).read_bytes(), path


def test_files_a_pattern_finds_below_the_period_folder_key_the_build_cache(bank):
    """The cache's folder digest sees a period folder's own files; a branch file in a subfolder must
    change the period's key too, or a corrected branch extract would never be read again."""
    from generator.cache.extracts import _matched_digest
    from generator.extract.periods import discover_periods

    split_by_branch(bank, pattern="业绩_*.csv")
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        (folder / "branches").mkdir()
        for name in ("业绩_东湖.csv", "业绩_江城.csv"):
            (folder / name).rename(folder / "branches" / name)
    edit_config(bank, lambda config: config["periods"]["files"]["performance"].update(file="branches/业绩_*.csv"))
    config = load_config(bank.config)
    october = discover_periods(config)[1]
    before = _matched_digest(config, october)
    bank.replace("periods/2026-10/branches/业绩_江城.csv", "15500.00", "15600.00")
    assert _matched_digest(config, october) != before
    assert bank.load().performance.set_index(["period", "manager_id"]).loc[("2026-10", "000105"), "deposit_avg"] \
        == 15600.0


# --- the layouts with each period's roster (reference.managers.per_period, unit_from: roster) ----

def units_from_period_rosters(bank: Bank) -> None:
    """After long_file: kpi.csv without its unit column, each period's roster (in its folder) giving
    the manager's unit of that period instead (000102 moves outlet in October)."""
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        kpi = read_csv(folder / "kpi.csv")
        units = {row["客户经理编号"]: row.pop("所属机构编号") for row in kpi}
        write_csv(folder / "kpi.csv", kpi, list(kpi[0]))
        roster = read_csv(bank.path("managers.csv"))
        for row in roster:
            row["所属机构编号"] = units.get(row["客户经理编号"], "010101")
        write_csv(folder / "managers.csv", roster, list(roster[0]))

    def change(config: dict) -> None:
        managers = config["reference"]["managers"]
        managers.update(per_period=True, unit_from="roster")
        managers["columns"]["unit_id"] = ["所属机构编号"]
        del config["periods"]["files"]["performance"]["columns"]["unit_id"]
    edit_config(bank, change)


def test_a_long_file_without_units_takes_each_periods_roster_unit_and_scores_the_same(bank, tiny_scores):
    long_file(bank)
    units_from_period_rosters(bank)
    assert scores(bank) == tiny_scores
    units = bank.load().performance.set_index(["period", "manager_id"])["unit_id"]
    assert (units[("2026-09", "000102")], units[("2026-10", "000102")]) == ("01010101", "01010102")


def test_a_manager_missing_from_the_periods_roster_is_rejected_in_every_row_naming_that_roster(bank):
    long_file(bank)
    units_from_period_rosters(bank)
    roster = read_csv(bank.path("periods/2026-10/managers.csv"))
    write_csv(bank.path("periods/2026-10/managers.csv"), [r for r in roster if r["客户经理编号"] != "000103"],
              list(roster[0]))
    dataset = bank.load()
    unknown = [issue for issue in issues_of(dataset, "unknown_manager") if issue.file.endswith("kpi.csv")]
    assert [(issue.period, issue.row, issue.manager_id) for issue in unknown] == \
        [("2026-10", row, "000103") for row in (10, 11, 12, 13)]  # its four indicator rows
    assert all("periods/2026-10/managers.csv" in issue.message and issue.severity == "reject" for issue in unknown)
    assert "000103" not in set(dataset.performance.loc[dataset.performance["period"] == "2026-10", "manager_id"])


def test_a_shared_long_file_named_by_its_period_is_read_once_and_scores_the_same(bank, tiny_scores):
    long_file(bank)
    for period in PERIODS:
        folder = bank.path(f"periods/{period}")
        (folder / "kpi.csv").rename(folder / f"kpi_{period.replace('-', '')}.csv")
    edit_config(bank, lambda config: [config["periods"]["files"][role].update(file="kpi_{year}{month:02d}.csv")
                                      for role in ("performance", "targets")])
    assert scores(bank) == tiny_scores
    read = [item.label for item in bank.load().inputs if item.period == "2026-10"]
    assert read.count("periods/2026-10/kpi_202610.csv") == 1


def test_fail_on_reject_knows_a_branch_files_role(bank):
    """data.fail_on_reject finds the role of a file a pattern matched, and of a shared file every role."""
    from generator.assessment.held import fail_on_reject_problems

    split_by_branch(bank)
    edit_config(bank, lambda config: config["data"].update(fail_on_reject=["performance"]))
    bank.append("periods/2026-10/业绩_江城.csv", ",无名,010101,1,1,1,1")
    [problem] = fail_on_reject_problems(bank.load())
    assert problem.startswith("periods/2026-10/业绩_江城.csv: 1 row(s) rejected, and data.fail_on_reject lists "
                              "performance")
