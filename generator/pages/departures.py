"""The leavers and the absent of a period as its overview and rankings pages name them
(generator.assessment.leavers): who leaves in it, and who of the period before is no longer there."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from generator.assessment.leavers import Departure, Departures
from generator.pages.paths import manager_page


@dataclass(frozen=True)
class DepartureList:
    """One labelled list: "本期离职 1 人" and the people, each linked (site-root relative) to his
    page of his last period when it has one."""

    label: str
    people: list[dict]  # name, manager_id, unit, note, href ("" when no page)


def departure_lists(departures: Departures, period: str, t: Mapping[str, str], unit_names: pd.Series,
                    assessed: set[str]) -> list[DepartureList]:
    """The period's lists, those with nobody left out: leaving now, left last period, absent now."""
    gone = departures.gone_from(period)
    lists = [(t["leavers_now"], departures.leaving_in(period)),
             (t["leavers_before"], [d for d in gone if d.left]),
             (t["absent_now"], [d for d in gone if not d.left])]
    return [DepartureList(label.format(count=len(people)),
                          [_person(d, t, unit_names, assessed) for d in sorted(people, key=lambda d: d.manager_id)])
            for label, people in lists if people]


def _person(departure: Departure, t: Mapping[str, str], unit_names: pd.Series, assessed: set[str]) -> dict:
    if departure.leave_date:
        note = t["leave_date_note"].format(date=departure.leave_date)
    else:
        note = t["leave_no_later_rows"] if departure.left else ""
    return {"name": departure.name, "manager_id": departure.manager_id,
            "unit": str(unit_names.get(departure.unit_id, departure.unit_id)), "note": note,
            "href": manager_page(departure.last_period, departure.manager_id)
            if departure.last_period in assessed else ""}
