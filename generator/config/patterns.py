"""Period name patterns: how a bank names its period folders and files (periods.directory, and a
period file such as performance_{year}{month:02d}.csv), with {year}, {month} and {quarter} in
Python's format syntax. Only whole numbers, optionally zero-padded, are meaningful in a name, so
the format specs allowed are none, `d` and `0Nd` (N from 1 to 4): a name is always the pattern
filled with its period's numbers, which makes it the one name of that period."""
from __future__ import annotations

import fnmatch
import re
import string

from generator.config.base import PERIOD_FIELDS

SPEC = re.compile(r"(?:0[1-4])?d?")
EXAMPLE = {"year": 2026, "month": 10, "quarter": 3}


def pattern_fields(pattern: str) -> dict[str, str]:
    """Field -> format spec of a period pattern; ValueError naming what is wrong and the fix."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(f"{pattern!r} is not a valid pattern ({exc}). Fix: write the fields as {{year}}, "
                         "{month} or {month:02d}, {quarter}; a literal brace is written {{ or }}") from None
    fields: dict[str, str] = {}
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in EXAMPLE:
            raise ValueError(f"{pattern!r} has the field {{{name}}}; a period name knows only {{year}}, {{month}} "
                             "and {quarter}. Fix: correct the field's name, or write a literal brace as {{ or }}")
        if conversion or not SPEC.fullmatch(spec or ""):
            raise ValueError(f"{pattern!r}: {{{name}{'!' + conversion if conversion else ''}:{spec}}} is not a "
                             "number format a name can use. Fix: write {"
                             f"{name}}} (as it comes) or {{{name}:02d}} (zero-padded to 2 digits)")
        if name in fields:
            raise ValueError(f"{pattern!r} has {{{name}}} twice. Fix: name each field once")
        fields[name] = spec or ""
    return fields


def check_period_pattern(pattern: str, frequency: str, *, exactly: bool) -> str:
    """The pattern, when it suits periods of `frequency`: with `exactly` (a folder name) it uses
    every field of that frequency, otherwise (a file name) any of them or none."""
    fields = set(pattern_fields(pattern))
    needed = PERIOD_FIELDS[frequency]
    listed = ", ".join("{" + field + "}" for field in sorted(needed))
    if exactly and fields != needed:
        raise ValueError(f"directory {pattern!r} must use exactly the fields {listed} for {frequency} periods")
    if not exactly and not fields <= needed:
        raise ValueError(f"{pattern!r} uses {', '.join('{' + f + '}' for f in sorted(fields - needed))}, which a "
                         f"{frequency} period does not have. Fix: use only {listed}")
    return pattern


def period_name(pattern: str, year: int, number: int, frequency: str) -> str:
    """The pattern filled with a period's numbers: its folder's or file's name."""
    numbers = {"year": year, "month" if frequency == "monthly" else "quarter": number}
    return pattern.format(**numbers)


def example_name(pattern: str, frequency: str) -> str:
    """The pattern filled with an example period (2026-10, or 2026 Q3), for messages."""
    return period_name(pattern, 2026, EXAMPLE["month" if frequency == "monthly" else "quarter"], frequency)


def names_period_file(label: str, file: str) -> bool:
    """Whether an extract's label (its path in the data folder) is a file that `file` names: a period
    file's name, glob pattern (业绩_*.csv, branches/*.csv) or period-named file ({year}{month:02d}),
    inside any period's folder."""
    pattern = re.sub(r"\{[^{}]*\}", "*", file.replace("{{", "[{]").replace("}}", "[}]"))
    return fnmatch.fnmatchcase(label, pattern) or fnmatch.fnmatchcase(label, "*/" + pattern)
