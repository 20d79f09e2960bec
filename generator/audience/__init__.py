"""Per-audience builds (--audience UNIT): a site for one branch holding only its managers
and units. The assessment runs on the whole bank first, so bank-wide ranks stay true and
are shown as ranks; every table, chart, aggregate and data-quality row is then cut to
the branch, so no other branch's name or figure reaches the build.

May import: assessment, extract, config, errors.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from generator.assessment.engine import AssessedResult, PeriodAssessment
from generator.assessment.history import ManagerHistory
from generator.assessment.leavers import Departure, Departures, departures
from generator.assessment.site import SiteAssessments
from generator.errors import ConfigError
from generator.extract.dataset import Dataset, PeriodReference


def subtree(units: pd.DataFrame, unit_id: str) -> set[str]:
    if unit_id not in units.index:
        raise ConfigError([f"--audience: no unit {unit_id!r} in the unit table. "
                           "Fix: give the 机构编号 of the branch the site is for."])
    members, frontier = {unit_id}, [unit_id]
    while frontier:
        children = set(units.index[units["parent_id"].isin(frontier)]) - members
        members |= children
        frontier = list(children)
    return members


class Branch:
    """The branch's units: in the one unit tree, or, with a unit table per period
    (reference.units.per_period), in each period's own tree (a unit re-parented into or out of
    the branch belongs to it in the periods it sat under it)."""

    def __init__(self, dataset: Dataset, unit_id: str):
        self.unit_id = unit_id
        self.whole = subtree(dataset.units, unit_id)
        self.by_period = {period: subtree(reference.units, unit_id) if unit_id in reference.units.index else set()
                          for period, reference in dataset.by_period.items()}

    def of(self, periods: list[str]) -> set[str]:
        """The branch's units in any of the extract periods `periods`."""
        if not self.by_period:
            return self.whole
        return set().union(*(self.by_period.get(period, set()) for period in periods))


def audience_dataset(dataset: Dataset, unit_id: str) -> Dataset:
    """The branch's part of the dataset: its units (the branch as the root), the performance
    rows under them, those managers' other rows, roster entries and data-quality issues."""
    branch = Branch(dataset, unit_id)
    units = _branch_tree(dataset.units, branch.whole, unit_id)
    in_branch = pd.Series(False, index=dataset.performance.index)
    for period, rows in dataset.performance.groupby("period", sort=False).groups.items():
        in_branch.loc[rows] = dataset.performance.loc[rows, "unit_id"].isin(branch.of([str(period)]))
    performance = dataset.performance[in_branch]
    pairs = pd.MultiIndex.from_frame(performance[["period", "manager_id"]])
    managers = set(performance["manager_id"])
    return replace(
        dataset, units=units, performance=performance,
        managers=dataset.managers.loc[dataset.managers.index.isin(managers)],
        targets=_of_pairs(dataset.targets, pairs), evaluations=_of_pairs(dataset.evaluations, pairs),
        violations=_of_pairs(dataset.violations, pairs),
        issues=[issue for issue in dataset.issues if issue.manager_id in managers],
        by_period={period: PeriodReference(_branch_tree(reference.units, branch.of([period]), unit_id),
                                           reference.managers.loc[reference.managers.index.isin(managers)])
                   for period, reference in dataset.by_period.items()})


def _branch_tree(units: pd.DataFrame, kept: set[str], unit_id: str) -> pd.DataFrame:
    """The units of the branch, the branch as the root."""
    tree = units.loc[[unit for unit in units.index if unit in kept]].copy()
    if unit_id in tree.index:
        tree.loc[unit_id, "parent_id"] = ""
    return tree


def _of_pairs(frame: pd.DataFrame, pairs: pd.MultiIndex) -> pd.DataFrame:
    return frame[pd.MultiIndex.from_frame(frame[["period", "manager_id"]]).isin(pairs)]


@dataclass(frozen=True)
class AudienceSite:
    """What a site shows: the whole bank's, or one branch's part of it. Departures are found in
    the whole bank, then cut: a manager moved to another branch has not left the bank."""

    dataset: Dataset
    assessments: SiteAssessments
    departures: Departures


def cut_to_audience(dataset: Dataset, assessments: SiteAssessments, unit_id: str | None) -> AudienceSite:
    """The branch's part of the dataset and of the assessments made on the whole bank (none:
    the whole bank)."""
    if unit_id is None:
        return AudienceSite(dataset, assessments, departures(dataset))
    branch = Branch(dataset, unit_id)
    return AudienceSite(audience_dataset(dataset, unit_id), restrict_tables(assessments, branch),
                        _branch_departures(departures(dataset), branch))


def _branch_departures(whole: Departures, branch: Branch) -> Departures:
    """The departures of managers who were in the branch in the period they were last seen there."""
    def cut(lists: dict[str, list[Departure]]) -> dict[str, list[Departure]]:
        return {period: [d for d in found if d.unit_id in branch.of([d.last_period])]
                for period, found in lists.items()}
    return Departures(cut(whole.leaving), cut(whole.gone))


def restrict_result(result: AssessedResult, units_kept: set[str]) -> PeriodAssessment:
    """A period's assessment cut to the branch; the bank-wide count of ranked managers is
    kept beside it, so "rank 57 of 180" stays true."""
    assert isinstance(result, PeriodAssessment)  # the whole result: the shelf reloads it before the cut
    table = _branch_rows(result.table, units_kept)
    ids = table["manager_id"]
    return replace(result, table=table, points=result.points.loc[result.points.index.isin(ids)],
                   detail=result.detail.loc[result.detail.index.isin(ids)],
                   ranked_bankwide=int(result.table["rank_overall"].notna().sum()))


def restrict_tables(results: SiteAssessments, branch: Branch) -> SiteAssessments:
    """Every table of the assessment (periods, roll-ups, history) cut to the branch (as it stood
    in the result's extract periods)."""
    frame = results.history.frame if results.history is not None else None
    cut = results.results.restricted(
        lambda result: restrict_result(result, branch.of([member.id for member in result.members])))
    if frame is None:
        return replace(results, results=cut, history=None)
    in_branch = pd.Series(False, index=frame.index)
    for period, rows in frame.groupby("period", sort=False).groups.items():
        in_branch.loc[rows] = frame.loc[rows, "unit_id"].isin(branch.of([str(period)]))
    return replace(results, results=cut, history=ManagerHistory(frame[in_branch]))


def _branch_rows(table: pd.DataFrame, units_kept: set[str]) -> pd.DataFrame:
    branch = table[table["unit_id"].isin(units_kept)].copy()
    if "previous_unit_id" in branch:  # a transfer in keeps its flag, not the other branch's unit
        branch["previous_unit_id"] = branch["previous_unit_id"].where(branch["previous_unit_id"].isin(units_kept))
    return branch
