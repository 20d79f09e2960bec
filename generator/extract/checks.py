"""The checks every extract gets, whatever its role or layout: a file read (with its first rows
judged before the rest), the issues of its rows, IDs, duplicates and references, numbers per field."""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from generator.config.base import Bilingual
from generator.config.ids import IdRules
from generator.config.loading import LoadedConfig
from generator.config.site import Indicator
from generator.config.spec import ExtractSpec
from generator.errors import EXIT_PUBLISH_REFUSED, DataError, Issue
from generator.extract.cells import normalize_text, parse_numbers
from generator.extract.containment import require_inside
from generator.extract.dataset import InputFile
from generator.extract.files import ROW_COLUMN, ExtractFile, Source, inspect_extract, read_extract
from generator.extract.identity import IdCells, Spellings, look_alikes, read_ids
from generator.extract.rules import RULES, make_issue, message
from generator.i18n import LANGUAGES, Language, in_each_language
from generator.text import BIDI, EXCEL_CELL_LIMIT, excel_length, has_bidi, mark, shown

Checked = TypeVar("Checked")  # what a file's checks make of it: a frame, or a frame per role

PROBE_ROWS = 1000  # the first rows of a file that judge it before it is read whole (see read_checked)


SHOWN_FIRST_REJECTS = 5  # of them, the problems the refusal lists


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
                              manager_id=manager_of(frame, label),
                              raw=self.extract.published_record(row) if rejecting else ())

        for label in rows:
            row = int(cast(int, frame.at[label, ROW_COLUMN]))
            self.tally.add(rule, partial(issue, row, label), manager_of(frame, label))
            if rejecting:
                self.rejected.add(row)

    def sharing(self, extract: ExtractFile) -> FileCheck:
        """This file's check seen through another mapping of its columns (one role's, in a file several
        roles read): the issues, the rejected rows and the IDs read stay this check's."""
        view = copy.copy(self)
        view.extract = extract
        return view

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


def require_rows(extract: ExtractFile, check: FileCheck) -> None:
    """Units, roster and performance files without a single usable row are file errors,
    not thousands of row rejects: the header does not fit the rows, or the export is empty."""
    if extract.rows_read == 0:
        raise DataError([f"error: {extract.label}: the file has a header but no data rows. "
                         "Fix: re-export the file with its data."])
    widths = set(check.tally.counts)
    if len(extract.frame) == 0 and widths == {"wrong_field_count"}:
        raise DataError([f"error: {extract.label}, row 1: the header has {len(extract.header)} columns but no "
                         "row has that many fields. Fix: re-export the file; check the header and the delimiter."])


def check_ids(check: FileCheck, frame: pd.DataFrame, fields: list[str]) -> None:
    for name in fields:
        check_id_column(check, frame, name)
    if "manager_id" in fields:
        check.ids_read = set(frame["manager_id"])


