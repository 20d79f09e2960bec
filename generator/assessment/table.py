"""The published table of one period: one row per manager, every number that decides pay."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from generator.assessment.as_of import PeriodRosters
from generator.assessment.as_of import standing as roster_standing
from generator.assessment.awards import award_column, winners
from generator.assessment.calendar import AssessedPeriod
from generator.assessment.counting import COUNTED, counts, standing
from generator.assessment.decisions import decision_columns
from generator.assessment.eligibility import ineligible_reasons
from generator.assessment.grades import Prerequisite, grade_with_prerequisites
from generator.assessment.inputs import PeriodInputs
from generator.assessment.ranking import Scope, competition_rank, movements, scope_ranks
from generator.assessment.scoring import TOTAL, ItemRule
from generator.config.assessment import AssessmentConfig
from generator.config.grading import ExcludedManagersGrade
from generator.config.site import Indicator
from generator.i18n import catalogue


@dataclass
class Context:
    """What stays the same across periods: config, roster, unit tree, ranking scopes."""

    config: AssessmentConfig
    rules: list[ItemRule]
    indicators: list[Indicator]
    managers: pd.DataFrame
    units: pd.DataFrame
    ancestors: pd.DataFrame
    depths: list[int]
    attributes: list[str]
    language: str
    rosters: PeriodRosters | None = field(default=None, repr=False)  # per-period references, when configured

    @property
    def words(self) -> dict[str, str]:
        return catalogue(self.language)

    @property
    def scopes(self) -> list[Scope]:
        return ([Scope("overall", None, False), Scope("unit", "unit_id", True)]
                + [Scope(f"depth{d}", f"unit_depth{d}", True) for d in self.depths]
                + [Scope(attribute, roster_column(attribute), False) for attribute in self.attributes])


def scope_key_column(rank_column: str) -> str | None:
    """The column whose equal values a rank column's managers compete within (as Context.scopes
    names them); None for the bank-wide ranks (overall, per item, per indicator)."""
    name = rank_column.removeprefix("rank_")
    if name == "overall" or name.startswith(("score_", "actual_")):
        return None
    if name == "unit":
        return "unit_id"
    if name.startswith("depth") and name[5:].isdigit():
        return f"unit_{name}"
    return roster_column(name)


def roster_column(attribute: str) -> str:
    """The table column of a roster attribute (prefixed: the roster's `grade` is not the assessed grade)."""
    return f"roster_{attribute}"


def build_table(context: Context, inputs: PeriodInputs, points: pd.DataFrame, disqualification: pd.Series,
                previous: pd.DataFrame | None, previous_points: pd.DataFrame | None,
                held: pd.Series | None = None) -> pd.DataFrame:
    """The wide table, indexed by manager id (sorted). `previous*`: the previous period of the same kind.

    `held`: per manager the rejected rows naming him ("" = none); like the disqualified, a held
    manager gets no rank, grade or award, and the others are ranked without him."""
    totals = points[TOTAL]
    change = totals - (previous_points[TOTAL].reindex(totals.index) if previous_points is not None else np.nan)
    held = held.reindex(totals.index, fill_value="") if held is not None else pd.Series("", index=totals.index)
    roster = context.managers.reindex(totals.index)
    ineligible = ineligible_reasons(context.config.eligibility, roster, inputs.period, context.language)
    kept_out = Standing(held.ne(""), disqualification.ne(""), ineligible.ne(""))
    table = _who(context, inputs, previous)
    table = table.join(points / 100)
    table["total_previous"] = (totals - change) / 100
    table["total_change"] = change / 100
    _blank_unscored(table, inputs, points)
    table["is_disqualified"] = disqualification.ne("")  # by a violation only; held: is_held, ineligible: is_ineligible
    table["disqualification_reason"] = disqualification
    table["is_held"] = held.ne("")
    table["held_reason"] = held
    table["is_ineligible"] = kept_out.ineligible
    table["ineligible_reason"] = ineligible
    qualified = counts(table)  # the one rule of who counts (generator.assessment.counting)
    table["result_status"] = result_status(standing(table), context.language)
    ranks = scope_ranks(table, context.scopes, totals.where(qualified).astype(float))
    by_score, from_roster = kept_out.keeping(context.config.grades.excluded_managers)
    table = table.join(_grades(context, roster, totals, by_score, from_roster, ranks["rank_overall"]))
    table = table.join(ranks)
    decided = context.config.grades.decisions
    if decided is not None and inputs.period.kind in decided.periods:
        table = table.join(decision_columns(decided, context.config.grades.active, table, totals, by_score,
                                            _roster_grades(roster), previous, inputs.period.label(context.language),
                                            context.language))
    if context.config.rankings.indicators:
        table = table.join(_indicator_ranks(context, inputs, points, qualified))
    table = table.join(movements(table, previous, context.scopes, _previous_standing(previous)))
    table = table.join(_awards(context, inputs, totals, qualified, _counted_change(change, previous)))
    return table.rename_axis(None)  # manager_id is a column too; one name, one meaning


def result_status(standings: pd.Series, language: str) -> pd.Series:
    """Per manager, in the site language, his standing (counting.standing): assessed, held (a rejected
    row names him), disqualified or not eligible. The downloads' reader sees why a row has no rank or
    grade without decoding true/false columns."""
    words = catalogue(language)
    return standings.map(lambda value: words[f"status.{STATUS_KEYS.get(value, value)}"]).astype(object)


STATUS_KEYS = {COUNTED: "assessed"}  # the catalogue's word for a counted result


def _blank_unscored(table: pd.DataFrame, inputs: PeriodInputs, points: pd.DataFrame) -> None:
    """No score for a manager present in none of the period's extract periods (a held manager whose
    performance row was rejected): his row says held, not 0 points. His penalty stays: it is his."""
    absent = inputs.roster["periods_present"].eq(0).to_numpy()
    if absent.any():
        scores = [column for column in points.columns if column != "penalty"] + ["total_previous", "total_change"]
        table.loc[absent, scores] = np.nan


def _counted_change(change: pd.Series, previous: pd.DataFrame | None) -> pd.Series:
    """The change of the total where the previous result counted: a rise measured from a held or
    disqualified result is no improvement an award may rest on."""
    if previous is None:
        return change
    return change.where(counts(previous).reindex(change.index, fill_value=False))


def _previous_standing(previous: pd.DataFrame | None) -> pd.Series | None:
    return standing(previous) if previous is not None else None


@dataclass(frozen=True)
class Standing:
    """Who is kept out of the ranks and awards, and why: held (a rejected row names him),
    disqualified (取消评选资格) or not eligible (参评资格), each a boolean Series on the table's index."""

    held: pd.Series
    disqualified: pd.Series
    ineligible: pd.Series

    @property
    def qualified(self) -> pd.Series:
        return ~(self.held | self.disqualified | self.ineligible)

    def keeping(self, rule: ExcludedManagersGrade) -> tuple[pd.Series, pd.Series]:
        """(graded by score, keeping the roster's grade) under assessment.grades.excluded_managers.
        A held result gets no grade at all: none may rest on a rejected row."""
        disqualified = self.disqualified & ~self.held
        ineligible = self.ineligible & ~self.held & ~self.disqualified
        by_score = self.qualified | (disqualified & (rule.disqualified == "score")) | (
            ineligible & (rule.ineligible == "score"))
        from_roster = (disqualified & (rule.disqualified == "roster")) | (ineligible & (rule.ineligible == "roster"))
        return by_score, from_roster


def _grades(context: Context, roster: pd.DataFrame, totals: pd.Series, by_score: pd.Series, from_roster: pd.Series,
            ranks: pd.Series) -> pd.DataFrame:
    """By score and prerequisites for `by_score`; the roster's grade, in the site's words when it is
    one of the system's, for `from_roster`; none for the others."""
    rules = context.config.grades
    prerequisite = Prerequisite(rules.prerequisites, roster, totals.to_numpy(), ranks, context.language)
    grades = grade_with_prerequisites(totals.to_numpy(), by_score.to_numpy(), rules.active, prerequisite,
                                      context.language)
    grades.index = totals.index
    grades["points_to_next_grade"] = grades["points_to_next_grade"] / 100
    if from_roster.any():
        kept = _roster_grades(roster)[from_roster]
        levels = {name: level for level in rules.active.levels for name in (level.name.zh, level.name.en, level.id)}
        grades.loc[kept.index, "grade"] = [levels[name].name.text(context.language) if name in levels else name
                                           for name in kept]
        grades.loc[kept.index, "grade_id"] = kept.map(lambda name: levels[name].id if name in levels else None)
        grades.loc[kept.index, "grade_note"] = context.words["grade_note.roster"]
    return grades


def _roster_grades(roster: pd.DataFrame) -> pd.Series:
    """The grade the roster gives each manager now (None where it gives none)."""
    if "grade" not in roster:
        return pd.Series(None, index=roster.index, dtype=object)
    return roster["grade"].where(roster["grade"].ne("") & roster["grade"].notna(), None)


def _who(context: Context, inputs: PeriodInputs, previous: pd.DataFrame | None) -> pd.DataFrame:
    index = inputs.index
    unit_id = inputs.roster["unit_id"]
    if context.rosters is not None and context.rosters.varies:
        stood = roster_standing(context.rosters, unit_id, inputs.roster["as_of"], context.depths)
        roster, unit_name, ancestors = stood.roster, stood.unit_name, stood.ancestors
    else:
        roster, unit_name = context.managers.reindex(index), unit_id.map(context.units["name"])
        ancestors = pd.DataFrame({depth: unit_id.map(context.ancestors[depth]) for depth in context.depths},
                                 index=index)
    table = pd.DataFrame({"period": inputs.period.id, "manager_id": index,
                          "name": roster["name"].fillna(""),  # "": a held manager whose roster row was rejected
                          "unit_id": unit_id, "unit_name": unit_name}, index=index)
    before = previous["unit_id"].reindex(index) if previous is not None else pd.Series(None, index=index, dtype=object)
    table["previous_unit_id"] = before
    table["is_transferred"] = before.notna() & before.ne(unit_id)
    table["is_new_hire"] = _hired_within(roster, inputs.period)
    table["periods_present"] = inputs.roster["periods_present"]
    table["periods_total"] = inputs.roster["periods_total"]
    table["is_partial"] = table["periods_present"] < table["periods_total"]
    for depth in context.depths:
        table[f"unit_depth{depth}"] = ancestors[depth]
    for attribute in context.attributes:
        table[roster_column(attribute)] = roster[attribute].where(roster[attribute].ne(""))
    return table


def _hired_within(roster: pd.DataFrame, period: AssessedPeriod) -> pd.Series:
    if "hire_date" not in roster:
        return pd.Series(False, index=roster.index)
    hired = roster["hire_date"]
    return (hired >= pd.Timestamp(period.start)) & (hired <= pd.Timestamp(period.end))


def _indicator_ranks(context: Context, inputs: PeriodInputs, points: pd.DataFrame,
                     qualified: pd.Series) -> pd.DataFrame:
    ranks = {}
    for rule in context.rules:
        ranks[f"rank_{rule.column}"] = competition_rank(points[rule.column].where(qualified).astype(float))
    for indicator in context.indicators:
        actual = inputs.actuals[indicator.id].where(qualified)
        ranks[f"rank_actual_{indicator.id}"] = competition_rank(actual, ascending=indicator.better == "lower")
    return pd.DataFrame(ranks, index=points.index)


def _awards(context: Context, inputs: PeriodInputs, totals: pd.Series, qualified: pd.Series,
            change: pd.Series) -> pd.DataFrame:
    """award_<id> per award (False where the award is not given in this kind of period) and their names."""
    won = pd.DataFrame(index=totals.index)
    for award in context.config.awards:
        given = award.periods is None or inputs.period.kind in award.periods
        won[award_column(award)] = (winners(award, totals, qualified, inputs.actuals, change) if given
                                    else pd.Series(False, index=totals.index))
    names = {award_column(award): award.label.text(context.language) for award in context.config.awards}
    winning = won.index[won.any(axis=1)] if names else won.index[:0]
    won["awards"] = ""
    won.loc[winning, "awards"] = ["、".join(names[column] for column in names if won.at[manager, column])
                                  for manager in winning]  # a handful of winners, not every manager
    return won
