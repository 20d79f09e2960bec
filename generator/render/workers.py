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

A task that fails for a reason the build explains (a BuildError, or the disk full, read-only
or refusing: errors.is_environment_fault) sends that error itself to the build, which raises
it as if it had happened there; any other failure is a bug, reported with its traceback. A
process that ends without a report (killed: the out-of-memory killer, an operator) fails the
build with WorkerLost.
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

from generator.errors import BuildError, EnvironmentFault, is_environment_fault

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


class WorkerLost(EnvironmentFault):
    """A page-rendering process ended without reporting: something outside the build killed it."""


def _collect(workers: list[tuple[int, int]]) -> list:
    """Every worker's outcome (all of them end before this returns or raises)."""
    outcomes = [_outcome(pid, reader, "worker") for pid, reader in workers]
    results: dict[int, object] = {}
    for kind, value in outcomes:
        if kind == "ok":
            results.update(value)
    _raise_failure([(kind, value) for kind, value in outcomes if kind != "ok"])
    return [results[index] for index in sorted(results)]


def _raise_failure(failures: list[tuple[str, Any]]) -> None:
    """Raise the failure that explains most: an error raised in a worker as itself, then a lost
    process, then a bug's tracebacks."""
    for wanted in ("raised", "lost"):
        for kind, value in failures:
            if kind == wanted:
                raise value
    if failures:
        raise RuntimeError("a page-rendering worker failed:\n" + "\n".join(value for _, value in failures))


def _fork(tasks: list[Callable[[], T]], queue: tuple[int, int], parent: int) -> tuple[int, int]:
    # the queue's writing end closed, or the queue never reads as finished
    return _forked(lambda: {index: _in_own_process(tasks[index]) for index in _taken(queue[0])}, parent,
                   close=(queue[1],))


def _in_own_process(task: Callable[[], T]) -> T:
    """The task's result, from a process forked for it alone."""
    kind, value = _outcome(*_forked(task, os.getpid()), "task process")
    if kind in ("raised", "lost"):
        raise value
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
    """("ok", what the work returned), ("raised", the error it raised), ("lost", a WorkerLost) or
    ("failed", a traceback); the value is unpickled, so Any."""
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    return pickle.loads(data) if data else ("lost", _lost(who, pid, status))


def _lost(who: str, pid: int, status: int) -> WorkerLost:
    if os.WIFSIGNALED(status):
        signal_number = os.WTERMSIG(status)
        how = f"was killed by {signal.Signals(signal_number).name}"
        if signal_number == signal.SIGKILL:
            how += " (the kernel's out-of-memory killer ends processes so when memory runs out)"
    else:
        how = f"ended with exit status {os.WEXITSTATUS(status)} without reporting"
    return WorkerLost([f"a page-rendering {who} (pid {pid}) {how}. Nothing was published: the site is as it "
                       "was and this build's staging folder was removed.",
                       "Fix: check the machine's memory (dmesg shows the out-of-memory killer) and rerun, with "
                       "fewer --jobs if memory is short (each worker adds memory)."])


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
    except BaseException as error:
        outcome = _raised(error)
    with os.fdopen(writer, "wb") as stream:
        stream.write(outcome)
    os._exit(0)  # no atexit handlers or buffered output of the parent's: they are the parent's


def _raised(error: BaseException) -> bytes:
    """An error the build explains goes to the parent as itself; any other, as its traceback."""
    if isinstance(error, BuildError) or is_environment_fault(error):
        try:
            return pickle.dumps(("raised", error))
        except Exception:  # an error that does not pickle is sent as its traceback
            pass
    return pickle.dumps(("failed", traceback.format_exc()))


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
