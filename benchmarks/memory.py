"""The memory a build holds together with the workers it forks, sampled from /proc (Linux).

A child's peak RSS from wait4 is the largest single process of its tree, not their sum: with
forked workers rendering beside the build process, the machine needs the sum. Summing RSS
would count every copy-on-write page the workers share with the build once per process;
PSS (proportional set size) splits each shared page among the processes that map it, so the
PSS of a tree adds up to the memory it really holds."""
from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")
KIB = 1024


def supported() -> bool:
    return (PROC / "self" / "smaps_rollup").is_file()


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it that is alive now."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            parent = _parent_of(entry.name)
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    tree, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        tree.append(pid)
        waiting.extend(children.get(pid, ()))
    return tree


def _parent_of(pid: str) -> int | None:
    try:
        stat = (PROC / pid / "stat").read_text()
    except OSError:  # it ended between the listing and the read
        return None
    # The command name in parentheses may hold spaces and ")": the fields after the last ")"
    # are the state, then the parent's pid.
    return int(stat.rpartition(")")[2].split()[1])


def proportional_bytes(pid: int) -> int:
    try:
        with open(PROC / str(pid) / "smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * KIB
    except (OSError, ValueError):  # ended, or a kernel without the field
        return 0
    return 0


def tree_bytes(root: int) -> int:
    return sum(proportional_bytes(pid) for pid in process_tree(root))


class TreePeak:
    """Largest summed PSS of a process tree, sampled every `interval_s` in a thread while the
    `with` block runs. A peak shorter than the interval can be missed: the figure is a lower
    bound, close when memory grows and shrinks over seconds, as a build's does."""

    def __init__(self, root: int, interval_s: float = 1.0):
        self.root, self.interval_s = root, interval_s
        self.peak_bytes, self.samples = 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            self.peak_bytes = max(self.peak_bytes, tree_bytes(self.root))
            self.samples += 1
            if self._stop.wait(self.interval_s):
                return
