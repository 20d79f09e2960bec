"""The bank written out as a data warehouse would hand it over: CSVs with the export
noise of real extracts, the README next to the data and the site config; `generate()`
and the command line (`python -m samplebank`)."""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from samplebank.bank import (
    DEFAULT_END,
    DEFAULT_MANAGERS,
    DEFAULT_PERIODS,
    DEFAULT_SEED,
    DEFAULT_UNITS,
    EDUCATIONS,
    GRADES,
    HISTORY_MONTHS,
    PRODUCT_LINES,
    SEGMENTS,
    STATUSES,
    STREAM_EXPORT,
    STREAM_PERFORMANCE,
    STREAM_SCORES,
    STREAM_TARGETS,
    TITLES,
    UNIT_LEVELS,
    Bank,
    Books,
    Defect,
    Roster,
    UnitTree,
    _build_bank,
    _defect_records,
    _draw_scores,
    _period_names,
    _rng,
    _simulate_books,
)
from samplebank.contract import Contract, Indicator, render_config

CONFIG_FILE_NAME = "site_config.yml"

# Export noise, by period. Each pattern repeats so every variant shows up in any
# window of a year or more; the seed shifts the phase.
ENCODING_CYCLE = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030")
THOUSANDS_CYCLE = 6   # one period in six writes amounts as "12,345.67"
PERCENT_CYCLE = 4     # one period in four writes the NPL ratio as "1.25%"


# =================================================================================
# Writing
# =================================================================================
@dataclass(frozen=True)
class ExportStyle:
    encoding: str          # utf-8 | utf-8-sig | gb18030
    thousands: bool        # amounts as "12,345.67"
    percent: bool          # NPL ratio as "1.25%"

    @property
    def line_end(self) -> str:
        return "\r\n" if self.encoding == "gb18030" else "\n"  # the Windows export tool


def _export_styles(periods: int, rng: np.random.Generator) -> list[ExportStyle]:
    phases = rng.integers(0, 60, 3)
    return [ExportStyle(encoding=ENCODING_CYCLE[(p + phases[0]) % len(ENCODING_CYCLE)],
                        thousands=(p + phases[1]) % THOUSANDS_CYCLE == 0,
                        percent=(p + phases[2]) % PERCENT_CYCLE == 0)
            for p in range(periods)]


def _write_csv(path: Path, header: Sequence[str], rows, style: ExportStyle | None = None) -> None:
    style = style or ExportStyle("utf-8", False, False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=style.line_end, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(style.encoding))


def _format_decimal(values: np.ndarray, decimals: int, thousands: bool = False,
                    suffix: str = "") -> list[str]:
    spec = f"{',' if thousands else ''}.{decimals}f"
    # float64 first: float32 values print with their binary tail otherwise ("5.670000076");
    # adding 0.0 turns -0.0 into 0.0, so nothing prints as "-0.00".
    plain = values.astype(np.float64) + 0.0
    return [format(value, spec) + suffix for value in plain.tolist()]


def _format_whole(values: np.ndarray) -> list[str]:
    return np.rint(values).astype(np.int64).astype(str).tolist()


def _format_indicator(indicator: Indicator, values: np.ndarray, style: ExportStyle) -> list[str]:
    if indicator.kind == "count":
        return _format_whole(np.maximum(values, 0))
    if indicator.kind == "ratio":
        return _format_decimal(values, 2, suffix="%" if style.percent else "")
    return _format_decimal(values, 2, thousands=style.thousands)


def _write_units(path: Path, contract: Contract, units: UnitTree) -> None:
    levels = [UNIT_LEVELS[level] for level in units.levels.tolist()]
    _write_csv(path, contract.units_header,
               zip(units.ids, units.names, units.parent_ids, levels))


def _write_managers(path: Path, contract: Contract, roster: Roster) -> None:
    hired = np.datetime_as_string(roster.hire_days, unit="D").tolist()
    left = ["" if np.isnat(day) else str(day) for day in roster.leave_days]
    columns = [roster.ids.tolist(), roster.names.tolist(),
               [("男", "女")[g] for g in roster.genders.tolist()], roster.id_cards, roster.phones,
               hired, left, _labels(EDUCATIONS, roster.education), _labels(TITLES, roster.titles),
               roster.credit_years.astype(str).tolist(), _labels(SEGMENTS, roster.segments),
               _labels(PRODUCT_LINES, roster.product_lines), _labels(GRADES, roster.grades),
               _labels(STATUSES, roster.statuses)]
    _write_csv(path, contract.managers_header, zip(*columns))


def _labels(names: Sequence[str], codes: np.ndarray) -> list[str]:
    return [names[code] for code in codes.tolist()]


