"""Organization models (组织模式) as trees of nodes, and what each node holds in a period.

Every model becomes the same shape: a table of nodes (id, parent, depth, label) and a
table of memberships (node, manager, direct). A manager is a member of the node he or
she sits in (direct) and of every node above it, so a node's figures are always the
sum over its whole subtree. The unit is the one of the period's performance file (or roster),
so a manager who moved is counted under the unit of that period, once; with reference files per
period, the tree and the roster attributes are the period's own too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from generator.assessment.counting import COUNTED, EXCLUSIONS, standing
from generator.assessment.ranking import competition_rank, shared_ranks
from generator.config.site import AttributeModel, CompositeModel, Indicator, RegionModel, VolumeModel
from generator.extract.dataset import Dataset
from generator.i18n import in_each_language, pick
from generator.org.lookup import FrameLookup

ROOT = "*"  # the root node of a grouping model: all managers of the bank
TOP_MANAGERS = 3


def label_column(language: str) -> str:
    """The column of the nodes frame holding the labels in the site language: label_zh or label_en."""
    return f"label_{pick(language)}"


@dataclass
class OrgChart:
    """One organization model in one period."""

    model_id: str
    period: str
    nodes: pd.DataFrame  # index node_id: parent_id ("" for a root), depth, label_zh, label_en, order
    members: pd.DataFrame  # node_id, manager_id, direct
    stats: pd.DataFrame  # index node_id: headcount, direct_headcount, indicator figures, scores, ranks
    grades: pd.DataFrame  # node_id, grade, headcount (of the counted managers)
    top: pd.DataFrame  # node_id, place (the rank among the node's counted managers), tied, manager_id, name, score

    def children(self, node_id: str) -> list[str]:
        return list(self.children_by_node.get(node_id, []))

    @cached_property
    def children_by_node(self) -> dict[str, list[str]]:
        """Each node's children in the nodes frame's order, indexed once: a filter per node was
        quadratic in a province chart's 1,500 nodes."""
        children: dict[str, list[str]] = {}
        for node_id, parent in zip(self.nodes.index, self.nodes["parent_id"]):
            children.setdefault(parent, []).append(node_id)
        return children

    @cached_property
    def node_lookup(self) -> FrameLookup:
        return FrameLookup(self.nodes)

    @cached_property
    def stats_lookup(self) -> FrameLookup:
        return FrameLookup(self.stats)


