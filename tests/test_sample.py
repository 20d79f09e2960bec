"""The sample bank generator: deterministic, faithful to the data contract, realistic
enough to exercise the site, and with exactly the planted defects it announces."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import yaml

import samplebank as sample

REPO = Path(__file__).resolve().parents[1]
SMALL = dict(managers=40, units=10, periods=6, seed=7)

# The headers the brief fixes, spelled out so a config edit cannot silently move them.
UNITS_HEADER = ["机构编号", "机构名称", "上级机构编号", "机构层级"]
MANAGERS_HEADER = ["客户经理编号", "姓名", "性别", "身份证号", "手机号", "入职日期", "离职日期",
                   "学历", "职称", "信贷从业年限", "客户类别", "产品条线", "职级", "状态"]
INDICATOR_HEADERS = ["日均存款余额", "期末存款余额", "吸收大额存款额", "贷款余额", "新增贷款",
                     "手续费收入", "代发工资户数", "新开账户数", "网银签约数", "信用卡发卡量",
                     "不良贷款率"]
PERFORMANCE_HEADER = ["客户经理编号", "客户经理姓名", "所属机构编号", *INDICATOR_HEADERS]
TARGETS_HEADER = ["客户经理编号", *(h for h in INDICATOR_HEADERS if h != "期末存款余额")]
EVALUATIONS_HEADER = ["客户经理编号", "部门评价得分", "内部管理得分", "客户评价得分", "业务开发得分"]
VIOLATIONS_HEADER = ["客户经理编号", "违规日期", "违规类型", "扣分", "取消评选资格", "说明"]
COUNT_HEADERS = {"代发工资户数", "新开账户数", "网银签约数", "信用卡发卡量"}
AMOUNT_HEADERS = set(INDICATOR_HEADERS) - COUNT_HEADERS - {"不良贷款率"}


# --------------------------------------------------------------------------------
# Reading the files back, the way a tolerant loader would
# --------------------------------------------------------------------------------
def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(decode(path.read_bytes()), newline=""))
    return header, rows


def number(text: str) -> float:
    return float(text.replace(",", "").removesuffix("%"))


def is_number(text: str) -> bool:
    return re.fullmatch(r"-?[\d,]+(\.\d+)?%?", text) is not None


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def period_folders(data: Path) -> list[Path]:
    return sorted(p for p in (data / "periods").iterdir() if p.is_dir())


def find_defects(data: Path) -> set[tuple[str, str, str]]:
    """(period, rule, manager_id) for every defect a loader should report."""
    known_units = {row[0] for row in read_csv(data / "units.csv")[1]}
    found = set()
    for folder in period_folders(data):
        period = folder.name
        header, rows = read_csv(folder / "performance.csv")
        seen_rows, units_of = set(), defaultdict(set)
        for row in rows:
            manager = row[0]
            if tuple(row) in seen_rows:
                found.add((period, "duplicate_row", manager))
            seen_rows.add(tuple(row))
            units_of[manager].add(row[2])
            if row[2] not in known_units:
                found.add((period, "unknown_unit", manager))
            for _name, cell in zip(header[3:], row[3:]):
                if not is_number(cell):
                    found.add((period, "not_a_number", manager))
                elif number(cell) < 0:
                    found.add((period, "negative_value", manager))
        found |= {(period, "manager_in_two_units", m) for m, units in units_of.items()
                  if len(units) > 1}
        with_targets = {row[0] for row in read_csv(folder / "targets.csv")[1]}
        found |= {(period, "missing_target", m) for m in units_of if m not in with_targets}
    return found


def as_found(defects: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(d["period"], d["rule"], d["manager_id"]) for d in defects}


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> Path:
    """The bundled sample regenerated the way the repository's copy was made."""
    root = tmp_path_factory.mktemp("bundled")
    sample.generate(root / "data", config_path=root / "site_config.yml")
    return root


@pytest.fixture(scope="session")
def roster(bundled) -> dict[str, dict[str, str]]:
    header, rows = read_csv(bundled / "data" / "managers.csv")
    return {row[0]: dict(zip(header, row)) for row in rows}


@pytest.fixture(scope="session")
def performance(bundled) -> dict[str, tuple[list[str], list[list[str]]]]:
    return {folder.name: read_csv(folder / "performance.csv")
            for folder in period_folders(bundled / "data")}


