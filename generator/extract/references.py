"""Reference files (the unit table and the roster) given once or per period: where each period's
file is, the error when it is missing, the manager's unit taken from the roster, and the tables
of every unit and manager as last seen (for names across periods)."""
from __future__ import annotations

from typing import Protocol

import pandas as pd

from generator.config.loading import LoadedConfig
from generator.config.reference import ManagersFile, UnitsFile, pattern_fields
from generator.errors import DataError
from generator.extract.files import ExtractFile
from generator.extract.periods import PeriodFolder


class RowReporter(Protocol):
    """The loader's FileCheck, as far as the unit comparison uses it."""

    extract: ExtractFile

    def report(self, rule: str, rows: pd.Index, frame: pd.DataFrame, field: str | None, /,
               case: str | None = None, cell_values: pd.Series | None = None, **values: object) -> None: ...

WHAT = {"units": "unit table", "managers": "roster"}


def reference_file(config: LoadedConfig, name: str, folder: PeriodFolder | None) -> str:
    """The path, relative to the data folder, of reference file `name` (units | managers) for a
    period: the one file, the file inside the period's folder, or the name pattern filled in."""
    spec: UnitsFile | ManagersFile = getattr(config.settings.reference, name)
    if not spec.per_period or folder is None:
        return spec.file
    if pattern_fields(spec.file):
        period = folder.period
        month = period.number if period.frequency == "monthly" else None
        quarter = (period.number - 1) // 3 + 1 if month is not None else period.number
        return spec.file.format(year=period.year, month=month, quarter=quarter)
    return (folder.path / spec.file).relative_to(config.data_dir).as_posix()


def require_reference(config: LoadedConfig, name: str, relative: str, folder: PeriodFolder) -> None:
    """A period without its own reference file stops the build, naming the path it was looked for at."""
    path = config.data_dir / relative
    if path.is_file():
        return
    spec = getattr(config.settings.reference, name)
    raise DataError([
        f"error: {relative}: period {folder.period.id} has no {WHAT[name]} file (reference.{name}.file "
        f"{spec.file!r} with per_period: true). Fix: put the period's {WHAT[name]} at {relative}, or set "
        f"reference.{name}.per_period: false to use one file for every period."])


def last_seen(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Every row's index once, as the last frame holding it has it (frames in period order)."""
    present = [frame for frame in frames if len(frame)] or frames[-1:]
    stacked = pd.concat(present) if len(present) > 1 else present[0]
    return stacked[~stacked.index.duplicated(keep="last")].sort_index()


def roster_units(check: RowReporter, frame: pd.DataFrame, managers: pd.DataFrame, authoritative: bool,
                 roster: str) -> None:
    """The manager's unit as the roster gives it. The performance file's own unit, when it has one,
    is compared with it: a difference rejects the row (which is right cannot be known from here).
    With `authoritative` (unit_from: roster) the roster's unit is the one the row keeps."""
    listed = frame["manager_id"].map(managers["unit_id"])  # NaN: not in the roster (unknown_manager says so)
    if "unit_id" not in check.extract.headers_used:
        frame["unit_id"] = listed.fillna("")
        return
    differs = listed.notna() & listed.ne("") & frame["unit_id"].ne("") & listed.ne(frame["unit_id"])
    for label in frame.index[differs]:
        check.report("unit_mismatch", pd.Index([label]), frame, "unit_id", roster=roster, listed=listed[label],
                     own=frame.at[label, "unit_id"])
    if authoritative:
        frame["unit_id"] = listed.where(listed.notna() & listed.ne(""), frame["unit_id"])
