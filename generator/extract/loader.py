"""From the extracts on disk to a validated Dataset, applying every rule in generator.rules."""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol, cast

import numpy as np
import pandas as pd

from generator.config.assessment import TARGET_METHODS
from generator.config.base import Bilingual
from generator.config.ids import IdRules
from generator.config.loading import LoadedConfig
from generator.config.site import ExtractSpec, Indicator, Qualitative, SiteConfig
from generator.errors import EXIT_PUBLISH_REFUSED, ConfigError, DataError, Issue
from generator.extract.cells import normalize_text, parse_dates, parse_flags, parse_numbers
from generator.extract.containment import outside_links, require_inside
from generator.extract.dataset import Dataset, InputFile, PeriodReference
from generator.extract.files import ROW_COLUMN, ExtractFile, Source, inspect_extract, read_extract
from generator.extract.identity import IdCells, Spellings, look_alikes, read_ids, spellings_of
from generator.extract.periods import PeriodFolder, discover_periods, period_file
from generator.extract.privacy import mask_name
from generator.extract.references import last_seen, reference_file, require_reference, roster_units
from generator.extract.rules import RULES, make_issue, message
from generator.i18n import LANGUAGES, Language, in_each_language
from generator.text import BIDI, EXCEL_CELL_LIMIT, excel_length, has_bidi, mark, shown

STATUS_WORDS = {
    "在岗": "active", "在职": "active", "active": "active",
    "试用": "probation", "见习": "probation", "probation": "probation",
    "停职": "suspended", "suspended": "suspended",
    "离职": "left", "退休": "left", "left": "left",
}
PROBE_ROWS = 1000  # the first rows of a file that judge it before it is read whole (see _read_checked)
SHOWN_FIRST_REJECTS = 5  # of them, the problems the refusal lists
ROSTER_TEXT_FIELDS = ("name", "education", "title", "segment", "product_line", "grade", "status")


class FirstRowsRefused(DataError):
    """A file's first rows already reject more than the guard allows: it was not read further,
    and the build stops as a refusing guard does (exit 4)."""

    exit_code = EXIT_PUBLISH_REFUSED


class FileCheck:
    """The issues of one extract and the rows they reject."""

    def __init__(self, extract: ExtractFile, period: str | None, masking: bool = False,
                 id_rules: IdRules | None = None):
        self.extract = extract
        self.id_rules = id_rules or IdRules()  # data.ids
        self.reference_ids: dict[str, Spellings] = {}  # field -> how the reference files wrote its IDs
        self.id_cells: dict[str, IdCells] = {}  # field -> its ID cells as read
        self.period = period
        self.masking = masking  # names are published masked (privacy.mask_names)
        self.tally = extract.tally
        self.tally.in_period(period)
        self.rejected: set[int] = set(extract.malformed_rows)
        self.ids_read: set[str] = set()  # every manager ID in the file, rejected rows included
        self.roster: str | None = None  # the per-period roster its managers are checked against (None: the one roster)

    @property
    def issues(self) -> list[Issue]:
        """The issues listed (the first LISTED_PER_RULE of each rule; the tally counts the rest)."""
        return self.tally.listed

    def report(self, rule: str, rows: pd.Index, frame: pd.DataFrame, field: str | None, /,
               case: str | None = None, cell_values: pd.Series | None = None, **values: object) -> None:
        """One issue of `rule` per row label in `rows`, in the cell of `field`; its message is the
        rule's (or the rule's `case`), filled with `values`. Rejecting rules quarantine the row.
        The first four are positional only, so that a message may take a value named like them.
        The value quoted is the cell's (or `cell_values`'), invisible characters shown as [U+XXXX]."""
        rejecting = RULES[rule].severity == "reject"
        said = message(rule, case, **values)
        column = self.extract.column_label(field) if field else None

        def issue(row: int, label) -> Issue:
            cell = cell_values[label] if cell_values is not None else frame.at[label, field] if field else None
            return make_issue(rule, self.extract.label, said, row=row, period=self.period, column=column,
                              value=shown(str(cell)) if field else None,
                              manager_id=_manager_of(frame, label),
                              raw=self.extract.published_record(row) if rejecting else ())

        for label in rows:
            row = int(cast(int, frame.at[label, ROW_COLUMN]))
            self.tally.add(rule, partial(issue, row, label), _manager_of(frame, label))
            if rejecting:
                self.rejected.add(row)

    def kept(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~frame[ROW_COLUMN].isin(self.rejected)]

    def reject_share(self) -> float:
        rows = self.extract.rows_read
        return len(self.rejected) / rows if rows else 0.0

    def provenance(self) -> InputFile:
        extract = self.extract
        return InputFile(extract.label, extract.sha256, extract.encoding, extract.rows_read, self.period,
                         rejected=len(self.rejected), unlisted=self.tally.unlisted(),
                         unlisted_managers=tuple(sorted(self.tally.unlisted_managers)))


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
    _require_inside(config, [_relative(config, folder, file) for folder in folders
                             for file in _period_files(config)])
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
        violations=_stack(tables["violations"], ["period", "manager_id", "date", "type", "penalty",
                                                 "disqualify", "description"]),
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


