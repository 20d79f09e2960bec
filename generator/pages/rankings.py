"""The period's ranking tables: overall, per indicator and per group of every organization
model. Every manager, sortable by any column, filterable and searchable offline."""
from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, repeat
from typing import ClassVar, cast

import pandas as pd
from markupsafe import Markup, escape

from generator.assessment.counting import INELIGIBLE_COLUMN, counts
from generator.assessment.ranking import competition_rank
from generator.assessment.scoring import ItemRule
from generator.config.site import Indicator, OrgModel, SiteConfig
from generator.org.charts import OrgChart, label_column
from generator.pages import formatting as fmt
from generator.pages.context import PageContext, PageLink, Shell
from generator.pages.departures import DepartureList
from generator.pages.manager import movement_text
from generator.pages.paths import (
    group_ranking_page,
    item_ranking_page,
    manager_page,
    rankings_page,
    relative,
    safe_name,
)


def cache_by_argument(method):
    """Memoize a one-argument method per instance: the same rows serve many pages."""
    def cached(self, argument):
        store = self.__dict__.setdefault(f"_{method.__name__}", {})
        if argument not in store:
            store[argument] = method(self, argument)
        return store[argument]
    return cached


SEPARATOR = "\x00"  # escape leaves it as it is
ROWS_PER_BLOCK = 1_000
# what a group page reads of the period table
GROUP_COLUMNS = ("manager_id", "is_disqualified", "total", "grade", "rank_overall")
WHO_COUNTS_COLUMNS = ("disqualification_reason", "is_held", INELIGIBLE_COLUMN)  # what counting.counts reads
FILTERS = (("segment", "roster_segment"), ("grade", "grade"), ("region", "unit_depth1"))


@dataclass
class RankingSource:
    """What every ranking page of one period is made from."""

    table: pd.DataFrame  # the engine's published table
    points: pd.DataFrame | None  # exact hundredths, index manager_id (not needed by the overall ranking)
    detail: pd.DataFrame | None  # per item: actual, target, base, completion, counted
    period: str
    labels: dict[str, str]
    unit_names: pd.Series
    t: dict[str, str]
    # Manager pages exist per month: a roll-up links to those of its last month, where there is one.
    manager_pages_period: str | None = None
    managers_with_pages: frozenset[str] | None = None

    @cached_property
    def identities(self) -> dict[str, dict]:
        """Per manager, the parts of a row that are the same on every ranking page."""
        table = self.table
        region = table["unit_depth1"].map(self.unit_names) if "unit_depth1" in table else pd.Series("", table.index)
        segment = table["roster_segment"] if "roster_segment" in table else pd.Series("", table.index)
        return {manager: {"name": name, "manager_id": manager, "unit": unit, "file": f"{safe_name(manager)}.html",
                          "filters": {"segment": _text(seg), "grade": _text(grade), "region": _text(area)}}
                for manager, name, unit, seg, grade, area in zip(table["manager_id"], table["name"], table["unit_name"],
                                                                 segment, table["grade"], region)}

    @cached_property
    def held_ids(self) -> frozenset[str]:
        """The managers whose result is held (a rejected row names them)."""
        table = self.table
        return frozenset(table.loc[table["is_held"].astype(bool), "manager_id"]) if "is_held" in table else frozenset()

    @cached_property
    def escaped(self) -> dict[str, list[str]]:
        """The identities' texts escaped for HTML, field by field, in the identities' order."""
        people = self.identities.values()
        fields = {"name": [p["name"] for p in people], "manager_id": [p["manager_id"] for p in people],
                  "unit": [p["unit"] for p in people], "file": [p["file"] for p in people]}
        fields.update({key: [p["filters"][key] for p in people] for key, _ in FILTERS})
        return {field: _escaped(texts) for field, texts in fields.items()}

    @cache_by_argument
    def row_heads(self, filter_keys: tuple[str, ...]) -> dict[str, str]:
        """Per manager, a row's opening up to its rank: the page's filter values (the search box
        reads the name, ID and unit cells themselves)."""
        values = [self.escaped[key] for key in filter_keys]
        return {manager: "<tr" + "".join(f' data-{key}="{column[position]}"'
                                         for key, column in zip(filter_keys, values)) + '>\n<td class="num">'
                for position, manager in enumerate(self.identities)}

    @cache_by_argument
    def identity_cells(self, folder: str) -> dict[str, str]:
        """Per manager, the cells after the rank: name (linked to the manager page), ID and unit."""
        cells = {}
        folder = escape(folder)
        texts = self.escaped
        for position, manager in enumerate(self.identities):
            name = texts["name"][position]
            if self.has_page(manager):
                name = f'<a href="{folder}/{texts["file"][position]}">{name}</a>'
            cells[manager] = (f"</td><td>{name}</td><td>{texts['manager_id'][position]}</td>"
                              f"<td>{texts['unit'][position]}</td>\n")
        return cells

    def filter_options(self, ids: pd.Series) -> dict[str, list[str]]:
        """Per filter, the values found among `ids`; the whole table's are kept for the pages of everyone."""
        if len(ids) == len(self.table):
            return self._all_filter_options
        return self._options(ids.tolist())

    @cached_property
    def _all_filter_options(self) -> dict[str, list[str]]:
        return self._options(list(self.identities))

    def _options(self, ids: list[str]) -> dict[str, list[str]]:
        people = self.identities
        return {key: sorted({people[manager]["filters"][key] for manager in ids} - {""}) for key, _ in FILTERS}

    def manager_folder(self, page: str) -> str:
        """The manager pages' folder, relative to `page`."""
        return posixpath.dirname(relative(manager_page(self.manager_pages_period or self.period, "x"), page))

    def has_page(self, manager_id: str) -> bool:
        return self.managers_with_pages is None or manager_id in self.managers_with_pages


