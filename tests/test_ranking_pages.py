"""Rankings per indicator and per group of every organization model, as a reader meets them."""
from __future__ import annotations

import csv
import io
import re

from tests.test_sample_site import sample_site  # noqa: F401  (module-scoped sample build)


def table_rows(page, selector: str = "table.ranking tbody tr:not([hidden])") -> list[list[str]]:
    return page.eval_on_selector_all(selector, "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))")


def test_item_ranking_ranks_by_the_items_points_and_shows_what_they_came_from(tiny_site, open_page):
    opened = open_page(tiny_site / "2026-10/rankings.html")
    page = opened.page
    page.locator(".ranking-links summary").click()  # the other rankings are folded above the table
    page.get_by_role("link", name="日均存款余额", exact=True).click()
    page.wait_for_url("**/rankings/item-deposit_avg.html")
    rows = table_rows(page)
    # hand-checked in tests/test_assessment_tiny.py: weight 30, cap 1.1 → 32.98, 32.90, 31.74, 12.00
    assert [(r[0], r[1], r[7]) for r in rows] == [("1", "陈静", "32.98"), ("2", "王芳", "32.90"),
                                                  ("3", "张伟", "31.74"), ("4", "李娜", "12.00")]
    assert rows[3][4:7] == ["200.00 万元", "500.00 万元", "40.0%"]  # actual, target, counted completion
    assert [r[8] for r in rows] == ["1", "3", "2", "4"]  # the rank by balance differs from the rank by points
    assert opened.errors == [] and opened.external == []


def test_group_ranking_sorts_and_searches_offline(tiny_site, open_page):
    opened = open_page(tiny_site / "2026-10/rankings.html")
    page = opened.page
    page.locator(".ranking-links summary").click()
    page.locator(".ranking-links").get_by_role("link", name="个人", exact=True).click()
    assert page.locator("h1").inner_text() == "按客户类别 · 个人 · 2026年10月"
    assert [r[:2] for r in table_rows(page)] == [["1", "王芳"], ["2", "李娜"]]
    page.get_by_role("button", name="综合考评分").click()  # the first click: the best first
    assert [r[1] for r in table_rows(page)] == ["王芳", "李娜"]
    page.get_by_role("button", name="综合考评分").click()  # the second: ascending
    assert [r[1] for r in table_rows(page)] == ["李娜", "王芳"]
    page.locator("#ranking-controls input[type=search]").fill("王")
    assert [r[1] for r in table_rows(page)] == ["王芳"]
    assert opened.errors == []


def test_ranking_search_looks_in_name_id_and_unit_only_and_survives_sorting(tiny_site, open_page):
    opened = open_page(tiny_site / "2026-10/rankings.html")
    page = opened.page
    search = page.locator("#ranking-controls input[type=search]")
    count = page.locator("#ranking-controls [data-role=count]")
    search.fill("000103")  # an ID
    assert [r[1] for r in table_rows(page)] == ["李娜"] and count.inner_text() == "1"
    search.fill("江城东湖")  # part of a unit's name
    assert [r[1] for r in table_rows(page)] == ["陈静", "张伟"]
    page.get_by_role("button", name="综合考评分").click()  # the best first
    page.get_by_role("button", name="综合考评分").click()  # ascending: the rows move, the search still holds
    assert [r[1] for r in table_rows(page)] == ["张伟", "陈静"]
    search.fill("107.03")  # 陈静's total: a score is not an identity
    assert table_rows(page) == [] and count.inner_text() == "0"
    search.fill("东湖")
    page.locator("select[data-filter=segment]").select_option("个人")  # search and filter together
    assert sorted(r[1] for r in table_rows(page)) == ["李娜", "王芳"]
    assert opened.errors == []


