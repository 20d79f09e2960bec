"""Leavers (离职) and other departures: nobody disappears from a period's pages unexplained.

A manager leaves in the period of his last performance row when the roster's leave date falls
within that period, or when no later extract period has a row of his (he may have left without
the roster saying so yet). He is named in that period (本期离职) and again in the next period
(上期离职), where he is no longer assessed. A manager present in a period and missing from the
next one who has not left (he comes back later, or the next period is the latest one read) is
named in the next period as absent (上期参评、本期无业绩数据).
Read from the performance rows of every extract period, so it covers the periods of a build
that renders only some of them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator.extract.dataset import Dataset
from generator.extract.periods import Period


@dataclass(frozen=True)
class Departure:
    manager_id: str
    name: str
    unit_id: str  # his unit in his last period
    last_period: str  # the period of his last performance row before the departure
    leave_date: str  # the roster's leave date (ISO), or ""
    left: bool  # True: left (leave date or no later row); False: absent from the next period only


@dataclass(frozen=True)
class Departures:
    leaving: dict[str, list[Departure]]  # period -> those who leave in it (本期离职)
    gone: dict[str, list[Departure]]  # period -> those of the period before who are not in it

    def leaving_in(self, period: str) -> list[Departure]:
        return self.leaving.get(period, [])

    def gone_from(self, period: str) -> list[Departure]:
        return self.gone.get(period, [])

    def left_ids(self, period: str) -> set[str]:
        return {departure.manager_id for departure in self.leaving_in(period)}


def departures(dataset: Dataset) -> Departures:
    """Who leaves in each extract period, and who of the previous period is missing from each."""
    periods = sorted(dataset.periods, key=lambda period: period.id)
    performance = dataset.performance
    present = {period.id: performance.loc[performance["period"].eq(period.id), ["manager_id", "unit_id"]]
               .drop_duplicates("manager_id").set_index("manager_id")["unit_id"] for period in periods}
    last_seen = performance.groupby("manager_id")["period"].max().to_dict()
    leave_dates = _leave_dates(dataset.managers)
    names = dataset.managers["name"] if "name" in dataset.managers else pd.Series(dtype=object)
    leaving: dict[str, list[Departure]] = {}
    gone: dict[str, list[Departure]] = {}
    for index, period in enumerate(periods):
        following = periods[index + 1] if index + 1 < len(periods) else None
        here = present[period.id]
        for manager_id, unit_id in here.items():
            leave = leave_dates.get(str(manager_id))
            left = _leaves_in(period, leave) or (following is not None and last_seen.get(manager_id) == period.id)
            departure = Departure(str(manager_id), str(names.get(manager_id, "")), str(unit_id), period.id,
                                  leave.date().isoformat() if leave is not None else "", left)
            if left:
                leaving.setdefault(period.id, []).append(departure)
            if following is not None and manager_id not in present[following.id].index:
                gone.setdefault(following.id, []).append(departure)
    return Departures(leaving, gone)


def _leaves_in(period: Period, leave: pd.Timestamp | None) -> bool:
    return leave is not None and pd.Timestamp(period.start) <= leave <= pd.Timestamp(period.end)


def _leave_dates(managers: pd.DataFrame) -> dict[str, pd.Timestamp]:
    if "leave_date" not in managers:
        return {}
    dates = pd.to_datetime(managers["leave_date"], errors="coerce").dropna()
    return {str(manager): date for manager, date in dates.items()}
