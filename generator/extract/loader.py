"""From the extracts on disk to a validated Dataset, applying every rule in generator.rules."""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol

import numpy as np
import pandas as pd

from generator.config.loading import LoadedConfig
from generator.errors import ConfigError, DataError, Issue
from generator.extract.cells import parse_dates, parse_numbers

# the shared checks, under the names the roster side has always called them by
from generator.extract.checks import FileCheck
from generator.extract.checks import FirstRowsRefused as FirstRowsRefused  # re-exported: raised by load_dataset
from generator.extract.checks import check_duplicates as _check_duplicates
from generator.extract.checks import check_id_column as _check_id_column
from generator.extract.checks import check_ids as _check_ids
from generator.extract.checks import field_name as _field_name
from generator.extract.checks import long_cells as _long_cells
from generator.extract.checks import parsed_values as _parsed
from generator.extract.checks import read_checked as _read_checked
from generator.extract.checks import read_file as _read
from generator.extract.checks import require_rows as _require_rows
from generator.extract.checks import text_column as _text_column
from generator.extract.containment import outside_links
from generator.extract.dataset import Dataset, InputFile, PeriodReference
from generator.extract.files import ROW_COLUMN, ExtractFile
from generator.extract.identity import IdCells, Spellings, read_ids, spellings_of
from generator.extract.period_reads import load_period
from generator.extract.periods import PeriodFolder, discover_periods
from generator.extract.privacy import mask_name
from generator.extract.references import last_seen, reference_file, require_reference
from generator.extract.roles import period_file_names
from generator.extract.violation_layouts import COLUMNS as VIOLATION_COLUMNS

STATUS_WORDS = {
    "在岗": "active", "在职": "active", "active": "active",
    "试用": "probation", "见习": "probation", "probation": "probation",
    "停职": "suspended", "suspended": "suspended",
    "离职": "left", "退休": "left", "left": "left",
}


ROSTER_TEXT_FIELDS = ("name", "education", "title", "segment", "product_line", "grade", "status")


@dataclass
class RosterRead:
    """The roster as the loader left it, with its file's provenance and issues."""

    managers: pd.DataFrame
    inputs: list[InputFile]
    issues: list[Issue]
    spellings: dict[str, Spellings] = dataclasses.field(default_factory=dict)  # manager_id -> how the roster wrote them


@dataclass
class PeriodRead:
    """A period's tables as the loader left them."""

    tables: dict[str, pd.DataFrame]
    inputs: list[InputFile]
    issues: list[Issue]
    manager_ids: list[str]  # every manager ID its files name, rejected rows included


@dataclass(frozen=True)
class Reference:
    """What every period's files are checked against."""

    units: pd.DataFrame
    units_input: InputFile
    managers: pd.DataFrame
    roster: RosterView
    roster_file: str | None = None  # the period's own roster (reference.managers.per_period), for messages
    # manager_id, unit_id -> how the unit table and the roster wrote them
    ids: dict[str, Spellings] = dataclasses.field(default_factory=dict)


class ExtractReads(Protocol):
    """How the roster and each period are read: FreshReads parses them, a build cache
    (generator.cache.extracts) may return what an earlier build parsed from the same bytes."""

    def roster(self, config: LoadedConfig, file: str | None = None, period: str | None = None) -> RosterRead: ...

    def period(self, config: LoadedConfig, folder: PeriodFolder, reference: Reference) -> PeriodRead: ...


class FreshReads:
    """Every file parsed and checked now. With `stop_early` (unless --force), a file whose first
    PROBE_ROWS rows already reject more than publish.max_reject_rate is not read further."""

    def __init__(self, stop_early: bool = True):
        self.stop_early = stop_early

    def roster(self, config: LoadedConfig, file: str | None = None, period: str | None = None) -> RosterRead:
        inputs: list[InputFile] = []
        issues: list[Issue] = []
        spellings: dict[str, Spellings] = {}
        managers = load_managers(config, inputs, issues, self.stop_early, file, period, spellings)
        return RosterRead(managers, inputs, issues, spellings)

    def period(self, config: LoadedConfig, folder: PeriodFolder, reference: Reference) -> PeriodRead:
        inputs: list[InputFile] = []
        issues: list[Issue] = []
        tables, manager_ids = load_period(config, folder, reference.units, reference.managers, inputs, issues,
                                          self.stop_early, reference.roster_file, reference.ids)
        return PeriodRead(tables, inputs, issues, manager_ids)


