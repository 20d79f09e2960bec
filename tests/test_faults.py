"""Faults of the machine, not of the data: a read-only or full disk, a folder that cannot be made,
a killed page-rendering process, a bad SOURCE_DATE_EPOCH. Each is a message naming the path and
the fix with its own exit code, never a traceback; the published site stays as it was and no
staging folder or partial cache entry is left behind.

The real-file-system tests mount a small tmpfs or a read-only bind mount (the build runs as
root here, so permissions alone refuse no write); they skip, saying why, where mounting is not
allowed. The worker tests inject the OSError at the writer, in the forked processes."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import EXIT_CONFIG_ERROR, BuildError
from tests.conftest import ROOT, run_build

EXIT_ENVIRONMENT = 5  # generator.errors.EXIT_ENVIRONMENT, as documented (README, --help)
PERF_10 = "periods/2026-10/performance.csv"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staging folders and partial cache entries: what a failed build must not leave."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith((".staging", ".partial", ".retired")))


def assert_a_message(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "Fix:" in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def _mount(*args: str) -> None:
    if shutil.which("mount") is None:
        pytest.skip("no mount command: the real-file-system fault tests need one")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this process may not mount ({done.stderr.strip()}): run as root with CAP_SYS_ADMIN")


@pytest.fixture
def mounts():
    """Mount points made by a test, unmounted after it."""
    made: list[Path] = []
    yield made
    for point in reversed(made):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def tmpfs(mounts: list[Path], point: Path, size: str) -> Path:
    point.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point))
    mounts.append(point)
    return point


def read_only(mounts: list[Path], folder: Path) -> Path:
    _mount("--bind", "-o", "ro", str(folder), str(folder))
    mounts.append(folder)
    return folder


def fill(folder: Path, leave_bytes: int) -> None:
    """A ballast file that leaves `leave_bytes` free on folder's file system."""
    free = shutil.disk_usage(folder).free
    with open(folder / "ballast", "wb") as ballast:
        ballast.truncate(0)
        ballast.write(b"\0" * max(0, free - leave_bytes))


# --- SOURCE_DATE_EPOCH ---------------------------------------------------------------------------

def build_env(epoch: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    return env if epoch is None else env | {"SOURCE_DATE_EPOCH": epoch}


@pytest.mark.parametrize("epoch", ["", "abc", "-1", "1.5", "12345678901234567890", " 1790000000", "１７９０",
                                   "4294967296"])
def test_a_bad_source_date_epoch_is_refused_before_anything_is_written(bank, tmp_path, epoch):
    out = tmp_path / "site"
    before = sorted(tmp_path.rglob("*"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--config", str(bank.config), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, env=build_env(epoch))
    assert_a_message(result, EXIT_CONFIG_ERROR, f"SOURCE_DATE_EPOCH is {epoch!r}", "unset it")
    assert "read 10 files" not in result.stdout  # refused before the data were read
    assert sorted(tmp_path.rglob("*")) == before  # no site, cache, lock or staging folder


def test_the_latest_accepted_source_date_epoch_builds(bank, tmp_path):
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--config", str(bank.config), "--out", str(out),
                             "--no-cache"], capture_output=True, text=True, timeout=300, env=build_env("4294967295"))
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["build_time"] == "2106-02-07T06:28:15Z"


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("0", 0), ("1790000000", 1790000000),
                                                 ("4294967295", 4294967295)])
def test_source_date_epoch_accepts_whole_seconds_from_1970_to_2106(monkeypatch, value, expected):
    from generator.pages.provenance import source_date_epoch
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    if value is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch() == expected


# --- read-only and missing output folders ---------------------------------------------------------

def test_a_read_only_output_folder_is_a_message_and_the_site_stays(bank, tmp_path, mounts):
    folder = tmp_path / "www"
    out = folder / "site"
    assert run_build("--config", str(bank.config), "--out", str(out)).returncode == 0
    published = tree(out)
    read_only(mounts, folder)
    bank.replace(PERF_10, '"12,800.00"', '"13,800.00"')
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert_a_message(result, EXIT_ENVIRONMENT, "Read-only file system (EROFS)", str(folder), "--out")
    assert tree(out) == published and leftovers(folder) == []


def test_an_output_folder_that_cannot_be_made_is_a_message(bank, tmp_path, mounts):
    folder = tmp_path / "mnt"
    folder.mkdir()
    read_only(mounts, folder)
    result = run_build("--config", str(bank.config), "--out", str(folder / "reports" / "site"), "--no-cache")
    assert_a_message(result, EXIT_ENVIRONMENT, f"could not write {folder / 'reports'}", "EROFS")
    assert not (folder / "reports").exists()


