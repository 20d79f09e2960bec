"""Violations: penalty points off the total, and disqualification (取消评选资格).

Each violation's penalty is rounded to hundredths (half away from zero) before the
violations of a period are added up, so the penalty component is exact.

A disqualifying violation keeps the manager's score but removes grade, ranks and awards.
Its window (assessment.violations.disqualification_window):
  period        the extract period of the violation, and every roll-up containing it
  rest_of_year  that period and every later period of the same calendar year, including
                roll-ups that end in or after it (default)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.assessment import exact
from generator.assessment.calendar import AssessedPeriod
from generator.extract.periods import Period
from generator.i18n import catalogue


def penalty_points(violations: pd.DataFrame, index: pd.Index) -> np.ndarray:
    """Hundredths of penalty per manager of `index` (0 without violations)."""
    if violations.empty:
        return np.zeros(len(index), dtype=np.int64)
    each = exact.hundredths(lambda v, c: v["penalty"], {"penalty": violations["penalty"].to_numpy(float)}, {})
    per_manager = pd.Series(each, index=violations["manager_id"].values).groupby(level=0).sum()
    return per_manager.reindex(index, fill_value=0).to_numpy(np.int64)


def disqualification_reasons(violations: pd.DataFrame, period: AssessedPeriod, window: str,
                             index: pd.Index, language: str = "zh-CN") -> pd.Series:
    """Per manager of `index`: the disqualifying violations that apply, as text ("" = none), each saying
    what disqualified it when that was not the record's own flag (its type, or the period's count)."""
    if "count" in violations:  # the period's count, which a count_at_least rule compared
        violations = violations.assign(total=violations.groupby(["manager_id", "period"])["count"].transform("sum"))
    applying = violations[violations["disqualify"].astype(bool)]
    applying = applying[_in_window(applying["period"], period, window)]
    if applying.empty:
        return pd.Series("", index=index, dtype=object)
    ordered = applying.sort_values(["manager_id", "period", "date"], kind="stable")
    words = catalogue(language)
    texts = pd.Series([_describe(row, words) for row in ordered.itertuples()], index=ordered["manager_id"].values)
    joined = texts.groupby(level=0).agg("；".join)
    return joined.reindex(index, fill_value="").astype(object)


def _in_window(violation_periods: pd.Series, period: AssessedPeriod, window: str) -> pd.Series:
    first, last = period.months[0], period.months[-1]
    frequency = period.frequency
    spans = {text: Period.parse(text, frequency) for text in violation_periods.unique()}
    year = violation_periods.map(lambda text: spans[text].year)
    start_month = violation_periods.map(lambda text: spans[text].start.month)
    same_year_until_end = year.eq(period.year) & start_month.le(last)
    if window == "rest_of_year":
        return same_year_until_end
    return same_year_until_end & start_month.ge(first)


def _describe(violation, words) -> str:
    when = violation.date.strftime("%Y-%m-%d") if pd.notna(violation.date) else violation.period
    kind = violation.type or words["violation.kind"]
    # not getattr: a row without a count column still has tuple.count, a method
    count = int(violation.count) if "count" in violation._fields else 1
    if count > 1:  # a count per manager (layout: counts): one record of several violations
        kind = words["violation.times"].format(kind=kind, count=count)
    text = f"{kind}（{when}）：{violation.description}" if violation.description else f"{kind}（{when}）"
    return text + _why(violation, words)


def _why(violation, words) -> str:
    """What made the record disqualify when it was not its own flag (extract.violation_layouts)."""
    cause = getattr(violation, "disqualified_by", "")
    if cause == "type":
        return f"（{words['violation.by_type'].format(type=violation.type)}）"
    if cause == "count":
        return f"（{words['violation.by_count'].format(count=violation.total, limit=int(violation.count_limit))}）"
    return ""
