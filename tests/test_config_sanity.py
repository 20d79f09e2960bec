"""Config values that cannot be meant (issue 21): each a config error naming its YAML key, value
and fix (exit 2, no traceback), or a warning the build prints and --strict refuses; never a
silent site with absurd scores and never an internal error."""
from __future__ import annotations

import pytest

from generator.config.loading import load_config
from generator.errors import ConfigError
from tests.conftest import run_build

DEPOSITS = "{indicator: deposit_avg, weight: 30, method: target_completion, cap: 1.2}"
LOANS = "{indicator: new_loans, weight: 20, method: target_completion, cap: null}"
ACCOUNTS = "{indicator: new_accounts, weight: 10, method: growth_prev, target_growth: 0.1, cap: 1.5}"
NPL = "{indicator: npl_ratio, weight: 10, method: lower_is_better}"
GROUPS = "assessment:\n  groups:"
FILES = "  files:\n    performance"


def grades(*levels: tuple[str, str, float]) -> str:
    """An assessment.grades block with one system of the given (id, name, min) levels."""
    listed = "".join(f"          - {{id: {id_}, name: {{zh: {name}, en: {name}}}, min: {minimum}}}\n"
                     for id_, name, minimum in levels)
    return ("assessment:\n  grades:\n    systems:\n      four_level:\n        label: {zh: 四级, en: Four}\n"
            f"        levels:\n{listed}  groups:")


def edited(bank, *edits: tuple[str, str]) -> None:
    for old, new in edits:
        bank.replace("site_config.yml", old, new)


def config_errors(bank, *edits: tuple[str, str]) -> list[str]:
    edited(bank, *edits)
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    return raised.value.messages


def assert_named(messages: list[str], *fragments: str) -> None:
    assert any(all(fragment in line for fragment in fragments) for line in messages), messages


# --- NaN and infinity, anywhere -------------------------------------------------------------

@pytest.mark.parametrize("old, new, key", [
    (DEPOSITS, DEPOSITS.replace("weight: 30", "weight: .nan"), "assessment.groups[0].items[0].weight"),
    (DEPOSITS, DEPOSITS.replace("weight: 30", "weight: .inf"), "assessment.groups[0].items[0].weight"),
    (DEPOSITS, DEPOSITS.replace("cap: 1.2", "cap: .inf"), "assessment.groups[0].items[0].cap"),
    (DEPOSITS, DEPOSITS.replace("cap: 1.2", "cap: 'Infinity'"), "assessment.groups[0].items[0].cap"),
    (LOANS, LOANS.replace("cap: null", "floor: -.inf"), "assessment.groups[0].items[1].floor"),
    (LOANS, LOANS.replace("cap: null", "floor: .NaN"), "assessment.groups[0].items[1].floor"),
    (ACCOUNTS, ACCOUNTS.replace("target_growth: 0.1", "target_growth: 'nan'"),
     "assessment.groups[0].items[2].target_growth"),
    (GROUPS, grades(("top", "甲", ".nan")), "assessment.grades.systems.four_level.levels[0].min"),
    ("max_reject_rate: 0.5", "max_reject_rate: .nan", "publish.max_reject_rate"),
    ("max: 100}", "max: .inf}", "qualitative[0].max"),
    ("min: 10000}", "min: -.inf}", "org_models[2].tiers[0].min"),
])
def test_nan_and_infinity_are_refused_wherever_a_number_goes(bank, old, new, key):
    messages = config_errors(bank, (old, new))
    assert_named(messages, f"{key}: not a number a rule can use", "Fix: write a finite number")


def test_an_infinite_weight_is_a_config_error_not_a_published_minus_9e16(bank, tmp_path):
    edited(bank, (DEPOSITS, DEPOSITS.replace("weight: 30", "weight: .inf")))
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 2, result.stderr
    assert "assessment.groups[0].items[0].weight: not a number" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


# --- declared totals --------------------------------------------------------------------------

