"""The bank's own period naming: periods.directory (and a period file's name) in any of the
forms banks use — 2026-10, 202610, 2026年10月, 2026Q3, 2026年第3季度, nested year folders —
declared in the config; a folder that looks like a period but is not named as the pattern
names one is a named problem, never a month silently left out."""
from __future__ import annotations

import shutil

import pytest

from generator.config.loading import load_config
from generator.config.patterns import example_name, pattern_fields
from generator.errors import ConfigError, DataError

DEFAULT = '  directory: "periods/{year}-{month:02d}"'
TINY_ROWS = {"2026-09": 4, "2026-10": 4}  # performance rows of the tiny bank's two months


def rename_periods(bank, names: dict[str, str]) -> None:
    """Move the tiny bank's period folders (by their default names) to `names` (relative to the data folder)."""
    for old, new in names.items():
        target = bank.path(new)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(bank.path(f"periods/{old}"), target)


def use_directory(bank, pattern: str, frequency: str = "monthly") -> None:
    bank.replace("site_config.yml", DEFAULT, f'  directory: "{pattern}"')
    if frequency != "monthly":
        bank.replace("site_config.yml", "frequency: monthly", f"frequency: {frequency}")


def loaded_rows(bank) -> dict[str, int]:
    dataset = bank.load()
    return {period.id: int(dataset.performance["period"].eq(period.id).sum()) for period in dataset.periods}


def problems_of(bank) -> str:
    with pytest.raises(DataError) as raised:
        bank.load()
    return "\n".join(raised.value.messages)


# --- every form reads ----------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, september, october", [
    ("periods/{year}-{month:02d}", "periods/2026-09", "periods/2026-10"),
    ("periods/{year}{month:02d}", "periods/202609", "periods/202610"),
    ("{year}{month:02d}", "202609", "202610"),  # at the top of the data folder, beside units.csv
    ("periods/{year}年{month}月", "periods/2026年9月", "periods/2026年10月"),
    ("periods/{year}年{month:02d}月", "periods/2026年09月", "periods/2026年10月"),
    ("periods/{year}.{month:02d}", "periods/2026.09", "periods/2026.10"),
    ("periods/{year}/{month:02d}", "periods/2026/09", "periods/2026/10"),  # a folder per year
    ("periods/{year}年/{month}月份", "periods/2026年/9月份", "periods/2026年/10月份"),
    ("periods/M{month:02d}-{year}", "periods/M09-2026", "periods/M10-2026"),  # the month first
], ids=["dash", "no-separator", "no-separator-at-top", "cjk", "cjk-padded", "dot", "nested", "nested-cjk",
        "month-first"])
def test_every_monthly_form_reads_both_months(bank, pattern, september, october):
    rename_periods(bank, {"2026-09": september, "2026-10": october})
    use_directory(bank, pattern)
    assert loaded_rows(bank) == TINY_ROWS


@pytest.mark.parametrize("pattern, third, fourth", [
    ("periods/{year}Q{quarter}", "periods/2026Q3", "periods/2026Q4"),
    ("periods/{year}-Q{quarter}", "periods/2026-Q3", "periods/2026-Q4"),
    ("periods/{year}年第{quarter}季度", "periods/2026年第3季度", "periods/2026年第4季度"),
    ("periods/{year}{quarter:02d}", "periods/202603", "periods/202604"),
    ("periods/{year}/Q{quarter}", "periods/2026/Q3", "periods/2026/Q4"),
], ids=["Q", "dash-Q", "cjk", "no-separator-padded", "nested"])
def test_every_quarterly_form_reads_both_quarters(bank, pattern, third, fourth):
    rename_periods(bank, {"2026-09": third, "2026-10": fourth})
    use_directory(bank, pattern, "quarterly")
    assert loaded_rows(bank) == {"2026-Q3": 4, "2026-Q4": 4}


