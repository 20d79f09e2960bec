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


# --- a manager whose own performance row is rejected, held everywhere; data.fail_on_reject ---

PERFORMANCE = f"periods/{PERIOD}/performance.csv"
NEGATIVE_BALANCE = ("000103,李娜,01010101,200.00", "000103,李娜,01010101,-200.00")  # row 4: negative_value


def _held_site(bank, tmp_path):
    from tests.conftest import run_build
    bank.replace(PERFORMANCE, *NEGATIVE_BALANCE)
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--no-cache", "--force")
    assert result.returncode == 0, result.stderr
    return out


def test_a_manager_whose_performance_row_is_rejected_is_listed_held_without_scores(bank):
    bank.replace(PERFORMANCE, *NEGATIVE_BALANCE)
    table = _table(bank)
    li = table.loc["000103"]  # no performance row left, yet listed
    assert bool(li["is_held"]) and not bool(li["is_disqualified"])
    assert li["result_status"] == "结果暂缓：数据待核实"
    assert li["held_reason"] == ("periods/2026-10/performance.csv 第 4 行「日均存款余额」列（余额或数量为负）："
                                 "日均存款余额不能为负数。修正：在源系统中更正正负号：余额、户数、张数等不能为负数")
    assert str(li["rank_overall"]) == "<NA>" and str(li["grade"]) == "nan"
    assert str(li["total"]) == "nan"  # nothing was scored: blank, not 0.00
    assert li["periods_present"] == 0
    assert li["unit_id"] == "0100"  # no performance row of his anywhere: listed under the root unit
    assert sorted(int(rank) for rank in table["rank_overall"].dropna()) == [1, 2, 3]
    assert set(table.loc[table.index != "000103", "result_status"]) == {"已评定"}


def test_a_held_manager_without_a_row_keeps_the_unit_of_his_nearest_row(bank):
    bank.replace(PERFORMANCE, "000102,王芳,01010102,3400.00", "000102,王芳,01010102,-3400.00")
    table = _table(bank)
    assert bool(table.at["000102", "is_held"])
    assert table.at["000102", "unit_id"] == "01010101"  # his September unit


def test_the_held_reason_is_worded_in_english_on_an_english_site(bank):
    bank.replace("site_config.yml", "language: zh-CN", "language: en")
    bank.replace(PERFORMANCE, *NEGATIVE_BALANCE)
    reason = _table(bank).at["000103", "held_reason"]
    assert reason.startswith("periods/2026-10/performance.csv, row 4, column 日均存款余额 "
                             "(Negative balance, count or ratio): ")
    assert "Fix: correct the sign" in reason
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in reason.replace("日均存款余额", ""))  # the header is the bank's


def test_the_held_manager_is_on_every_page_and_download(bank, tmp_path):
    import openpyxl

    from generator.pages.paths import manager_page, rankings_page, unit_page
    out = _held_site(bank, tmp_path)
    page = (out / manager_page(PERIOD, "000103")).read_text(encoding="utf-8")
    assert "结果暂缓：数据待核实" in page and "本期的业绩数据行被拒绝" in page
    assert ("<td>periods/2026-10/performance.csv</td><td>4</td><td>日均存款余额</td><td>余额或数量为负</td>"
            in page)
    assert "得分构成" not in page  # no breakdown of scores that were never made
    rankings = (out / rankings_page(PERIOD)).read_text(encoding="utf-8")
    assert "1 人结果暂缓" in rankings
    section = rankings[rankings.index('<section class="held-section"'):]
    assert "李娜" in section and "000103" in section and "余额或数量为负" in section
    unit = (out / unit_page(PERIOD, "0100")).read_text(encoding="utf-8")
    assert "1 人结果暂缓" in unit
    assert '<td>000103</td><td>—</td><td><span class="held">结果暂缓：数据待核实</span></td><td></td>' in unit
    assert 'title="结果暂缓：数据待核实">1 人结果暂缓</span>' in (out / PERIOD / "org" / "region.html").read_text(
        encoding="utf-8")
    csv_rows = (out / PERIOD / "downloads" / f"rankings-{PERIOD}.csv").read_text(encoding="utf-8-sig").splitlines()
    header = csv_rows[0].split(",")
    status, reason = header.index("结果状态"), header.index("被拒绝的数据行（修正后重新生成）")
    li = next(row.split(",") for row in csv_rows[1:] if row.split(",")[1] == "000103")
    assert li[status] == "结果暂缓：数据待核实" and li[reason].startswith("periods/2026-10/performance.csv 第 4 行")
    assert li[header.index("总排名")] == "" and li[header.index("职级")] == ""
    sheet = openpyxl.load_workbook(out / PERIOD / "downloads" / f"rankings-{PERIOD}.xlsx").active
    values = list(sheet.values)
    row = next(r for r in values[1:] if r[values[0].index("客户经理编号")] == "000103")
    assert row[values[0].index("结果状态")] == "结果暂缓：数据待核实"
    assert row[values[0].index("被拒绝的数据行（修正后重新生成）")].startswith("periods/2026-10/performance.csv")


