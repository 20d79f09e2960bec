"""参评资格: who takes part in a period's ranking, grading and awards (assessment.eligibility).

A manager is ineligible in a period when any rule excludes him; each rule gives its own reason,
in the site language, and the reasons are joined with "；" ("; " in English). An ineligible manager is still
scored (his page explains the score) but, like the disqualified and the held, gets no rank or
award, and keeps a grade only as assessment.grades.excluded_managers.ineligible says.

Months in post = whole calendar months from the hire date to the day after the period's end:
hired 2026-07-15, period ending 2026-10-31 → 2026-07-15 … 2026-11-01 is 3 months and 17 days → 3.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.assessment.calendar import AssessedPeriod
from generator.config.grading import Eligibility
from generator.i18n import catalogue


def ineligible_reasons(rules: Eligibility, roster: pd.DataFrame, period: AssessedPeriod,
                       language: str) -> pd.Series:
    """Per manager of `roster` (the roster rows of the period's managers): why he is not assessed,
    "" when he is."""
    words = catalogue(language)
    reasons: list[pd.Series] = []
    if rules.excluded_statuses and "status" in roster:
        reasons.append(_by_status(rules, roster["status"], words))
    if rules.min_months_in_post and "hire_date" in roster:
        reasons.append(_by_months(rules.min_months_in_post, roster["hire_date"], period, words))
    if rules.new_hires == "exclude" and "hire_date" in roster:
        reasons.append(_within(roster["hire_date"], period, words["eligibility.new_hire"]))
    if rules.leavers == "exclude" and "leave_date" in roster:
        reasons.append(_within(roster["leave_date"], period, words["eligibility.leaver"]))
    joined = pd.Series("", index=roster.index, dtype=object)
    if not reasons:
        return joined
    excluded = np.logical_or.reduce([reason.to_numpy() != "" for reason in reasons])
    for manager in roster.index[excluded]:  # the few excluded
        joined[manager] = words["clause.separator"].join(reason[manager] for reason in reasons if reason[manager])
    return joined


def months_in_post(hired: pd.Series, period: AssessedPeriod) -> pd.Series:
    """Whole months from each hire date to the day after the period's end (NaN: no hire date)."""
    after = pd.Timestamp(period.end) + pd.Timedelta(days=1)  # always the 1st of a month
    months = (after.year - hired.dt.year) * 12 + (after.month - hired.dt.month) - (hired.dt.day > 1)
    return months.where(hired.notna())


def _by_status(rules: Eligibility, status: pd.Series, words: dict[str, str]) -> pd.Series:
    reasons = pd.Series("", index=status.index, dtype=object)
    for manager in status.index[status.isin(rules.excluded_statuses)]:
        code = status[manager]
        reasons[manager] = words["eligibility.status"].format(status=words.get(f"status.{code}", code))
    return reasons


def _by_months(minimum: int, hired: pd.Series, period: AssessedPeriod, words: dict[str, str]) -> pd.Series:
    months = months_in_post(hired, period)
    short = months.lt(minimum)
    reasons = pd.Series("", index=hired.index, dtype=object)
    for manager in hired.index[short]:
        reasons[manager] = words["eligibility.months_in_post"].format(
            months=int(months[manager]), hired=hired[manager].date().isoformat(), minimum=minimum)
    reasons[hired.isna()] = words["eligibility.no_hire_date"].format(minimum=minimum)
    return reasons


def _within(dates: pd.Series, period: AssessedPeriod, text: str) -> pd.Series:
    inside = (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))
    reasons = pd.Series("", index=dates.index, dtype=object)
    for manager in dates.index[inside]:
        reasons[manager] = text.format(date=dates[manager].date().isoformat())
    return reasons
