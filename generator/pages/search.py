"""The per-period search index: every manager and unit by name and ID, as a script file
(a page opened from file:// cannot fetch JSON). Kept small: short keys, paths relative to
the period folder."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

import pandas as pd

from generator.pages import formatting as fmt
from generator.pages.context import PageContext, Shell
from generator.pages.paths import manager_page, search_page, unit_page


def search_script(period: str, table: pd.DataFrame | None, units: pd.DataFrame) -> str:
    """Managers (they have pages only when assessed) and every unit of the period."""
    entries = []
    managers = table if table is not None else pd.DataFrame(columns=["manager_id", "name", "unit_id"])
    unit_names = units["name"]
    for row in managers.sort_values("manager_id").itertuples(index=False):
        unit_name = unit_names.get(row.unit_id, "")
        entries.append({"k": "m", "n": getattr(row, "name", "") or "", "i": row.manager_id, "u": unit_name,
                        "h": _in_period(manager_page(period, cast(str, row.manager_id)), period)})
    for unit_id, unit in units.iterrows():
        entries.append({"k": "u", "n": unit["name"], "i": unit_id, "u": unit.get("level", ""),
                        "h": _in_period(unit_page(period, cast(str, unit_id)), period)})
    return f"window.SEARCH_INDEX = {fmt.script_json(entries)};\n"


def _in_period(path: str, period: str) -> str:
    return path.removeprefix(f"{period}/")


@dataclass(frozen=True, kw_only=True)
class SearchPage(PageContext):
    """A period's search page; the index it reads is the period's search-index.js."""

    template: ClassVar[str] = "search.html"
    period_label: str


def search_page_context(shell: Shell, period: str, period_label: str) -> SearchPage:
    return SearchPage(shell=shell, path=search_page(period), period_label=period_label)
