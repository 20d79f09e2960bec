"""A period's files, each read once whatever roles it serves (generator.extract.roles): its keys
checked once (IDs, duplicates, managers and units known), then each role's fields, so that a
problem of a shared file is reported once, naming the role in the field. A role split over
several files (one per branch) is combined, a manager in two of them rejected in both. A row
rejected for any reason is quarantined whole: none of its roles use it."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from generator.config.assessment import TARGET_METHODS
from generator.config.loading import LoadedConfig
from generator.config.site import Indicator, SiteConfig, ViolationsFile
from generator.errors import Issue
from generator.extract.cells import normalize_text, parse_numbers
from generator.extract.checks import (
    FileCheck,
    check_duplicates,
    check_ids,
    check_known,
    indicator_values,
    label_text,
    parsed_values,
    plain_number,
    read_checked,
    require_rows,
)
from generator.extract.dataset import InputFile
from generator.extract.files import ROW_COLUMN
from generator.extract.identity import Spellings, read_ids
from generator.extract.long_layout import (
    check_long_keys,
    codes_of,
    parse_long,
    pivot_long,
    row_column,
    withdraw_rejected,
)
from generator.extract.periods import PeriodFolder
from generator.extract.references import roster_units
from generator.extract.roles import Role, period_roles, role_files
from generator.extract.violation_layouts import apply_count_limit, has_violation, violation_counts, violation_rows
from generator.i18n import LANGUAGES, Language, in_each_language

FILE_COLUMN = "_file"  # the file (its label) a row of a role's table came from


@dataclass(frozen=True)
class _Context:
    config: LoadedConfig
    folder: PeriodFolder
    units: pd.DataFrame
    managers: pd.DataFrame
    roster_file: str | None  # the period's own roster (reference.managers.per_period), None: the one roster
    reference_ids: dict[str, Spellings]  # how the unit table and the roster wrote their IDs (look-alikes rejected)

    @property
    def settings(self) -> SiteConfig:
        return self.config.settings

    @property
    def roster_name(self) -> str:
        """The roster the period's managers are looked up in, as messages name it."""
        return self.roster_file or self.settings.reference.managers.file


@dataclass
class _FileRead:
    """One file: its check, and per role the view of it that role's issues are reported through, and
    the role's rows."""

    check: FileCheck
    views: dict[str, FileCheck]
    tables: dict[str, pd.DataFrame]


