"""Held results: a manager named by a rejected row gets no rank, grade or award in that period."""
from __future__ import annotations

from generator.assessment.engine import assess

PERIOD = "2026-10"
VIOLATIONS = f"periods/{PERIOD}/violations.csv"


def _table(bank):
    assessment = assess(bank.load())
    return assessment[PERIOD].table


def test_a_rejected_violation_row_holds_its_manager(bank):
    bank.append(VIOLATIONS, "000101,2026-10-15,迟到,1,2,disqualification cell holds 2")
    table = _table(bank)
    held = table.loc["000101"]
    assert bool(held["is_held"])
    assert held["rank_overall"] is None or str(held["rank_overall"]) == "<NA>"
    ranks = sorted(int(rank) for rank in table.drop(index="000101")["rank_overall"].dropna())
    assert ranks == list(range(1, len(table)))  # the others ranked 1..n-1, without him
    others = table.drop(index="000101")
    assert not others["is_held"].any()


def test_without_rejected_rows_nobody_is_held(bank):
    assert not _table(bank)["is_held"].any()


def test_the_held_manager_stays_listed_as_held_on_his_page_and_in_the_download(bank, tmp_path):
    from generator.pages.paths import manager_page, rankings_page
    from tests.conftest import run_build
    bank.append(VIOLATIONS, "000101,2026-10-15,迟到,1,2,disqualification cell holds 2")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force")
    assert result.returncode == 0, result.stderr
    page = (out / manager_page(PERIOD, "000101")).read_text(encoding="utf-8")
    assert "结果暂缓：数据待核实" in page
    # the rejected row: file, row, column, rule (its title, in Chinese), then the problem and the fix
    assert "<td>periods/2026-10/violations.csv</td><td>2</td><td>取消评选资格</td><td>应为“是”或“否”</td>" in page
    assert "填写“是”或“否”" in page  # and its fix
    rankings = (out / rankings_page(PERIOD)).read_text(encoding="utf-8")
    assert "1 人结果暂缓" in rankings
    rows = (out / PERIOD / "downloads" / f"rankings-{PERIOD}.csv").read_text(encoding="utf-8-sig").splitlines()
    header = rows[0].split(",")
    assert any(label in header for label in ("结果暂缓：数据待核实", "is_held"))
    held_column = next(i for i, label in enumerate(header) if label in ("结果暂缓：数据待核实", "is_held"))
    by_id = {row.split(",")[1]: row.split(",") for row in rows[1:]}
    assert by_id["000101"][held_column] == "True"
    assert by_id["000102"][held_column] == "False"


def _copy_scores(bank, source: str, target: str) -> None:
    """Give `target` the same figures as `source` in every period, so their totals tie."""
    for period in ("2026-09", "2026-10"):
        for name, kept in (("performance.csv", 3), ("targets.csv", 1), ("evaluations.csv", 1)):
            relative = f"periods/{period}/{name}"  # kept: id (name, unit) stay his own
            lines = bank.lines(relative)
            rows = {line.split(",", 1)[0]: line for line in lines}
            if source in rows and target in rows:
                head = ",".join(rows[target].split(",")[:kept])
                figures = rows[source][len(",".join(rows[source].split(",")[:kept])):]  # may hold "12,800.00"
                bank.write_lines(relative, [head + figures if line == rows[target] else line for line in lines])


def test_a_tie_is_labelled_tied_in_the_rankings_and_on_the_manager_page(bank, tmp_path):
    from generator.pages.paths import manager_page, rankings_page
    from tests.conftest import run_build
    _copy_scores(bank, "000101", "000102")
    table = _table(bank)
    assert table.at["000101", "rank_overall"] == table.at["000102", "rank_overall"]
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force")
    assert result.returncode == 0, result.stderr
    rank = int(table.at["000101", "rank_overall"])
    assert f"{rank} 并列" in (out / rankings_page(PERIOD)).read_text(encoding="utf-8")
    assert f"{rank} 并列" in (out / manager_page(PERIOD, "000102")).read_text(encoding="utf-8")


def test_the_home_grade_table_adds_up_to_the_head_count(bank, tmp_path):
    import re

    from tests.conftest import run_build
    bank.append(VIOLATIONS, "000101,2026-10-15,迟到,1,2,disqualification cell holds 2")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force")
    assert result.returncode == 0, result.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "未评级" in home
    rows = re.findall(r'<span class="swatch [^"]*"></span>([^<]+)</td><td class="num">(\d+)</td>', home)
    assert ("未评级", "1") in rows  # the held manager
    assert sum(int(count) for _, count in rows) == len(_table(bank))  # every manager of the period