def test_weights_must_add_up_to_the_declared_total(bank):
    messages = config_errors(bank, (GROUPS, "assessment:\n  total: 100\n  groups:"),
                             (DEPOSITS, DEPOSITS.replace("weight: 30", "weight: 300")))
    assert_named(messages, "assessment.total: the weights of every item add up to 370",
                 "work 340, dept 30", "not the declared 100", "Fix:")


def test_a_group_total_names_the_group_and_its_items(bank):
    messages = config_errors(bank, ("      items:\n        - {qualitative: dept_eval",
                                    "      total: 20\n      items:\n        - {qualitative: dept_eval"))
    assert_named(messages, "assessment.groups[1].total: the weights of the group's items add up to 30",
                 "dept_eval 30", "not the declared 20")


def test_totals_that_match_are_accepted(bank):
    edited(bank, (GROUPS, "assessment:\n  total: 100\n  groups:"),
           ("      items:\n        - {qualitative: dept_eval",
            "      total: 30\n      items:\n        - {qualitative: dept_eval"))
    assessment = load_config(bank.config).settings.assessment
    assert assessment is not None and assessment.total == 100 and assessment.groups[1].total == 30


def test_a_total_mismatch_stops_check_with_exit_2_and_no_traceback(bank):
    edited(bank, (GROUPS, "assessment:\n  total: 90\n  groups:"))
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 2, result.stderr
    assert "assessment.total: the weights of every item add up to 100" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- grades -------------------------------------------------------------------------------------

def test_a_grade_above_the_highest_reachable_total_is_refused(bank):
    # every item capped: 30 × 1.2 + 20 × 1.0 + 10 × 1.5 + 10 × 1.0 (lower_is_better's default) + 30 = 111
    messages = config_errors(bank, (LOANS, LOANS.replace("cap: null", "cap: 1.0")),
                             (GROUPS, grades(("top", "甲", 120), ("low", "乙", 60))))
    assert_named(messages, "assessment.grades.systems.four_level.levels[0].min: grade 'top' needs 120",
                 "highest total the items can reach is 111")


def test_a_reachable_grade_is_accepted_and_an_uncapped_item_leaves_any_grade_reachable(bank):
    edited(bank, (GROUPS, grades(("top", "甲", 500), ("low", "乙", 60))))  # new_loans has no cap
    load_config(bank.config)


def test_the_default_grades_are_checked_when_the_config_gives_none(bank):
    # every item capped and the evaluation worth 1: at most 36 + 20 + 15 + 10 + 1 = 82 < 85 (资深)
    messages = config_errors(bank, (LOANS, LOANS.replace("cap: null", "cap: 1.0")),
                             ("{qualitative: dept_eval, weight: 30}", "{qualitative: dept_eval, weight: 1}"))
    assert_named(messages, "assessment.grades.systems.four_level.levels[0].min: grade 'senior' needs 85",
                 "can reach is 82")


def test_two_grades_of_one_name_are_refused(bank):
    messages = config_errors(bank, (GROUPS, grades(("top", "甲", 85), ("low", "甲", 60))))
    assert_named(messages, "assessment.grades.systems.four_level", "each level needs its own name", "'甲'")


# --- percentages written where a fraction belongs ------------------------------------------------

@pytest.mark.parametrize("old, new, key, fix", [
    (DEPOSITS, DEPOSITS.replace("cap: 1.2", "cap: 120"), "assessment.groups[0].items[0].cap", "write 1.2 for 120%"),
    (LOANS, LOANS.replace("cap: null", "floor: 60"), "assessment.groups[0].items[1].floor", "write 0.6 for 60%"),
    (LOANS, LOANS.replace("cap: null", "floor: -50"), "assessment.groups[0].items[1].floor", "write -0.5 for -50%"),
    (ACCOUNTS, ACCOUNTS.replace("target_growth: 0.1", "target_growth: 10"),
     "assessment.groups[0].items[2].target_growth", "write 0.1 for 10%"),
    ("max_reject_rate: 0.5", "max_reject_rate: 5", "publish.max_reject_rate", "a share is a fraction: 0.05 = 5%"),
])
def test_a_percentage_written_as_a_whole_number_is_refused(bank, old, new, key, fix):
    assert_named(config_errors(bank, (old, new)), f"{key}:", fix)


