"""Violations as a bank records them: one row per violation (layout: rows), or a count and/or
penalty points per manager in a file of one row per manager (layout: counts; it may be the
performance file). Either way the result is one table, one row per violation record, with its
penalty, whether it disqualifies and why (disqualified_by: flag, type or count), so that the
assessment (generator.assessment.violations) and the manager page need not know the layout."""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.config.site import ViolationsFile
from generator.extract.cells import parse_dates, parse_flags, parse_numbers
from generator.extract.checks import FileCheck, field_name, parsed_values, text_column
from generator.extract.periods import PeriodFolder

COLUMNS = ("manager_id", "date", "type", "penalty", "disqualify", "description", "count", "disqualified_by",
           "count_limit")


def violation_rows(check: FileCheck, frame: pd.DataFrame, folder: PeriodFolder, spec: ViolationsFile
                   ) -> pd.DataFrame:
    """layout: rows: each row one violation, its penalty the penalty column or penalty_per_violation."""
    for name in ("type", "description"):  # bidi controls removed, each a warning (checks.text_column)
        frame[name] = text_column(check, frame, name) if name in frame else ""
    frame["count"] = 1
    if spec.penalty_per_violation is not None:
        frame["penalty"] = float(spec.penalty_per_violation)
    else:
        frame["penalty"] = _points(check, frame, "penalty")
    flagged = _flags(check, frame) & spec.disqualify.flag
    typed = frame["type"].isin(spec.disqualify.types)
    frame["disqualify"] = flagged | typed
    frame["disqualified_by"] = np.where(flagged, "flag", np.where(typed, "type", ""))
    frame["count_limit"] = 0
    frame["date"] = _dates(check, frame, folder)
    return frame


def violation_counts(check: FileCheck, frame: pd.DataFrame, spec: ViolationsFile) -> pd.DataFrame:
    """layout: counts: a manager's row is a violation record when it counts a violation, gives points or
    carries the disqualify flag; a row of 0 and 0 is a manager without violations (read, and used as such)."""
    counts = _counts(check, frame) if "count" in frame else pd.Series(0, index=frame.index)
    if spec.penalty_per_violation is not None:
        points = counts * spec.penalty_per_violation
    else:
        points = _points(check, frame, "points")
    flagged = _flags(check, frame) & spec.disqualify.flag
    frame = frame.assign(count=counts.astype("int64"), penalty=points.astype(float), disqualify=flagged,
                         disqualified_by=np.where(flagged, "flag", ""), count_limit=0, type="", description="",
                         date=pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]"))
    return frame


def apply_count_limit(table: pd.DataFrame, spec: ViolationsFile) -> pd.DataFrame:
    """disqualify.count_at_least: a manager with at least that many violations in the period (over every
    file of the role) is disqualified by each of them."""
    limit = spec.disqualify.count_at_least
    if limit is None or table.empty:
        return table
    total = table.groupby("manager_id")["count"].transform("sum")
    reached = total.ge(limit) & table["count"].gt(0)
    table = table.copy()
    table.loc[reached & ~table["disqualify"], "disqualified_by"] = "count"
    table.loc[reached, "disqualify"] = True
    table.loc[reached, "count_limit"] = limit
    return table


def has_violation(table: pd.DataFrame) -> pd.Series:
    """The records that are violations (a counts row of 0 and 0, unflagged, is none)."""
    return table["count"].gt(0) | table["penalty"].gt(0) | table["disqualify"]


def _points(check: FileCheck, frame: pd.DataFrame, field: str) -> pd.Series:
    if field not in frame:
        return pd.Series(0.0, index=frame.index)
    values = parsed_values(check, frame, field, parse_numbers(frame[field], percent_allowed=False),
                           field_name("penalty"))
    check.report("negative_value", frame.index[values.lt(0)], frame, field, case="penalty")
    return values.fillna(0.0)


def _counts(check: FileCheck, frame: pd.DataFrame) -> pd.Series:
    what = field_name("violation_count")
    values = parsed_values(check, frame, "count", parse_numbers(frame["count"], percent_allowed=False), what)
    check.report("negative_value", frame.index[values.lt(0)], frame, "count", what=what)
    fractional = values.notna() & values.ne(np.floor(values))
    check.report("not_a_whole_number", frame.index[fractional], frame, "count", what=what)
    return values.where(values.ge(0) & ~fractional).fillna(0).astype("int64")


def _flags(check: FileCheck, frame: pd.DataFrame) -> pd.Series:
    if "disqualify" not in frame:
        return pd.Series(False, index=frame.index)
    flags = parsed_values(check, frame, "disqualify", parse_flags(frame["disqualify"]), field_name("disqualify"))
    return flags.fillna(False).astype(bool)


def _dates(check: FileCheck, frame: pd.DataFrame, folder: PeriodFolder) -> pd.Series:
    if "date" not in frame:
        return pd.Series(pd.NaT, index=frame.index)
    dates = parsed_values(check, frame, "date", parse_dates(frame["date"]), field_name("violation_date"))
    start, end = pd.Timestamp(folder.period.start), pd.Timestamp(folder.period.end)
    check.report("date_outside_period", frame.index[dates.notna() & ((dates < start) | (dates > end))], frame,
                 "date", period=folder.period.id)
    return dates