def test_a_held_manager_reads_held_and_unranked_in_chromium(bank, tmp_path, open_page):
    from generator.pages.paths import rankings_page, unit_page
    out = _held_site(bank, tmp_path)
    opened = open_page(out / rankings_page(PERIOD))
    page = opened.page
    assert opened.errors == [] and opened.external == []
    assert page.get_by_text("1 人结果暂缓：数据待核实").first.is_visible()  # the count is stated
    row = page.locator("table.ranking tbody tr", has_text="000103")
    assert row.is_visible()
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == ""  # unranked
    assert "结果暂缓：数据待核实" in cells
    held = page.locator(".held-section")
    assert held.is_visible() and "李娜" in held.inner_text()
    node = open_page(out / unit_page(PERIOD, "0100")).page  # his org-chart node
    member = node.locator("table.members tbody tr", has_text="000103")
    assert member.is_visible()
    texts = member.locator("td").all_inner_texts()
    assert texts[3] == "结果暂缓：数据待核实" and texts[4] == ""  # held, no unit rank
    chart = open_page(out / PERIOD / "org" / "region.html").page
    assert chart.locator(".org-chart .node", has_text="测试省分行").first.locator(".kpi.held").inner_text() \
        == "1 人结果暂缓"


def test_fail_on_reject_fails_the_build_and_the_check_instead_of_holding(bank, tmp_path):
    from tests.conftest import run_build
    bank.append(VIOLATIONS, "000101,2026-10-15,迟到,1,2,disqualification cell holds 2")
    bank.replace("site_config.yml", "data:\n", "data:\n  fail_on_reject: [violations]\n")
    out = tmp_path / "site"
    for args in (["--check"], ["--out", str(out), "--no-cache", "--force"]):
        result = run_build("--config", str(bank.config), *args)
        assert result.returncode == 4, result.stderr
        assert "periods/2026-10/violations.csv: 1 row(s) rejected, and data.fail_on_reject lists violations" \
            in result.stderr
        assert "row 2, column 取消评选资格" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()  # nothing published


def test_fail_on_reject_leaves_other_roles_held(bank, tmp_path):
    from tests.conftest import run_build
    bank.replace(PERFORMANCE, *NEGATIVE_BALANCE)
    bank.replace("site_config.yml", "data:\n", "data:\n  fail_on_reject: [violations]\n")
    result = run_build("--config", str(bank.config), "--check", "--force")
    assert result.returncode == 0, result.stderr


def test_fail_on_reject_refuses_an_unknown_role_naming_the_valid_ones(bank):
    from tests.conftest import run_build
    bank.replace("site_config.yml", "data:\n", "data:\n  fail_on_reject: [violation]\n")
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 2
    assert "data.fail_on_reject[0]: 'violation' is not a role of the extracts; the roles are roster, performance, " \
           "targets, evaluations, violations" in result.stderr


def _rejected_performance_row(manager: str, period: str):
    from generator.extract.rules import make_issue, message
    return make_issue("negative_value", f"periods/{period}/performance.csv",
                      message("negative_value", what={"zh": "日均存款余额", "en": "average deposits"}),
                      row=2, period=period, column="日均存款余额", value="-1", manager_id=manager)


def test_held_in_a_month_is_held_in_the_roll_ups_containing_it_and_scored_on_his_other_months():
    from dataclasses import replace

    from tests.test_assessment_rollup import q3_bank
    data = q3_bank()
    august = data.performance["period"].eq("2026-08")
    data = replace(data, performance=data.performance[~(august & data.performance["manager_id"].eq("000101"))],
                   issues=[_rejected_performance_row("000101", "2026-08")])
    result = assess(data)
    quarter = result["2026-Q3"].table.loc["000101"]
    assert bool(quarter["is_held"]) and str(quarter["rank_overall"]) == "<NA>"
    assert (quarter["periods_present"], quarter["periods_total"]) == (2, 3)  # July and September scored
    assert quarter["total"] == quarter["total"]  # a number: worked out from his other months
    august_row = result["2026-08"].table.loc["000101"]
    assert bool(august_row["is_held"]) and august_row["periods_present"] == 0
    for month in ("2026-07", "2026-09"):  # the months around it are ranked as usual
        assert not bool(result[month].table.at["000101", "is_held"])
        assert str(result[month].table.at["000101", "rank_overall"]) != "<NA>"


def test_a_manager_whose_roster_row_is_rejected_is_held_by_id_with_his_roster_row_first(bank):
    bank.replace("managers.csv", "000102,王芳,女,110101199202022345,2018-07-15,",
                 "000102,王芳,女,110101199202022345,2018-07-15,2017-01-01")  # leave before hire: rejected
    table = _table(bank)
    wang = table.loc["000102"]
    assert bool(wang["is_held"]) and wang["name"] == "" and wang["periods_present"] == 0
    assert wang["held_reason"].startswith("managers.csv 第 3 行「离职日期」列（离职日期早于入职日期）")
    assert "periods/2026-10/performance.csv 第 3 行" in wang["held_reason"]  # and his rows of the period
    assert "periods/2026-09/" not in wang["held_reason"]


def test_an_id_the_roster_never_had_is_not_listed(bank):
    bank.append(PERFORMANCE, "000999,无名,01010101,100.00,0.00,1,0.00")
    assert "000999" not in _table(bank).index  # an unknown_manager row names nobody: data-quality page only


def test_every_ranking_of_the_held_manager_says_how_many_are_held(bank, tmp_path):
    from generator.pages.paths import item_ranking_page
    out = _held_site(bank, tmp_path)
    item = (out / item_ranking_page(PERIOD, "deposit_avg")).read_text(encoding="utf-8")
    assert "1 人结果暂缓：数据待核实" in item
    groups = [page.read_text(encoding="utf-8") for page in (out / PERIOD / "rankings").glob("*/*.html")]
    with_him = [page for page in groups if "000103" in page]
    assert with_him and all("1 人结果暂缓：数据待核实" in page for page in with_him)
    assert all("人结果暂缓" not in page for page in groups if "000103" not in page)
