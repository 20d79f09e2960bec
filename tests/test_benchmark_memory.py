"""The benchmark's memory figure for a build with forked workers: a process tree's summed PSS."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from benchmarks import memory

pytestmark = pytest.mark.skipif(not memory.supported(), reason="needs /proc/*/smaps_rollup (Linux)")

MIB = 1024 ** 2
BLOCK_MIB = 64

# A parent fills BLOCK_MIB, forks a child that only reads it (shared, copy-on-write) and fills
# BLOCK_MIB of its own, then says "ready" and waits: the tree holds about 2 × BLOCK_MIB.
FORKING_PROGRAM = textwrap.dedent(f"""
    import os, sys, time
    shared = b"s" * ({BLOCK_MIB} << 20)
    reader, writer = os.pipe()
    if os.fork() == 0:
        own = b"c" * ({BLOCK_MIB} << 20)
        os.write(writer, b"1")
        time.sleep(60)
        os._exit(0)
    os.read(reader, 1)
    print("ready", flush=True)
    sys.stdin.read()
""")


@pytest.fixture
def forked_tree():
    parent = subprocess.Popen([sys.executable, "-c", FORKING_PROGRAM], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline() == "ready\n"
        yield parent.pid
    finally:
        for pid in memory.process_tree(parent.pid)[1:]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        parent.kill()
        parent.wait()



def test_the_tree_is_the_parent_and_its_forked_child(forked_tree):
    tree = memory.process_tree(forked_tree)
    assert tree[0] == forked_tree and len(tree) == 2


def test_shared_pages_count_once_and_each_process_own_pages_add_up(forked_tree):
    held = memory.tree_bytes(forked_tree)
    # Two interpreters add some 10-20 MiB; counting the shared block twice would add 64 more.
    assert 2 * BLOCK_MIB * MIB <= held < 3 * BLOCK_MIB * MIB - 8 * MIB
    assert memory.proportional_bytes(forked_tree) < held


def test_the_sampler_keeps_the_largest_sample(forked_tree):
    with memory.TreePeak(forked_tree, interval_s=0.05) as peak:
        while peak.samples < 3:
            time.sleep(0.01)
    assert peak.peak_bytes >= 2 * BLOCK_MIB * MIB


def test_a_process_that_has_ended_holds_nothing():
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert memory.proportional_bytes(ended.pid) == 0