@dataclass(frozen=True)
class RankingTable:
    """A ranking table as ranking_table.html shows it: every manager, sortable and filterable."""

    columns: list[dict]  # label, numeric, searchable
    filters: list[dict]  # key, label, options
    row_blocks: RowBlocks  # the body, a thousand rows per block, assembled as it is written
    row_count: int
    held_note: str = ""  # "1 result held: …" when some of its managers' results are held


@dataclass(frozen=True, kw_only=True)
class RankingsPage(PageContext):
    """The overall ranking of a period or roll-up, with links to its other rankings."""

    template: ClassVar[str] = "rankings.html"
    period_label: str
    ranking_links: list[dict]  # per section (by item, per model): label and links
    held_note: str  # how many managers' results are held (a rejected row names them), or ""
    held: list[dict]  # the held managers, by ID: name, href (or None), manager_id, unit, reason
    table: RankingTable
    departures: list[DepartureList] = field(default_factory=list)  # leavers and the absent (pages.departures)
    ineligible: list[dict] = field(default_factory=list)  # eligibility-grades: the managers not eligible, why
    ineligible_note: str = ""  # how many are not eligible, or ""


@dataclass(frozen=True, kw_only=True)
class RankingListPage(PageContext):
    """One scored item's ranking, or one group's."""

    template: ClassVar[str] = "ranking_list.html"
    period_label: str
    heading: str
    back_href: str  # the overall ranking, relative to this page
    rule_note: str  # how this list is ranked
    table: RankingTable


def ranking_pages(shell: Shell, source: RankingSource, rules: list[ItemRule], settings: SiteConfig,
                  charts: list[OrgChart], period_label: str) -> Iterator[RankingListPage | RankingsPage]:
    """A period's ranking pages: one per scored item and one per group of every model, then the
    overall ranking linking to them. Made one at a time: each holds the cells of its whole
    table, megabytes at a province's size, and a period has dozens of these pages."""
    language, t = shell.lang, shell.t
    overall = rankings_page(source.period)
    indicators = {indicator.id: indicator for indicator in settings.indicators}
    models = {model.id: model for model in settings.org_models}
    sections = [(t["by_item"], t["item_ranking_rule"], item_rankings(source, rules, indicators, language))]
    sections += [(models[chart.model_id].label.text(language), t["group_ranking_rule"],
                  group_rankings(source, chart, models[chart.model_id], language)) for chart in charts]
    links = []
    for label, note, tables in sections:
        written = []
        for page, name, table in tables:
            yield RankingListPage(shell=shell, path=page, period_label=period_label, heading=f"{label} · {name}",
                                  back_href=relative(overall, page), rule_note=note, table=table)
            written.append(PageLink(name, relative(page, overall)))
        if written:
            links.append({"label": label, "links": written})
    yield RankingsPage(shell=shell, path=overall, period_label=period_label, ranking_links=links,
                       held_note=held_note(source), held=held_rows(source, overall),
                       table=overall_table(source, rules), **ineligible_section(source, overall))