def _require_rows(extract: ExtractFile, check: FileCheck) -> None:
    """Units, roster and performance files without a single usable row are file errors,
    not thousands of row rejects: the header does not fit the rows, or the export is empty."""
    if extract.rows_read == 0:
        raise DataError([f"error: {extract.label}: the file has a header but no data rows. "
                         "Fix: re-export the file with its data."])
    widths = set(check.tally.counts)
    if len(extract.frame) == 0 and widths == {"wrong_field_count"}:
        raise DataError([f"error: {extract.label}, row 1: the header has {len(extract.header)} columns but no "
                         "row has that many fields. Fix: re-export the file; check the header and the delimiter."])


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


def load_period(config: LoadedConfig, folder: PeriodFolder, units: pd.DataFrame, managers: pd.DataFrame,
                inputs: list[InputFile], issues: list[Issue], stop_early: bool = True,
                roster_file: str | None = None, reference_ids: dict[str, Spellings] | None = None
                ) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The period's tables, and every manager ID its files name (for the cache's roster check).
    `roster_file`: the period's own roster, named by its unknown_manager messages; `reference_ids`:
    how the unit table and the roster wrote their IDs (look-alikes are rejected)."""
    settings = config.settings
    files = settings.periods.files
    period = folder.period.id
    checks: dict[str, FileCheck] = {}
    tables: dict[str, pd.DataFrame] = {}

    def read(name: str, spec, extra_fields: dict[str, list[str]], required: Iterable[str],
             checked: Callable[[FileCheck], pd.DataFrame]) -> None:
        fields = {**spec.columns.model_dump(exclude_none=True), **extra_fields}
        checks[name], tables[name] = _read_checked(config, _relative(config, folder, spec.file), fields,
                                                   set(required) | set(spec.columns.model_fields_set), period,
                                                   _against(roster_file, checked, reference_ids or {}),
                                                   stop_early, spec)

    indicator_fields = {i.id: i.column for i in settings.indicators}

    def performance(check: FileCheck) -> pd.DataFrame:
        _require_rows(check.extract, check)
        return _performance(check, settings.indicators, units, managers, settings.reference.managers.unit_from,
                            roster_file or settings.reference.managers.file)

    read("performance", files.performance, indicator_fields, indicator_fields, performance)
    if files.targets:
        targeted = settings.targeted_indicators
        fields = {i.id: i.column for i in targeted}
        read("targets", files.targets, fields, fields, lambda check: _targets(check, targeted, managers))
    if files.evaluations:
        fields = {q.id: q.column for q in settings.qualitative}
        read("evaluations", files.evaluations, fields, fields,
             lambda check: _evaluations(check, settings.qualitative, managers))
    if files.violations:
        read("violations", files.violations, {}, (), lambda check: _violations(check, folder, managers))
    if "targets" in tables:
        tables["targets"] = _implausible_completions(checks["targets"], tables, settings)
    _cross_file_warnings(checks, tables, folder, managers)
    for check in checks.values():
        issues += check.issues
        inputs.append(check.provenance())
    manager_ids = sorted(set().union(*(check.ids_read for check in checks.values())))
    return {name: frame.assign(period=period) for name, frame in tables.items()}, manager_ids


def _against(roster_file: str | None, checked: Callable[[FileCheck], pd.DataFrame],
             reference_ids: dict[str, Spellings]) -> Callable[[FileCheck], pd.DataFrame]:
    """`checked`, on a check that knows the per-period roster its managers are looked up in and
    how the reference files wrote their IDs."""
    def compared(check: FileCheck) -> pd.DataFrame:
        check.roster = roster_file
        check.reference_ids = reference_ids
        return checked(check)
    return compared


def _performance(check: FileCheck, indicators: list[Indicator], units: pd.DataFrame,
                 managers: pd.DataFrame, unit_from: str = "performance", roster: str = "") -> pd.DataFrame:
    frame = _keyed_frame(check, managers, units, unit_from=unit_from, roster=roster)
    for indicator in indicators:
        frame[indicator.id] = _indicator_values(check, frame, indicator, "missing_value")
    return check.kept(frame)


def _targets(check: FileCheck, indicators: list[Indicator], managers: pd.DataFrame) -> pd.DataFrame:
    frame = _keyed_frame(check, managers)
    for indicator in indicators:
        frame[indicator.id] = _indicator_values(check, frame, indicator, "missing_target")
    return check.kept(frame)


def _evaluations(check: FileCheck, scores: list[Qualitative], managers: pd.DataFrame) -> pd.DataFrame:
    frame = _keyed_frame(check, managers)
    for score in scores:
        what = _label(score.label)
        values = _parsed(check, frame, score.id, parse_numbers(frame[score.id], percent_allowed=False), what)
        outside = frame.index[values.lt(0) | values.gt(score.max)]
        check.report("out_of_range", outside, frame, score.id, case="score", what=what, max=score.max)
        check.report("missing_evaluation", frame.index[values.isna() & normalize_text(frame[score.id]).eq("")],
                     frame, score.id, what=what)
        frame[score.id] = values
    return check.kept(frame)


def _violations(check: FileCheck, folder: PeriodFolder, managers: pd.DataFrame) -> pd.DataFrame:
    frame = _keyed_frame(check, managers, exact_only=True)
    for name in ("type", "description"):
        frame[name] = _text_column(check, frame, name) if name in frame else ""
    frame["penalty"] = _penalties(check, frame)
    frame["disqualify"] = (_parsed(check, frame, "disqualify", parse_flags(frame["disqualify"]),
                                   _field_name("disqualify"))
                           if "disqualify" in frame else False)
    frame["date"] = _violation_dates(check, frame, folder)
    return check.kept(frame)


def _penalties(check: FileCheck, frame: pd.DataFrame) -> pd.Series:
    if "penalty" not in frame:
        return pd.Series(0.0, index=frame.index)
    values = _parsed(check, frame, "penalty", parse_numbers(frame["penalty"], percent_allowed=False),
                     _field_name("penalty"))
    check.report("negative_value", frame.index[values.lt(0)], frame, "penalty", case="penalty")
    return values.fillna(0.0)


def _violation_dates(check: FileCheck, frame: pd.DataFrame, folder: PeriodFolder) -> pd.Series:
    if "date" not in frame:
        return pd.Series(pd.NaT, index=frame.index)
    dates = _parsed(check, frame, "date", parse_dates(frame["date"]), _field_name("violation_date"))
    start, end = pd.Timestamp(folder.period.start), pd.Timestamp(folder.period.end)
    check.report("date_outside_period", frame.index[dates.notna() & ((dates < start) | (dates > end))], frame,
                 "date", period=folder.period.id)
    return dates


# --- shared checks ------------------------------------------------------------------------

def _keyed_frame(check: FileCheck, managers: pd.DataFrame, units: pd.DataFrame | None = None,
                 exact_only: bool = False, unit_from: str = "performance", roster: str = "") -> pd.DataFrame:
    """The file's rows keyed by manager (and unit, for performance), with the ID,
    duplicate and reference checks every period file gets. The unit comes from the file, or
    from the roster (reference.managers.unit_from), compared with the file's when both have one."""
    frame = check.extract.frame.copy()
    own_unit = units is not None and "unit_id" in check.extract.headers_used
    _check_ids(check, frame, ["manager_id"] + (["unit_id"] if own_unit else []))
    if units is not None and "unit_id" in managers:
        roster_units(check, frame, managers, unit_from == "roster", roster)
    _check_duplicates(check, frame, conflict_field="unit_id" if units is not None else None, exact_only=exact_only)
    _check_known(check, frame, managers, units)
    return frame


