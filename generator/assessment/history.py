"""Every manager's total and overall rank in every monthly period assessed so far: what his
page's history chart shows, with the periods he has no point in (held, absent) left as gaps."""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.assessment.counting import COUNTED, HELD

ABSENT = "absent"  # no row in the period: not assessed (no performance row), or outside this site


class ManagerHistory:
    """Total and overall rank of every manager in every monthly period assessed so far. Each
    manager's row positions are found once, in period order, so a page's lookup does not scan
    every manager's rows; a province archive has three-quarters of a million."""

    def __init__(self, frame: pd.DataFrame):  # period, label, manager_id, total, rank, standing
        self.frame = frame
        codes, _ = pd.factorize(frame["period"], sort=True)
        ordered = frame.take(np.argsort(codes, kind="stable"))
        self.periods, self.labels = ordered["period"].tolist(), ordered["label"].tolist()
        standings = ordered["standing"] if "standing" in ordered else pd.Series(COUNTED, index=ordered.index)
        self.notes = ["" if value == COUNTED else str(value) for value in standings.fillna(COUNTED).tolist()]
        # as the chart's JSON needs them, converted once: a float total, a whole rank, or None;
        # a held result's total rests on a rejected row, so it is no point on his line
        self.totals = [None if note == HELD else total
                       for total, note in zip(_numbers_or_none(ordered["total"], float), self.notes)]
        self.ranks = _numbers_or_none(ordered["rank"], int)
        self.positions = ordered.groupby("manager_id", sort=False).indices
        every = ordered.drop_duplicates("period")
        self.every_period = list(zip(every["period"].tolist(), every["label"].tolist()))  # in order

    def columns(self, manager_id: str, up_to: str) -> dict[str, list]:
        """The manager's periods from his first one up to `up_to`, oldest first, as {"label",
        "total", "rank", "note"} lists. A period between without his row is there with no total or
        rank (a gap in the chart's line, not a line drawn across it) and the note ABSENT; the note
        of a period he did not count in is his standing (counting: held, disqualified, ineligible)."""
        shown = {self.periods[at]: at for at in self.positions.get(manager_id, ()) if self.periods[at] <= up_to}
        columns: dict[str, list] = {"label": [], "total": [], "rank": [], "note": []}
        if not shown:
            return columns
        first = min(shown)
        for period, label in self.every_period:
            if first <= period <= up_to:
                at = shown.get(period)
                columns["label"].append(label)
                columns["total"].append(self.totals[at] if at is not None else None)
                columns["rank"].append(self.ranks[at] if at is not None else None)
                columns["note"].append(self.notes[at] if at is not None else ABSENT)
        return columns


def _numbers_or_none(values: pd.Series, kind: type) -> list:
    """Each value as `kind` (float or int), a missing one as None."""
    floats = values.to_numpy(dtype="float64", na_value=np.nan).tolist()
    return [None if number != number else kind(number) for number in floats]
