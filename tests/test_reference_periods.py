"""Reference files per period: the roster and the unit table as they stood in each period.

The tiny bank, rewritten with one roster per month (a name pattern) and one unit table per month
(inside each period folder): between September and October 王芳 (000102) moves from segment 个人
to 公司 and from grade 客户经理 to 高级客户经理, her outlet 01010102 is renamed, and 刘洋 (000104),
who left on 2026-09-30, is in neither October's roster nor its performance file."""
from __future__ import annotations

import csv
import re
import shutil

import pytest

from generator.archive.fingerprints import fingerprints
from generator.cache.extracts import CachedReads
from generator.cache.store import BuildCache
from generator.config.loading import load_config
from generator.errors import ConfigError, DataError
from generator.extract.loader import FreshReads, load_dataset
from tests.conftest import TINY, Bank, run_build

ROSTER_PATTERN = "rosters/managers_{year}{month:02d}.csv"
OLD_OUTLET, NEW_OUTLET = "东湖解放路网点", "东湖中山路网点"


def per_period(bank, months=("2026-09", "2026-10")) -> None:
    """Turn the tiny bank's one roster and one unit table into one of each per month."""
    bank.replace("site_config.yml", "    file: managers.csv\n",
                 f'    file: "{ROSTER_PATTERN}"\n    per_period: true\n')
    bank.replace("site_config.yml", "    file: units.csv\n", "    file: units.csv\n    per_period: true\n")
    roster = bank.lines("managers.csv")
    bank.path("rosters").mkdir()
    for month in months:
        rows = roster if month == "2026-09" else [
            row.replace(",个人,客户经理,", ",公司,高级客户经理,") if row.startswith("000102,") else row
            for row in roster if not row.startswith("000104,")]
        bank.write_lines(f"rosters/managers_{month.replace('-', '')}.csv", rows)
        units = bank.lines("units.csv")
        if month != "2026-09":
            units = [row.replace(OLD_OUTLET, NEW_OUTLET) for row in units]
        bank.write_lines(f"periods/{month}/units.csv", units)
    bank.path("managers.csv").unlink()  # the one roster is no longer read
    bank.path("units.csv").unlink()


def add_month(bank, month: str, roster_from: str) -> None:
    """A further month: October's extracts and reference files again, under `month`."""
    shutil.copytree(bank.path("periods/2026-10"), bank.path(f"periods/{month}"))
    shutil.copy(bank.path(f"rosters/managers_{roster_from.replace('-', '')}.csv"),
                bank.path(f"rosters/managers_{month.replace('-', '')}.csv"))


@pytest.fixture
def moving(bank):
    per_period(bank)
    return bank


# --- the loader -------------------------------------------------------------------------------

def test_each_period_reads_its_own_roster_and_unit_table(moving):
    dataset = moving.load()
    assert dataset.managers_in("2026-09").at["000102", "segment"] == "个人"
    assert dataset.managers_in("2026-10").at["000102", "segment"] == "公司"
    assert dataset.managers_in("2026-10").at["000102", "grade"] == "高级客户经理"
    assert "000104" in dataset.managers_in("2026-09").index
    assert "000104" not in dataset.managers_in("2026-10").index  # a leaver: absent later, no problem
    assert dataset.units_in("2026-09").at["01010102", "name"] == OLD_OUTLET
    assert dataset.units_in("2026-10").at["01010102", "name"] == NEW_OUTLET
    # for names across periods: everyone as last seen, the leaver included
    assert dataset.managers.at["000102", "segment"] == "公司" and "000104" in dataset.managers.index
    assert dataset.units.at["01010102", "name"] == NEW_OUTLET
    assert not [issue for issue in dataset.issues if issue.rule == "unknown_manager"]
    read = {(item.label, item.period) for item in dataset.inputs}
    assert {("rosters/managers_202609.csv", "2026-09"), ("rosters/managers_202610.csv", "2026-10"),
            ("periods/2026-09/units.csv", "2026-09"), ("periods/2026-10/units.csv", "2026-10")} <= read


def test_a_period_without_its_roster_is_an_error_naming_the_expected_path(moving):
    moving.path("rosters/managers_202610.csv").unlink()
    with pytest.raises(DataError) as raised:
        moving.load()
    message = "\n".join(raised.value.messages)
    assert "rosters/managers_202610.csv" in message and "2026-10" in message
    assert "reference.managers" in message and "Fix:" in message