def rollup_ranking_page(shell: Shell, source: RankingSource, rules: list[ItemRule], label: str) -> RankingsPage:
    """A roll-up's overall ranking (its items and groups are not ranked apart)."""
    page = rankings_page(source.period)
    return RankingsPage(shell=shell, path=page, period_label=label, ranking_links=[],
                        held_note=held_note(source), held=held_rows(source, page), table=overall_table(source, rules),
                        **ineligible_section(source, page))


def held_note(source: RankingSource) -> str:
    """"1 result held: …" when a rejected row holds some managers' results, else ""."""
    held = int(source.table["is_held"].sum()) if "is_held" in source.table else 0
    return source.t["held_count"].format(count=held) if held else ""


def _held_note(source: RankingSource, ids: pd.Series) -> str:
    """How many of a ranking's managers are held, said the way the rankings page says it ("" for none)."""
    held = int(ids.isin(source.held_ids).sum()) if source.held_ids else 0
    return source.t["held_count"].format(count=held) if held else ""


def held_rows(source: RankingSource, page: str) -> list[dict]:
    """The held managers, by ID, for the page's held section: unranked, each with why."""
    table = source.table
    if "is_held" not in table or not table["is_held"].any():
        return []
    held = table[table["is_held"].astype(bool)].sort_values("manager_id")
    folder = source.manager_folder(page)
    people = source.identities
    return [{"name": name, "manager_id": manager, "unit": unit, "reason": reason,
             "href": f"{folder}/{people[manager]['file']}" if source.has_page(manager) else None}
            for manager, name, unit, reason in zip(held["manager_id"], held["name"], held["unit_name"],
                                                   held["held_reason"])]


def ineligible_section(source: RankingSource, page: str) -> dict:
    """The ranking page's list of the managers not eligible, and the line that points to it."""
    rows = ineligible_rows(source, page)
    return {"ineligible": rows, "ineligible_note": source.t["ineligible_count"].format(count=len(rows)) if rows else ""}


def ineligible_rows(source: RankingSource, page: str) -> list[dict]:
    """Each manager not eligible (参评资格) with the reason, by ID: listed, never left out silently."""
    table = source.table
    if "is_ineligible" not in table:
        return []
    excluded = table[table["is_ineligible"].astype(bool)].sort_values("manager_id")
    folder = source.manager_folder(page)
    return [{"name": name, "manager_id": manager, "unit": unit, "reason": reason,
             "href": f"{folder}/{safe_name(manager)}.html" if source.has_page(manager) else ""}
            for manager, name, unit, reason in zip(excluded["manager_id"], excluded["name"], excluded["unit_name"],
                                                   excluded["ineligible_reason"])]


def overall_table(source: RankingSource, rules: list[ItemRule]) -> RankingTable:
    """The overall ranking: rank, identity, total, groups and items, grade, movement, awards."""
    page = rankings_page(source.period)
    t, labels = source.t, source.labels
    score_columns = _score_columns(rules)
    shown = score_columns + ["grade", "move_overall", "move_overall_note", "awards"]
    ordered = _ranked(source.table, "rank_overall", shown + (["is_held"] if "is_held" in source.table else []))
    columns = ([(labels.get(c, c), True) for c in score_columns]
               + [(t["grade"], False), (t["movement"], False), (t["awards"], False)])
    cells = [fmt.scores(ordered[c]) for c in score_columns] + [
        _grade_or_held(ordered, t["held"]),
        [movement_text(move, note, t)
         for move, note in zip(ordered["move_overall"].tolist(), ordered["move_overall_note"].tolist())],
        [_text(a) for a in ordered["awards"].tolist()]]
    return _table(source, page, ordered, _head(t, labels) + _columns(columns), ordered["rank_overall"], cells)


def item_rankings(source: RankingSource, rules: list[ItemRule], indicators: dict[str, Indicator], language: str
                  ) -> Iterator[tuple[str, str, RankingTable]]:
    """(path, item name, table) per scored item: ranked by the item's points, with what they came from."""
    for rule in rules:
        page = item_ranking_page(source.period, rule.key)
        yield page, rule.label.text(language), _item_table(source, rule, indicators.get(rule.source_id), page)


