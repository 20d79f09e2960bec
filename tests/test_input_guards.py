"""Inputs stay inside the data folder, memory stays bounded on bad input, and the reject guard
judges each file and each period on its own (and --check gives its verdict)."""
from __future__ import annotations

import csv
import os

import pytest

from generator.errors import DataError
from generator.extract.loader import FirstRowsRefused
from generator.extract.tally import LISTED_PER_RULE
from tests.conftest import run_build

SECRET = "root:x:0:0:SECRET-ROOT-LINE:/root:/bin/bash"
PERFORMANCE = "periods/2026-10/performance.csv"
HEADER = "客户经理编号,客户经理姓名,所属机构编号,日均存款余额,新增贷款,新开账户数,不良贷款率"


def unknown_rows(count: int, start: int = 0) -> list[str]:
    return [f"9{start + i:05d},某某,010101,100.00,1.00,1,0.00" for i in range(count)]


def set_limit(bank, rate: float) -> None:
    bank.replace("site_config.yml", "max_reject_rate: 0.5", f"max_reject_rate: {rate}")


def outputs(result) -> str:
    return result.stdout + result.stderr


# --- links ----------------------------------------------------------------------------------

def test_a_period_folder_linked_from_outside_is_not_followed(bank, tmp_path):
    outside = tmp_path / "elsewhere" / "2026-11"
    outside.parent.mkdir()
    bank.path("periods/2026-10").rename(outside)
    os.symlink(outside, bank.path("periods/2026-10"))
    with pytest.raises(DataError) as caught:
        bank.load()
    [message] = caught.value.messages
    assert message.startswith("periods/2026-10: is a symbolic link to ") and str(outside) in message
    assert "not followed" in message and "data.allow_links_outside" in message


def test_a_file_linked_to_a_system_like_file_is_refused_and_its_content_never_shown(bank, tmp_path):
    passwd = tmp_path / "passwd"
    passwd.write_text(SECRET + "\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", encoding="utf-8")
    bank.path(PERFORMANCE).unlink()
    os.symlink(passwd, bank.path(PERFORMANCE))
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 1, outputs(result)
    assert f"{PERFORMANCE}: is a symbolic link to {passwd}" in result.stderr
    assert "SECRET" not in outputs(result) and "daemon" not in outputs(result)
    assert not (tmp_path / "site").exists()


def test_a_file_that_is_not_an_extract_is_refused_without_quoting_it(bank, tmp_path):
    bank.path(PERFORMANCE).write_text(SECRET + "\n" + SECRET + "\n", encoding="utf-8")
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 1, outputs(result)
    assert f"{PERFORMANCE}, row 1: none of the 1 column(s) of the first row is a header" in result.stderr
    assert "SECRET" not in outputs(result)


def test_a_link_outside_is_followed_when_the_config_allows_it_by_name(bank, tmp_path):
    outside = tmp_path / "warehouse-2026-10"
    bank.path("periods/2026-10").rename(outside)
    os.symlink(outside, bank.path("periods/2026-10"))
    bank.replace("site_config.yml", "  encoding: auto", "  encoding: auto\n  allow_links_outside: [periods/2026-10]")
    dataset = bank.load()
    assert [p.id for p in dataset.periods] == ["2026-09", "2026-10"] and len(dataset.performance) == 8


def test_a_link_that_stays_inside_the_data_folder_is_followed(bank):
    target = bank.path("periods/2026-10/targets.csv")
    target.rename(bank.path("targets-2026-10.csv"))
    os.symlink("../../targets-2026-10.csv", target)
    assert len(bank.load().targets) == 8


def test_an_allowed_link_path_must_stay_relative(bank):
    from generator.config.loading import load_config
    from generator.errors import ConfigError
    bank.replace("site_config.yml", "  encoding: auto", "  encoding: auto\n  allow_links_outside: [../etc]")
    with pytest.raises(ConfigError) as caught:
        load_config(bank.config)
    assert "allow_links_outside" in caught.value.messages[0]


# --- memory: early stop and counted rejects -------------------------------------------------