def load_dataset(config: LoadedConfig, reads: ExtractReads | None = None) -> Dataset:
    """Read the reference files and every period folder; raise DataError when a file is unusable."""
    reads = reads or FreshReads()
    settings = config.settings
    if not config.data_dir.is_dir():
        raise ConfigError([f"data.directory: the folder {config.data_dir} does not exist. "
                           "Fix: correct data.directory in the config, or pass --data DIR."])
    inputs: list[InputFile] = []
    issues: list[Issue] = []
    once = _OnceReferences(config, reads, inputs, issues)  # before the periods, as a bank's first error
    folders = discover_periods(config)
    # before any cache looks at them: a cached read must not hide a link out of the data folder
    _require_inside(config, [name for folder in folders for name in period_file_names(config, folder)])
    references = _PeriodReferences(config, reads, once, inputs, issues)
    tables: dict[str, list[pd.DataFrame]] = {"performance": [], "targets": [], "evaluations": [], "violations": []}
    for folder in folders:
        read = reads.period(config, folder, references.of(folder))
        inputs += read.inputs
        issues += read.issues
        for name, frame in read.tables.items():
            tables[name].append(frame)
    units, managers = references.last_seen()
    return Dataset(
        config=config,
        periods=[folder.period for folder in folders],
        units=units,
        managers=managers,
        performance=_stack(tables["performance"], ["period", "manager_id", "unit_id"]
                           + [i.id for i in settings.indicators]),
        targets=_stack(tables["targets"], ["period", "manager_id"] + [i.id for i in settings.targeted_indicators]),
        evaluations=_stack(tables["evaluations"], ["period", "manager_id"] + [q.id for q in settings.qualitative]),
        violations=_stack(tables["violations"], ["period", *VIOLATION_COLUMNS]),
        issues=issues,
        inputs=inputs,
        by_period=references.by_period(),
    )


class _OnceReferences:
    """The reference files given once (reference.*.per_period false), read before any period."""

    def __init__(self, config: LoadedConfig, reads: ExtractReads, inputs: list[InputFile], issues: list[Issue]):
        spec = config.settings.reference
        _require_inside(config, [s.file for s in (spec.units, spec.managers) if not s.per_period])
        self.units: tuple[pd.DataFrame, InputFile] | None = None
        self.unit_spellings: dict[str, Spellings] = {}
        self.roster: RosterRead | None = None
        if not spec.units.per_period:
            self.units = load_units(config, inputs, issues=issues, spellings=self.unit_spellings), inputs[-1]
        if not spec.managers.per_period:
            self.roster = reads.roster(config)
            inputs += self.roster.inputs
            issues += self.roster.issues


