"""Rendering a period's pages on every core: forked workers share the assessed tables.

A page's bytes never depend on which process renders it, so the site is the same with one
job or many. Workers are forked after the assessment, so they read it without copying or
pickling it; each sends back only what its tasks return (the files they wrote). A worker
dies with the build: a killed build must not leave a process writing into a staging
folder that the next build is about to reuse.

A worker runs each task in a process of its own, forked from it and ended with the task.
Whatever a task writes in memory it shares with the build (reference counts, the free
space the allocator reuses) becomes that process's own copy and stays so until it ends:
in one long-lived worker these copies piled up task after task, some 200 MB per worker by
the end of a province period's manager pages (benchmarks/README.md).
"""
from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1
TASK_NUMBER_BYTES = 4


def available_jobs() -> int:
    """The cores this process may run on (a CI container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return 1


class Running:
    """Tasks handed to workers that run while this process goes on with other work."""

    def __init__(self, workers: list[tuple[int, int]], done: list | None = None):
        self.workers, self.done = workers, done

    def results(self) -> list:
        """Each task's result, in task order, once every worker has finished."""
        if self.done is None:
            workers, self.workers = self.workers, []  # collected: nothing left for stop() to end
            self.done = _collect(workers)
        return self.done

    def stop(self) -> None:
        """End the workers unfinished: this process failed, and none may go on writing pages."""
        for pid, reader in self.workers:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(reader)
        self.workers = []


def start_tasks(tasks: list[Callable[[], T]], jobs: int) -> Running:
    """Fork the workers and hand them the tasks; with one job (or one task) they run here, now."""
    jobs = min(jobs, len(tasks))
    if jobs <= 1 or not hasattr(os, "fork"):
        return Running([], [task() for task in tasks])
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    queue_reader, queue_writer = os.pipe()
    try:
        workers = [_fork(tasks, (queue_reader, queue_writer), parent) for _ in range(jobs)]
    finally:
        os.close(queue_reader)
    try:
        with os.fdopen(queue_writer, "wb") as queue:  # closed: a worker finding it empty is done
            queue.write(b"".join(index.to_bytes(TASK_NUMBER_BYTES, "little") for index in range(len(tasks))))
    except BrokenPipeError:
        pass  # every worker is gone already: _collect reports why
    return Running(workers)


def _collect(workers: list[tuple[int, int]]) -> list:
    results: dict[int, object] = {}
    failures: list[str] = []
    for pid, reader in workers:
        outcome = _outcome(pid, reader, "worker")
        if outcome[0] == "ok":
            results.update(outcome[1])
        else:
            failures.append(outcome[1])
    if failures:
        raise RuntimeError("a page-rendering worker failed:\n" + "\n".join(failures))
    return [results[index] for index in sorted(results)]


def _fork(tasks: list[Callable[[], T]], queue: tuple[int, int], parent: int) -> tuple[int, int]:
    # the queue's writing end closed, or the queue never reads as finished
    return _forked(lambda: {index: _in_own_process(tasks[index]) for index in _taken(queue[0])}, parent,
                   close=(queue[1],))


def _in_own_process(task: Callable[[], T]) -> T:
    """The task's result, from a process forked for it alone."""
    kind, value = _outcome(*_forked(task, os.getpid()), "task process")
    if kind != "ok":
        raise TaskFailed(value)
    return value


def _forked(work: Callable[[], object], parent: int, close: tuple[int, ...] = ()) -> tuple[int, int]:
    """A forked process that runs `work` and reports its outcome: its pid, and the pipe to read it from."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)
    for descriptor in close:
        os.close(descriptor)
    _become_child(parent)
    _report(writer, work)


def _outcome(pid: int, reader: int, who: str) -> tuple[str, Any]:
    """("ok", what the work returned) or ("failed", a message); the value is unpickled, so Any."""
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    return pickle.loads(data) if data else ("failed", f"{who} exited with status {status} and no report")


class TaskFailed(Exception):
    """A task failed in its own process; the message is that process's traceback."""


def _become_child(parent: int) -> None:
    # Its garbage collector would write into the header of every object it inherits, copying
    # each page that holds one: frozen, they stay shared with the parent. (Freezing in the
    # parent around the fork instead moved the parent's young objects to the oldest generation
    # uncounted, and its full collections fell so far behind that a province cold build grew
    # by some 60 MB a period.)
    gc.freeze()
    _die_with_parent(parent)


def _report(writer: int, work: Callable[[], object]) -> NoReturn:
    """Run `work` in this forked process, send its outcome to the parent, and end."""
    try:
        outcome = pickle.dumps(("ok", work()))
    except TaskFailed as failure:  # reported to the parent, which fails the build
        outcome = pickle.dumps(("failed", str(failure)))
    except BaseException:
        outcome = pickle.dumps(("failed", traceback.format_exc()))
    with os.fdopen(writer, "wb") as stream:
        stream.write(outcome)
    os._exit(0)  # no atexit handlers or buffered output of the parent's: they are the parent's


def _taken(queue: int) -> Iterator[int]:
    """Task numbers this worker takes from the shared pipe. A read of one number never gets
    part of one: a pipe serves one reader at a time, and the numbers are written whole."""
    while number := os.read(queue, TASK_NUMBER_BYTES):
        yield int.from_bytes(number, "little")


def _die_with_parent(parent: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # no prctl: the parent's check below still catches a parent that is already gone
    if os.getppid() != parent:
        os._exit(1)