def _write_period(folder: Path, bank: Bank, books: Books, scores: list[np.ndarray], period: int,
                  style: ExportStyle) -> None:
    contract, roster = bank.contract, bank.roster
    staff = np.flatnonzero(bank.employed[:, HISTORY_MONTHS + period])
    ids = roster.ids[staff].tolist()
    unit_ids = [bank.units.ids[u] for u in bank.placement.unit_at(period)[staff].tolist()]
    performance = list(zip(ids, roster.names[staff].tolist(), unit_ids, *(
        _format_indicator(indicator, books.actual[indicator.id][staff, period], style)
        for indicator in contract.indicators)))
    targets = list(zip(ids, *(
        _format_indicator(indicator, books.targets[indicator.id][staff, period], style)
        for indicator in contract.indicators if indicator.target)))
    evaluations = list(zip(ids, *(_format_decimal(score[staff, period], 1) for score in scores)))
    for defect in bank.defects:
        if defect.period == period:
            _plant(defect, roster.ids[defect.manager], contract, performance, targets)
    month = _period_names(bank.calendar)[period]
    violations = [(roster.ids[v.manager], f"{month}-{v.day:02d}",
                   v.type, str(v.penalty), v.disqualifies, v.note)
                  for v in bank.violations if v.period == period]
    folder.mkdir(parents=True, exist_ok=True)
    _write_csv(folder / contract.performance_file, contract.performance_header, performance, style)
    _write_csv(folder / contract.targets_file, contract.targets_header, targets, style)
    _write_csv(folder / contract.evaluations_file, contract.evaluations_header, evaluations, style)
    _write_csv(folder / contract.violations_file, contract.violations_header, violations, style)


def _plant(defect: Defect, manager_id: str, contract: Contract, performance: list[tuple],
           targets: list[tuple]) -> None:
    """Spoil the formatted rows the way a faulty export would."""
    row_at = next(i for i, row in enumerate(performance) if row[0] == manager_id)
    row = list(performance[row_at])
    column = (contract.performance_header.index(defect.column) if defect.column else None)
    if defect.rule == "duplicate_row":
        performance.append(performance[row_at])  # a re-sent batch appended at the end
    elif defect.rule == "unknown_unit" or defect.rule == "not_a_number":
        row[column] = defect.value
        performance[row_at] = tuple(row)
    elif defect.rule == "negative_value":
        row[column] = defect.value + row[column]
        performance[row_at] = tuple(row)
    elif defect.rule == "manager_in_two_units":
        row[column] = defect.value
        performance.insert(row_at + 1, tuple(row))  # a bad join with an old unit table
    elif defect.rule == "missing_target":
        targets[:] = [target for target in targets if target[0] != manager_id]


def _write_readme(path: Path, bank: Bank, styles: list[ExportStyle], command: str) -> None:
    roster, calendar = bank.roster, bank.calendar
    names = _period_names(calendar)
    hires = int((roster.hire_days >= calendar.window_start.astype("datetime64[D]")).sum())
    leavers = int((~np.isnat(roster.leave_days)).sum())

    def periods_where(test) -> str:
        chosen = [name for name, style in zip(names, styles) if test(style)]
        return ", ".join(chosen) if chosen else "—"

    lines = [
        "# 样例数据 / Sample data",
        "",
        (f"虚构银行「{bank.contract.bank_name}」的客户经理考核数据，由 `samplebank/` 生成，"
         "用于演示和测试站点；所有人名、机构、身份证号和手机号均为虚构。"),
        ("A fictional bank's customer-manager assessment data, generated by "
         "`samplebank/` to demonstrate and test the site; every name, unit, ID-card "
         "and phone number is made up."),
        "",
        "重新生成（在 site_config.yml 所在目录运行）/ Regenerate (run where site_config.yml is):",
        "",
        f"    {command}",
        "",
        f"- 机构 / units: {len(bank.units.ids)}",
        (f"- 客户经理 / managers: {len(roster)}（期内新入职 / hired in the window: {hires}；"
         f"离职 / left: {leavers}；调动 / transferred: {len(bank.placement.movers)}）"),
        f"- 期间 / periods: {names[0]} … {names[-1]}（{len(names)} 个月 / months）",
        f"- 违规记录 / violations: {len(bank.violations)}",
        ("- `managers.csv` 中的性别、身份证号、手机号是隐私字段，站点不得发布 / "
         "gender, ID-card and phone numbers in `managers.csv` are private: the site must never "
         "publish them."),
        "",
        "## 导出格式差异 / Export noise",
        "",
        f"- UTF-8 带 BOM / with BOM: {periods_where(lambda s: s.encoding == 'utf-8-sig')}",
        f"- GB18030 + CRLF: {periods_where(lambda s: s.encoding == 'gb18030')}",
        f"- 金额带千分位 / thousands separators: {periods_where(lambda s: s.thousands)}",
        f"- 不良贷款率带百分号 / NPL ratio as \"1.25%\": {periods_where(lambda s: s.percent)}",
        "",
        "## 预置数据缺陷 / Planted defects",
        "",
    ]
    records = _defect_records(bank.defects, roster, calendar)
    if records:
        lines += ["| 期间 period | 文件 file | 客户经理 manager | 规则 rule | 说明 description |",
                  "|---|---|---|---|---|"]
        lines += [f"| {r['period']} | {r['file']} | {r['manager_id']} | `{r['rule']}` | "
                  f"{r['description']} |" for r in records]
    else:
        lines.append("无（--clean）/ none (--clean).")
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def _remove_stale_periods(out_dir: Path, contract: Contract, keep: set[Path]) -> None:
    """Drop period folders of an earlier, longer run so the directory holds one sample.
    Only our own files are deleted; a folder with anything else in it stays."""
    parent = (out_dir / contract.period_directory.format(year=2000, month=1)).parent
    if not parent.is_dir():
        return
    ours = {contract.performance_file, contract.targets_file, contract.evaluations_file,
            contract.violations_file}
    for folder in sorted(parent.iterdir()):
        if folder.is_dir() and folder.resolve() not in keep and re.fullmatch(
                r"\d{4}-\d{2}", folder.name):
            for name in ours:
                (folder / name).unlink(missing_ok=True)
            if not any(folder.iterdir()):
                folder.rmdir()


