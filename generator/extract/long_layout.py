"""Long (tidy) files: one row per manager and indicator, the indicator named by its code
(indicators[].code), as many warehouses export. The keys are checked once per file (codes known,
each manager × indicator pair once, one unit per manager); each role then takes its value column
and gets one row per manager, like a wide file's."""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.config.site import Indicator
from generator.extract.cells import normalize_text
from generator.extract.checks import FileCheck, check_duplicates, indicator_values, label_text, listed_text
from generator.extract.files import ROW_COLUMN

CODE = "indicator"  # the field of the code column


def check_long_keys(check: FileCheck, frame: pd.DataFrame, codes: dict[str, Indicator], with_unit: bool) -> None:
    """Exact copies lose to their first row; an unknown or empty code, a pair given twice with different
    values and a manager under two units are rejected (every row of the pair, or of the manager)."""
    frame[CODE] = normalize_text(frame[CODE])
    check_duplicates(check, frame, conflict_field=None, exact_only=True)
    live = frame[~frame[ROW_COLUMN].isin(check.rejected) & frame["manager_id"].ne("")]
    unknown = live.index[~live[CODE].isin(codes)]
    check.report("unknown_indicator_code", unknown, frame, CODE, known=listed_text(sorted(codes)))
    live = live.drop(index=unknown)
    if with_unit:
        live = live[live["unit_id"].ne("")]
        units = live.groupby("manager_id", sort=True)["unit_id"]
        for manager_id, rows in live[units.transform("nunique").gt(1)].groupby("manager_id", sort=True):
            check.report("manager_in_two_units", rows.index, frame, "unit_id", manager=manager_id,
                         units=listed_text(sorted(set(rows["unit_id"]))), rows=_rows(rows))
        live = live[~live[ROW_COLUMN].isin(check.rejected)]
    repeated = live[live.duplicated(["manager_id", CODE], keep=False)]
    for (manager, code), rows in repeated.groupby(["manager_id", CODE], sort=True):
        check.report("repeated_indicator_row", rows.index, frame, CODE, manager=manager, code=code,
                     what=label_text(codes[str(code)].label), rows=_rows(rows))


def parse_long(check: FileCheck, frame: pd.DataFrame, indicators: list[Indicator], value_field: str,
               missing_rule: str, missing_case: str) -> pd.Series:
    """The role's value of each row, parsed as its indicator's kind asks; a pair the file lacks is
    reported on the manager's first row, in the code column."""
    codes = codes_of(indicators)
    values = pd.Series(np.nan, index=frame.index, dtype=float)
    header = check.extract.headers_used[value_field]
    for code, rows in frame[frame[CODE].isin(codes)].groupby(CODE, sort=True):
        indicator = codes[str(code)]
        check.extract.headers_used[indicator.id] = header  # the view's own mapping: the value column
        values[rows.index] = indicator_values(check, rows.assign(**{indicator.id: rows[value_field]}),
                                              indicator, missing_rule)
    named = frame[frame["manager_id"].ne("")]
    _report_missing_pairs(check, named, codes, missing_rule, missing_case)
    return values


def pivot_long(frame: pd.DataFrame, values: pd.Series, indicators: list[Indicator], rejected: set[int]
               ) -> pd.DataFrame:
    """One row per manager: the keys, a value column per indicator and, as _row.<indicator>, the row
    each value came from (so that a later rejection of that row withdraws that value only)."""
    codes = codes_of(indicators)
    usable = frame[~frame[ROW_COLUMN].isin(rejected) & frame[CODE].isin(codes) & frame["manager_id"].ne("")]
    ids = usable[CODE].map(lambda code: codes[code].id)
    pairs = pd.DataFrame({"manager_id": usable["manager_id"], "id": ids, "value": values[usable.index],
                          "row": usable[ROW_COLUMN]})
    order = [i.id for i in codes.values()]
    wide = pairs.pivot(index="manager_id", columns="id", values="value").reindex(columns=order)
    rows = pairs.pivot(index="manager_id", columns="id", values="row").reindex(columns=order)
    rows.columns = [row_column(column) for column in rows.columns]
    keys = [c for c in ("manager_id", "unit_id") if c in frame]
    first = usable.drop_duplicates("manager_id").set_index("manager_id", drop=False)[keys + [ROW_COLUMN]]
    return first.join(wide).join(rows).reset_index(drop=True)


def withdraw_rejected(table: pd.DataFrame, indicators: list[Indicator], rejected: set[int]) -> pd.DataFrame:
    """The values whose rows have been rejected since the pivot, withdrawn; a manager with no value
    row left is dropped. The manager's row number is its first row still standing."""
    table = table.copy()
    columns = [row_column(i.id) for i in indicators if row_column(i.id) in table]
    for column in columns:
        gone = table[column].isin(rejected)
        table.loc[gone, column.removeprefix(ROW_COLUMN + ".")] = np.nan
        table.loc[gone, column] = np.nan
    standing = table[columns].min(axis=1)
    table[ROW_COLUMN] = standing
    table = table[standing.notna()]
    return table.astype({ROW_COLUMN: "int64"})


def codes_of(indicators: list[Indicator]) -> dict[str, Indicator]:
    return {i.code: i for i in indicators if i.code is not None}


def row_column(indicator_id: str) -> str:
    return f"{ROW_COLUMN}.{indicator_id}"


def _report_missing_pairs(check: FileCheck, named: pd.DataFrame, codes: dict[str, Indicator], rule: str,
                          case: str) -> None:
    """A manager in the file without a row for an indicator (a rejected row of the pair is no gap: its
    rejection says what is wrong). The cell shown is empty: the row lacking is not in the file."""
    first = named.drop_duplicates("manager_id").assign(**{CODE: ""})
    present = set(zip(named["manager_id"], named[CODE]))
    for code, indicator in codes.items():
        lacking = first.index[[(manager, code) not in present for manager in first["manager_id"]]]
        check.report(rule, lacking, first, CODE, case=case, what=label_text(indicator.label), code=code)


def _rows(rows: pd.DataFrame) -> dict:
    return listed_text(str(row) for row in rows[ROW_COLUMN])