def test_a_weight_beyond_any_scheme_is_a_config_error_not_an_internal_error(bank, tmp_path):
    edited(bank, (DEPOSITS, DEPOSITS.replace("weight: 30", "weight: 1.0e+300")))
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 2, result.stderr
    assert "assessment.groups[0].items[0].weight: a weight is the points" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


# --- other keys ---------------------------------------------------------------------------------

@pytest.mark.parametrize("new, fragment", [
    ("kind: balance, better: higher, weight_by: new_loans}", "only ratios are weighted; 'deposit_avg' is a balance"),
])
def test_weight_by_on_an_indicator_that_adds_up_is_refused(bank, new, fragment):
    messages = config_errors(bank, ("kind: balance, better: higher}", new))
    assert_named(messages, "indicators[0].weight_by:", fragment)


def test_a_ratio_weighted_by_itself_is_refused(bank):
    messages = config_errors(bank, ("kind: ratio, better: lower}", "kind: ratio, better: lower, weight_by: npl_ratio}"))
    assert_named(messages, "indicators[3].weight_by:", "cannot be weighted by itself")


# --- periods.closed_through ----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2026-9", "2026-13", "2026Q3", "2026-09-30", "0000-05", "２０２６-０９"])
def test_a_malformed_closed_through_is_a_config_error(bank, value):
    messages = config_errors(bank, (FILES, f"  closed_through: '{value}'\n{FILES}"))
    assert_named(messages, "periods.closed_through:", "is not a monthly period id", "like '2026-09'")


def test_closed_through_after_the_data_is_a_config_error(bank):
    edited(bank, (FILES, f"  closed_through: '2062-09'\n{FILES}"))
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "periods.closed_through: 2062-09 is after the last period of the data (2026-09 … 2026-10)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value, fragment", [
    ("2026-08", "is before the first period of the data"),
])
def test_closed_through_before_the_data_is_a_warning_and_strict_refuses_it(bank, value, fragment):
    edited(bank, (FILES, f"  closed_through: '{value}'\n{FILES}"))
    checked = run_build("--config", str(bank.config), "--check")
    assert checked.returncode == 0, checked.stderr
    assert f"WARNING: site_config.yml: periods.closed_through: {value} {fragment}" in checked.stderr
    strict = run_build("--config", str(bank.config), "--check", "--strict")
    assert strict.returncode != 0 and "the config has warnings" in strict.stderr


def test_closed_through_on_a_month_the_data_lack_is_a_warning(bank):
    from generator.extract.periods import Period, closed_through_warnings
    edited(bank, (FILES, f"  closed_through: '2026-11'\n{FILES}"))
    periods = [Period(2026, month, "monthly") for month in (9, 10, 12)]
    warnings = closed_through_warnings(load_config(bank.config), periods)
    assert_named(warnings, "periods.closed_through: 2026-11 is not among the data's periods (2026-09 … 2026-12")


# --- items without a ceiling: warnings ------------------------------------------------------------

def test_an_item_without_a_cap_key_is_a_warning_naming_it(bank):
    edited(bank, (LOANS, LOANS.replace(", cap: null", "")))
    warnings = load_config(bank.config).warnings
    assert_named(list(warnings), "assessment.groups[0].items[1].cap: not given", "上不封顶", "cap: null to confirm")


def test_cap_null_on_a_target_item_is_a_choice_and_not_warned(bank):
    assert load_config(bank.config).warnings == ()


def test_cap_null_on_a_growth_item_is_a_warning(bank):
    edited(bank, (ACCOUNTS, ACCOUNTS.replace("cap: 1.5", "cap: null")))
    assert_named(list(load_config(bank.config).warnings), "assessment.groups[0].items[2].cap: null on a growth method")