def _check_ids(check: FileCheck, frame: pd.DataFrame, fields: list[str]) -> None:
    for name in fields:
        _check_id_column(check, frame, name)
    if "manager_id" in fields:
        check.ids_read = set(frame["manager_id"])


def _check_id_column(check: FileCheck, frame: pd.DataFrame, name: str, empty_case: str | None = None,
                     report_empty: bool = True) -> IdCells:
    """The column made its published IDs (data.ids); empty IDs, IDs with invisible characters and
    look-alikes of another row's ID rejected (see generator.extract.identity)."""
    cells = read_ids(frame[name], check.id_rules)
    frame[name] = cells.ids
    check.id_cells[name] = cells
    if report_empty:
        check.report("empty_id", frame.index[cells.ids.eq("") & cells.invisible.eq("")], frame, name,
                     case=empty_case, cell_values=cells.written)
    label, column = check.extract.label, check.extract.headers_used[name]
    for found in look_alikes(cells, frame[ROW_COLUMN], label, column, check.reference_ids.get(name)):
        case = "other" if found.other else "empty" if not cells.ids[found.label] else None
        check.report(found.rule, pd.Index([found.label]), frame, name, case=case,
                     cell_values=cells.written, id=cells.written[found.label], other=found.other,
                     characters=cells.invisible[found.label], published=cells.ids[found.label])
    return cells