def _item_table(source: RankingSource, rule: ItemRule, indicator: Indicator | None, page: str) -> RankingTable:
    t, table = source.t, source.table
    assert source.detail is not None and source.points is not None, "item rankings need points and detail"
    rank_column = f"rank_{rule.column}"
    item = source.detail[rule.key]
    unit = indicator.unit if indicator is not None else ""
    actual_rank = f"rank_actual_{rule.source_id}" if f"rank_actual_{rule.source_id}" in table else None
    ordered = _ranked(table, rank_column, [actual_rank] if actual_rank else [])
    columns = _columns([(t["actual"], True), (t["target"], True), (t["counted"], True), (t["points"], True)])
    ids = ordered["manager_id"]
    figures = item.reindex(ids.to_numpy())
    cells = [_quantities(figures["actual"], unit), _quantities(figures["target"], unit),
             fmt.percents(figures["counted"]), fmt.scores(source.points[rule.column].reindex(ids.to_numpy()) / 100)]
    if actual_rank:
        columns.append(_rank_column(source.labels.get(actual_rank, actual_rank)))
        cells.append(_rank_texts(ordered[actual_rank], source.t["tied"]))
    return _table(source, page, ordered, _head(t, source.labels) + columns, ordered[rank_column], cells)


def group_rankings(source: RankingSource, chart: OrgChart, model: OrgModel, language: str
                   ) -> Iterator[tuple[str, str, RankingTable]]:
    """(path, group name, table) per group of the model's ranking level: its managers ranked
    within it by composite score, by the same tie rule as every other ranking."""
    label = label_column(language)
    nodes = chart.nodes
    members = chart.members.groupby("node_id")["manager_id"]
    shown = list(GROUP_COLUMNS) + [column for column in WHO_COUNTS_COLUMNS if column in source.table]
    assessed = source.table[shown].set_index("manager_id", drop=False)
    for node_id in ranking_groups(chart, model):
        page = group_ranking_page(source.period, model.id, node_id)
        ids = [m for m in members.get_group(node_id) if m in assessed.index] if node_id in members.groups else []
        yield page, cast(str, nodes.at[node_id, label]), _group_table(source, assessed.loc[ids], page)


def ranking_groups(chart: OrgChart, model) -> list[str]:
    """Groups whose managers are ranked together: the first level below the root (city
    branches, segments, tiers); for a composite model its finest cells (e.g. city × segment)."""
    depth = chart.nodes["depth"]
    level = depth.max() if model.type == "composite" else depth.min() + 1
    return list(chart.nodes[depth.eq(level)].sort_values("order").index)


def _group_table(source: RankingSource, members: pd.DataFrame, page: str) -> RankingTable:
    t = source.t
    assert source.points is not None, "group rankings need points"
    qualified = counts(members)  # the one rule of who counts
    totals = source.points.loc[members.index, "total"].where(qualified)
    rank = competition_rank(totals.astype(float))
    ordered = (members.assign(rank_in_group=rank).reset_index(drop=True)
               .sort_values(["rank_in_group", "manager_id"], na_position="last", kind="stable"))
    columns = _columns([(source.labels.get("total", "total"), True), (t["grade"], False)])
    columns.append(_rank_column(source.labels.get("rank_overall", t["rank_overall"])))
    cells = [fmt.scores(ordered["total"]), _grade_or_held(ordered, t["held"]),
             _rank_texts(ordered["rank_overall"], source.t["tied"])]
    return _table(source, page, ordered, _head(t, source.labels) + columns, ordered["rank_in_group"], cells)


def _table(source: RankingSource, page: str, ordered: pd.DataFrame, columns: list[dict], ranks: pd.Series,
           cells: list[list[str]]) -> RankingTable:
    filters = _filters(ordered["manager_id"], source)
    body = _rows(source, page, ordered["manager_id"], ranks, columns, filters, cells)
    return RankingTable(columns, filters, body, len(body.managers), _held_note(source, ordered["manager_id"]))


def _head(t: dict[str, str], labels: dict[str, str]) -> list[dict]:
    """Rank, then the identity columns the search box looks in."""
    identity = _columns([(t["name"], False), (labels.get("manager_id", "ID"), False),
                         (labels.get("unit_name", t["units"]), False)])
    return [_rank_column(t["rank"])] + [{**column, "searchable": True} for column in identity]


def _columns(pairs: list[tuple[str, bool]]) -> list[dict]:
    """Columns whose first click sorts the highest first (scores, amounts): the best, as a reader expects."""
    return [{"label": label, "numeric": numeric, "searchable": False, "ascending": False} for label, numeric in pairs]


def _rank_column(label: str) -> dict:
    """A rank column: its first click sorts rank 1 first."""
    return {"label": label, "numeric": True, "searchable": False, "ascending": True}