def test_a_file_name_carrying_its_period_is_read_per_period(bank):
    rename_periods(bank, {"2026-09": "periods/202609", "2026-10": "periods/202610"})
    for month in ("202609", "202610"):
        bank.path(f"periods/{month}/performance.csv").rename(bank.path(f"periods/{month}/业绩_{month}.csv"))
        bank.path(f"periods/{month}/targets.csv").rename(bank.path(f"periods/{month}/targets_{month[:4]}-{month[4:]}.csv"))
    use_directory(bank, "periods/{year}{month:02d}")
    bank.replace("site_config.yml", "file: performance.csv", 'file: "业绩_{year}{month:02d}.csv"')
    bank.replace("site_config.yml", "file: targets.csv", 'file: "targets_{year}-{month:02d}.csv"')
    dataset = bank.load()
    assert {item.label for item in dataset.inputs} >= {"periods/202609/业绩_202609.csv",
                                                       "periods/202610/targets_2026-10.csv"}
    assert len(dataset.targets) == 8  # 4 target rows a month, all kept


def test_a_quarterly_file_name_carries_its_quarter(bank):
    rename_periods(bank, {"2026-09": "periods/2026年第3季度", "2026-10": "periods/2026年第4季度"})
    for quarter in (3, 4):
        folder = bank.path(f"periods/2026年第{quarter}季度")
        (folder / "performance.csv").rename(folder / f"performance_2026Q{quarter}.csv")
    use_directory(bank, "periods/{year}年第{quarter}季度", "quarterly")
    bank.replace("site_config.yml", "file: performance.csv", 'file: "performance_{year}Q{quarter}.csv"')
    assert loaded_rows(bank) == {"2026-Q3": 4, "2026-Q4": 4}


def test_a_missing_period_file_is_named_as_filled_in_with_the_files_beside_it(bank):
    bank.replace("site_config.yml", "file: performance.csv", 'file: "performance_{year}{month:02d}.csv"')
    text = problems_of(bank)
    assert "periods/2026-09/performance_202609.csv: file not found (its folder holds: evaluations.csv, " \
           "performance.csv, targets.csv, violations.csv)" in text


def test_folders_without_a_year_are_no_period_folders(bank):
    bank.path("periods/archive").mkdir()
    bank.path("periods/说明").mkdir()
    assert loaded_rows(bank) == TINY_ROWS


# --- folders that look like periods but are not named as the pattern names one -----------------------

@pytest.mark.parametrize("pattern, folder, expected", [
    ("periods/{year}-{month:02d}", "periods/2026-9",
     "periods/2026-9: folder matches periods.directory 'periods/{year}-{month:02d}' but names no valid monthly "
     "period: it is written differently from the pattern, which names that period 'periods/2026-09'"),
    ("periods/{year}-{month:02d}", "periods/2026-13", "periods/2026-13: folder matches periods.directory "
     "'periods/{year}-{month:02d}' but names no valid monthly period: month 13 is not 1 to 12"),
    ("periods/{year}年{month}月", "periods/2026年01月", "which names that period 'periods/2026年1月'"),
    ("periods/{year}年{month}月", "periods/２０２６年８月", "which names that period 'periods/2026年8月'"),
    ("periods/{year}{month:02d}", "periods/20260", "periods/20260: folder matches periods.directory "
     "'periods/{year}{month:02d}' but names no valid monthly period: month 0 is not 1 to 12"),
    ("periods/{year}{month:02d}", "periods/202610备份", "periods/202610备份: folder looks like a period (it names "
     "a year) but is not named as periods.directory 'periods/{year}{month:02d}' names one (like 'periods/202610')"),
    ("periods/{year}-{month:02d}", "periods/2026-10-重发", "periods/2026-10-重发: folder looks like a period"),
    ("periods/{year}-{month:02d}", "periods/0000-05", "0000 is no year of a period"),
], ids=["unpadded", "month-13", "padded-for-unpadded", "full-width-digits", "month-0", "backup", "suffix", "year-0"])
def test_a_misnamed_period_folder_is_a_named_problem(bank, pattern, folder, expected):
    rename_periods(bank, {"2026-09": pattern.format(year=2026, month=9),
                          "2026-10": pattern.format(year=2026, month=10)})
    use_directory(bank, pattern)
    bank.path(folder).mkdir()
    text = problems_of(bank)
    assert expected in text and "Fix:" in text