# --------------------------------------------------------------------------------
# Determinism and the bundled copy
# --------------------------------------------------------------------------------
def test_same_arguments_give_identical_bytes(tmp_path):
    sample.generate(tmp_path / "a", **SMALL)
    sample.generate(tmp_path / "b", **SMALL)
    sample.generate(tmp_path / "c", **{**SMALL, "seed": 8})
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")


def test_bundled_sample_is_what_the_repository_holds(bundled):
    assert files_of(bundled / "data") == files_of(REPO / "data")
    assert (bundled / "site_config.yml").read_bytes() == (REPO / "site_config.yml").read_bytes()


def test_repository_config_is_the_template_unchanged():
    assert (REPO / "site_config.yml").read_text(encoding="utf-8") == sample.CONFIG_TEMPLATE
    assert sample.render_config("data") == sample.CONFIG_TEMPLATE


@pytest.mark.parametrize("config_at, expected", [
    ("out/site_config.yml", "."),
    ("site_config.yml", "out"),
    ("conf/site_config.yml", "../out"),
])
def test_config_points_at_the_data_relative_to_itself(tmp_path, config_at, expected):
    config_path = tmp_path / config_at
    written = sample.generate(tmp_path / "out", **SMALL,
                              config_path=None if config_at.startswith("out/") else config_path)
    assert written == config_path
    config = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert config["data"]["directory"] == expected
    assert (written.parent / expected / "units.csv").is_file()
    # Only that one line differs from the template, comment kept.
    changed = [line for line in written.read_text(encoding="utf-8").splitlines()
               if line not in sample.CONFIG_TEMPLATE.splitlines()]
    assert changed == [line for line in changed if line.endswith("# relative to this file")]


def test_planted_defects_constant_matches_the_generator():
    assert sample.PLANTED_DEFECTS == sample.planted_defects()


# --------------------------------------------------------------------------------
# The data contract
# --------------------------------------------------------------------------------
def test_headers_are_the_contract(bundled):
    data = bundled / "data"
    assert read_csv(data / "units.csv")[0] == UNITS_HEADER
    assert read_csv(data / "managers.csv")[0] == MANAGERS_HEADER
    for folder in period_folders(data):
        assert read_csv(folder / "performance.csv")[0] == PERFORMANCE_HEADER
        assert read_csv(folder / "targets.csv")[0] == TARGETS_HEADER
        assert read_csv(folder / "evaluations.csv")[0] == EVALUATIONS_HEADER
        assert read_csv(folder / "violations.csv")[0] == VIOLATIONS_HEADER


def test_manager_ids_are_six_digits_with_leading_zeros(roster, performance):
    assert all(re.fullmatch(r"\d{6}", manager_id) for manager_id in roster)
    assert any(manager_id.startswith("0") for manager_id in roster)
    for _, rows in performance.values():
        assert {row[0] for row in rows} <= set(roster)


def test_unit_tree_has_one_root_and_no_orphans(bundled):
    _, rows = read_csv(bundled / "data" / "units.csv")
    level_of = {row[0]: row[3] for row in rows}
    roots = [row for row in rows if row[2] == ""]
    assert len(roots) == 1 and roots[0][3] == "省分行"
    assert len(rows) == sample.DEFAULT_UNITS
    assert len(level_of) == len(rows) and len({row[1] for row in rows}) == len(rows)
    order = ["省分行", "市分行", "支行", "网点"]
    for unit_id, _, parent, level in rows:
        if parent:
            assert parent in level_of, f"orphan {unit_id}"
            assert order.index(level_of[parent]) == order.index(level) - 1
            # Codes nest ("0101" → "010101" → "01010101"); cities share the province's
            # "01" prefix, the province itself being "0100".
            assert unit_id.startswith(parent if level != "市分行" else parent[:2])
    counts = {level: list(level_of.values()).count(level) for level in order}
    assert counts["市分行"] == 4 and counts["支行"] >= 8 and counts["网点"] >= 25


def test_large_networks_scale_the_tree(tmp_path):
    sample.generate(tmp_path, managers=30, units=1500, periods=3, seed=1)
    _, rows = read_csv(tmp_path / "units.csv")
    assert len(rows) == 1500
    assert len({row[0] for row in rows}) == 1500 and len({row[1] for row in rows}) == 1500
    assert 15 <= sum(row[3] == "市分行" for row in rows) <= 30