def _command_line(managers: int, units: int, periods: int, seed: int, end: str,
                  data_directory: str, config_name: str, defects: bool) -> str:
    return (f"python -m samplebank --managers {managers} --units {units} "
            f"--periods {periods} --seed {seed} --end {end} --out {data_directory} "
            f"--config {config_name}" + ("" if defects else " --clean"))


def generate(out_dir, *, managers: int = DEFAULT_MANAGERS, units: int = DEFAULT_UNITS,
             periods: int = DEFAULT_PERIODS, seed: int = DEFAULT_SEED, end: str = DEFAULT_END,
             config_path=None, defects: bool = True) -> Path:
    """Write the sample bank into `out_dir` and its site config (default
    `out_dir/site_config.yml`); return the config path."""
    bank = _build_bank(managers, units, periods, seed, end, defects)
    out_dir = Path(out_dir)
    config_path = Path(config_path) if config_path is not None else out_dir / CONFIG_FILE_NAME
    out_dir.mkdir(parents=True, exist_ok=True)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    data_directory = Path(os.path.relpath(out_dir.resolve(),
                                          config_path.parent.resolve())).as_posix()
    contract, calendar = bank.contract, bank.calendar

    books = _simulate_books(bank.roster, bank.placement, bank.violations, calendar, contract,
                            _rng(seed, STREAM_PERFORMANCE), _rng(seed, STREAM_TARGETS))
    scores = _draw_scores(bank.roster, periods, bank.violations, _rng(seed, STREAM_SCORES),
                          len(contract.qualitative_ids))
    styles = _export_styles(periods, _rng(seed, STREAM_EXPORT))

    _write_units(out_dir / contract.units_file, contract, bank.units)
    _write_managers(out_dir / contract.managers_file, contract, bank.roster)
    folders = []
    for period, (year, month) in enumerate(calendar.period_labels()):
        folder = out_dir / contract.period_directory.format(year=year, month=month)
        _write_period(folder, bank, books, scores, period, styles[period])
        folders.append(folder.resolve())
    _remove_stale_periods(out_dir, contract, set(folders))
    command = _command_line(managers, units, periods, seed, end, data_directory,
                            config_path.name, defects)
    _write_readme(out_dir / "README.md", bank, styles, command)
    config_path.write_bytes(render_config(data_directory).encode("utf-8"))
    return config_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m samplebank",
        description="Write a seeded, realistic sample bank (units, managers, monthly "
                    "extracts) and the site_config.yml that reads it.")
    parser.add_argument("--managers", type=int, default=DEFAULT_MANAGERS)
    parser.add_argument("--units", type=int, default=DEFAULT_UNITS)
    parser.add_argument("--periods", type=int, default=DEFAULT_PERIODS,
                        help="monthly periods ending at --end")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--end", default=DEFAULT_END, help="last period, YYYY-MM")
    parser.add_argument("--out", type=Path, required=True, help="data directory to write")
    parser.add_argument("--config", type=Path, default=None,
                        help="config file to write (default: OUT/site_config.yml)")
    parser.add_argument("--clean", action="store_true", help="plant no data defects")
    args = parser.parse_args(argv)
    try:
        config = generate(args.out, managers=args.managers, units=args.units,
                          periods=args.periods, seed=args.seed, end=args.end,
                          config_path=args.config, defects=not args.clean)
    except ValueError as error:
        parser.error(str(error))
    print(f"sample bank written to {args.out} (config: {config})")
    return 0