def test_an_output_folder_under_a_file_is_a_message(bank, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    result = run_build("--config", str(bank.config), "--out", str(a_file / "site"), "--no-cache")
    assert_a_message(result, EXIT_ENVIRONMENT, str(a_file), "Not a directory (ENOTDIR)")


# --- a full disk ------------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_while_the_site_is_written_is_a_message_and_the_site_stays(bank, tmp_path, mounts, jobs):
    disk = tmpfs(mounts, tmp_path / "disk", "8m")
    out, cache = disk / "site", disk / "cache"
    first = run_build("--config", str(bank.config), "--out", str(out), "--cache", str(cache))
    assert first.returncode == 0, first.stderr
    published, entries = tree(out), tree(cache)
    fill(disk, 64 * 1024)  # less than a period's pages need
    bank.replace(PERF_10, '"12,800.00"', '"13,800.00"')
    result = run_build("--config", str(bank.config), "--out", str(out), "--cache", str(cache), "--jobs", jobs)
    assert_a_message(result, EXIT_ENVIRONMENT, "No space left on device (ENOSPC)", f"{out} is as it was",
                     "free space")
    assert tree(out) == published and leftovers(disk) == []
    assert set(entries) <= set(tree(cache))  # the entries of the published site are kept, whole


def test_a_full_cache_disk_is_one_warning_and_the_build_goes_on(bank, tmp_path, mounts):
    disk = tmpfs(mounts, tmp_path / "disk", "1m")
    fill(disk, 0)
    cache = disk / "cache"
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"), "--cache", str(cache))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING: the build cache")]
    assert len(warnings) == 1 and "No space left on device" in warnings[0] and "--cache" in warnings[0], result.stderr
    assert "0 computed and kept, 5 computed and not kept" in result.stderr
    assert not [p for p in disk.rglob("*") if p.is_file() and p.name != "ballast"]  # no entry, whole or partial
    assert run_build("--config", str(bank.config), "--out", str(tmp_path / "plain"), "--no-cache").returncode == 0
    assert tree(tmp_path / "site") == tree(tmp_path / "plain")


def test_a_cache_that_refuses_writes_keeps_the_assessments_in_memory(bank, tmp_path, monkeypatch, capsys):
    """Assessed periods are reloaded from the cache while pages are rendered: one that could not
    be stored is held in memory instead (generator.cache.shelf)."""
    import generator.cache.store as store
    from generator.cli import main

    def refused(path, key, value):
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))
    monkeypatch.setattr(store, "_write_atomically", refused)
    assert main(["--config", str(bank.config), "--out", str(tmp_path / "site"), "--cache", str(tmp_path / "c"),
                 "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert err.count("WARNING: the build cache") == 1 and "Disk quota exceeded" in err
    assert run_build("--config", str(bank.config), "--out", str(tmp_path / "plain"), "--no-cache").returncode == 0
    assert tree(tmp_path / "site") == tree(tmp_path / "plain")


# --- page-rendering workers -------------------------------------------------------------------------

def _in_worker(action):
    """Writer.text patched to run `action(relative)` in forked processes only, on manager pages."""
    from generator.render.writer import Writer
    parent, original = os.getpid(), Writer.text

    def text(self, relative, content):
        if os.getpid() != parent and "/managers/" in relative:
            action(relative)
        return original(self, relative, content)
    return text


def _build_in_process(bank, out: Path, *extra: str) -> int:
    from generator.cli import main
    return main(["--config", str(bank.config), "--out", str(out), "--no-cache", "--jobs", "2", *extra])


def test_a_full_disk_in_a_worker_is_the_same_message(bank, tmp_path, monkeypatch, capsys):
    import generator.render.writer as writer
    out = tmp_path / "site"
    assert _build_in_process(bank, out) == 0
    published = tree(out)
    bank.replace(PERF_10, '"12,800.00"', '"13,800.00"')  # 2026-10's pages are rendered again
    parent = os.getpid()

    class FullDisk:  # as a page file on a full disk: opened, its write refused (naming no file)
        def __init__(self, path, mode):
            self.file = open(path, mode)  # closed in __exit__

        def __enter__(self):
            return self

        def __exit__(self, *error):
            self.file.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def page_open(path, mode="r", *args, **kwargs):
        if os.getpid() != parent and "/managers/" in str(path):
            return FullDisk(path, mode)
        return open(path, mode, *args, **kwargs)
    monkeypatch.setattr(writer, "open", page_open, raising=False)
    capsys.readouterr()
    assert _build_in_process(bank, out) == EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert "could not write" in err and "/managers/" in err and "No space left on device (ENOSPC)" in err, err
    assert "Traceback" not in err and "internal error" not in err and "Fix: free space" in err
    assert tree(out) == published and leftovers(tmp_path) == []


@pytest.mark.parametrize("victim", ["task process", "worker"])
def test_a_killed_worker_is_a_message(bank, tmp_path, monkeypatch, capsys, victim):
    from generator.render.writer import Writer
    out = tmp_path / "site"
    assert _build_in_process(bank, out) == 0
    published = tree(out)
    bank.replace(PERF_10, '"12,800.00"', '"13,800.00"')  # 2026-10's pages are rendered again

    def killed(relative):  # as the out-of-memory killer would
        os.kill(os.getpid() if victim == "task process" else os.getppid(), signal.SIGKILL)
    monkeypatch.setattr(Writer, "text", _in_worker(killed))
    capsys.readouterr()
    assert _build_in_process(bank, out) == EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert f"a page-rendering {victim}" in err and "killed by SIGKILL" in err and "--jobs" in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert tree(out) == published and leftovers(tmp_path) == []


class Refused(BuildError):
    exit_code = 7


def test_a_workers_error_reaches_the_build_as_itself():
    from generator.render.workers import start_tasks

    def full():
        raise OSError(errno.ENOSPC, "No space left on device", "/srv/site/page.html")

    def refused():
        raise Refused(["one", "two"])

    with pytest.raises(OSError) as raised:
        start_tasks([lambda: 1, full, lambda: 3], 2).results()
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, "/srv/site/page.html")
    with pytest.raises(Refused) as explained:
        start_tasks([lambda: 1, refused], 2).results()
    assert explained.value.messages == ["one", "two"] and explained.value.exit_code == 7
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):  # a bug stays a bug, with its traceback
        start_tasks([lambda: 1, lambda: 1 / 0], 2).results()
