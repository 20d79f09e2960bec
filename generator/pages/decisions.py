"""The grade decisions page (职级升降) of a decided period or roll-up: who is promoted, demoted or
warned, to which grade, and the periods and scores that decided it (generator.assessment.decisions)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from generator.config.grading import GradeDecisions
from generator.i18n import Catalogue
from generator.pages import formatting as fmt
from generator.pages.context import PageContext, PageLink, Shell
from generator.pages.paths import decisions_download, decisions_page, manager_page, relative

KINDS = ("promote", "demote", "warning")
# the download's columns, in order: who, the grade he holds and the one decided, and why
DOWNLOAD_COLUMNS = ["period", "manager_id", "name", "unit_id", "unit_name", "current_grade", "total", "grade",
                    "grade_decision", "grade_decision_to", "grade_decision_evidence"]


@dataclass(frozen=True, kw_only=True)
class DecisionsPage(PageContext):
    """The promotions, demotions and warnings of one period, each with its evidence."""

    template: ClassVar[str] = "decisions.html"
    period_label: str
    intro: str  # the configured rule, in words
    status: str  # closed (final) or not yet (provisional)
    sections: list[dict]  # per kind: key, label, rows (name, href, manager_id, unit, current, to, total, evidence)
    downloads: list[PageLink]


def decision_rows(table: pd.DataFrame, roster_grades: pd.Series, words: Catalogue) -> pd.DataFrame:
    """The managers with a decision, by kind then ID, as the page and the downloads list them."""
    decided = table[table["grade_decision"].fillna("").ne("")].copy()
    decided["current_grade"] = roster_grades.reindex(decided.index)
    decided["order"] = decided["grade_decision"].map({kind: at for at, kind in enumerate(KINDS)})
    decided = decided.sort_values(["order", "manager_id"], kind="stable")
    decided["grade_decision"] = decided["grade_decision"].map(lambda kind: words[f"decision.{kind}"])
    return decided[DOWNLOAD_COLUMNS].assign(kind=decided["order"].map(dict(enumerate(KINDS))))


def decisions_page_context(shell: Shell, period: str, period_label: str, rows: pd.DataFrame, rules: GradeDecisions,
                           closed: bool, pages_period: str, with_pages: frozenset[str]) -> DecisionsPage:
    """`pages_period`: the month whose manager pages the rows link to (a roll-up's last month)."""
    t = shell.t
    path = decisions_page(period)
    sections = []
    for kind in KINDS:
        chosen = rows[rows["kind"].eq(kind)]
        sections.append({"key": kind, "label": t[f"decision.{kind}"],
                         "rows": [_row(row, pages_period, path, with_pages) for row in chosen.to_dict("records")]})
    downloads = [PageLink(kind.upper(), relative(decisions_download(period, kind), path)) for kind in ("csv", "xlsx")]
    return DecisionsPage(shell=shell, path=path, period_label=period_label,
                         intro=t["decisions_intro"].format(rule=rule_text(rules, t)),
                         status=t["decisions_closed" if closed else "decisions_provisional"], sections=sections,
                         downloads=downloads)


def _row(row: dict, pages_period: str, path: str, with_pages: frozenset[str]) -> dict:
    manager = str(row["manager_id"])
    return {"name": row["name"], "manager_id": manager, "unit": row["unit_name"],
            "href": relative(manager_page(pages_period, manager), path) if manager in with_pages else "",
            "current": _text(row["current_grade"]), "to": _text(row["grade_decision_to"]),
            "total": fmt.score(row["total"]), "evidence": _text(row["grade_decision_evidence"])}


def rule_text(rules: GradeDecisions, t: Catalogue) -> str:
    """The configured rule in the site's words: promotion, demotion and 末位 parts, joined."""
    parts = []
    if rules.promote is not None:
        parts.append(t["decision_rule.promote"].format(count=rules.promote.consecutive))
    if rules.demote is not None:
        parts.append(t["decision_rule.demote"].format(count=rules.demote.consecutive))
    if rules.bottom is not None:
        parts.append(t[f"decision_rule.bottom_{rules.bottom.action}"].format(share=f"{rules.bottom.share:.0%}"))
    return t["list.separator"].join(parts)


def _text(value) -> str:
    return value if isinstance(value, str) else ""