def load_period(config: LoadedConfig, folder: PeriodFolder, units: pd.DataFrame, managers: pd.DataFrame,
                inputs: list[InputFile], issues: list[Issue], stop_early: bool = True,
                roster_file: str | None = None, reference_ids: dict[str, Spellings] | None = None
                ) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The period's tables, and every manager ID its files name (for the cache's roster check).
    `roster_file`: the period's own roster, named by its unknown_manager and unit_mismatch messages;
    `reference_ids`: how the unit table and the roster wrote their IDs (look-alikes are rejected)."""
    context = _Context(config, folder, units, managers, roster_file, reference_ids or {})
    roles = period_roles(config.settings)
    files = {role.name: role_files(config, folder, role) for role in roles}
    readers: dict[str, list[Role]] = {}
    for role in roles:
        for name in files[role.name]:
            readers.setdefault(name, []).append(role)
    reads = {name: _read_file(context, name, its_roles, stop_early) for name, its_roles in readers.items()}
    _reject_across_files(roles, files, reads)
    tables = {role.name: _combined(role, files[role.name], reads, context.settings) for role in roles}
    if "targets" in tables:
        _implausible_completions(tables, reads, context.settings)
        # a rejected target row withdraws what every role sharing its file read from it
        tables = {role.name: _standing(role, tables[role.name], reads, context.settings) for role in roles}
    _cross_file_warnings(roles, files, tables, reads, context)
    for read in reads.values():
        issues += read.check.issues
        inputs.append(read.check.provenance())
    manager_ids = sorted(set().union(*(read.check.ids_read for read in reads.values())))
    return {name: frame.assign(period=folder.period.id) for name, frame in tables.items()}, manager_ids


# --- one file, read once -----------------------------------------------------------------------

def _read_file(context: _Context, name: str, roles: list[Role], stop_early: bool) -> _FileRead:
    fields: dict[str, list[str]] = {}
    for role in roles:
        for field, headers in role.fields.items():
            accepted = fields.setdefault(role.qualified(field), [])
            accepted += [header for header in headers if header not in accepted]

    def checked(check: FileCheck) -> _FileRead:
        check.roster = context.roster_file  # before any view of it is taken: the views copy it
        check.reference_ids = context.reference_ids
        if any(role.name == "performance" for role in roles):
            require_rows(check.extract, check)
        frame = _key_checks(check, roles, context)
        views = {role.name: check.sharing(_view(check, role)) for role in roles}
        parsed = {role.name: _role_rows(views[role.name], _role_frame(frame, role), role, context)
                  for role in roles}
        return _FileRead(check, views, {role: table.assign(**{FILE_COLUMN: name}) for role, table in parsed.items()})

    spec = roles[0].spec  # the roles of one file share its sheet and header row (the config refuses others)
    _, read = read_checked(context.config, name, fields, set(fields), context.folder.period.id, checked, stop_early,
                           spec)
    return read


def _view(check: FileCheck, role: Role):
    """The file as `role` sees it: its fields under their own names (targets.deposit_avg as deposit_avg);
    every column read stays in the mapping, so a quarantined row shows them all."""
    used = check.extract.headers_used
    own = {field: used[role.qualified(field)] for field in role.fields if role.qualified(field) in used}
    return replace(check.extract, headers_used={**used, **own})


def _role_frame(frame: pd.DataFrame, role: Role) -> pd.DataFrame:
    columns = {role.qualified(field): field for field in role.fields if role.qualified(field) in frame}
    keys = [key for key in ("manager_id", "unit_id", "indicator", ROW_COLUMN) if key in frame]
    return frame[list(dict.fromkeys(keys + list(columns)))].rename(columns=columns)


def _key_checks(check: FileCheck, roles: list[Role], context: _Context) -> pd.DataFrame:
    """IDs, duplicates and references, once for every role of the file. The performance file's unit
    is its own column's, or the roster's (reference.managers.unit_from), compared when both name one."""
    frame = check.extract.frame.copy()
    check_ids(check, frame, ["manager_id"] + (["unit_id"] if "unit_id" in frame else []))
    if "unit_id" in context.managers and any(role.name == "performance" for role in roles):
        roster_units(check, frame, context.managers, context.settings.reference.managers.unit_from == "roster",
                     context.roster_name)
    with_unit = "unit_id" in frame
    shape = roles[0].shape  # the roles of one file share it (the config refuses others)
    if shape == "long":
        indicators = _long_indicators(roles, context.settings)
        check_long_keys(check, frame, codes_of(indicators), with_unit)
    else:
        check_duplicates(check, frame, conflict_field="unit_id" if with_unit else None, exact_only=shape == "rows")
    check_known(check, frame, context.managers, context.units if with_unit else None)
    return frame


def _long_indicators(roles: list[Role], settings: SiteConfig) -> list[Indicator]:
    """The indicators a long file may name: all for the actuals, those with a target for targets alone."""
    names = {role.name for role in roles}
    return settings.indicators if "performance" in names else settings.targeted_indicators


def _role_rows(check: FileCheck, frame: pd.DataFrame, role: Role, context: _Context) -> pd.DataFrame:
    settings = context.settings
    if role.name == "performance":
        return _indicator_rows(check, frame, role, settings.indicators, "actual", "missing_value")
    if role.name == "targets":
        return _indicator_rows(check, frame, role, settings.targeted_indicators, "target", "missing_target")
    if role.name == "evaluations":
        return _evaluations(check, frame, context)
    spec = settings.periods.files.violations
    assert spec is not None, "a violations role has its config"
    if spec.layout == "rows":
        return violation_rows(check, frame, context.folder, spec)
    return violation_counts(check, frame, spec)


def _indicator_rows(check: FileCheck, frame: pd.DataFrame, role: Role, indicators: list[Indicator],
                    value_field: str, missing_rule: str) -> pd.DataFrame:
    if role.shape == "long":
        values = parse_long(check, frame, indicators, value_field, missing_rule, "no_pair")
        return pivot_long(frame, values, indicators, check.rejected)
    for indicator in indicators:
        frame[indicator.id] = indicator_values(check, frame, indicator, missing_rule)
    return frame


def _evaluations(check: FileCheck, frame: pd.DataFrame, context: _Context) -> pd.DataFrame:
    for score in context.settings.qualitative:
        what = label_text(score.label)
        values = parsed_values(check, frame, score.id, parse_numbers(frame[score.id], percent_allowed=False), what)
        outside = frame.index[values.lt(0) | values.gt(score.max)]
        check.report("out_of_range", outside, frame, score.id, case="score", what=what, max=score.max)
        check.report("missing_evaluation", frame.index[values.isna() & normalize_text(frame[score.id]).eq("")],
                     frame, score.id, what=what)
        frame[score.id] = values
    return frame


# --- a role over several files ---------------------------------------------------------------

def _reject_across_files(roles: list[Role], files: dict[str, list[str]], reads: dict[str, _FileRead]) -> None:
    """A manager in two files of one role (two branches' extracts): which is right cannot be known, so
    every row of the manager in each of them is rejected, naming the others. Roles reading the same
    files are checked once."""
    done: set[tuple[str, ...]] = set()
    for role in roles:
        names = tuple(files[role.name])
        if len(names) < 2 or role.shape == "rows" or names in done:
            continue
        done.add(names)
        keyed = pd.concat([_live_keys(reads[name].check).assign(**{FILE_COLUMN: name}) for name in names],
                          ignore_index=True)
        spread = keyed[keyed.groupby("manager_id")[FILE_COLUMN].transform("nunique").gt(1)]
        for manager_id, rows in spread.groupby("manager_id", sort=True):
            for name, own in rows.groupby(FILE_COLUMN, sort=True):
                others = rows[rows[FILE_COLUMN].ne(name)]
                where = _places(zip(others[FILE_COLUMN], others[ROW_COLUMN]))
                check = reads[str(name)].check
                frame = check.extract.frame
                labels = frame.index[frame[ROW_COLUMN].isin(own[ROW_COLUMN])]
                check.report("manager_in_two_files", labels, _normalized_ids(frame, check), "manager_id",
                             manager=manager_id, elsewhere=where)


def _places(pairs) -> dict[Language, str]:
    """File-and-row places listed in a sentence of each language."""
    each = [in_each_language("place.file_row", file=name, row=row) for name, row in pairs]
    separator = in_each_language("list.separator")
    return {language: separator[language].join(place[language] for place in each) for language in LANGUAGES}


def _live_keys(check: FileCheck) -> pd.DataFrame:
    frame = _normalized_ids(check.extract.frame, check)
    return frame.loc[~frame[ROW_COLUMN].isin(check.rejected) & frame["manager_id"].ne(""),
                     ["manager_id", ROW_COLUMN]]


def _normalized_ids(frame: pd.DataFrame, check: FileCheck) -> pd.DataFrame:
    """The file's manager IDs as published (data.ids), as the key checks made them."""
    return frame.assign(manager_id=read_ids(frame["manager_id"], check.id_rules).ids)


def _combined(role: Role, names: list[str], reads: dict[str, _FileRead], settings: SiteConfig) -> pd.DataFrame:
    frames = [reads[name].tables[role.name] for name in names]
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    table = _standing(role, table, reads, settings)
    if role.name == "violations":
        spec = settings.periods.files.violations
        assert isinstance(spec, ViolationsFile)
        table = apply_count_limit(table, spec)
        table = table[has_violation(table)].reset_index(drop=True)
    return table


def _standing(role: Role, table: pd.DataFrame, reads: dict[str, _FileRead], settings: SiteConfig) -> pd.DataFrame:
    """The rows of a role's table that no check has rejected (in a long table: the values)."""
    if table.empty:
        return table
    if role.shape == "long":
        indicators = settings.indicators if role.name == "performance" else settings.targeted_indicators
        parts = [withdraw_rejected(part, indicators, reads[str(name)].check.rejected)
                 for name, part in table.groupby(FILE_COLUMN, sort=False)]
        return pd.concat(parts, ignore_index=True)
    pairs = zip(table[FILE_COLUMN], table[ROW_COLUMN])
    rejected = pd.Series([row in reads[name].check.rejected for name, row in pairs], index=table.index, dtype=bool)
    return table[~rejected].reset_index(drop=True)


def _report(reads: dict[str, _FileRead], role: str, rule: str, table: pd.DataFrame, labels: pd.Index,
            field: str | None, /, case: str | None = None, **values: object) -> None:
    """Issues on rows of a role's combined table, each through the view of the file it came from."""
    chosen = table.loc[labels]
    for name, rows in chosen.groupby(FILE_COLUMN, sort=True):
        reads[str(name)].views[role].report(rule, rows.index, table, field, case=case, cell_values=None,
                                            **values)


# --- across roles ----------------------------------------------------------------------------

def _implausible_completions(tables: dict[str, pd.DataFrame], reads: dict[str, _FileRead],
                             settings: SiteConfig) -> None:
    """A target so small (or an actual so large) that an item without a cap would count an absurd
    completion: a target of 0.000001 scored 10,000,000,000 points. The row of the target is rejected,
    naming the item, both values and the points it would have given."""
    assessment, targets = settings.assessment, tables["targets"]
    if assessment is None or assessment.implausible_completion is None or targets.empty:
        return
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
        # in a long table the target's own row is the one to reject, not the manager's first
        at = targets.assign(**{ROW_COLUMN: targets[row_column(indicator.id)]}) \
            if row_column(indicator.id) in targets else targets
        for label in targets.index[implausible]:
            _report(reads, "targets", "implausible_completion", at, pd.Index([label]), indicator.id,
                    what=label_text(indicator.label), target=plain_number(target[label]),
                    actual=plain_number(actual[label]), completion=f"{counted[label]:,.0%}",
                    points=f"{counted[label] * item.weight:,.2f}", limit=f"{limit:,.0%}")


def _role_ids(role: str, files: dict[str, list[str]], reads: dict[str, _FileRead]) -> set[str]:
    return set().union(*(reads[name].check.ids_read for name in files[role]))


def _cross_file_warnings(roles: list[Role], files: dict[str, list[str]], tables: dict[str, pd.DataFrame],
                         reads: dict[str, _FileRead], context: _Context) -> None:
    """Rows without their counterpart in another role's files. A counterpart that exists but was
    rejected is not reported again: its rejection already says what is wrong."""
    performing = tables["performance"]
    for name, rule in (("targets", "missing_target"), ("evaluations", "missing_evaluation")):
        if name in tables:
            absent = performing.index[~performing["manager_id"].isin(_role_ids(name, files, reads))]
            _report(reads, "performance", rule, performing, absent, "manager_id", case="no_row")
    if "targets" in tables:
        targets = tables["targets"]
        idle = targets.index[~targets["manager_id"].isin(_role_ids("performance", files, reads))]
        _report(reads, "targets", "target_without_performance", targets, idle, "manager_id")
    _employment_warnings(performing, reads, context)


def _employment_warnings(performing: pd.DataFrame, reads: dict[str, _FileRead], context: _Context) -> None:
    managers, period = context.managers, context.folder.period
    if "hire_date" not in managers or managers.empty or performing.empty:
        return
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    hired = performing["manager_id"].map(managers["hire_date"])
    left = performing["manager_id"].map(managers["leave_date"]) if "leave_date" in managers else None
    outside = hired.gt(end)
    if left is not None:
        outside |= left.lt(start)
    _report(reads, "performance", "outside_employment", performing, performing.index[np.asarray(outside, bool)],
            "manager_id", period=period.id)