def period_facts(dataset: Dataset, period: str, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per manager active in the period: unit, roster attributes, actuals, targets, score, grade
    and standing (counting.standing: whether he counts in the nodes' scores)."""
    performance = dataset.performance[dataset.performance["period"] == period].drop(columns=["period", "_row"])
    targets = dataset.targets[dataset.targets["period"] == period].drop(columns=["period", "_row"])
    facts = performance.merge(targets, on="manager_id", how="left", suffixes=("", "__target"))
    if scores is not None:  # held managers whose performance row was rejected: placed by the table's unit
        facts = _with_unscored(facts, scores[scores["period"] == period])
    # the period's own roster when given per period; its unit column, if any, is already the performance's unit_id
    roster = dataset.managers_in(period).drop(columns=["hire_date", "leave_date", "unit_id"], errors="ignore")
    facts = facts.merge(roster, left_on="manager_id", right_index=True, how="left")
    if scores is not None:
        chosen = scores[scores["period"] == period]
        chosen = chosen[["manager_id", "total", "grade"]].assign(standing=standing(chosen).to_numpy())
        facts = facts.drop(columns=["grade"], errors="ignore").merge(chosen, on="manager_id", how="left")
        facts["standing"] = facts["standing"].fillna(COUNTED)
    else:
        facts["total"] = np.nan
        facts["standing"] = COUNTED
    return facts.sort_values("manager_id", kind="stable").reset_index(drop=True)


def _with_unscored(facts: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """The facts and a row (unit only, no figures) per manager of the table without a performance row."""
    if "unit_id" not in scores:  # scores alone (no table): nobody to place
        return facts
    absent = scores[~scores["manager_id"].isin(facts["manager_id"])][["manager_id", "unit_id"]]
    return pd.concat([facts, absent], ignore_index=True) if len(absent) else facts


def build_chart(dataset: Dataset, model, period: str, facts: pd.DataFrame) -> OrgChart:
    nodes, members = _structure(dataset, model, facts, dataset.units_in(period))
    stats, grades, top = node_statistics(nodes, members, facts, dataset.config.settings.indicators)
    return OrgChart(model.id, period, nodes, members, stats, grades, top)


def build_charts(dataset: Dataset, period: str, scores: pd.DataFrame | None = None) -> list[OrgChart]:
    facts = period_facts(dataset, period, scores)
    return [build_chart(dataset, model, period, facts) for model in dataset.config.settings.org_models]


# --- structure ------------------------------------------------------------------------------

def _structure(dataset: Dataset, model, facts: pd.DataFrame, units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`units`: the period's unit tree (its own, when the unit table is given per period)."""
    if isinstance(model, RegionModel):
        return _unit_tree(units, facts)
    if isinstance(model, CompositeModel):
        return _composite(dataset, model, facts, units)
    return _grouping(_group_of(dataset, model, facts), model.label.zh, model.label.en)


def _unit_tree(units: pd.DataFrame, facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame({"parent_id": units["parent_id"], "depth": units["depth"],
                          "label_zh": units["name"], "label_en": units["name"],
                          "order": np.arange(len(units))}, index=units.index.rename("node_id"))
    return nodes, _ancestor_memberships(units["parent_id"], facts[["manager_id", "unit_id"]])


def _ancestor_memberships(parents: pd.Series, placed: pd.DataFrame) -> pd.DataFrame:
    """(unit, manager) for the manager's own unit and every unit above it."""
    parent_of = parents.replace("", None)
    frames, current, direct = [], placed["unit_id"], True
    while current.notna().any():
        present = current.notna()
        frames.append(pd.DataFrame({"node_id": current[present].values,
                                    "manager_id": placed["manager_id"][present].values, "direct": direct}))
        current, direct = current.map(parent_of), False
    if not frames:
        return pd.DataFrame({"node_id": pd.Series(dtype=object), "manager_id": pd.Series(dtype=object),
                             "direct": pd.Series(dtype=bool)})
    return pd.concat(frames, ignore_index=True)


def _group_of(dataset: Dataset, model, facts: pd.DataFrame) -> pd.DataFrame:
    """Each manager's group under an attribute or volume model: manager_id, group, label_zh, label_en, order."""
    if isinstance(model, AttributeModel):
        values = facts[model.attribute].fillna("") if model.attribute in facts else pd.Series("", index=facts.index)
        known = [v for v in model.order if v in set(values)] + sorted(set(values) - set(model.order) - {""})
        order = {value: index for index, value in enumerate(known)}
        order[""] = len(known)
        unset = in_each_language("org.unset")
        # a group's ID (it names the group's page) is its Chinese label, whatever the site language
        return pd.DataFrame({"manager_id": facts["manager_id"], "group": values.replace("", unset["zh"]),
                             "label_zh": values.replace("", unset["zh"]), "label_en": values.replace("", unset["en"]),
                             "order": values.map(order)})
    return _volume_groups(model, facts)


def _volume_groups(model: VolumeModel, facts: pd.DataFrame) -> pd.DataFrame:
    book = facts[model.indicators].fillna(0).sum(axis=1)
    tier = np.full(len(facts), len(model.tiers))
    for index in reversed(range(len(model.tiers))):
        tier = np.where(book.to_numpy() >= model.tiers[index].min, index, tier)
    below = in_each_language("org.below_tiers")
    labels = [(t.label.zh, t.label.en) for t in model.tiers] + [(below["zh"], below["en"])]
    return pd.DataFrame({"manager_id": facts["manager_id"], "group": [labels[t][0] for t in tier],
                         "label_zh": [labels[t][0] for t in tier], "label_en": [labels[t][1] for t in tier],
                         "order": tier})


def _grouping(groups: pd.DataFrame, root_zh: str, root_en: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    distinct = groups.drop_duplicates("group").sort_values(["order", "group"])
    nodes = pd.DataFrame({"parent_id": [""] + [ROOT] * len(distinct), "depth": [0] + [1] * len(distinct),
                          "label_zh": [root_zh, *distinct["label_zh"]], "label_en": [root_en, *distinct["label_en"]],
                          "order": np.arange(len(distinct) + 1)},
                         index=pd.Index([ROOT, *distinct["group"]], name="node_id"))
    members = pd.concat([
        pd.DataFrame({"node_id": groups["group"].values, "manager_id": groups["manager_id"].values, "direct": True}),
        pd.DataFrame({"node_id": ROOT, "manager_id": groups["manager_id"].values, "direct": False}),
    ], ignore_index=True)
    return nodes, members


def _composite(dataset: Dataset, model: CompositeModel, facts: pd.DataFrame,
               units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The unit tree cut at `depth`, each unit at the cut (or a shallower leaf) split into groups."""
    tree_nodes, tree_members = _unit_tree(units, facts)
    kept = tree_nodes[tree_nodes["depth"] <= model.depth]
    has_kept_child = kept["parent_id"].unique()
    cut = kept.index[(kept["depth"] == model.depth) | ~kept.index.isin(has_kept_child)]
    splitter = next(m for m in dataset.config.settings.org_models if m.id == model.split_by)
    groups = _group_of(dataset, splitter, facts).set_index("manager_id")
    at_cut = tree_members[tree_members["node_id"].isin(cut)].join(groups, on="manager_id")
    at_cut["child"] = at_cut["node_id"] + "/" + at_cut["group"]
    children = (at_cut.drop_duplicates("child").sort_values(["node_id", "order", "group"])
                .assign(parent_id=lambda f: f["node_id"], depth=lambda f: f["parent_id"].map(kept["depth"]) + 1)
                .set_index("child").rename_axis("node_id"))
    children["label_zh"] = children["parent_id"].map(kept["label_zh"]) + " · " + children["label_zh"]
    children["label_en"] = children["parent_id"].map(kept["label_en"]) + " · " + children["label_en"]
    children["order"] = np.arange(len(kept), len(kept) + len(children))
    nodes = pd.concat([kept, children[kept.columns]])
    members = pd.concat([
        tree_members[tree_members["node_id"].isin(kept.index)].assign(direct=False),
        pd.DataFrame({"node_id": at_cut["child"].values, "manager_id": at_cut["manager_id"].values, "direct": True}),
    ], ignore_index=True)
    return nodes, members


# --- statistics -----------------------------------------------------------------------------

def node_statistics(nodes: pd.DataFrame, members: pd.DataFrame, facts: pd.DataFrame,
                    indicators: list[Indicator]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    joined = members.merge(facts, on="manager_id", how="left")
    # grouped by the node IDs' integer codes: every groupby on the ID strings hashed them again,
    # some two hundred times per chart
    codes, node_ids = pd.factorize(joined["node_id"])
    joined["node_code"] = np.where(codes >= 0, codes, np.nan)  # a missing ID (-1) stays out of every group
    by_node = joined.groupby("node_code", sort=False)

    def per_node(values: pd.Series, **fill) -> pd.Series:
        return values.set_axis(node_ids[values.index.to_numpy().astype(np.int64)]).reindex(nodes.index, **fill)

    stats = pd.DataFrame(index=nodes.index)
    stats["headcount"] = per_node(by_node.size(), fill_value=0).astype("int64")
    stats["direct_headcount"] = per_node(joined[joined["direct"]].groupby("node_code").size(), fill_value=0)
    for indicator in indicators:
        for column, values in _indicator_figures(joined, indicator).items():
            stats[column] = per_node(values)
    # scores, ranks and grades: the counted managers only (generator.assessment.counting)
    standings = joined["standing"] if "standing" in joined else pd.Series(COUNTED, index=joined.index)
    counted = standings.eq(COUNTED)
    scores = joined["total"].where(counted).groupby(joined["node_code"])
    stats["score_mean"] = per_node(scores.mean())
    stats["score_median"] = per_node(scores.median())
    stats["scored"] = per_node(scores.count(), fill_value=0)
    for reason in EXCLUSIONS:
        stats[f"not_counted_{reason}"] = per_node(standings.eq(reason).groupby(joined["node_code"]).sum(),
                                                  fill_value=0).astype("int64")
    means = stats["score_mean"].round(2)  # nodes rank by the mean as published
    stats["rank_in_parent"] = competition_rank(means, nodes["parent_id"])
    stats["rank_in_level"] = competition_rank(means, nodes["depth"])
    stats["rank_in_parent_tied"] = shared_ranks(stats["rank_in_parent"], nodes["parent_id"])
    stats["rank_in_level_tied"] = shared_ranks(stats["rank_in_level"], nodes["depth"])
    grades = (joined[counted].dropna(subset=["grade"]).groupby(["node_id", "grade"]).size()
              .rename("headcount").reset_index())
    return stats, grades, _top_managers(joined[counted])


def _indicator_figures(joined: pd.DataFrame, indicator: Indicator) -> dict[str, pd.Series]:
    """Actual, target and attainment of one indicator per node. Attainment compares actual and
    target over the same managers (those with both), so a missing target cannot inflate it."""
    actual = joined[indicator.id]
    figures = {indicator.id: _aggregate(joined, actual, indicator)}
    target_column = f"{indicator.id}__target"
    if target_column not in joined:
        return figures
    target = joined[target_column]
    paired = actual.notna() & target.notna()
    matched_actual = _aggregate(joined[paired], actual[paired], indicator)
    matched_target = _aggregate(joined[paired], target[paired], indicator)
    figures[f"{indicator.id}__target"] = _aggregate(joined, target, indicator)
    ratio = matched_actual / matched_target.where(matched_target > 0)
    figures[f"{indicator.id}__attainment"] = ratio if indicator.better == "higher" else 2 - ratio
    return figures


def _aggregate(joined: pd.DataFrame, values: pd.Series, indicator: Indicator) -> pd.Series:
    """Sums for amounts and counts; for ratios a mean, weighted when the config says by what.
    Indexed by node code (node_statistics)."""
    nodes = joined["node_code"]
    if indicator.kind != "ratio":
        return values.groupby(nodes).sum(min_count=1)
    if indicator.weight_by is None:
        return values.groupby(nodes).mean()
    weights = joined[indicator.weight_by].where(values.notna())
    weighted = (values * weights).groupby(nodes).sum(min_count=1)
    return weighted / weights.groupby(nodes).sum(min_count=1).where(lambda w: w > 0)


def _top_managers(joined: pd.DataFrame) -> pd.DataFrame:
    """Per node, its counted managers ranked by total (ties share a place), those placed up to
    TOP_MANAGERS: everyone tied with the last place is shown too, never an arbitrary one of them."""
    scored = joined.dropna(subset=["total"])
    scored = scored.assign(place=competition_rank(scored["total"], scored["node_id"]))
    scored = scored[scored["place"] <= TOP_MANAGERS].sort_values(["node_id", "place", "manager_id"], kind="stable")
    scored = scored.assign(tied=shared_ranks(scored["place"], scored["node_id"]))
    shown = scored[["node_id", "place", "tied", "manager_id", "name", "total"]].rename(columns={"total": "score"})
    return shown.reset_index(drop=True)
