"""The per-period search index: every manager and unit by name and ID, as a script file
(a page opened from file:// cannot fetch JSON). Kept small: short keys, paths relative to
the period folder."""
from __future__ import annotations

import json
from typing import cast

import pandas as pd

from generator.pages.paths import manager_page, unit_page


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
    payload = (json.dumps(entries, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
               .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))  # line ends to older JS engines
    return f"window.SEARCH_INDEX = {payload};\n"


def _in_period(path: str, period: str) -> str:
    return path.removeprefix(f"{period}/")
