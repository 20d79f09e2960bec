"""Pages rendered on several cores: the same site for any --jobs, failures reported, and no
worker outliving a killed build."""
from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time

import pytest

from generator.render.workers import start_tasks
from tests.conftest import ROOT, run_build


def tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_site_is_the_same_for_one_job_or_three(bank, tmp_path):
    for jobs in ("1", "3"):
        result = run_build("--config", str(bank.config), "--out", str(tmp_path / f"jobs-{jobs}"), "--no-cache",
                           "--jobs", jobs)
        assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "jobs-1") == tree(tmp_path / "jobs-3")


def test_results_come_back_in_task_order_from_other_processes():
    results = start_tasks([lambda n=n: (n, os.getpid()) for n in range(7)], jobs=3).results()
    assert [n for n, _ in results] == list(range(7))
    assert os.getpid() not in {pid for _, pid in results}


def test_started_workers_run_beside_this_process_and_stop_when_it_fails(tmp_path):
    marker, sleeper = tmp_path / "written", tmp_path / "sleeper"
    running = start_tasks([lambda: marker.touch() or "done",
                           lambda: sleeper.write_text(str(os.getpid())) or time.sleep(60)], jobs=2)
    deadline = time.monotonic() + 30
    while not (marker.exists() and sleeper.exists()) and time.monotonic() < deadline:  # written while we wait
        time.sleep(0.01)
    assert marker.exists()
    pids = [pid for pid, _ in running.workers]
    started = time.monotonic()
    running.stop()  # as _render_period does when its own part fails
    assert time.monotonic() - started < 10
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    task_process = int(sleeper.read_text())  # a child of its worker, ended with it
    deadline = time.monotonic() + 10
    while _alive(task_process) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(task_process)


def test_workers_freeze_what_they_inherit_and_this_process_keeps_its_generations():
    # Frozen in a worker, inherited objects are never written by its garbage collector (which
    # would copy their pages). Here nothing may move: objects frozen and unfrozen around the
    # fork land in the oldest generation uncounted, and full collections fall behind.
    young = [[]]
    gc.disable()  # no collection of its own may move the object during the test
    try:
        assert any(item is young for item in gc.get_objects(generation=0))
        running = start_tasks([gc.get_freeze_count, gc.get_freeze_count], jobs=2)
        assert gc.get_freeze_count() == 0
        assert any(item is young for item in gc.get_objects(generation=0))
    finally:
        gc.enable()
    assert all(count > 0 for count in running.results())


KEPT_BY_TASKS: list[bytes] = []


def test_what_a_task_leaves_in_memory_ends_with_it():
    """Each task runs in a process of its own: what one task keeps (here on purpose, in the
    build a malloc arena's copied pages) is gone before its worker's next task."""
    def keep_ten_megabytes():
        KEPT_BY_TASKS.append(bytes(10 * 2**20))
        return len(KEPT_BY_TASKS), os.getppid()

    results = start_tasks([keep_ten_megabytes] * 6, jobs=2).results()
    assert [kept for kept, _ in results] == [1] * 6
    assert KEPT_BY_TASKS == []


def test_collected_workers_leave_nothing_to_stop():
    running = start_tasks([lambda: 1, lambda: 2], jobs=2)
    assert running.results() == [1, 2]
    running.stop()  # as after a failure later in the same period: must not close or kill twice
    assert running.results() == [1, 2]


def test_a_free_worker_takes_the_next_task(tmp_path):
    """Task 0 runs until all the others are done: only a worker that takes tasks as it frees up
    (not a fixed share of them) finishes tasks 1-5 meanwhile; a fixed share would wait 30 s."""
    done = tmp_path / "done"
    done.mkdir()

    def long_task():
        deadline = time.monotonic() + 30
        while len(list(done.iterdir())) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        return os.getppid(), len(list(done.iterdir()))  # the worker: each task has a process of its own

    def short_task(n):
        (done / str(n)).touch()
        return os.getppid(), n

    results = start_tasks([long_task] + [lambda n=n: short_task(n) for n in range(1, 6)], jobs=2).results()
    assert results[0][1] == 5, "the long task ended before the short ones were done"
    assert {pid for pid, _ in results[1:]} == {pid for pid, _ in results[1:2]} != {results[0][0]}


def test_a_failing_task_fails_the_run_with_its_traceback():
    def broken():
        raise ValueError("page 3 could not be rendered")

    with pytest.raises(RuntimeError, match="page 3 could not be rendered"):
        start_tasks([lambda: 1, broken, lambda: 3], jobs=2).results()


WORKER_OUTLIVES = """
import os, sys, time
sys.path.insert(0, {root!r})
from generator.render.workers import start_tasks

def slow():
    with open({pids!r}, "a") as stream:
        stream.write(f"{{os.getpid()}}\\n")
    time.sleep(60)

start_tasks([slow, slow], jobs=2).results()
"""


def test_workers_die_with_a_killed_build(tmp_path):
    pids = tmp_path / "pids"
    parent = subprocess.Popen([sys.executable, "-c", WORKER_OUTLIVES.format(root=str(ROOT), pids=str(pids))])
    deadline = time.monotonic() + 30
    while (not pids.exists() or len(pids.read_text().split()) < 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(pid) for pid in pids.read_text().split()]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for init to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