@pytest.mark.parametrize("pattern, folder, expected", [
    ("periods/{year}Q{quarter}", "periods/2026q2", "which names that period 'periods/2026Q2'"),
    ("periods/{year}Q{quarter}", "periods/2026Q5", "quarter 5 is not 1 to 4"),
    ("periods/{year}年第{quarter}季度", "periods/2026年第二季度", "folder looks like a period (it names a year)"),
], ids=["lower-case-q", "quarter-5", "chinese-numeral"])
def test_a_misnamed_quarter_folder_is_a_named_problem(bank, pattern, folder, expected):
    rename_periods(bank, {"2026-09": pattern.format(year=2026, quarter=3),
                          "2026-10": pattern.format(year=2026, quarter=4)})
    use_directory(bank, pattern, "quarterly")
    bank.path(folder).mkdir()
    assert expected in problems_of(bank)


def test_two_names_of_one_month_cannot_both_be_read(bank):
    """With {month}, 2026年1月 is January; 2026年01月 beside it would be January again, and one of the
    two would be left out without a word. The one not named as the pattern names it is a problem."""
    rename_periods(bank, {"2026-09": "periods/2026年9月", "2026-10": "periods/2026年10月"})
    use_directory(bank, "periods/{year}年{month}月")
    shutil.copytree(bank.path("periods/2026年9月"), bank.path("periods/2026年09月"))
    assert "periods/2026年09月: folder matches periods.directory" in problems_of(bank)


def test_folders_named_in_another_form_are_named_not_skipped(bank):
    use_directory(bank, "periods/{year}年{month}月")
    text = problems_of(bank)
    assert "periods/2026-09: folder looks like a period" in text and "periods/2026-10: folder looks like" in text


def test_no_period_folder_at_all_names_the_form_expected(bank):
    shutil.rmtree(bank.path("periods"))
    bank.path("periods/archive").mkdir(parents=True)
    use_directory(bank, "periods/{year}年{month}月")
    assert "no period folders match periods.directory 'periods/{year}年{month}月' (a period is named like " \
           "'periods/2026年10月')" in problems_of(bank)


# --- the config says what is wrong with a pattern ---------------------------------------------------------

@pytest.mark.parametrize("directory, expected", [
    ("periods/{year}-{month:x}", "is not a number format a name can use"),
    ("periods/{year}-{month:>2}", "is not a number format a name can use"),
    ("periods/{year}-{mnth}", "has the field {mnth}; a period name knows only {year}, {month} and {quarter}"),
    ("periods/{year}-{month", "is not a valid pattern"),
    ("periods/{year}", "must use exactly the fields {month}, {year}"),
    ("periods/{year}-{month}-{month}", "has {month} twice"),
], ids=["hex", "space-padded", "unknown-field", "unclosed-brace", "no-month", "twice"])
def test_a_bad_directory_pattern_is_a_config_error_naming_the_key(bank, directory, expected):
    use_directory(bank, directory)
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    text = "\n".join(raised.value.messages)
    assert "periods" in text and expected in text


@pytest.mark.parametrize("file, expected", [
    ("performance_{year}Q{quarter}.csv", "files.performance.file: 'performance_{year}Q{quarter}.csv' uses {quarter}, "
                                         "which a monthly period does not have"),
    ("../performance_{year}{month:02d}.csv", "files.performance.file: '../performance_{year}{month:02d}.csv' leads "
                                             "out of the period's folder"),
    ("performance_{yr}.csv", "has the field {yr}"),
], ids=["quarter-in-monthly", "outside-the-folder", "unknown-field"])
def test_a_bad_period_file_pattern_is_a_config_error_naming_the_key(bank, file, expected):
    bank.replace("site_config.yml", "file: performance.csv", f'file: "{file}"')
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert expected in "\n".join(raised.value.messages)


def test_the_patterns_fields_and_examples():
    assert pattern_fields("{year}年第{quarter}季度") == {"year": "", "quarter": ""}
    assert pattern_fields("{year}{month:02d}") == {"year": "", "month": "02d"}
    assert example_name("periods/{year}年{month}月", "monthly") == "periods/2026年10月"
    assert example_name("{year}Q{quarter}", "quarterly") == "2026Q3"
    assert example_name("{{{year}}}-{month:02d}", "monthly") == "{2026}-10"
