"""The reference section of site_config.yml: the unit table and the roster, each given once
(for every period) or per period, and where a manager's unit comes from."""
from __future__ import annotations

import string
from typing import Literal

from pydantic import Field

from generator.config.base import Headers, Strict
from generator.config.spec import ExtractSpec

# the fields a per-period reference file name may hold, by the periods' frequency: a monthly
# period knows its quarter (a quarterly roster for monthly periods), a quarter has no one month
REFERENCE_FIELDS = {"monthly": {"year", "month", "quarter"}, "quarterly": {"year", "quarter"}}

PER_PERIOD_HELP = ("true: one file per period. A `file` without {year}/{month}/{quarter} is read inside each "
                   "period's folder (periods.directory); with them it is a name pattern relative to the data "
                   "folder, e.g. reference/managers_{year}{month:02d}.csv. A period uses the file as it stood "
                   "in that period; a period without its file is an error naming the expected path.")


class UnitColumns(Strict):
    unit_id: Headers
    name: Headers
    parent_id: Headers
    level: Headers | None = None


class ManagerColumns(Strict):
    manager_id: Headers
    name: Headers
    unit_id: Headers | None = Field(None, description="The manager's unit, read when unit_from is roster (and "
                                                      "compared with the performance file's when both are given).")
    hire_date: Headers | None = None
    leave_date: Headers | None = None
    education: Headers | None = None
    title: Headers | None = None
    credit_years: Headers | None = None
    segment: Headers | None = None
    product_line: Headers | None = None
    grade: Headers | None = None
    status: Headers | None = None


class UnitsFile(ExtractSpec):
    per_period: bool = Field(False, description=PER_PERIOD_HELP)
    columns: UnitColumns


class ManagersFile(ExtractSpec):
    per_period: bool = Field(False, description=PER_PERIOD_HELP)
    unit_from: Literal["performance", "roster"] = Field(
        "performance", description="Where a manager's unit in a period comes from: the performance file's unit_id "
                                   "column, or the roster's (columns.unit_id; per period when per_period is true). "
                                   "When both files name a unit and they differ, the row is rejected.")
    columns: ManagerColumns


class ReferenceSection(Strict):
    units: UnitsFile
    managers: ManagersFile


def pattern_fields(file: str) -> set[str]:
    """The {fields} a file name holds (raises ValueError on a broken pattern)."""
    return {name for _, name, _, _ in string.Formatter().parse(file) if name is not None}


def reference_problems(raw: dict) -> list[str]:
    """The reference files against the periods' frequency and the performance file's columns,
    each problem starting with its key path."""
    reference, periods = _mapping(raw.get("reference")), _mapping(raw.get("periods"))
    frequency = periods.get("frequency")
    problems = [problem for name in ("units", "managers")
                for problem in _file_problems(name, _mapping(reference.get(name)), frequency)]
    return problems + _unit_source_problems(_mapping(reference.get("managers")), periods)


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _file_problems(name: str, spec: dict, frequency: object) -> list[str]:
    file, key = spec.get("file"), f"reference.{name}"
    if not isinstance(file, str):
        return []
    try:
        fields = pattern_fields(file)
    except ValueError as exc:
        return [f"{key}.file: {file!r} is not a valid name pattern ({exc}). Fix: write fields as {{year}}, "
                "{month:02d} or {quarter}, and double any literal brace ({{ or }})"]
    if not fields:
        return []
    if not spec.get("per_period"):
        return [f"{key}.file: {file!r} holds the fields {_listed(fields)}, which only a per-period file has. "
                f"Fix: add `per_period: true` under {key}, or name one file without {{…}} fields"]
    allowed = REFERENCE_FIELDS.get(str(frequency), REFERENCE_FIELDS["monthly"])
    problems = []
    if fields - allowed:
        problems.append(f"{key}.file: {file!r} uses {_listed(fields - allowed)}, which a {frequency} period does "
                        f"not have. Fix: use only {_listed(allowed)}")
    if "year" not in fields:
        problems.append(f"{key}.file: {file!r} has no {{year}}, so every year's periods would read the same file. "
                        "Fix: add {year} to the name (e.g. managers_{year}{month:02d}.csv)")
    return problems


def _unit_source_problems(managers: dict, periods: dict) -> list[str]:
    roster_columns = _mapping(managers.get("columns"))
    files = _mapping(periods.get("files"))
    performance_columns = _mapping(_mapping(files.get("performance")).get("columns"))
    if managers.get("unit_from") == "roster":
        if roster_columns.get("unit_id") is None:
            return ["reference.managers.columns.unit_id: unit_from is roster, but the roster has no unit column. "
                    "Fix: name the roster's unit header (e.g. unit_id: [所属机构编号]), or set "
                    "reference.managers.unit_from: performance"]
        return []
    if files and performance_columns and performance_columns.get("unit_id") is None:
        return ["periods.files.performance.columns.unit_id: the manager's unit comes from the performance file "
                "(reference.managers.unit_from is performance), but no unit column is named. Fix: name its "
                "header (e.g. unit_id: [所属机构编号]), or set reference.managers.unit_from: roster with "
                "reference.managers.columns.unit_id"]
    return []


def _listed(fields: set[str]) -> str:
    return ", ".join("{" + field + "}" for field in sorted(fields))
