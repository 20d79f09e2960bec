"""What a manager's page shows, computed from the assessment of the period (and the one before)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

import pandas as pd

from generator.assessment.counting import COUNTED, standing
from generator.assessment.engine import AssessedResult
from generator.assessment.held import HeldRow
from generator.assessment.history import ManagerHistory
from generator.assessment.ranking import shared_ranks
from generator.assessment.scoring import BONUS_CUT
from generator.assessment.table import scope_key_column
from generator.i18n import Catalogue, catalogue, section
from generator.org.lookup import FrameLookup
from generator.pages import formatting as fmt
from generator.pages.context import PageContext, Shell
from generator.pages.paths import manager_page, relative, unit_page
from generator.pages.scoring_text import how

if TYPE_CHECKING:
    from generator.assessment.scoring import ItemRule


class ItemDetails:
    """Per manager and item, the engine's details (actual, target, base, completion, counted,
    reason) from the detail frame's (item, field) columns."""

    def __init__(self, detail: pd.DataFrame):
        self.lookup = FrameLookup(detail)
        self.fields: dict[str, list[tuple]] = {}
        for key, field in cast(pd.MultiIndex, detail.columns):
            self.fields.setdefault(key, []).append((field, (key, field)))

    def item(self, manager_id: str, key: str) -> dict:
        cells = self.lookup.at
        return {field: cells[manager_id, column] for field, column in self.fields[key]}


@dataclass(frozen=True)
class ItemColumns:
    """The parts of a breakdown row that are the same for every manager."""

    rule: ItemRule
    label: str
    method: str
    weight: str
    cap: str
    group_label: str


def item_columns(rules: list, language: str, labels: dict[str, str]) -> list[ItemColumns]:
    methods = section(catalogue(language), "method")
    return [ItemColumns(rule, rule.label.text(language), methods.get(rule.method, rule.method),
                        "—" if rule.method in ("bonus", "deduction") else f"{rule.weight:g}",
                        "—" if rule.cap is None else fmt.percent(rule.cap),
                        labels.get(f"group_{rule.group}", rule.group))
            for rule in rules]


def breakdown(points: dict, details: ItemDetails, manager_id: str, items: list[ItemColumns],
              words: Catalogue) -> list[dict]:
    """Groups with their items: method, weight, actual, target, completion, points. The points
    (the manager's row of exact hundredths) make every group the sum of its items."""
    groups: dict[str, dict] = {}
    for columns in items:
        rule = columns.rule
        group = groups.get(rule.group)
        if group is None:
            group = groups[rule.group] = {"label": columns.group_label, "rows": [],
                                          "points": fmt.score(points[f"group_{rule.group}"] / 100)}
        item = details.item(manager_id, rule.key)
        shown = fmt.score(points[f"score_{rule.key}"] / 100)
        explained = how(rule, item, shown, words)  # the bank's own table: its arithmetic in words
        group["rows"].append({
            "label": columns.label, "method": columns.method, "weight": columns.weight, "cap": columns.cap,
            "actual": _number(item["actual"]), "target": _target_text(rule, item, words),
            "completion": "" if explained else fmt.percent(item["completion"]),
            "counted": explained or fmt.percent(item["counted"]),
            "reason": _reasons(item["reason"], words), "points": shown})
    return list(groups.values())


def _reasons(codes, words: Catalogue) -> str:
    """The engine's reason codes in the site language."""
    if not isinstance(codes, str) or not codes:
        return ""
    return words["list.separator"].join(words.get(f"reason.{code}", code) for code in codes.split(","))


def _target_text(rule, item, words: Catalogue) -> str:
    """Growth items are measured against their base and a growth rate, not a target."""
    if rule.method in ("growth_prev", "growth_yoy") and not fmt.is_missing(item["base"]):
        return words["breakdown.growth_target"].format(base=_number(item["base"]),
                                                       growth=fmt.percent(rule.target_growth))
    return _number(item["target"])


def _number(value) -> str:
    return fmt.MISSING if fmt.is_missing(value) else f"{value:,.2f}"


