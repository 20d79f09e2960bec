"""What relative items (and config targets) read besides a manager's own row: the figures of
the scope he is compared in, and targets written in site_config.yml.

The pool a scope's figures come from holds only the managers who compete: the held
(a rejected row names them) and the disqualified (取消评选资格) are left out, as they are
of every ranking, so a suspect figure never moves anyone else's points. They are still
scored against the pool (where they would stand in it), with the reason `outside_pool`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from generator.assessment import exact
from generator.config.assessment import ConstantTarget
from generator.errors import ConfigError


def scope_keys(scope: str, unit_ids: pd.Series, ancestors: pd.DataFrame, roster: pd.DataFrame,
               where: str) -> np.ndarray:
    """Per manager, the key of the scope he is compared in (managers with equal keys together)."""
    if scope == "bank":
        return np.zeros(len(unit_ids), dtype=object)
    if scope == "unit":
        return unit_ids.to_numpy(object)
    if scope.startswith("depth") and scope[5:].isdigit():
        depth = int(scope[5:])
        if depth not in ancestors.columns:
            raise ConfigError([f"{where}.scope: {scope} is deeper than the unit tree, whose deepest level is "
                               f"depth{int(ancestors.columns.max())}. Fix: use depth1 to "
                               f"depth{int(ancestors.columns.max())}, unit or bank"])
        return unit_ids.map(ancestors[depth]).to_numpy(object)
    if scope not in roster.columns:
        raise ConfigError([f"{where}.scope: the roster has no column {scope!r}. Fix: read it in "
                           "reference.managers.columns, or use bank, unit or depth<d>"])
    return roster[scope].reindex(unit_ids.index).fillna("").to_numpy(object)


def scope_figures(actual: np.ndarray, keys: np.ndarray, pool: np.ndarray, lower_is_better: bool) -> dict:
    """Per row: the best actual of its scope's pool, the pool's exact total, the row's competition
    rank among the pool (1 + the pool members strictly better; tied values share it) and the number
    compared (the pool, plus the row itself when it is outside it)."""
    competing = pool & ~np.isnan(actual)
    codes, _ = pd.factorize(pd.Series(keys, dtype=object).fillna(""), sort=True)
    sign = -1.0 if lower_is_better else 1.0
    scored = pd.Series(np.where(competing, sign * actual, np.nan))  # higher is better now
    by_scope = scored.groupby(codes)
    micro = pd.Series(np.where(competing, exact.to_micro(np.where(np.isnan(actual), 0, actual)), 0))
    figures = {
        "best": sign * np.array(by_scope.transform("max"), dtype=float),
        "total": np.array(micro.groupby(codes).transform("sum"), dtype=float) / exact.MICRO,  # whole millionths
        "rank": np.array(by_scope.rank(method="min", ascending=False), dtype=float),
        "pool": np.array(by_scope.transform("count"), dtype=float),
    }
    outsiders = np.flatnonzero(~competing & ~np.isnan(actual))  # the held and disqualified: a handful
    rivalry = scored.to_numpy()
    for row in outsiders:
        rivals = rivalry[codes == codes[row]]
        figures["rank"][row] = 1 + np.count_nonzero(rivals > sign * actual[row])
        figures["pool"][row] += 1
    nobody = np.array(by_scope.transform("count"), dtype=float) == 0  # a scope with no one competing
    figures["total"][nobody] = np.nan  # (its best is NaN already; an outsider there ranks 1st of 1)
    return figures


def config_targets(target: float | ConstantTarget, roster: pd.DataFrame, index: pd.Index,
                   months: np.ndarray) -> np.ndarray:
    """The target written in the config for each manager: one number, or by a roster attribute
    (NaN for a value not listed and no default), times `months` (1, or the months present of a
    summed roll-up), kept to 6 decimals so the product is the decimal a person would write."""
    if isinstance(target, ConstantTarget):
        attribute = roster[target.by].reindex(index) if target.by in roster else pd.Series("", index=index)
        each = attribute.map(target.values).astype(float)
        if target.default is not None:
            each = each.fillna(target.default)
        values = each.to_numpy(float)
    else:
        values = np.full(len(index), float(target))
    return exact.to_micro(values * months) / exact.MICRO
