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
    from generator.pages.paths import manager_page
    from tests.conftest import run_build
    bank.append(VIOLATIONS, "000101,2026-10-15,迟到,1,2,disqualification cell holds 2")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force")
    assert result.returncode == 0, result.stderr
    page = (out / manager_page(PERIOD, "000101")).read_text(encoding="utf-8")
    assert "结果暂缓：数据待核实" in page
    rows = (out / PERIOD / "downloads" / f"rankings-{PERIOD}.csv").read_text(encoding="utf-8-sig").splitlines()
    header = rows[0].split(",")
    assert any(label in header for label in ("结果暂缓：数据待核实", "is_held"))
    held_column = next(i for i, label in enumerate(header) if label in ("结果暂缓：数据待核实", "is_held"))
    by_id = {row.split(",")[1]: row.split(",") for row in rows[1:]}
    assert by_id["000101"][held_column] == "True"
    assert by_id["000102"][held_column] == "False"