def rank_columns(table: pd.DataFrame, labels: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(rank column, scope label, movement column, movement-note column) of every scope a
    manager is ranked in, in the table's order; per-item ranks have their own pages."""
    return [(column, labels.get(column, column.removeprefix("rank_")), f"move_{column.removeprefix('rank_')}",
             f"move_{column.removeprefix('rank_')}_note")
            for column in table.columns
            if column.startswith("rank_") and not column.startswith(("rank_score_", "rank_actual_"))]


def rank_rows(row: dict, columns: list[tuple[str, str, str, str]], t: dict[str, str],
              tied: frozenset[str] = frozenset()) -> list[dict]:
    """Every scope the manager is ranked in, with the movement since the previous period;
    `tied`: the rank columns in which another manager of his scope shares his rank (并列)."""
    rows = []
    for column, scope, move, note in columns:
        rank = row[column]
        if fmt.is_missing(rank) and row.get("standing", COUNTED) == COUNTED:
            continue  # a scope that does not apply, e.g. an outlet rank for a sub-branch manager
        unranked = t["held"] if row.get("is_held") else ""
        rows.append({"scope": scope, "rank": fmt.rank_text(rank, column in tied, t["tied"]) or unranked,
                     "move": movement_text(row.get(move), row.get(note, ""), t)})
    return rows


def tied_scopes(table: pd.DataFrame, rank_columns: list[str]) -> dict[str, frozenset[str]]:
    """Per manager (only those tied somewhere), the rank columns whose rank he shares with another
    manager of the same scope: the same unit for a unit rank, the bank for the overall one."""
    tied: dict[str, set[str]] = {}
    for column in rank_columns:
        key = scope_key_column(column)
        groups = table[key] if key is not None and key in table else None
        for manager in table.index[shared_ranks(table[column], groups).to_numpy()]:
            tied.setdefault(manager, set()).add(column)
    return {manager: frozenset(columns) for manager, columns in tied.items()}


def movement_text(move, note, t: dict[str, str]) -> str:
    """↑n, ↓n or —; the engine's notes (new, not_comparable) in the site language."""
    if isinstance(note, str) and note:
        return t.get(f"move_{note}", note)
    if move is None or pd.isna(move):
        return ""
    return f"↑{int(move)}" if move > 0 else f"↓{-int(move)}" if move < 0 else "—"


def rank_move(points: dict, previous: dict | None, columns: list[str], labels: dict[str, str]) -> list[dict] | None:
    """Each component's change since the previous period, in exact hundredths: they sum to
    the change of the total. None when the manager was not assessed then."""
    if previous is None:
        return None
    return [{"label": labels.get(column, column), "old": fmt.score(previous[column] / 100),
             "new": fmt.score(points[column] / 100), "change": f"{(points[column] - previous[column]) / 100:+.2f}",
             "is_total": column == "total"}
            for column in columns]


BREAKDOWN_COLUMNS = ("method", "weight", "actual", "target", "completion", "cap", "counted", "points")


def card_labels(t: Catalogue) -> str:
    """--c2 … --c9: the breakdown's column names (from its second column), which site.css shows
    above each figure when the breakdown reads as one card per item on a phone. Named once per
    page rather than on every cell: a data-label per cell cost 2.3 KB a page."""
    return ";".join(f"--c{position}:{_css_string(t[key])}" for position, key in enumerate(BREAKDOWN_COLUMNS, 2))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def history_rows(history: dict[str, list], t: Catalogue) -> list[dict]:
    """The periods where his history chart has a gap, each with why (held, absent ...). The other
    periods' figures are in the chart's own data; repeating them as a table cost 2.4 KB a page."""
    return [{"label": label, "total": fmt.score(total), "rank": "" if rank is None else int(rank),
             "note": t[f"history.{note}"]}
            for label, total, rank, note in zip(history["label"], history["total"], history["rank"], history["note"])
            if note]


def member_rows(table: pd.DataFrame, language: str = "zh-CN") -> dict[str, dict]:
    """Each assessed manager as a unit page lists him or her: the unit rank, total and grade."""
    rows = {}
    tied = shared_ranks(table["rank_unit"], table["unit_id"]).tolist()
    tied_word = catalogue(language)["tied"]
    peer: Any  # a row of the table, its cells as the columns hold them
    for peer, is_tied in zip(table.itertuples(index=False), tied):
        unranked = pd.isna(peer.rank_unit)
        rows[peer.manager_id] = {
            "name": peer.name, "manager_id": peer.manager_id, "total": fmt.score(peer.total),
            "grade": fmt.grade_text(peer.grade),
            "held": bool(getattr(peer, "is_held", False)),  # the unit page says so instead of a grade
            "rank": fmt.rank_text(peer.rank_unit, is_tied, tied_word),
            # the unit's rank order, the unranked (disqualified) last
            "order": (unranked, -peer.total if not pd.isna(peer.total) else 0.0, peer.manager_id)}
    return rows


# the published table's columns a manager page reads, besides its ranks and movements
SHOWN_COLUMNS = {"name", "unit_name", "unit_id", "total", "grade", "points_to_next_grade", "is_disqualified",
                 "disqualification_reason", "penalty", "awards", "is_new_hire", "is_transferred",
                 "is_held", "held_reason", "periods_present",
                 # eligibility-grades
                 "is_ineligible", "ineligible_reason", "grade_note", "grade_decision", "grade_decision_to",
                 "grade_decision_evidence"}


@dataclass(frozen=True, kw_only=True)
class ManagerPage(PageContext):
    """One manager in one period: his total and its parts, his grade and ranks, what moved since
    the period before, and his history."""

    template: ClassVar[str] = "manager.html"
    period_label: str
    manager_id: str
    name: str
    unit_name: str
    unit_href: str  # his unit's page, relative to this one
    total: str
    grade: str  # or the mark of none
    to_next: str  # points to the next grade
    rank_overall: int | str  # "" when unranked
    assessed: int  # managers ranked bank-wide, for "rank 57 of 180"
    disqualified: str  # the reason, or ""
    held: str  # the rejected rows that hold his result, with their fix, or ""
    held_rows: list[HeldRow]  # the same rows, field by field (file, row, column, rule, problem, fix)
    unscored: bool  # held without a performance row in the period: nothing to score, no breakdown
    ineligible: str  # why he is not eligible (参评资格), or ""
    grade_note: str  # "得分达到 资深客户经理；缺少 本科学历", a 破格 used, or ""
    decision: str  # the grade decision of the period (晋级 → 资深客户经理: evidence), or ""
    flags: list[str]  # held (a rejected row names him), new hire, transferred
    groups: list[dict]  # the score breakdown: each group with its items, points and what they came from
    penalty: str
    bonus_cut: str  # what the bonus cap took off, "" without a bonus cap
    ranks: list[dict]  # per scope: bank, unit at each depth, roster attributes
    moves: list[dict] | None  # what moved each component since the previous period (None: no previous)
    previous_label: str
    peers_link: str
    awards: str
    history_json: str  # his totals and ranks per period, for the history chart (script_json)
    history_rows: list[dict]  # the periods the chart has no point for: label, total, rank, note (why)
    card_labels: str  # the breakdown's column names as css properties, for its phone cards (card_labels())


class ManagerPages:
    """What the manager pages of one period share, made once: the shown columns, points and
    item details as lookups (generator.lookup), and the parts that are the same on every page."""

    def __init__(self, shell: Shell, period_label: str, result: AssessedResult, previous: AssessedResult | None,
                 rules: list[ItemRule], labels: dict[str, str], history: ManagerHistory,
                 held: dict[str, list[HeldRow]] | None = None):
        table, language = result.table, shell.lang
        self.held_rows = held or {}  # per held manager, the rejected rows (HeldRows.of the period's members)
        self.shell, self.period_label = shell, period_label
        self.result, self.rules, self.language, self.labels, self.history = result, rules, language, labels, history
        self.rank_columns = rank_columns(table, labels)
        flags = ("is_held", "is_new_hire", "is_transferred")
        self.flags = [(f, labels[f]) for f in flags if f in table and f in labels]
        ranked = {column for scope in self.rank_columns for column in (scope[0], scope[2], scope[3])}
        read = [column for column in table.columns if column in SHOWN_COLUMNS or column in ranked]
        self.rows = FrameLookup(table[read].assign(standing=standing(table)))  # whom rank_rows lists unranked
        self.points, self.details = FrameLookup(result.points), ItemDetails(result.detail)
        self.previous_points = FrameLookup(previous.points) if previous is not None else None
        self.previous_label = previous.period.label(language) if previous is not None else ""
        self.moved_columns = [c for c in result.points.columns if not c.startswith("group_")]
        bankwide = result.ranked_bankwide  # set when the table is cut to one branch (--audience)
        self.assessed = bankwide if bankwide is not None else int(table["rank_overall"].notna().sum())
        self.words = catalogue(language)
        self.items = item_columns(rules, language, labels)
        self.unit_sizes = table["unit_id"].value_counts().to_dict()
        counts = table["rank_overall"].value_counts()
        self.shared_ranks = {int(rank) for rank in counts.index[counts > 1]}  # competition ranks: 1, 2, 2, 4
        self.tied = tied_scopes(table, [scope[0] for scope in self.rank_columns])
        self.leaving: frozenset[str] = frozenset()  # who leaves in this period (assessment.leavers), flagged
        self.card_labels = card_labels(self.words)

    def _rank_overall(self, rank) -> int | str:
        """His bank-wide rank, "" when unranked, marked tied when another manager shares it."""
        if fmt.is_missing(rank):
            return ""
        return f"{int(rank)} {self.words['tied']}" if int(rank) in self.shared_ranks else int(rank)

    @property
    def manager_ids(self) -> list[str]:
        return list(self.rows.position)

    def page(self, manager_id: str) -> ManagerPage:
        row, points, period = self.rows.row(manager_id), self.points.row(manager_id), self.result.id
        path = manager_page(period, manager_id)
        return ManagerPage(
            shell=self.shell, path=path, period_label=self.period_label,
            manager_id=manager_id, name=row["name"], unit_name=row["unit_name"],
            unit_href=relative(unit_page(period, row["unit_id"]), path),
            total=fmt.score(row["total"]), grade=fmt.grade_text(row["grade"]),
            to_next=fmt.score(row["points_to_next_grade"]),
            rank_overall=self._rank_overall(row["rank_overall"]),
            assessed=self.assessed,
            disqualified=row["disqualification_reason"] if row["is_disqualified"] else "",
            held=row["held_reason"] if row.get("is_held") else "",
            held_rows=self.held_rows.get(manager_id, []) if row.get("is_held") else [],
            unscored=bool(row.get("is_held")) and row.get("periods_present") == 0,
            ineligible=_text(row.get("ineligible_reason")) if row.get("is_ineligible") else "",
            grade_note=_text(row.get("grade_note")),
            decision=decision_text(row, self.words),
            flags=[label for flag, label in self.flags if row[flag] is True]
            + ([self.words["leaver_flag"]] if manager_id in self.leaving else []),
            groups=breakdown(points, self.details, manager_id, self.items, self.words),
            penalty=fmt.score(row["penalty"]),
            bonus_cut=fmt.score(points[BONUS_CUT] / 100) if BONUS_CUT in points else "",
            ranks=rank_rows(row, self.rank_columns, self.words, self.tied.get(manager_id, frozenset())),
            moves=rank_move(points, self._previous_points(manager_id), self.moved_columns, self.labels),
            previous_label=self.previous_label,
            peers_link=self.words["peers_link"].format(count=self.unit_sizes[row["unit_id"]]),
            card_labels=self.card_labels,
            awards=row["awards"] if isinstance(row["awards"], str) else "",
            # by column: three years of {"label", "total", "rank"} rows were a fifth of the page
            **self._history(manager_id, period),
        )

    def _history(self, manager_id: str, period: str) -> dict:
        history = self.history.columns(manager_id, period)
        return {"history_json": fmt.script_json(history), "history_rows": history_rows(history, self.words)}

    def _previous_points(self, manager_id: str) -> dict | None:
        previous = self.previous_points
        return previous.row(manager_id) if previous is not None and previous.has_row(manager_id) else None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def decision_text(row: dict, words: Catalogue) -> str:
    """"晋级 → 资深客户经理：evidence", or "" when the period decides nothing for him."""
    decision = _text(row.get("grade_decision"))
    if not decision:
        return ""
    to = _text(row.get("grade_decision_to"))
    return words["decision.line_to" if to else "decision.line"].format(
        decision=words[f"decision.{decision}"], to=to, evidence=_text(row.get("grade_decision_evidence")))
