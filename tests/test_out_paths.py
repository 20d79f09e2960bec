"""An --out or --cache that would overwrite what the build does not own is refused (exit 2) before
anything is written, by --check too; a second build waits (--wait) or stops saying who holds the lock."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, run_build


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("args", [["--out", "{data}"], ["--cache", "{data}"], ["--out", "{data}/site"],
                                  ["--out", "{root}"], ["--out", "{out}", "--cache", "{out}"],
                                  ["--out", "{out}", "--cache", "{out}/cache"], ["--out", "{other}"],
                                  ["--out", "{data}/../periods/.."]])
@pytest.mark.parametrize("check", [False, True])
def test_a_path_that_would_destroy_inputs_is_refused_before_anything_is_written(bank, tmp_path, args, check):
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("not a site", encoding="utf-8")
    before = {"bank": files(bank.root), "tmp": files(tmp_path)}
    words = [a.format(data=bank.root, root=tmp_path, out=tmp_path / "site", other=other) for a in args]
    result = run_build("--config", str(bank.config), *words, *(["--check"] if check else []))
    assert result.returncode == 2, result.stderr
    assert "Fix:" in result.stderr and "Traceback" not in result.stderr
    assert {"bank": files(bank.root), "tmp": files(tmp_path)} == before, "nothing may be written"


def test_a_site_published_before_is_not_refused(bank, tmp_path):
    assert run_build("--config", str(bank.config), "--out", str(tmp_path / "site")).returncode == 0
    assert run_build("--config", str(bank.config), "--out", str(tmp_path / "site")).returncode == 0


HOLD = """
import sys, time
from pathlib import Path
from generator.archive.publish import only_build
with only_build(Path(sys.argv[1]).resolve()):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(out, seconds):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out), str(seconds)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_build_stops_with_exit_2_naming_the_holder_and_touches_nothing(bank, tmp_path):
    out = tmp_path / "site"
    holder = hold_lock(out, 30)
    try:  # the state of a build killed mid-swap by an older version: must not be "repaired" under its feet
        (tmp_path / ".site.retired").mkdir()
        (tmp_path / ".site.staging").mkdir()
        result = run_build("--config", str(bank.config), "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert f"pid {holder.pid}" in result.stderr and "--wait" in result.stderr
        assert (tmp_path / ".site.retired").is_dir() and (tmp_path / ".site.staging").is_dir()
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_second_build_with_wait_waits_once_told_then_publishes(bank, tmp_path):
    out = tmp_path / "site"
    holder = hold_lock(out, 2)
    started = time.monotonic()
    result = run_build("--config", str(bank.config), "--out", str(out), "--wait", "60")
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("waiting up to 60 s") == 1 and f"pid {holder.pid}" in result.stderr
    assert time.monotonic() - started >= 1.5 and (out / "index.html").is_file()
