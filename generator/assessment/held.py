"""Held results (结果暂缓): which managers a rejected row of a period names, and why, in the site's words.

No rank, grade or award may rest on a rejected row, so a manager named by one (in any of the
period's files) is held in that period and in every roll-up containing it. A manager whose own
performance row was rejected has no row to be scored from; he is still listed, held, so that the
rankings, his page, his unit and the downloads say what happened instead of leaving him out.
Everything here derives from the dataset's issues, which the assessment cache's key covers (the
inputs' fingerprints): fixed rows and a rebuild lift the hold."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from generator.config.patterns import names_period_file
from generator.config.site import SiteConfig
from generator.errors import EXIT_PUBLISH_REFUSED, BuildError, Issue
from generator.extract.dataset import Dataset, InputFile
from generator.extract.periods import Period
from generator.extract.rules import RULES
from generator.i18n import catalogue, pick


@dataclass(frozen=True)
class HeldRow:
    """One rejected row that holds a manager's result, worded in the site language."""

    file: str
    row: str  # "" when the issue is about the whole file
    column: str
    rule: str  # the rule's title
    problem: str
    fix: str


class HeldRows:
    """Per extract period, the rejected rows naming each manager of the roster (listed or only counted)."""

    def __init__(self, dataset: Dataset, language: str):
        self.dataset = dataset
        self.language = pick(language)
        self.words = catalogue(language)

    @cached_property
    def by_period(self) -> dict[str, dict[str, list[HeldRow]]]:
        rows: dict[str, dict[str, list[HeldRow]]] = {}
        for issue in self.dataset.issues:
            if issue.severity == "reject" and issue.manager_id and issue.period:
                rows.setdefault(issue.period, {}).setdefault(issue.manager_id, []).append(self._row(issue))
        for item in self.dataset.inputs:  # rejected rows past the listed ones: counted, their managers known
            if item.period:
                for manager in item.unlisted_managers:
                    rows.setdefault(item.period, {}).setdefault(manager, []).append(self._unlisted(item.label))
        return rows

    @cached_property
    def roster_rows(self) -> dict[str, list[HeldRow]]:
        """The rejected roster rows, by manager: such a manager is unknown to the roster, so each of his
        period rows is rejected too (unknown_manager); his roster row is the first thing to fix."""
        roster = self.dataset.config.settings.reference.managers.file
        rows: dict[str, list[HeldRow]] = {}
        for issue in self.dataset.issues:
            if issue.severity == "reject" and issue.manager_id and issue.period is None and issue.file == roster:
                rows.setdefault(issue.manager_id, []).append(self._row(issue))
        return rows

    def of(self, members: list[Period]) -> dict[str, list[HeldRow]]:
        """The held managers of a period made of `members` (one extract period, or a roll-up's months)."""
        held: dict[str, list[HeldRow]] = {}
        for member in members:
            for manager, rows in self.by_period.get(member.id, {}).items():
                held.setdefault(manager, list(self.roster_rows.get(manager, []))).extend(rows)
        return held

    def reasons(self, members: list[Period], index: pd.Index) -> pd.Series:
        """Per manager of `index`, the held reason as one text ("" = not held)."""
        held = self.of(members)
        return pd.Series([self.text(held.get(manager, [])) for manager in index], index=index, dtype=object)

    def absent(self, members: list[Period], index: pd.Index) -> list[str]:
        """Held managers the period's tables do not list: their performance row was rejected (a manager of
        the roster, or one whose roster row was rejected). An ID the roster never had names nobody."""
        known = self.dataset.managers.index
        return sorted(manager for manager in self.of(members)
                      if manager not in index and (manager in known or manager in self.roster_rows))

    def text(self, rows: list[HeldRow]) -> str:
        return self.words["held.separator"].join(self._sentence(row) for row in rows)

    def _sentence(self, row: HeldRow) -> str:
        where = self.words["held.where_row"].format(file=row.file, row=row.row) if row.row else row.file
        if row.column:
            where += self.words["held.where_column"].format(column=row.column)
        return self.words["held.sentence"].format(where=where, rule=row.rule, problem=row.problem, fix=row.fix)

    def _row(self, issue: Issue) -> HeldRow:
        language = self.language
        return HeldRow(file=issue.file, row="" if issue.row is None else str(issue.row), column=issue.column or "",
                       rule=RULES[issue.rule].name(language), problem=issue.text(language),
                       fix=issue.fix_text(language))

    def _unlisted(self, file: str) -> HeldRow:
        return HeldRow(file=file, row="", column="", rule=self.words["held.unlisted_rule"],
                       problem=self.words["held.unlisted"], fix=self.words["held.unlisted_fix"])


def nearest_units(performance: pd.DataFrame, managers: list[str], period: str, root: str) -> pd.Series:
    """The unit a held manager without a performance row is listed under: that of his performance
    row nearest before the period, else nearest after it, else the root (the unit is unknown)."""
    rows = performance[performance["manager_id"].isin(managers)][["period", "manager_id", "unit_id"]]
    before = rows[rows["period"].astype(str) < period].sort_values("period").groupby("manager_id")["unit_id"].last()
    after = rows[rows["period"].astype(str) > period].sort_values("period").groupby("manager_id")["unit_id"].first()
    index = pd.Index(managers, name="manager_id")
    return before.reindex(index).fillna(after.reindex(index)).fillna(root).astype(object)


class RejectsRefused(BuildError):
    """data.fail_on_reject: a rejected row of a listed role fails the build instead of holding results."""

    exit_code = EXIT_PUBLISH_REFUSED  # as the reject guards refuse


def fail_on_reject_problems(dataset: Dataset) -> list[str]:
    """Per file of a role in data.fail_on_reject with rejected rows: what, its first rows, and the fix."""
    settings = dataset.config.settings
    chosen = set(settings.data.fail_on_reject)
    problems = []
    for item in dataset.inputs:
        roles = sorted(chosen & file_roles(settings, item))
        if item.rejected and roles:
            rows = [f"{issue.location()}: {issue.message} [rule {issue.rule}]" for issue in dataset.issues
                    if issue.severity == "reject" and issue.file == item.label and issue.period == item.period]
            shown = "; ".join(rows[:3]) + (f"; ... and {item.rejected - 3} more" if item.rejected > 3 else "")
            problems.append(
                f"{item.label}: {item.rejected} row(s) rejected, and data.fail_on_reject lists {', '.join(roles)}, "
                f"so the build fails instead of holding the results of the managers they name ({shown}). Fix: correct "
                f"the rows in {item.label} and rebuild; or remove {', '.join(roles)} from data.fail_on_reject to "
                "publish with those managers' results held (结果暂缓). --force does not lift this.")
    return problems


def file_roles(settings: SiteConfig, item: InputFile) -> set[str]:
    """The roles an extract was read as: roster, or the period files' performance, targets, ... ."""
    if item.period is None:
        return {"roster"} if item.label == settings.reference.managers.file else set()
    files = settings.periods.files
    specs = {"performance": files.performance, "targets": files.targets, "evaluations": files.evaluations,
             "violations": files.violations}
    return {role for role, spec in specs.items()
            if spec is not None and names_period_file(item.label, spec.file)}