def test_group_ranks_agree_with_the_engines_scope_ranks(sample_site):  # noqa: F811
    """The group pages rank by the same rule as the engine: per city branch = rank_depth1,
    per segment = rank_segment, read back from the published CSV."""
    table = published_table(sample_site / "2025-12/downloads/rankings-2025-12.csv")
    checked = 0
    for model, column in (("region", "市分行内排名"), ("segment", "客户类别内排名")):
        for page in sorted((sample_site / f"2025-12/rankings/{model}").glob("*.html")):
            for manager_id, rank in page_ranks(page):
                assert rank == table[manager_id][column], (page.name, manager_id)
                checked += 1
    assert checked > 300  # 2 models × ~180 assessed managers


def test_every_assessed_manager_is_in_one_group_per_grouping_model(sample_site):  # noqa: F811
    table = published_table(sample_site / "2025-12/downloads/rankings-2025-12.csv")
    for model in ("segment", "product", "volume"):
        listed = [manager for page in (sample_site / f"2025-12/rankings/{model}").glob("*.html")
                  for manager, _ in page_ranks(page)]
        assert sorted(listed) == sorted(table), model


def published_table(path) -> dict[str, dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return {row["客户经理编号"]: row for row in csv.DictReader(io.StringIO(text))}


ROW = re.compile(r'<td class="num">(\d*)(?: [^<]+)?</td><td><a href="[^"]+">[^<]*</a></td><td>([^<]+)</td>')


def page_ranks(page) -> list[tuple[str, str]]:
    """(manager ID, rank shown) per row of a ranking page's table, read from its HTML (a shared
    rank reads "12 并列": its number)."""
    return [(manager, rank) for rank, manager in ROW.findall(page.read_text(encoding="utf-8"))]


def test_header_search_stays_in_the_period_being_read(tiny_site, open_page):
    page = open_page(tiny_site / "2026-09/rankings.html").page
    box = page.locator(".site-header").get_by_role("searchbox", name="搜索")
    box.fill("张伟")
    box.press("Enter")
    page.wait_for_url("**/2026-09/search.html?q=*")
    assert page.locator("#search-results a").all_inner_texts() == ["张伟"]
    assert page.locator("#search-results a").get_attribute("href").startswith("managers/")


def test_rollups_have_a_ranking_page_linking_to_their_last_months_manager_pages(sample_site):  # noqa: F811
    table = published_table(sample_site / "2025-Q4/downloads/rankings-2025-Q4.csv")
    december = published_table(sample_site / "2025-12/downloads/rankings-2025-12.csv")
    html = (sample_site / "2025-Q4/rankings.html").read_text(encoding="utf-8")
    ranks = dict(page_ranks(sample_site / "2025-Q4/rankings.html"))
    assert ranks == {manager: row["总排名"] for manager, row in table.items() if manager in december}
    left = [manager for manager in table if manager not in december]
    assert left, "the sample has managers who left during the quarter"
    for manager in left:  # listed, without a link to a page that does not exist
        assert f"<td>{manager}</td>" in html
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="2025-Q4/rankings.html">' in home


def test_a_tables_rows_come_out_the_same_in_blocks_of_any_size(monkeypatch):
    from generator.pages import rankings as rankingview
    managers = [f"m{n}" for n in range(5)]
    blocks = rankingview.RowBlocks(
        managers, {m: '<tr data-grade="A">\n<td class="num">' for m in managers}, [str(n + 1) for n in range(5)],
        {m: f"</td><td>{m}</td>\n" for m in managers}, ['<td class="num">', "<td>"],
        [[f"{n}.00" for n in range(5)], ["<b>&", "", "甲", "\x00", "c"]])
    whole = "".join(blocks)
    monkeypatch.setattr(rankingview, "ROWS_PER_BLOCK", 2)
    pieces = list(blocks)
    assert len(pieces) == 3 and "".join(pieces) == whole
    assert whole.count("<tr ") == 5 == whole.count("</tr>\n")
    assert whole.startswith('<tr data-grade="A">\n<td class="num">1</td><td>m0</td>\n<td class="num">0.00</td>'
                            "<td>&lt;b&gt;&amp;</td></tr>\n")