def test_a_file_whose_first_rows_are_all_rejected_is_not_read_further(bank, tmp_path):
    # a broken quote far down the file: reading it all would end in a CSV error (exit 1) instead
    bank.write_lines(PERFORMANCE, [HEADER] + unknown_rows(1500) + ['"unclosed,1,2'] + unknown_rows(10, 5000))
    with pytest.raises(FirstRowsRefused) as caught:
        bank.load()
    assert caught.value.messages[0].startswith(f"not published: {PERFORMANCE}: 1000 of its first 1000 rows were "
                                               "rejected (100.0%; publish.max_reject_rate is 50.0%)")
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 4, outputs(result)
    assert "so the rest of the file was not read" in result.stderr and "--force" in result.stderr


def test_rejects_past_the_first_hundred_per_rule_are_counted_not_listed(bank, tmp_path):
    set_limit(bank, 1.0)  # nothing refused: the whole file is read and published
    extra = LISTED_PER_RULE + 50
    bank.append(PERFORMANCE, *unknown_rows(extra))
    dataset = bank.load()
    listed = [i for i in dataset.issues if i.rule == "unknown_manager"]
    assert len(listed) == LISTED_PER_RULE and dataset.count("reject") == extra
    [item] = [i for i in dataset.inputs if i.label == PERFORMANCE]
    assert item.rejected == extra and item.unlisted == (("unknown_manager", 50),)
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, outputs(result)
    page = (out / "quality/2026-10.html").read_text(encoding="utf-8")
    assert "另有 50 条" in page and f"前 {LISTED_PER_RULE} 条" in page
    with (out / "quality/2026-10.quarantine.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    assert len(rows) == 1 + LISTED_PER_RULE + 1 and "另有 50 条" in rows[-1][4]


# --- guards per file and per period ---------------------------------------------------------

def reject_performance_rows(bank, period: str, count: int) -> None:
    path = f"periods/{period}/performance.csv"
    header, *rows = bank.lines(path)
    bank.write_lines(path, [header] + ["9" + row[1:] if i < count else row for i, row in enumerate(rows)])


def test_one_periods_performance_failing_is_refused_though_the_overall_rate_is_low(bank, tmp_path):
    set_limit(bank, 0.3)
    reject_performance_rows(bank, "2026-10", 4)  # every row of the month: 4 of 36 rows in all (11%)
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 4, outputs(result)
    assert (f"period 2026-10's performance data ({PERFORMANCE}): 4 of its 4 rows were rejected (100.0%; "
            "publish.max_reject_rate, applied to each file and each period on its own, is 30.0%)") in result.stderr
    assert "rows were rejected (11" not in result.stderr and not out.exists()


def test_one_file_over_the_limit_is_refused_and_named(bank, tmp_path):
    set_limit(bank, 0.3)
    header, *rows = bank.lines("periods/2026-10/targets.csv")
    bank.write_lines("periods/2026-10/targets.csv", [header] + ["9" + row[1:] for row in rows[:2]] + rows[2:])
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 4, outputs(result)
    assert "periods/2026-10/targets.csv: 2 of its 4 rows were rejected (50.0%" in result.stderr


def test_check_exits_4_with_the_guards_verdict_when_the_build_would_refuse(bank):
    reject_performance_rows(bank, "2026-10", 4)
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 4, outputs(result)
    assert "check failed: the build would not publish: period 2026-10's performance data" in result.stderr
    assert "check passed" not in result.stdout
    assert "the page-drop guard (publish.max_page_drop) needs the rendered site" in result.stderr
    forced = run_build("--config", str(bank.config), "--check", "--force")
    assert forced.returncode == 0, outputs(forced)


def test_check_says_what_it_judged_when_it_passes(bank):
    result = run_build("--config", str(bank.config), "--check")
    assert result.returncode == 0, outputs(result)
    assert "the reject guards would not refuse the build" in result.stdout
    assert "only a build judges it" in result.stdout


def test_force_publishes_a_refused_period_with_its_rows_quarantined(bank, tmp_path):
    set_limit(bank, 0.3)
    reject_performance_rows(bank, "2026-10", 4)
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out), "--force")
    assert result.returncode == 0, outputs(result)
    assert "--force: published although period 2026-10's performance data" in result.stderr
    quarantine = (out / "quality/2026-10.quarantine.csv").read_text(encoding="utf-8-sig")
    assert quarantine.count("unknown_manager") == 4
    assert "900101,(withheld),010101" in quarantine  # the name is not read from this file: not published