# --------------------------------------------------------------------------------
# What the bundled sample must show
# --------------------------------------------------------------------------------
def test_window_and_roster_sizes(bundled, roster, performance):
    assert len(performance) >= 24
    assert list(performance)[-1] == "2026-10"
    assert len(roster) >= 200
    names = [record["姓名"] for record in roster.values()]
    assert len(names) - len(set(names)) >= 2  # namesakes, told apart only by ID


def test_rows_follow_hiring_and_leaving(roster, performance):
    months = list(performance)
    present = {month: {row[0] for row in rows} for month, (_, rows) in performance.items()}
    for manager_id, record in roster.items():
        hired, left = record["入职日期"][:7], record["离职日期"][:7] or "9999-99"
        expected = {m for m in months if hired <= m <= left}
        actual = {m for m in months if manager_id in present[m]}
        assert actual == expected, manager_id
        assert (record["状态"] == "离职") == bool(record["离职日期"])
    statuses = [record["状态"] for record in roster.values()]
    assert 1 <= statuses.count("停职") <= 2
    probation = {m for m, r in roster.items() if r["状态"] == "试用"}
    assert probation and all(roster[m]["入职日期"] >= "2026-05-01" for m in probation)


def test_new_hires_leavers_and_transfers_exist(roster, performance):
    window_start = next(iter(performance))
    assert sum(r["入职日期"][:7] >= window_start for r in roster.values()) >= 5
    assert sum(bool(r["离职日期"]) for r in roster.values()) >= 5
    units_over_time = defaultdict(list)
    for _, rows in performance.values():
        for row in rows:
            units_over_time[row[0]].append(row[2])
    movers = [m for m, units in units_over_time.items() if units[0] != units[-1]]
    assert 5 <= len(movers) <= 20  # about 5 % of 200


def test_exactly_the_two_showcase_violations(bundled, roster):
    violations = []
    for folder in period_folders(bundled / "data"):
        for row in read_csv(folder / "violations.csv")[1]:
            assert row[0] in roster and row[1][:7] == folder.name
            violations.append((row[3], row[4]))
    assert sorted(violations) == [("20", "是"), ("5", "否")]