def _text_column(check: FileCheck, frame: pd.DataFrame, name: str) -> pd.Series:
    """A text field normalized; bidi controls (which would reorder the page around the text) are
    removed, each cell that held one a warning quoting it with them shown."""
    text = normalize_text(frame[name])
    reordering = text.map(has_bidi).astype(bool)
    if reordering.any():
        found = text[reordering].map(lambda cell: " ".join(dict.fromkeys(mark(c) for c in BIDI.findall(cell))))
        for characters, cells in found.groupby(found, sort=True):
            check.report("bidi_control", cells.index, frame, name, what=_field_label(check, name),
                         characters=characters)
        text = text.where(~reordering, text[reordering].str.replace(BIDI, "", regex=True))
    return text


def _long_cells(check: FileCheck) -> None:
    """Cells longer than Excel holds: kept whole for the pages, cut (with a mark) in every download."""
    frame = check.extract.frame
    for name in check.extract.headers_used:
        if name not in frame:
            continue
        cells = frame[name]
        long = cells.str.len().gt(EXCEL_CELL_LIMIT // 2)  # the exact (UTF-16) length only for these
        if long.any():
            for label in cells.index[long]:
                if excel_length(cells[label]) > EXCEL_CELL_LIMIT:
                    check.report("cell_too_long", pd.Index([label]), frame, name, limit=f"{EXCEL_CELL_LIMIT:,}",
                                 length=f"{excel_length(cells[label]):,}")


def _check_duplicates(check: FileCheck, frame: pd.DataFrame, conflict_field: str | None,
                      exact_only: bool = False) -> None:
    """Exact copies lose to their first row; differing rows of one manager are all rejected."""
    records = pd.Series(["\x1f".join(check.extract.raw_record(row)) for row in frame[ROW_COLUMN]], index=frame.index)
    copies = frame.index[records.duplicated()]
    first_row = frame[ROW_COLUMN].groupby(records).transform("first")
    for label in copies:
        check.report("duplicate_row", pd.Index([label]), frame, None, first_row=first_row[label])
    if exact_only:
        return
    distinct = frame.drop(index=copies)
    # rows already rejected (an empty ID, an ID that is a look-alike) are no one's second row
    distinct = distinct[distinct["manager_id"].ne("") & ~distinct[ROW_COLUMN].isin(check.rejected)]
    if conflict_field:
        distinct = distinct[distinct[conflict_field].ne("")]  # already rejected as empty_id
    repeated = distinct[distinct["manager_id"].duplicated(keep=False)]
    for manager_id, rows in repeated.groupby("manager_id", sort=True):
        row_numbers = _listed(str(row) for row in rows[ROW_COLUMN])
        if conflict_field and rows[conflict_field].nunique() > 1:
            check.report("manager_in_two_units", rows.index, frame, conflict_field, manager=manager_id,
                         units=_listed(sorted(set(rows[conflict_field]))), rows=row_numbers)
        else:
            check.report("conflicting_rows", rows.index, frame, "manager_id", manager=manager_id,
                         count=len(rows), rows=row_numbers)


def _check_known(check: FileCheck, frame: pd.DataFrame, managers: pd.DataFrame, units: pd.DataFrame | None) -> None:
    open_rows = ~frame[ROW_COLUMN].isin(check.rejected)  # a look-alike ID is rejected as such, not again
    unknown = open_rows & frame["manager_id"].ne("") & ~frame["manager_id"].isin(managers.index)
    if check.roster:
        check.report("unknown_manager", frame.index[unknown], frame, "manager_id", case="per_period",
                     roster=check.roster)
    else:
        check.report("unknown_manager", frame.index[unknown], frame, "manager_id")
    if units is not None:
        unknown_unit = open_rows & frame["unit_id"].ne("") & ~frame["unit_id"].isin(units.index)
        check.report("unknown_unit", frame.index[unknown_unit], frame, "unit_id")


def _indicator_values(check: FileCheck, frame: pd.DataFrame, indicator: Indicator, missing_rule: str) -> pd.Series:
    what = _label(indicator.label)
    values = _parsed(check, frame, indicator.id,
                     parse_numbers(frame[indicator.id], percent_allowed=indicator.kind == "ratio"),
                     what)
    if indicator.kind != "flow":
        check.report("negative_value", frame.index[values.lt(0)], frame, indicator.id, what=what)
    if indicator.kind == "count":
        fractional = values.notna() & values.ne(np.floor(values))
        check.report("not_a_whole_number", frame.index[fractional], frame, indicator.id, what=what)
    if indicator.kind == "ratio":
        check.report("out_of_range", frame.index[values.gt(100)], frame, indicator.id, case="percentage", what=what)
    empty = normalize_text(frame[indicator.id]).eq("")
    check.report(missing_rule, frame.index[empty], frame, indicator.id, what=what)
    return values


def _parsed(check: FileCheck, frame: pd.DataFrame, field: str, parsed, what: dict[Language, str]) -> pd.Series:
    """Report the cells a parser refused, each under the rule it broke; `what` names the field."""
    for rule, labels in parsed.rules.groupby(parsed.rules, sort=True):
        check.report(rule, labels.index, frame, field, what=what)
    return parsed.values


def _implausible_completions(check: FileCheck, tables: dict[str, pd.DataFrame], settings: SiteConfig) -> pd.DataFrame:
    """A target so small (or an actual so large) that an item without a cap would count an absurd
    completion: a target of 0.000001 scored 10,000,000,000 points. Its targets row is rejected,
    naming the item, both values and the points it would have given. Returns the targets kept."""
    assessment, targets = settings.assessment, tables["targets"]
    if assessment is None or assessment.implausible_completion is None or targets.empty:
        return targets
    limit = assessment.implausible_completion
    actuals = tables["performance"].drop_duplicates("manager_id").set_index("manager_id")
    for _, item in assessment.items():
        indicator = settings.indicator(item.indicator) if item.indicator else None
        if indicator is None or not indicator.target or item.target is not None:
            continue  # (a target written in the config is not the targets file's)
        method = item.method or ("lower_is_better" if indicator.better == "lower" else "target_completion")
        if method not in TARGET_METHODS:
            continue  # a growth item's base is another period's: its cap is a config warning
        actual = targets["manager_id"].map(actuals[indicator.id]).astype(float)
        target = targets[indicator.id].astype(float)
        ratio = actual / target.where(target > 0)
        cap = item.effective_cap(method)
        counted = (ratio if method == "target_completion" else 2 - ratio).clip(lower=item.floor, upper=cap)
        # only a side with no bound: a capped item's completion is its cap at most, whatever the limit
        unbounded = pd.Series(False, index=targets.index)
        implausible = (counted.gt(limit) if cap is None else unbounded) | (
            counted.lt(-limit) if item.floor is None else unbounded)
        for label in targets.index[implausible]:
            check.report("implausible_completion", pd.Index([label]), targets, indicator.id,
                         what=_label(indicator.label), target=_plain(target[label]), actual=_plain(actual[label]),
                         completion=f"{counted[label]:,.0%}", points=f"{counted[label] * item.weight:,.2f}",
                         limit=f"{limit:,.0%}")
    return check.kept(targets)


def _plain(number: float) -> str:
    """A number as written, never in exponent form: a target of 0.000001, not 1e-06."""
    return np.format_float_positional(number, trim="-")


def _cross_file_warnings(checks: dict[str, FileCheck], tables: dict[str, pd.DataFrame], folder: PeriodFolder,
                         managers: pd.DataFrame) -> None:
    """Rows without their counterpart in another file. A counterpart that exists but was
    rejected is not reported again: its rejection already says what is wrong."""
    performing = tables["performance"]
    for name, rule in (("targets", "missing_target"), ("evaluations", "missing_evaluation")):
        if name in tables:
            absent = performing.index[~performing["manager_id"].isin(checks[name].ids_read)]
            checks["performance"].report(rule, absent, performing, "manager_id", case="no_row")
    if "targets" in tables:
        targets = tables["targets"]
        idle = targets.index[~targets["manager_id"].isin(checks["performance"].ids_read)]
        checks["targets"].report("target_without_performance", idle, targets, "manager_id")
    _employment_warnings(checks["performance"], performing, folder, managers)


def _employment_warnings(check: FileCheck, performing: pd.DataFrame, folder: PeriodFolder,
                         managers: pd.DataFrame) -> None:
    if "hire_date" not in managers or managers.empty or performing.empty:
        return
    start, end = pd.Timestamp(folder.period.start), pd.Timestamp(folder.period.end)
    hired = performing["manager_id"].map(managers["hire_date"])
    left = performing["manager_id"].map(managers["leave_date"]) if "leave_date" in managers else None
    outside = hired.gt(end)
    if left is not None:
        outside |= left.lt(start)
    check.report("outside_employment", performing.index[outside], performing, "manager_id",
                 period=folder.period.id)


# --- helpers ------------------------------------------------------------------------------

def _source(config: LoadedConfig, relative: str, spec: ExtractSpec | None = None) -> Source:
    """The checked file; `spec` gives an Excel workbook's sheet and header row."""
    require_inside(config, relative)
    sheet, header_row = (spec.sheet, spec.header_row) if spec else (None, None)
    return inspect_extract(config.data_dir / relative, relative, config.settings.data.encoding, sheet, header_row)


def _read(config: LoadedConfig, relative: str, fields: dict[str, list[str]], required: set[str],
          spec: ExtractSpec | None = None) -> ExtractFile:
    return read_extract(_source(config, relative, spec), fields, required)


def _read_checked(config: LoadedConfig, relative: str, fields: dict[str, list[str]], required: set[str],
                  period: str | None, checked: Callable[[FileCheck], pd.DataFrame], stop_early: bool,
                  spec: ExtractSpec | None = None) -> tuple[FileCheck, pd.DataFrame]:
    """A file read and checked by `checked`. With `stop_early` its first PROBE_ROWS records are
    judged first: when they already reject more than publish.max_reject_rate the file is not
    read further (a file of two million bad rows is refused in a second, in a few MB)."""
    source = _source(config, relative, spec)
    masking, id_rules = config.settings.privacy.mask_names, config.settings.data.ids

    def checked_whole(check: FileCheck) -> pd.DataFrame:
        frame = checked(check)
        _long_cells(check)
        return frame

    check = FileCheck(read_extract(source, fields, required, PROBE_ROWS if stop_early else None), period, masking,
                      id_rules)
    frame = checked_whole(check)
    if check.extract.complete:
        return check, frame
    _judge_first_rows(check, config.settings.publish.max_reject_rate)
    check = FileCheck(read_extract(source, fields, required), period, masking, id_rules)
    return check, checked_whole(check)


def _judge_first_rows(check: FileCheck, limit: float) -> None:
    share = check.reject_share()
    if share <= limit:
        return
    rows = check.extract.rows_read
    first = sorted((issue for issue in check.issues if issue.severity == "reject"), key=lambda i: i.row or 0)
    raise FirstRowsRefused(
        [f"not published: {check.extract.label}: {len(check.rejected)} of its first {rows} rows were rejected "
         f"({share:.1%}; publish.max_reject_rate is {limit:.1%}), so the rest of the file was not read. "
         "Fix: correct the extract (its first problems follow); to read and publish it anyway, rerun "
         "with --force."]
        + [issue.describe() for issue in first[:SHOWN_FIRST_REJECTS]])


def _period_files(config: LoadedConfig) -> list[str]:
    files = config.settings.periods.files
    return [spec.file for spec in (files.performance, files.targets, files.evaluations, files.violations) if spec]


def _relative(config: LoadedConfig, folder: PeriodFolder, file: str) -> str:
    return (folder.path / period_file(file, folder.period)).relative_to(config.data_dir).as_posix()


def _require_inside(config: LoadedConfig, relatives: list[str]) -> None:
    problems = [problem for relative in relatives for problem in outside_links(config, relative)]
    if problems:
        raise DataError(list(dict.fromkeys(problems)))  # a linked folder once, not once per file in it


def _field_label(check: FileCheck, name: str) -> dict[Language, str]:
    """A text field as messages name it: the header the file gives it."""
    header = check.extract.headers_used.get(name, name)
    return {language: header for language in LANGUAGES}


def _field_name(field: str) -> dict[Language, str]:
    """The name an issue gives a field the config has no label for (catalogue field.<field>)."""
    return in_each_language(f"field.{field}")


def _label(label: Bilingual) -> dict[Language, str]:
    """A label from the config (an indicator's, a score's), as message values take it."""
    return {language: label.text(language) for language in LANGUAGES}


def _listed(items: Iterable[str]) -> dict[Language, str]:
    """Items listed in a sentence of each language: Chinese takes the 顿号 where English a comma."""
    listed = list(items)
    return {language: separator.join(listed) for language, separator in in_each_language("list.separator").items()}


def _with_period(issue: Issue, period: str | None) -> Issue:
    return replace(issue, period=period)


def _manager_of(frame: pd.DataFrame, label) -> str | None:
    return str(frame.at[label, "manager_id"]) if "manager_id" in frame else None


def _stack(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    present = [frame for frame in frames if len(frame)]
    if not present:
        return pd.DataFrame(columns=columns + [ROW_COLUMN])
    stacked = pd.concat(present, ignore_index=True)
    ordered = [c for c in columns if c in stacked] + [ROW_COLUMN]
    return stacked[ordered].sort_values(["period", "manager_id", ROW_COLUMN], kind="stable").reset_index(drop=True)