def _rows(source: RankingSource, page: str, ids: pd.Series, ranks: pd.Series, columns: list[dict],
          filters: list[dict], cells: list[list[str]]) -> RowBlocks:
    """The table body, one row per manager: rank, identity, link and the page's cells (given
    column by column). Assembled here rather than in the template: a period's ranking pages
    hold tens of thousands of rows, and a jinja loop over every cell was the slowest part of a
    nightly build. Every text passes through markupsafe's escape, as autoescaping would."""
    openings = ['<td class="num">' if column["numeric"] else "<td>" for column in columns[4:]]
    return RowBlocks(managers=ids.tolist(), heads=source.row_heads(tuple(f["key"] for f in filters)),
                     ranks=_rank_texts(ranks, source.t["tied"]),
                     identities=source.identity_cells(source.manager_folder(page)),
                     openings=openings, cells=cells)


@dataclass
class RowBlocks:
    """A ranking table's rows as HTML, made ROWS_PER_BLOCK at a time as the page is written.
    Made whole, the table's text, the page around it and its UTF-8 copy held about 70 MB for
    the overall ranking of a province."""

    managers: list[str]
    heads: dict[str, str]  # per manager, the row's opening up to its rank
    ranks: list[str]
    identities: dict[str, str]  # per manager, the cells after the rank
    openings: list[str]  # per further column, its cells' opening tag
    cells: list[list[str]]  # per further column, its texts, unescaped, in row order

    def __iter__(self) -> Iterator[Markup]:
        for start in range(0, len(self.managers), ROWS_PER_BLOCK):
            yield self._block(slice(start, start + ROWS_PER_BLOCK))

    def _block(self, rows: slice) -> Markup:
        managers = self.managers[rows]
        parts: list[Iterable[str]] = [[self.heads[manager] for manager in managers], self.ranks[rows],
                 [self.identities[manager] for manager in managers]]
        for opening, texts in zip(self.openings, self.cells):
            parts += [repeat(opening), _escaped(texts[rows]), repeat("</td>")]
        parts.append(repeat("</tr>\n"))
        # one join over the cells in reading order: rows of twenty cells each
        return Markup("".join(chain.from_iterable(zip(*parts))))


def _escaped(texts: list[str]) -> list[str]:
    """markupsafe's escape of every text, in one call over the joined column: escaping cell by
    cell was a third of the ranking pages' time. A separator no text contains keeps them apart."""
    if not texts:
        return []
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1:  # a text holds the separator itself: cell by cell
        return [str(escape(text)) for text in texts]
    return str(escape(joined)).split(SEPARATOR)


def _score_columns(rules: list) -> list[str]:
    """Total, the groups in config order, then the items of groups with more than one item
    (a one-item group's points are its item's points: one column says it)."""
    groups: dict[str, list[str]] = {}
    for rule in rules:
        groups.setdefault(rule.group, []).append(f"score_{rule.key}")
    items = [item for members in groups.values() if len(members) > 1 for item in members]
    return ["total"] + [f"group_{group}" for group in groups] + items


def _ranked(table: pd.DataFrame, rank_column: str, shown: list[str]) -> pd.DataFrame:
    """The columns a page shows, best rank first; ties (and the unranked, last) by manager ID."""
    columns = list(dict.fromkeys(["manager_id", rank_column, *shown]))
    return table[columns].sort_values([rank_column, "manager_id"], na_position="last", kind="stable")


def _grade_or_held(ordered: pd.DataFrame, held_text: str) -> list[str]:
    """The grade cells: a held manager's says held, not a blank a reader could take for "no grade earned"."""
    held = ordered["is_held"].astype(bool).tolist() if "is_held" in ordered else [False] * len(ordered)
    return [held_text if is_held else fmt.grade_text(g) for g, is_held in zip(ordered["grade"].tolist(), held)]


def _quantities(values: pd.Series, unit: str) -> list[str]:
    return fmt.quantities(values, unit) if unit else fmt.scores(values)


def _rank_texts(ranks: pd.Series, tied: str) -> list[str]:
    """Whole ranks as text, blank where there is none (a disqualified or held manager); a rank
    shared by two or more managers (competition ranking: 1, 2, 2, 4) is marked tied."""
    shared = ranks.duplicated(keep=False) & ranks.notna()
    return ["" if rank != rank else f"{int(rank)} {tied}" if is_shared else str(int(rank))
            for rank, is_shared in zip(fmt.floats(ranks), shared.tolist())]





def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _filters(ids: pd.Series, source: RankingSource) -> list[dict]:
    options = source.filter_options(ids)
    # a filter with one choice filters nothing
    return [{"key": key, "label": source.t["filter_" + key], "options": options[key]}
            for key, column in FILTERS if column in source.table and len(options[key]) > 1]