def test_numbers_look_like_a_bank(bundled, roster, performance):
    header, rows = performance["2026-10"]
    column = {name: i for i, name in enumerate(header)}
    deposits = np.array([number(row[column["日均存款余额"]]) for row in rows])
    top_fifth = np.sort(deposits)[::-1][: len(deposits) // 5].sum() / deposits.sum()
    assert 0.7 <= top_fifth <= 0.9  # the 80/20 rule
    by_segment = defaultdict(list)
    for row, amount in zip(rows, deposits):
        by_segment[roster[row[0]]["客户类别"]].append(amount)
    assert np.median(by_segment["公司"]) > 3 * np.median(by_segment["个人"])
    segments = [r["客户类别"] for r in roster.values()]
    assert segments.count("个人") > segments.count("公司") > segments.count("小微") > 0

    loans = np.array([number(row[column["贷款余额"]]) for row in rows])
    npl = np.array([number(row[column["不良贷款率"]]) for row in rows])
    assert ((npl >= 0) & (npl <= 6)).all()
    assert (npl[loans == 0] == 0).all() and (loans == 0).any()
    assert (npl[loans > 0] < 2).mean() > 0.7

    march, april = (sum(number(r[column["期末存款余额"]]) for r in performance[m][1])
                    for m in ("2026-03", "2026-04"))
    assert march > april  # the quarter-end spike


def test_cells_are_well_formed(bundled, performance):
    defect_cells = {(d["period"], d["manager_id"]) for d in sample.PLANTED_DEFECTS}
    for month, (header, rows) in performance.items():
        for row in rows:
            if (month, row[0]) in defect_cells:
                continue
            for name, cell in zip(header[3:], row[3:]):
                if name in COUNT_HEADERS:
                    assert re.fullmatch(r"\d+", cell), (month, name, cell)
                elif name in AMOUNT_HEADERS:
                    assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d|\d+\.\d\d", cell), cell
                else:
                    assert re.fullmatch(r"\d\.\d\d%?", cell), cell
    scores = [number(cell) for folder in period_folders(bundled / "data")
              for row in read_csv(folder / "evaluations.csv")[1] for cell in row[1:]]
    assert 0 <= min(scores) and max(scores) <= 100
    assert np.mean([60 <= s <= 98 for s in scores]) > 0.9


def test_targets_are_near_last_year(bundled, performance):
    header, rows = read_csv(bundled / "data" / "periods" / "2026-10" / "targets.csv")
    column = {name: i for i, name in enumerate(header)}
    target = {row[0]: row for row in rows}
    actual_header, actual_rows = performance["2026-10"]
    ratios = [number(row[actual_header.index("日均存款余额")])
              / number(target[row[0]][column["日均存款余额"]])
              for row in actual_rows if number(target[row[0]][column["日均存款余额"]]) > 0]
    assert 0.85 <= np.median(ratios) <= 1.15
    caps = {number(row[column["不良贷款率"]]) for row in rows}
    assert caps <= {1.5, 2.0, 2.5, 3.0, 3.5} and max(caps) <= 3.5


def test_exports_vary_like_real_ones(bundled):
    seen = defaultdict(int)
    for folder in period_folders(bundled / "data"):
        raw = (folder / "performance.csv").read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            seen["bom"] += 1
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            assert b"\r\n" in raw
            seen["gb18030"] += 1
        text = decode(raw)
        seen["thousands"] += bool(re.search(r'"\d{1,3}(,\d{3})+\.\d\d"', text))
        seen["percent"] += bool(re.search(r",\d\.\d\d%\r?\n", text))
    assert all(seen[kind] >= 2 for kind in ("bom", "gb18030", "thousands", "percent")), seen
    assert seen["bom"] + seen["gb18030"] < len(period_folders(bundled / "data")) / 2


# --------------------------------------------------------------------------------
# Planted defects
# --------------------------------------------------------------------------------
def test_every_planted_defect_is_in_the_files(bundled):
    found = find_defects(bundled / "data")
    assert as_found(sample.PLANTED_DEFECTS) == found
    assert {d["rule"] for d in sample.PLANTED_DEFECTS} == {
        "duplicate_row", "unknown_unit", "missing_target", "negative_value",
        "manager_in_two_units", "not_a_number"}
    periods = {d["period"] for d in sample.PLANTED_DEFECTS}
    assert 2 <= len(periods) <= 4 and "2026-10" not in periods
    readme = (bundled / "data" / "README.md").read_text(encoding="utf-8")
    assert all(d["description"] in readme for d in sample.PLANTED_DEFECTS)


def test_other_arguments_plant_what_they_announce(tmp_path):
    arguments = dict(managers=60, units=12, periods=8, seed=3)
    sample.generate(tmp_path, **arguments)
    assert find_defects(tmp_path) == as_found(sample.planted_defects(**arguments))


def test_clean_writes_no_defects(tmp_path, capsys):
    assert sample.main(["--managers", "60", "--units", "12", "--periods", "8", "--seed", "3",
                        "--out", str(tmp_path), "--clean"]) == 0
    assert find_defects(tmp_path) == set()
    assert "none (--clean)" in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "site_config.yml").is_file()


# --------------------------------------------------------------------------------
# Command line and housekeeping
# --------------------------------------------------------------------------------
@pytest.mark.parametrize("arguments", [
    ["--units", "3"], ["--managers", "5"], ["--end", "2026-13"], ["--periods", "2"],
])
def test_bad_arguments_are_usage_errors(tmp_path, arguments, capsys):
    with pytest.raises(SystemExit) as exit_info:
        sample.main(["--out", str(tmp_path), *arguments])
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_a_shorter_rerun_removes_stale_periods(tmp_path):
    sample.generate(tmp_path, **{**SMALL, "periods": 8})
    (tmp_path / "periods" / "2026-03" / "notes.txt").write_text("mine")
    sample.generate(tmp_path, **SMALL)
    # 2026-04 was ours only and goes; 2026-03 keeps the file someone else put there.
    assert [p.name for p in period_folders(tmp_path)] == [
        "2026-03", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert list((tmp_path / "periods" / "2026-03").iterdir()) == [
        tmp_path / "periods" / "2026-03" / "notes.txt"]