class _PeriodReferences:
    """Each period's unit table and roster: the one read once, or the period's own file. A file
    that several periods share (a quarterly roster of monthly periods) is read once, its
    provenance and issues under the first period that uses it."""

    def __init__(self, config: LoadedConfig, reads: ExtractReads, once: _OnceReferences,
                 inputs: list[InputFile], issues: list[Issue]):
        self.config, self.reads, self.once = config, reads, once
        self.inputs, self.issues = inputs, issues
        self.units_read: dict[str, tuple[pd.DataFrame, InputFile, dict[str, Spellings]]] = {}
        self.rosters_read: dict[str, RosterRead] = {}
        self.views: dict[str, RosterView] = {}
        self.periods: dict[str, Reference] = {}

    def of(self, folder: PeriodFolder) -> Reference:
        if self.once.units:
            (units, units_input), unit_spellings = self.once.units, self.once.unit_spellings
        else:
            units, units_input, unit_spellings = self._units(folder)
        roster, roster_file = (self.once.roster, None) if self.once.roster else self._roster(folder)
        view_key = roster_file or ""
        if view_key not in self.views:
            self.views[view_key] = RosterView(roster.managers)
        reference = Reference(units, units_input, roster.managers, self.views[view_key], roster_file,
                              {**unit_spellings, **roster.spellings})
        self.periods[folder.period.id] = reference
        return reference

    def _units(self, folder: PeriodFolder) -> tuple[pd.DataFrame, InputFile, dict[str, Spellings]]:
        relative = self._located("units", folder)
        if relative not in self.units_read:
            spellings: dict[str, Spellings] = {}
            units = load_units(self.config, self.inputs, relative, folder.period.id, self.issues, spellings)
            self.units_read[relative] = units, self.inputs[-1], spellings
        return self.units_read[relative]

    def _roster(self, folder: PeriodFolder) -> tuple[RosterRead, str]:
        relative = self._located("managers", folder)
        if relative not in self.rosters_read:
            read = self.reads.roster(self.config, relative, folder.period.id)
            self.inputs += read.inputs
            self.issues += read.issues
            self.rosters_read[relative] = read
        return self.rosters_read[relative], relative

    def _located(self, name: str, folder: PeriodFolder) -> str:
        relative = reference_file(self.config, name, folder)
        _require_inside(self.config, [relative])
        require_reference(self.config, name, relative, folder)
        return relative

    def last_seen(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The unit table and roster for names across periods: the once-read ones, or every unit and
        manager as the last period holding them has them."""
        references = list(self.periods.values())
        if self.once.units:
            units = self.once.units[0]
        else:
            units = last_seen([reference.units.drop(columns=["depth"]) for reference in references])
            units["depth"] = _depths(units["parent_id"])
        managers = (self.once.roster.managers if self.once.roster
                    else last_seen([reference.managers for reference in references]))
        return units, managers

    def by_period(self) -> dict[str, PeriodReference]:
        if self.once.units and self.once.roster:
            return {}
        return {period: PeriodReference(reference.units, reference.managers)
                for period, reference in self.periods.items()}


# --- reference data -------------------------------------------------------------------------

def load_units(config: LoadedConfig, inputs: list[InputFile], file: str | None = None,
               period: str | None = None, issues: list[Issue] | None = None,
               spellings: dict[str, Spellings] | None = None) -> pd.DataFrame:
    """The unit tree (of one period, when given per period). Any rejected row in it is an error:
    every other table hangs off it. Its warnings (a bidi control in a name) go to `issues`; how it
    wrote each unit ID to `spellings`."""
    spec = config.settings.reference.units
    fields = spec.columns.model_dump(exclude_none=True)
    extract = _read(config, file or spec.file, fields, set(fields), spec)
    check = FileCheck(extract, period, id_rules=config.settings.data.ids)
    frame = extract.frame.copy()
    unit_cells = _check_id_column(check, frame, "unit_id", empty_case="unit_table")
    check.reference_ids["parent_id"] = _spellings(check, frame, "unit_id", unit_cells)
    _check_id_column(check, frame, "parent_id", report_empty=False)
    for name in ("name", "level"):
        if name in frame:
            frame[name] = _text_column(check, frame, name)
    _long_cells(check)
    _require_rows(extract, check)
    if spellings is not None:
        spellings["unit_id"] = check.reference_ids["parent_id"]
    if issues is not None:
        issues += [issue for issue in check.issues if issue.severity == "warning"]
    problems = [replace(issue, severity="error").describe() for issue in check.issues if issue.severity != "warning"]
    problems += [f"error: {extract.label}: {count} more problem(s) of rule {rule} not listed."
                 for rule, count in check.tally.unlisted()]
    problems += _tree_problems(frame[frame["unit_id"].ne("") & ~frame[ROW_COLUMN].isin(check.rejected)], extract)
    if problems:
        raise DataError(problems)
    inputs.append(check.provenance())
    units = frame.set_index("unit_id").drop(columns=[ROW_COLUMN])
    units["depth"] = _depths(units["parent_id"])
    return units.sort_index()


def _tree_problems(frame: pd.DataFrame, extract: ExtractFile) -> list[str]:
    label, header = extract.label, extract.headers_used
    problems = []
    repeated = frame[frame["unit_id"].duplicated(keep=False)]
    for unit_id, rows in repeated.groupby("unit_id", sort=True)[ROW_COLUMN]:
        problems.append(f"error: {label}, {_rows_text(rows)}, column {header['unit_id']}: "
                        f"unit {unit_id} is listed {len(rows)} times. Fix: keep one row per unit.")
    known = set(frame["unit_id"])
    for _, unit in frame[frame["parent_id"].ne("") & ~frame["parent_id"].isin(known)].iterrows():
        problems.append(f"error: {label}, row {unit[ROW_COLUMN]}, column {header['parent_id']}: parent unit "
                        f"{unit['parent_id']} of unit {unit['unit_id']} does not exist (orphan unit). "
                        "Fix: add the parent unit or correct the parent ID.")
    roots = frame[frame["parent_id"].eq("")]
    if len(roots) != 1:
        listed = ", ".join(roots["unit_id"]) or "none"
        where = f"{_rows_text(roots[ROW_COLUMN])}, " if len(roots) else ""
        problems.append(f"error: {label}, {where}column {header['parent_id']}: the tree needs exactly one root unit "
                        f"(a unit with no parent); found {len(roots)}: {listed}. Fix: give every unit but "
                        "the head unit its parent.")
    problems += _cycle_problems(frame, label, header["parent_id"])
    return problems


def _rows_text(rows) -> str:
    rows = [str(row) for row in rows]
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(rows)}"


def _cycle_problems(frame: pd.DataFrame, label: str, parent_header: str) -> list[str]:
    parent_of = dict(zip(frame["unit_id"], frame["parent_id"]))
    row_of = dict(zip(frame["unit_id"], frame[ROW_COLUMN]))
    reported, problems = set(), []
    for start in sorted(parent_of):
        path, unit = [], start
        while unit in parent_of and unit not in path and unit not in reported:
            path.append(unit)
            unit = parent_of[unit]
        if unit in path:
            loop = path[path.index(unit):]
            reported.update(loop)
            rows = _rows_text(sorted(row_of[member] for member in loop))
            problems.append(f"error: {label}, {rows}, column {parent_header}: parent links form a cycle "
                            f"{' → '.join(loop + [unit])}. Fix: correct the parent ID of one of these units.")
        reported.update(path)
    return problems


def _depths(parents: pd.Series) -> pd.Series:
    depth: dict[str, int] = {}
    for unit in parents.index:
        chain = [unit]
        while parents[chain[-1]] and chain[-1] not in depth:
            chain.append(parents[chain[-1]])
        base = depth.get(chain[-1], 0)
        for offset, member in enumerate(reversed(chain)):
            depth.setdefault(member, base + offset)
    return pd.Series(depth).reindex(parents.index).astype("int64")


def load_managers(config: LoadedConfig, inputs: list[InputFile], issues: list[Issue],
                  stop_early: bool = True, file: str | None = None, period: str | None = None,
                  spellings: dict[str, Spellings] | None = None) -> pd.DataFrame:
    """The roster's kept rows by manager ID (of one period, when given per period: its issues are
    that period's); how it wrote each ID goes to `spellings`."""
    spec = config.settings.reference.managers
    fields = spec.columns.model_dump(exclude_none=True)
    checks = partial(_roster_checks, unit_required=spec.unit_from == "roster")
    check, frame = _read_checked(config, file or spec.file, fields, set(fields), period, checks, stop_early, spec)
    issues += check.issues
    inputs.append(check.provenance())
    if spellings is not None:
        spellings["manager_id"] = _spellings(check, frame, "manager_id", check.id_cells["manager_id"])
    return check.kept(frame).drop(columns=[ROW_COLUMN]).set_index("manager_id").sort_index()


def _spellings(check: FileCheck, frame: pd.DataFrame, field: str, cells: IdCells) -> Spellings:
    """How a reference file wrote the IDs of its rows that were not rejected."""
    kept = ~frame[ROW_COLUMN].isin(check.rejected) & cells.ids.ne("")
    return spellings_of(cells, frame[ROW_COLUMN], kept, check.extract.label, check.extract.headers_used[field])


def _roster_checks(check: FileCheck, unit_required: bool = False) -> pd.DataFrame:
    extract = check.extract
    masking = check.masking
    if masking:
        extract.masked_headers = {extract.headers_used["name"]}
    _require_rows(extract, check)
    frame = extract.frame.copy()
    _check_ids(check, frame, ["manager_id"] + (["unit_id"] if unit_required else []))
    if "unit_id" in frame and not unit_required:  # compared with the period files' units: the same spelling
        frame["unit_id"] = read_ids(frame["unit_id"], check.id_rules).ids
    _check_duplicates(check, frame, conflict_field=None)
    for name in ROSTER_TEXT_FIELDS:
        if name in frame:
            frame[name] = _text_column(check, frame, name)
    if masking:
        frame["name"] = frame["name"].map(mask_name)
    for field in ("hire_date", "leave_date"):
        if field in frame:
            frame[field] = _parsed(check, frame, field, parse_dates(frame[field]), _field_name(field))
    if "credit_years" in frame:
        frame["credit_years"] = _parsed(check, frame, "credit_years", parse_numbers(frame["credit_years"],
                                        percent_allowed=False), _field_name("credit_years"))
    _check_roster_dates_and_status(check, frame)
    return frame


def _check_roster_dates_and_status(check: FileCheck, frame: pd.DataFrame) -> None:
    if {"hire_date", "leave_date"} <= set(frame):
        backwards = frame.index[frame["leave_date"] < frame["hire_date"]]
        check.report("leave_before_hire", backwards, frame, "leave_date")
    if "status" in frame:
        status = frame["status"].str.lower().map(STATUS_WORDS)
        check.report("unknown_status", frame.index[status.isna() & frame["status"].ne("")], frame, "status")
        frame["status"] = status.fillna(frame["status"])
        if "leave_date" in frame:
            undated = frame.index[frame["status"].eq("left") & frame["leave_date"].isna()]
            check.report("status_without_leave_date", undated, frame, "status")


# --- period files ---------------------------------------------------------------------------


class RosterView:
    """What the period checks read from the roster, hashed per manager once per build: whether
    each ID is in it (a rejected roster row is not) and its hire and leave dates. A cached
    period compares the view of the IDs its files name with the view it was checked against."""

    def __init__(self, managers: pd.DataFrame):
        # the roster's unit too, when it has one: a period's unit may come from it (unit_from: roster)
        self.dated = [column for column in ("hire_date", "leave_date", "unit_id") if column in managers]
        self.hashes = pd.util.hash_pandas_object(managers[self.dated].astype(str), index=True)

    def of(self, manager_ids: list[str]) -> str:
        ids = pd.Index(manager_ids, dtype=object)
        positions = self.hashes.index.get_indexer(ids)
        unlisted = positions < 0
        hashes = np.zeros(len(ids), dtype=np.uint64)
        hashes[~unlisted] = self.hashes.to_numpy()[positions[~unlisted]]
        if unlisted.any():  # an ID the roster lacks (or every roster row was rejected): hashed on its own
            hashes[unlisted] = pd.util.hash_pandas_object(pd.Series("unlisted", index=ids[unlisted]), index=True)
        return hashlib.sha256(hashes.tobytes() + ",".join(self.dated).encode()).hexdigest()


# --- shared checks ------------------------------------------------------------------------


# --- helpers ------------------------------------------------------------------------------






def _require_inside(config: LoadedConfig, relatives: list[str]) -> None:
    problems = [problem for relative in relatives for problem in outside_links(config, relative)]
    if problems:
        raise DataError(list(dict.fromkeys(problems)))  # a linked folder once, not once per file in it


def _with_period(issue: Issue, period: str | None) -> Issue:
    return replace(issue, period=period)


def _stack(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    present = [frame for frame in frames if len(frame)]
    if not present:
        return pd.DataFrame(columns=columns + [ROW_COLUMN])
    stacked = pd.concat(present, ignore_index=True)
    ordered = [c for c in columns if c in stacked] + [ROW_COLUMN]
    return stacked[ordered].sort_values(["period", "manager_id", ROW_COLUMN], kind="stable").reset_index(drop=True)