def test_a_period_without_its_unit_table_is_an_error_naming_the_expected_path(moving):
    moving.path("periods/2026-09/units.csv").unlink()
    with pytest.raises(DataError) as raised:
        moving.load()
    assert "periods/2026-09/units.csv" in "\n".join(raised.value.messages)


def test_a_manager_missing_from_the_periods_roster_is_named_with_file_row_column_and_roster(moving):
    rows = moving.lines("rosters/managers_202610.csv")
    moving.write_lines("rosters/managers_202610.csv", [row for row in rows if not row.startswith("000105,")])
    dataset = moving.load()
    [issue] = [issue for issue in dataset.issues
               if issue.rule == "unknown_manager" and issue.file.endswith("performance.csv")]
    assert (issue.file, issue.row, issue.column, issue.period) == ("periods/2026-10/performance.csv", 5,
                                                                    "客户经理编号", "2026-10")
    assert "rosters/managers_202610.csv" in issue.message and "rosters/managers_202610.csv" in issue.message_zh
    # the same manager in September's roster is untouched
    assert "000105" in set(dataset.performance.loc[dataset.performance["period"] == "2026-09", "manager_id"])


def test_a_problem_in_one_months_roster_belongs_to_that_month(moving):
    moving.replace("rosters/managers_202610.csv", "2016-05-20", "20x6-05-20")
    dataset = moving.load()
    [issue] = [issue for issue in dataset.issues if issue.rule == "not_a_date"]
    assert (issue.file, issue.period, issue.row) == ("rosters/managers_202610.csv", "2026-10", 5)


def test_a_quarterly_roster_serves_the_months_of_its_quarter_read_once(bank):
    bank.replace("site_config.yml", "    file: managers.csv\n",
                 '    file: "rosters/managers_{year}Q{quarter}.csv"\n    per_period: true\n')
    bank.path("rosters").mkdir()
    shutil.copy(bank.path("managers.csv"), bank.path("rosters/managers_2026Q3.csv"))
    shutil.copy(bank.path("managers.csv"), bank.path("rosters/managers_2026Q4.csv"))
    dataset = bank.load()
    assert [item.period for item in dataset.inputs if item.label.startswith("rosters/")] == ["2026-09", "2026-10"]


# --- the unit from the roster -----------------------------------------------------------------

def unit_from_roster(bank, keep_performance_unit: bool) -> None:
    bank.replace("site_config.yml", "      name: [姓名, name]\n",
                 "      name: [姓名, name]\n      unit_id: [所属机构编号, unit_id]\n")
    bank.replace("site_config.yml", "  managers:\n", "  managers:\n    unit_from: roster\n")
    if not keep_performance_unit:
        bank.replace("site_config.yml", ", unit_id: [所属机构编号, unit_id]}}", "}}")
    for month in ("2026-09", "2026-10"):
        performance = bank.lines(f"periods/{month}/performance.csv")
        units = {row.split(",")[0]: row.split(",")[2] for row in performance[1:]}
        if not keep_performance_unit:
            bank.write_lines(f"periods/{month}/performance.csv",
                             [",".join(p for i, p in enumerate(row.split(",")) if i != 2) if '"' not in row
                              else row.replace(",010101,", ",") for row in performance])
        roster = bank.lines(f"rosters/managers_{month.replace('-', '')}.csv")
        bank.write_lines(f"rosters/managers_{month.replace('-', '')}.csv",
                         [roster[0] + ",所属机构编号"] + [row + "," + units.get(row.split(",")[0], "010101")
                                                      for row in roster[1:]])


def test_the_unit_may_come_from_each_periods_roster(moving):
    unit_from_roster(moving, keep_performance_unit=False)
    assert "所属机构编号" not in moving.lines("periods/2026-10/performance.csv")[0]
    dataset = moving.load()
    units = dataset.performance.set_index(["period", "manager_id"])["unit_id"]
    assert units[("2026-09", "000102")] == "01010101" and units[("2026-10", "000102")] == "01010102"
    assert not [issue for issue in dataset.issues if issue.severity == "reject"]


