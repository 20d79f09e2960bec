"""The jinja2 environment every page is rendered with: autoescaped, strict about undefined
names, templates compiled once per build."""
from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.resources import TEMPLATES


class PageEnvironment(Environment):
    """`row.name` on a dict looks up the key first. Jinja tries the attribute first and, for a
    dict, fails with an exception on every lookup: a third of a manager page's render time.
    No template calls a dict method."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment() -> Environment:
    # auto_reload off: the templates do not change during a build, and checking cost a stat per page
    return PageEnvironment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
