"""Inputs stay inside the data folder: a symbolic link (to a file or a folder) that leads out of
it is not followed, unless data.allow_links_outside names it. A link that stays inside is
followed like the file or folder it points at."""
from __future__ import annotations

from pathlib import Path

from generator.config.loading import LoadedConfig
from generator.errors import DataError


def outside_links(config: LoadedConfig, relative: str) -> list[str]:
    """Why the path `relative` (to the data folder) may not be read: one message per link on
    the way to it that leads out of the data folder and is not allowed by name."""
    data_dir = config.data_dir
    allowed = set(config.settings.data.allow_links_outside)
    roots = [data_dir.resolve()]  # where a followed link may lead: the data folder, the allowed links' targets
    problems = []
    current = data_dir
    for part in Path(relative).parts:
        current = current / part
        if not current.is_symlink():
            continue
        link = current.relative_to(data_dir).as_posix()
        target = current.resolve()
        if link in allowed:
            roots.append(target)
        elif not any(target.is_relative_to(root) for root in roots):
            problems.append(f"{link}: is a symbolic link to {target}, outside the data folder {data_dir}; it is "
                            "not followed. Fix: copy the extract into the data folder, or, if the link is "
                            f"intended, add {link!r} to data.allow_links_outside in site_config.yml.")
    return problems


def require_inside(config: LoadedConfig, relative: str) -> None:
    """Refuse (DataError) to read a path that leads out of the data folder through a link."""
    problems = outside_links(config, relative)
    if problems:
        raise DataError(problems)