def test_a_unit_the_roster_and_the_performance_file_disagree_on_is_rejected_naming_both(moving):
    unit_from_roster(moving, keep_performance_unit=True)
    moving.replace("rosters/managers_202610.csv", "在岗,01010102", "在岗,01010101")  # 王芳's row
    dataset = moving.load()
    [issue] = [issue for issue in dataset.issues if issue.rule == "unit_mismatch"]
    assert (issue.file, issue.row, issue.column, issue.value) == ("periods/2026-10/performance.csv", 3,
                                                                   "所属机构编号", "01010102")
    assert "01010101" in issue.message and "rosters/managers_202610.csv" in issue.message
    assert issue.severity == "reject" and issue.manager_id == "000102"


def test_an_empty_unit_in_a_roster_the_unit_comes_from_rejects_the_roster_row(moving):
    unit_from_roster(moving, keep_performance_unit=False)
    moving.replace("rosters/managers_202610.csv", "在岗,01010102", "在岗,")
    dataset = moving.load()
    rules = {(issue.rule, issue.file) for issue in dataset.issues if issue.severity == "reject"}
    assert rules == {("empty_id", "rosters/managers_202610.csv"),
                     ("unknown_manager", "periods/2026-10/performance.csv"),
                     ("unknown_manager", "periods/2026-10/targets.csv"),
                     ("unknown_manager", "periods/2026-10/evaluations.csv")}


# --- config -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "key", "fix"), [
    ("    file: managers.csv\n", '    file: "managers_{year}{month:02d}.csv"\n', "reference.managers.file",
     "per_period: true"),
    ("    file: units.csv\n", '    file: "units_{year}{month:02d}.csv"\n    per_period: true\n',
     None, None),
    ("    file: managers.csv\n", '    file: "managers_{month:02d}.csv"\n    per_period: true\n',
     "reference.managers.file", "add {year}"),
    ("  managers:\n", "  managers:\n    unit_from: roster\n", "reference.managers.columns.unit_id", "unit_from"),
    ("  managers:\n", "  managers:\n    unit_from: branch\n", "reference.managers.unit_from", "roster"),
])
def test_reference_config_mistakes_name_the_key_and_the_fix(bank, old, new, key, fix):
    bank.replace("site_config.yml", old, new)
    if key is None:
        load_config(bank.config)  # a valid per-period pattern
        return
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    message = "\n".join(raised.value.messages)
    assert key in message and fix in message


def test_a_month_field_in_a_quarterly_banks_roster_pattern_is_refused(bank):
    bank.replace("site_config.yml", "  frequency: monthly", "  frequency: quarterly")
    bank.replace("site_config.yml", '"periods/{year}-{month:02d}"', '"periods/{year}Q{quarter}"')
    bank.replace("site_config.yml", "    file: managers.csv\n",
                 '    file: "managers_{year}{month:02d}.csv"\n    per_period: true\n')
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert re.search(r"reference\.managers\.file.*\{month\}.*quarterly", "\n".join(raised.value.messages))


def test_without_a_unit_column_anywhere_the_performance_file_must_name_one(bank):
    bank.replace("site_config.yml", ", unit_id: [所属机构编号, unit_id]}}", "}}")
    with pytest.raises(ConfigError) as raised:
        load_config(bank.config)
    assert "periods.files.performance.columns.unit_id" in "\n".join(raised.value.messages)


# --- fingerprints and the cache ---------------------------------------------------------------

def test_a_change_to_one_months_roster_changes_that_months_fingerprint_and_later_ones_only(moving):
    add_month(moving, "2026-11", "2026-10")
    shutil.copy(moving.path("periods/2026-10/units.csv"), moving.path("periods/2026-11/units.csv"))
    before = fingerprints(moving.load(), ["2026-09", "2026-10", "2026-11"])
    moving.replace("rosters/managers_202610.csv", "高级客户经理,在岗", "资深客户经理,在岗")
    after = fingerprints(moving.load(), ["2026-09", "2026-10", "2026-11"])
    assert before["2026-09"] == after["2026-09"]
    assert before["2026-10"] != after["2026-10"] and before["2026-11"] != after["2026-11"]


def test_a_renamed_unit_in_one_months_table_leaves_earlier_fingerprints_alone(moving):
    before = fingerprints(moving.load(), ["2026-09", "2026-10"])
    moving.replace("periods/2026-10/units.csv", "江城东湖支行", "江城东湖新区支行")
    after = fingerprints(moving.load(), ["2026-09", "2026-10"])
    assert before["2026-09"] == after["2026-09"] and before["2026-10"] != after["2026-10"]