def test_config_warnings_are_printed_by_the_build(bank):
    edited(bank, (LOANS, LOANS.replace(", cap: null", "")))
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 0, result.stderr
    assert "WARNING: site_config.yml: assessment.groups[0].items[1].cap: not given" in result.stderr


# --- line numbers ----------------------------------------------------------------------------------

def test_messages_carry_the_line_of_their_key(bank):
    messages = config_errors(bank, (DEPOSITS, DEPOSITS.replace("weight: 30", "weight: .nan")))
    line = next(number for number, text in enumerate(bank.lines("site_config.yml"), 1) if "weight: .nan" in text)
    assert_named(messages, "assessment.groups[0].items[0].weight:", f"[line {line}]")


# --- a target near zero on an item without a cap: a rejected row, not billions of points ------------

def tiny_target(bank, target: str = "0.000001") -> None:
    bank.replace("periods/2026-09/targets.csv", "000101,12000.00,400.00", f"000101,12000.00,{target}")


def test_a_near_zero_target_on_an_uncapped_item_rejects_the_targets_row(bank):
    tiny_target(bank)
    dataset = bank.load()
    issues = [issue for issue in dataset.issues if issue.rule == "implausible_completion"]
    assert len(issues) == 1, dataset.issues
    issue = issues[0]
    assert (issue.severity, issue.file, issue.row, issue.column, issue.manager_id) == (
        "reject", "periods/2026-09/targets.csv", 2, "新增贷款", "000101")
    assert "target 0.000001 against an actual of 500" in issue.message
    assert "10,000,000,000.00 points" in issue.message and "该项不封顶" in issue.message_zh
    september = dataset.targets[dataset.targets["period"] == "2026-09"]
    assert "000101" not in set(september["manager_id"])


def test_the_build_publishes_no_absurd_total(bank, tmp_path):
    tiny_target(bank)
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"), "--period", "2026-09")
    assert result.returncode == 0, result.stderr
    assert "rule implausible_completion" in result.stderr
    table = (tmp_path / "site/2026-09/downloads/rankings-2026-09.csv").read_text(encoding="utf-8-sig")
    assert "10000000" not in table  # before: 张伟 was published with 10,000,000,079.41 points


def test_a_capped_item_and_a_plausible_target_are_not_rejected(bank):
    tiny_target(bank, "100.00")  # 500 ÷ 100 = 500%, under the default limit of 1,000%
    assert not [issue for issue in bank.load().issues if issue.rule == "implausible_completion"]
    edited(bank, (LOANS, LOANS.replace("cap: null", "cap: 1.5")))
    bank.replace("periods/2026-09/targets.csv", "000101,12000.00,100.00", "000101,12000.00,0.000001")
    assert not [issue for issue in bank.load().issues if issue.rule == "implausible_completion"]


def test_the_limit_is_the_banks_and_null_turns_the_rule_off(bank):
    tiny_target(bank, "100.00")  # 500%
    edited(bank, (GROUPS, "assessment:\n  implausible_completion: 4\n  groups:"))
    assert [issue.rule for issue in bank.load().issues] == ["implausible_completion"]
    bank.replace("site_config.yml", "implausible_completion: 4", "implausible_completion: null")
    assert not bank.load().issues


def test_without_a_floor_a_hugely_negative_completion_is_rejected_too(bank):
    # lower_is_better: 2 − 1.20 ÷ 0.000001 ≈ −1,199,998 with no floor and no cap
    edited(bank, (NPL, "{indicator: npl_ratio, weight: 10, method: lower_is_better, floor: null}"))
    bank.replace("periods/2026-09/targets.csv", "000101,12000.00,400.00,10,1.50", "000101,12000.00,400.00,10,0.000001")
    issues = [issue for issue in bank.load().issues if issue.rule == "implausible_completion"]
    assert [(issue.row, issue.column) for issue in issues] == [(2, "不良贷款率")]