def check_id_column(check: FileCheck, frame: pd.DataFrame, name: str, empty_case: str | None = None,
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


def text_column(check: FileCheck, frame: pd.DataFrame, name: str) -> pd.Series:
    """A text field normalized; bidi controls (which would reorder the page around the text) are
    removed, each cell that held one a warning quoting it with them shown."""
    text = normalize_text(frame[name])
    reordering = text.map(has_bidi).astype(bool)
    if reordering.any():
        found = text[reordering].map(lambda cell: " ".join(dict.fromkeys(mark(c) for c in BIDI.findall(cell))))
        for characters, cells in found.groupby(found, sort=True):
            check.report("bidi_control", cells.index, frame, name, what=field_label(check, name),
                         characters=characters)
        text = text.where(~reordering, text[reordering].str.replace(BIDI, "", regex=True))
    return text


def long_cells(check: FileCheck) -> None:
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


def check_duplicates(check: FileCheck, frame: pd.DataFrame, conflict_field: str | None,
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
        row_numbers = listed_text(str(row) for row in rows[ROW_COLUMN])
        if conflict_field and rows[conflict_field].nunique() > 1:
            check.report("manager_in_two_units", rows.index, frame, conflict_field, manager=manager_id,
                         units=listed_text(sorted(set(rows[conflict_field]))), rows=row_numbers)
        else:
            check.report("conflicting_rows", rows.index, frame, "manager_id", manager=manager_id,
                         count=len(rows), rows=row_numbers)


def check_known(check: FileCheck, frame: pd.DataFrame, managers: pd.DataFrame, units: pd.DataFrame | None) -> None:
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


def indicator_values(check: FileCheck, frame: pd.DataFrame, indicator: Indicator, missing_rule: str) -> pd.Series:
    what = label_text(indicator.label)
    values = parsed_values(check, frame, indicator.id,
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


def parsed_values(check: FileCheck, frame: pd.DataFrame, field: str, parsed, what: dict[Language, str]) -> pd.Series:
    """Report the cells a parser refused, each under the rule it broke; `what` names the field."""
    for rule, labels in parsed.rules.groupby(parsed.rules, sort=True):
        check.report(rule, labels.index, frame, field, what=what)
    return parsed.values


def plain_number(number: float) -> str:
    """A number as written, never in exponent form: a target of 0.000001, not 1e-06."""
    return np.format_float_positional(number, trim="-")


def source_of(config: LoadedConfig, relative: str, spec: ExtractSpec | None = None) -> Source:
    """The checked file; `spec` gives an Excel workbook's sheet and header row."""
    require_inside(config, relative)
    sheet, header_row = (spec.sheet, spec.header_row) if spec else (None, None)
    return inspect_extract(config.data_dir / relative, relative, config.settings.data.encoding, sheet, header_row)


def read_file(config: LoadedConfig, relative: str, fields: dict[str, list[str]], required: set[str],
              spec: ExtractSpec | None = None) -> ExtractFile:
    return read_extract(source_of(config, relative, spec), fields, required)


def read_checked(config: LoadedConfig, relative: str, fields: dict[str, list[str]], required: set[str],
                  period: str | None, checked: Callable[[FileCheck], Checked], stop_early: bool,
                  spec: ExtractSpec | None = None) -> tuple[FileCheck, Checked]:
    """A file read and checked by `checked`. With `stop_early` its first PROBE_ROWS records are
    judged first: when they already reject more than publish.max_reject_rate the file is not
    read further (a file of two million bad rows is refused in a second, in a few MB)."""
    source = source_of(config, relative, spec)
    masking, id_rules = config.settings.privacy.mask_names, config.settings.data.ids

    def checked_whole(check: FileCheck) -> Checked:
        result = checked(check)
        long_cells(check)
        return result

    check = FileCheck(read_extract(source, fields, required, PROBE_ROWS if stop_early else None), period, masking,
                      id_rules)
    frame = checked_whole(check)
    if check.extract.complete:
        return check, frame
    judge_first_rows(check, config.settings.publish.max_reject_rate)
    check = FileCheck(read_extract(source, fields, required), period, masking, id_rules)
    return check, checked_whole(check)


def judge_first_rows(check: FileCheck, limit: float) -> None:
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


def field_label(check: FileCheck, name: str) -> dict[Language, str]:
    """A text field as messages name it: the header the file gives it."""
    header = check.extract.headers_used.get(name, name)
    return {language: header for language in LANGUAGES}


def field_name(field: str) -> dict[Language, str]:
    """The name an issue gives a field the config has no label for (catalogue field.<field>)."""
    return in_each_language(f"field.{field}")


def label_text(label: Bilingual) -> dict[Language, str]:
    """A label from the config (an indicator's, a score's), as message values take it."""
    return {language: label.text(language) for language in LANGUAGES}


def listed_text(items: Iterable[str]) -> dict[Language, str]:
    """Items listed in a sentence of each language: Chinese takes the 顿号 where English a comma."""
    listed = list(items)
    return {language: separator.join(listed) for language, separator in in_each_language("list.separator").items()}


def manager_of(frame: pd.DataFrame, label) -> str | None:
    return str(frame.at[label, "manager_id"]) if "manager_id" in frame else None