class CountingReads(FreshReads):
    def __init__(self):
        super().__init__()
        self.rosters: list[str | None] = []
        self.periods: list[str] = []

    def roster(self, config, file=None, period=None):
        self.rosters.append(file)
        return super().roster(config, file, period)

    def period(self, config, folder, reference):
        self.periods.append(folder.period.id)
        return super().period(config, folder, reference)


def test_the_cache_rereads_only_the_changed_months_roster_and_the_periods_resting_on_it(moving, tmp_path):
    config = load_config(moving.config)
    cache = BuildCache(tmp_path / "cache")
    load_dataset(config, CachedReads(cache, CountingReads()))
    moving.replace("rosters/managers_202610.csv", "2016-05-20", "2016-05-21")  # 陈静's hire date, October only
    counting = CountingReads()
    dataset = load_dataset(load_config(moving.config), CachedReads(cache, counting))
    assert counting.rosters == ["rosters/managers_202610.csv"]
    assert counting.periods == ["2026-10"]
    assert str(dataset.managers_in("2026-10").at["000105", "hire_date"].date()) == "2016-05-21"


# --- the built site ---------------------------------------------------------------------------

def set_roster(bank, month: str, manager: str, old: str, new: str) -> None:
    """In `month`'s roster, `old` → `new` on `manager`'s row only."""
    file = f"rosters/managers_{month.replace('-', '')}.csv"
    bank.write_lines(file, [row.replace(old, new) if row.startswith(manager + ",") else row
                            for row in bank.lines(file)])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One build for the page tests: four months, the fourth quarter rolled up."""
    root = tmp_path_factory.mktemp("moving")
    shutil.copytree(TINY, root / "bank")
    moving = Bank(root / "bank")
    per_period(moving)
    for month in ("2026-11", "2026-12"):
        add_month(moving, month, "2026-10")
    # December: 王芳 moves on to segment 机构, so the fourth quarter shows December's roster
    set_roster(moving, "2026-12", "000102", ",公司,", ",机构,")
    result = run_build("--config", str(moving.config), "--out", str(root / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def download(site, period: str) -> dict[str, dict[str, str]]:
    with open(site / period / "downloads" / f"rankings-{period}.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["客户经理编号"]: row for row in csv.DictReader(handle)}


def groups_holding(site, period: str, manager: str) -> set[str]:
    """The titles of the segment groups whose page lists `manager` (the all-managers root left out)."""
    titles = set()
    for page in (site / period / "groups" / "segment").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        title = re.search(r"<h1>([^<]*)", text).group(1).strip()
        if manager in text and title != "按客户类别":
            titles.add(title)
    return titles


def test_downloads_show_each_period_with_its_own_roster_and_unit_names(site):
    september, october = download(site, "2026-09"), download(site, "2026-10")
    assert (september["000102"]["客户类别"], september["000102"]["机构名称"]) == ("个人", "东湖人民路网点")
    assert (october["000102"]["客户类别"], october["000102"]["机构名称"]) == ("公司", NEW_OUTLET)
    assert october["000102"]["上期机构编号"] == "01010101" and october["000102"]["本期调动"] in ("是", "True")
    assert september["000104"]["机构名称"] == OLD_OUTLET  # the unit's name as it was in September
    assert "000104" not in october  # the leaver: in neither October file, and no problem
    assert september["000102"]["客户类别内排名"] and october["000102"]["客户类别内排名"]


def test_a_quarter_uses_each_managers_roster_of_the_last_month_present(site):
    quarter = download(site, "2026-Q4")
    assert quarter["000102"]["客户类别"] == "机构"  # December's, not October's 公司
    assert quarter["000102"]["机构名称"] == NEW_OUTLET
    assert download(site, "2026-12")["000102"]["客户类别"] == "机构"
    assert download(site, "2026-11")["000102"]["客户类别"] == "公司"


def test_segment_groups_follow_each_periods_roster(site):
    assert groups_holding(site, "2026-09", "000102") == {"个人"}
    assert groups_holding(site, "2026-10", "000102") == {"公司"}
    assert groups_holding(site, "2026-12", "000102") == {"机构"}


def test_org_charts_follow_each_periods_unit_tree(site):
    region_sep = (site / "2026-09/org/region.html").read_text(encoding="utf-8")
    region_oct = (site / "2026-10/org/region.html").read_text(encoding="utf-8")
    assert OLD_OUTLET in region_sep and NEW_OUTLET not in region_sep
    assert NEW_OUTLET in region_oct and OLD_OUTLET not in region_oct


def test_manager_pages_name_the_unit_as_it_was_in_their_period(site):
    assert OLD_OUTLET in (site / "2026-09/managers/000104.html").read_text(encoding="utf-8")
    october = (site / "2026-10/managers/000102.html").read_text(encoding="utf-8")
    assert NEW_OUTLET in october and OLD_OUTLET not in october


def test_a_unit_reparented_between_periods_moves_in_the_chart_and_in_a_branch_site(moving, tmp_path):
    """October: a new sub-branch 010102 takes over outlet 01010102 (and 王芳 with it) from 010101."""
    moving.write_lines("periods/2026-10/units.csv", [
        row.replace(",010101,网点", ",010102,网点") if row.startswith("01010102,") else row
        for row in moving.lines("periods/2026-10/units.csv")] + ["010102,江城西湖支行,0101,支行"])
    whole = run_build("--config", str(moving.config), "--out", str(tmp_path / "whole"))
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert download(tmp_path / "whole", "2026-10")["000102"]["所属支行"] == "010102"
    assert download(tmp_path / "whole", "2026-09")["000104"]["所属支行"] == "010101"
    assert "江城西湖支行" in (tmp_path / "whole/2026-10/org/region.html").read_text(encoding="utf-8")
    assert "江城西湖支行" not in (tmp_path / "whole/2026-09/org/region.html").read_text(encoding="utf-8")
    branch = run_build("--config", str(moving.config), "--out", str(tmp_path / "branch"), "--audience", "010101")
    assert branch.returncode == 0, branch.stdout + branch.stderr
    site = tmp_path / "branch"
    assert (site / "2026-09/managers/000104.html").is_file()  # the outlet was the branch's in September
    assert not (site / "2026-10/managers/000102.html").exists()  # and another branch's in October
    october = "".join(page.read_text(encoding="utf-8") for page in (site / "2026-10").rglob("*.html"))
    assert "江城西湖支行" not in october and NEW_OUTLET not in october and "王芳" not in october


# --- identity-text: every period's roster and unit table get the ID and text checks ------------

OCTOBER_ROSTER, OCTOBER_UNITS = "rosters/managers_202610.csv", "periods/2026-10/units.csv"
OCTOBER_PERFORMANCE = "periods/2026-10/performance.csv"


def _issues(dataset, rule):
    return [issue for issue in dataset.issues if issue.rule == rule]


def test_a_look_alike_id_in_a_period_is_rejected_naming_that_periods_roster_row(moving):
    moving.replace(OCTOBER_PERFORMANCE, "000105,陈静", "０００１０５,陈静")
    dataset = moving.load()
    [issue] = _issues(dataset, "look_alike_id")
    assert (issue.file, issue.period, issue.row) == (OCTOBER_PERFORMANCE, "2026-10", 5)
    # October's roster lacks the leaver 000104: 000105 is its row 5, not the one roster's row 6
    assert f"{OCTOBER_ROSTER}:5:客户经理编号" in issue.message
    assert not _issues(dataset, "unknown_manager")


def test_an_invisible_twin_in_one_periods_roster_is_rejected_under_that_period(moving):
    moving.append(OCTOBER_ROSTER, "000105\u200b,陈静,女,110101199105055678,2016-05-20,,机构,客户经理,在岗")
    dataset = moving.load()
    [issue] = _issues(dataset, "invisible_in_id")
    assert (issue.file, issue.period) == (OCTOBER_ROSTER, "2026-10")
    assert f"{OCTOBER_ROSTER}:5:客户经理编号" in issue.message
    assert "000105" in dataset.managers_in("2026-10").index


def test_a_periods_unit_table_names_its_look_alikes_and_warns_of_bidi_controls(moving):
    moving.replace(OCTOBER_UNITS, "江城东湖支行", "江城\u2067东湖\u2069支行")
    moving.replace(OCTOBER_PERFORMANCE, "000105,陈静,010101", "000105,陈静,０１０１０１")
    dataset = moving.load()
    [bidi] = _issues(dataset, "bidi_control")
    assert (bidi.file, bidi.period, bidi.column) == (OCTOBER_UNITS, "2026-10", "机构名称")
    assert dataset.units_in("2026-10").at["010101", "name"] == "江城东湖支行"
    [twin] = _issues(dataset, "look_alike_id")
    assert (twin.file, twin.row) == (OCTOBER_PERFORMANCE, 5) and f"{OCTOBER_UNITS}:4:机构编号" in twin.message
