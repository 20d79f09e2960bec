"""File names for IDs that come from the data, and relative links between pages.

An ID becomes a file name only if it is plainly safe: lowercase letters, digits, `-`
and `_`, not starting with `_`, and not a name Windows reserves. Anything else (Chinese
group names, `../`, upper case that would collide on a case-insensitive disk) is
replaced by `_` and a hash of the ID: no file name escapes its folder, and two IDs
never share one (safe names cannot start with `_`, hashed ones always do).
"""
from __future__ import annotations

import hashlib
import posixpath
import re

SAFE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)


def safe_name(identifier: str) -> str:
    if SAFE.fullmatch(identifier) and not WINDOWS_RESERVED.fullmatch(identifier):
        return identifier
    return "_" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:16]


def relative(target: str, current: str) -> str:
    """Link from page `current` to page `target`, both site-relative POSIX paths."""
    return posixpath.relpath(target, posixpath.dirname(current) or ".")


def unit_page(period: str, unit_id: str) -> str:
    return f"{period}/units/{safe_name(unit_id)}.html"


def group_page(period: str, model_id: str, node_id: str) -> str:
    return f"{period}/groups/{model_id}/{safe_name(node_id)}.html"


def org_chart_page(period: str, model_id: str) -> str:
    return f"{period}/org/{model_id}.html"


def org_ranking_page(period: str, model_id: str) -> str:
    return f"{period}/org/{model_id}-ranking.html"


def overview_page(period: str) -> str:
    return f"{period}/index.html"


def search_page(period: str) -> str:
    return f"{period}/search.html"


def rankings_page(period: str) -> str:
    return f"{period}/rankings.html"


def downloads_page(period: str, kind: str) -> str:
    """The period's assessment table as `csv` or `xlsx`."""
    return f"{period}/downloads/rankings-{period}.{kind}"


def manager_page(period: str, manager_id: str) -> str:
    return f"{period}/managers/{safe_name(manager_id)}.html"


def item_ranking_page(period: str, item_key: str) -> str:
    return f"{period}/rankings/item-{safe_name(item_key)}.html"


def group_ranking_page(period: str, model_id: str, node_id: str) -> str:
    return f"{period}/rankings/{safe_name(model_id)}/{safe_name(node_id)}.html"


def decisions_page(period: str) -> str:
    """The grade decisions (职级升降) of a decided period or roll-up."""
    return f"{period}/decisions.html"


def decisions_download(period: str, kind: str) -> str:
    return f"{period}/downloads/decisions-{period}.{kind}"
