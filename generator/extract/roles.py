"""What each periodic file is read for: the roles (performance, targets, evaluations, violations),
the fields each takes from its file under which headers, and the files a role's name or glob
pattern finds in a period folder. A file named by several roles is read once for all of them."""
from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.config.loading import LoadedConfig
from generator.config.site import SiteConfig
from generator.config.spec import ExtractSpec
from generator.errors import DataError
from generator.extract.periods import PeriodFolder, period_file

KEY_FIELDS = ("manager_id", "unit_id", "indicator")  # one column however many roles read the file
ROLE_NAMES = ("performance", "targets", "evaluations", "violations")
Shape = Literal["wide", "long", "rows"]  # a row per manager | per manager and indicator | per violation


@dataclass(frozen=True)
class Role:
    name: str
    pattern: str  # periods.files.<name>.file: a file name or a glob pattern, maybe with {year}{month:02d}
    shape: Shape
    fields: dict[str, list[str]]  # field -> accepted headers; every one is required
    spec: ExtractSpec  # its config, for a workbook's sheet and header row

    def qualified(self, field: str) -> str:
        """The field's name in a read of a file several roles share: keys are shared, the rest are the role's
        (the actual and the target of deposits are two columns of one performance file)."""
        return field if field in KEY_FIELDS else f"{self.name}.{field}"


def period_roles(settings: SiteConfig) -> list[Role]:
    files = settings.periods.files
    performance = files.performance
    roles = [Role("performance", performance.file, performance.layout,
                  _columns(performance) | ({} if performance.layout == "long"
                                           else {i.id: i.column for i in settings.indicators}), performance)]
    if files.targets:
        targets = files.targets
        own = {i.id: i.target_column or i.column for i in settings.targeted_indicators}
        roles.append(Role("targets", targets.file, targets.layout,
                          _columns(targets) | ({} if targets.layout == "long" else own), targets))
    if files.evaluations:
        roles.append(Role("evaluations", files.evaluations.file, "wide",
                          _columns(files.evaluations) | {q.id: q.column for q in settings.qualitative},
                          files.evaluations))
    if files.violations:
        violations = files.violations
        roles.append(Role("violations", violations.file, "rows" if violations.layout == "rows" else "wide",
                          _columns(violations), violations))
    return roles


def _columns(spec) -> dict[str, list[str]]:
    return spec.columns.model_dump(exclude_none=True)


def role_files(config: LoadedConfig, folder: PeriodFolder, role: Role) -> list[str]:
    """The files of a role in a period folder, relative to the data folder, in name order. A plain
    name is returned even when missing (reading it says so); a pattern must match at least one file."""
    pattern = _in_period(role, folder)
    if not glob.has_magic(pattern):
        return [_relative(config, folder.path / pattern)]
    found = sorted(path for path in folder.path.glob(pattern) if path.is_file())
    if not found:
        where = _relative(config, folder.path)
        raise DataError([f"{where}: no file matches {pattern!r} (periods.files.{role.name}.file). Fix: add "
                         "the period's extract(s), or correct the pattern in site_config.yml."])
    return [_relative(config, path) for path in found]


def period_file_names(config: LoadedConfig, folder: PeriodFolder) -> list[str]:
    """Every file the period's roles read, once, relative to the data folder."""
    names = [name for role in period_roles(config.settings) for name in _matches(config, folder, role)]
    return list(dict.fromkeys(names))


def _matches(config: LoadedConfig, folder: PeriodFolder, role: Role) -> list[str]:
    """The role's files without requiring a match (a link check looks before the read reports)."""
    pattern = _in_period(role, folder)
    if not glob.has_magic(pattern):
        return [_relative(config, folder.path / pattern)]
    return [_relative(config, path) for path in sorted(folder.path.glob(pattern))]


def _in_period(role: Role, folder: PeriodFolder) -> str:
    """The role's file name or pattern with the period filled in (performance_{year}{month:02d}.csv)."""
    return period_file(role.pattern, folder.period)


def _relative(config: LoadedConfig, path: Path) -> str:
    return path.relative_to(config.data_dir).as_posix()
