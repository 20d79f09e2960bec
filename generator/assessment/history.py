"""Every manager's total and overall rank in every monthly period assessed so far: what his
page's history chart shows."""
from __future__ import annotations

import numpy as np
import pandas as pd


class ManagerHistory:
    """Total and overall rank of every manager in every monthly period assessed so far. Each
    manager's row positions are found once, in period order, so a page's lookup does not scan
    every manager's rows; a province archive has three-quarters of a million."""

    def __init__(self, frame: pd.DataFrame):  # period, label, manager_id, total, rank
        self.frame = frame
        codes, _ = pd.factorize(frame["period"], sort=True)
        ordered = frame.take(np.argsort(codes, kind="stable"))
        self.periods, self.labels = ordered["period"].tolist(), ordered["label"].tolist()
        # as the chart's JSON needs them, converted once: a float total, a whole rank, or None
        self.totals = _numbers_or_none(ordered["total"], float)
        self.ranks = _numbers_or_none(ordered["rank"], int)
        self.positions = ordered.groupby("manager_id", sort=False).indices

    def columns(self, manager_id: str, up_to: str) -> dict[str, list]:
        """The manager's periods up to `up_to`, oldest first, as {"label", "total", "rank"} lists."""
        shown = [at for at in self.positions.get(manager_id, ()) if self.periods[at] <= up_to]
        return {"label": [self.labels[at] for at in shown], "total": [self.totals[at] for at in shown],
                "rank": [self.ranks[at] for at in shown]}


def _numbers_or_none(values: pd.Series, kind: type) -> list:
    """Each value as `kind` (float or int), a missing one as None."""
    floats = values.to_numpy(dtype="float64", na_value=np.nan).tolist()
    return [None if number != number else kind(number) for number in floats]
