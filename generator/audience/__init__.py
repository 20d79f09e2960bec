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
from generator.assessment.site import SiteAssessments
from generator.errors import ConfigError
from generator.extract.dataset import Dataset


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


def audience_dataset(dataset: Dataset, unit_id: str) -> Dataset:
    """The branch's part of the dataset: its units (the branch as the root), the performance
    rows under them, those managers' other rows, roster entries and data-quality issues."""
    units_kept = subtree(dataset.units, unit_id)
    units = dataset.units.loc[sorted(units_kept, key=list(dataset.units.index).index)].copy()
    units.loc[unit_id, "parent_id"] = ""
    performance = dataset.performance[dataset.performance["unit_id"].isin(units_kept)]
    pairs = pd.MultiIndex.from_frame(performance[["period", "manager_id"]])
    managers = set(performance["manager_id"])
    return replace(
        dataset, units=units, performance=performance,
        managers=dataset.managers.loc[dataset.managers.index.isin(managers)],
        targets=_of_pairs(dataset.targets, pairs), evaluations=_of_pairs(dataset.evaluations, pairs),
        violations=_of_pairs(dataset.violations, pairs),
        issues=[issue for issue in dataset.issues if issue.manager_id in managers])


def _of_pairs(frame: pd.DataFrame, pairs: pd.MultiIndex) -> pd.DataFrame:
    return frame[pd.MultiIndex.from_frame(frame[["period", "manager_id"]]).isin(pairs)]


@dataclass(frozen=True)
class AudienceSite:
    """What a site shows: the whole bank's, or one branch's part of it."""

    dataset: Dataset
    assessments: SiteAssessments


def cut_to_audience(dataset: Dataset, assessments: SiteAssessments, unit_id: str | None) -> AudienceSite:
    """The branch's part of the dataset and of the assessments made on the whole bank (none:
    the whole bank)."""
    if unit_id is None:
        return AudienceSite(dataset, assessments)
    branch = subtree(dataset.units, unit_id)
    return AudienceSite(audience_dataset(dataset, unit_id), restrict_tables(assessments, branch))


def restrict_result(result: AssessedResult, units_kept: set[str]) -> PeriodAssessment:
    """A period's assessment cut to the branch; the bank-wide count of ranked managers is
    kept beside it, so "rank 57 of 180" stays true."""
    assert isinstance(result, PeriodAssessment)  # the whole result: the shelf reloads it before the cut
    table = _branch_rows(result.table, units_kept)
    ids = table["manager_id"]
    return replace(result, table=table, points=result.points.loc[result.points.index.isin(ids)],
                   detail=result.detail.loc[result.detail.index.isin(ids)],
                   ranked_bankwide=int(result.table["rank_overall"].notna().sum()))


def restrict_tables(results: SiteAssessments, units_kept: set[str]) -> SiteAssessments:
    """Every table of the assessment (periods, roll-ups, history) cut to the branch."""
    frame = results.history.frame if results.history is not None else None
    return replace(results, results=results.results.restricted(lambda result: restrict_result(result, units_kept)),
                   history=None if frame is None else ManagerHistory(frame[frame["unit_id"].isin(units_kept)]))


def _branch_rows(table: pd.DataFrame, units_kept: set[str]) -> pd.DataFrame:
    branch = table[table["unit_id"].isin(units_kept)].copy()
    if "previous_unit_id" in branch:  # a transfer in keeps its flag, not the other branch's unit
        branch["previous_unit_id"] = branch["previous_unit_id"].where(branch["previous_unit_id"].isin(units_kept))
    return branch
