"""The nightly publish: guards that keep a good site from being replaced by a broken build,
the manifest and provenance taken from the data (never the clock), progress and summary."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def build(bank, out, *args, env_extra=None):
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"} | (env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--config", str(bank.config), "--out", str(out),
                           *args], capture_output=True, text=True, timeout=300, env=env)


def test_a_sharply_smaller_site_is_refused_unless_forced(bank, tmp_path):
    out = tmp_path / "site"
    assert build(bank, out).returncode == 0
    before = (out / "manifest.json").read_bytes()
    refused = build(bank, out, "--period", "2026-10")  # one period of two: far fewer pages
    assert refused.returncode == 4, refused.stderr
    assert "not published, the site in" in refused.stderr and "--force" in refused.stderr
    assert (out / "manifest.json").read_bytes() == before and (out / "2026-09/index.html").is_file()
    forced = build(bank, out, "--period", "2026-10", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "--force: published although the site would shrink" in forced.stderr
    assert not (out / "2026-09/index.html").exists()


def test_a_high_reject_rate_is_refused_unless_the_config_allows_it(bank, tmp_path):
    bank.replace("site_config.yml", "max_reject_rate: 0.5", "max_reject_rate: 0.05")
    bank.replace("periods/2026-10/performance.csv", "3400.00,80.00", "三千四,80.00")
    bank.replace("periods/2026-10/performance.csv", '"12,800.00",300.00', '"12,800.00",三百')
    out = tmp_path / "site"
    refused = build(bank, out)
    assert refused.returncode == 4, refused.stderr
    assert "2 of 35 rows were rejected (5.7%; publish.max_reject_rate is 5.0%)" in refused.stderr
    assert not out.exists()
    bank.replace("site_config.yml", "max_reject_rate: 0.05", "max_reject_rate: 0.1")
    # 10% is above the overall 5.7%, but the month's performance file lost 2 of its 4 rows
    refused = build(bank, out)
    assert refused.returncode == 4 and "2 of its 4 rows were rejected (50.0%" in refused.stderr
    bank.replace("site_config.yml", "max_reject_rate: 0.1", "max_reject_rate: 0.5")
    assert build(bank, out).returncode == 0


def test_manifest_and_provenance_take_the_build_time_from_source_date_epoch(bank, tmp_path):
    out = tmp_path / "site"
    result = build(bank, out, env_extra={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["build_time"] == "2026-01-01T00:00:00Z"
    assert manifest["periods"] == ["2026-09", "2026-10"] and manifest["rows_read"] == 35
    overview = (out / "2026-10/index.html").read_text(encoding="utf-8")
    assert "<dd>2026-01-01T00:00:00Z</dd>" in overview
    performance = next(i for i in manifest["inputs"] if i["file"].endswith("2026-10/performance.csv"))
    assert f"<code>{performance['sha256']}</code>" in overview
    assert "2026-09/performance.csv" not in overview  # another period's input is not this one's provenance


def test_without_source_date_epoch_the_build_time_is_the_end_of_the_latest_period(bank, tmp_path):
    result = build(bank, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "site/manifest.json").read_text(encoding="utf-8"))
    assert manifest["build_time"] == "2026-10-31T00:00:00Z"


def test_progress_lines_and_summary_in_a_ci_log(bank, tmp_path):
    result = build(bank, tmp_path / "site")
    assert "rendered 2026-09 (1/2)" in result.stderr and "rendered 2026-10 (2/2)" in result.stderr
    assert "2 rebuilt (2026-09 … 2026-10)" in result.stderr
    assert "134 files, 35 rows read, 0 rejected, in " in result.stdout
    last = result.stdout.splitlines()[-1]  # the newcomer's next step: where to open the site
    assert last == f"open {(tmp_path / 'site' / 'index.html').absolute().as_uri()} in a browser (it works offline, from file://)"


def test_the_guards_can_compare_with_a_manifest_fetched_from_the_web_server(bank, tmp_path):
    assert build(bank, tmp_path / "published").returncode == 0
    fetched = tmp_path / "published-manifest.json"
    fetched.write_bytes((tmp_path / "published/manifest.json").read_bytes())
    refused = build(bank, tmp_path / "fresh-checkout-site", "--period", "2026-10", "--published-manifest", str(fetched))
    assert refused.returncode == 4 and "would shrink" in refused.stderr


def test_the_pipeline_examples_parse_and_use_only_real_options():
    import itertools
    import shlex

    import yaml

    from generator.cli import parse_args
    for name in ("github-actions-nightly.yml", "gitlab-ci-nightly.yml"):
        text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
        yaml.safe_load(text)
        command = next(line for line in text.replace("\\\n", " ").splitlines() if "python build.py" in line)
        words = shlex.split(command.split("build.py", 1)[1])
        arguments = list(itertools.takewhile(lambda word: not word.startswith("${"), words))  # CI's --force switch
        parsed = parse_args([*arguments, "--force"])  # argparse exits on an unknown option
        assert parsed.data is not None and str(parsed.out) == "$SITE", name
        assert text.index('current/" "$SITE/"') < text.index("python build.py"), "the published site first"


def test_a_second_build_into_the_same_site_stops_instead_of_mixing(bank, tmp_path):
    import fcntl
    out = tmp_path / "site"
    with open(tmp_path / ".site.lock", "w") as lock:  # as a build in progress holds it
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = build(bank, out)
    assert second.returncode == 2 and "another build is publishing to" in second.stderr
    assert not out.exists() and not (tmp_path / ".site.staging").exists()
    assert build(bank, out).returncode == 0  # the lock ends with its holder
