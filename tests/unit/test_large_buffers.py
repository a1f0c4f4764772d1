"""The dashboard fixes glibc's mmap threshold, so a poll's large answer is returned to the
system when freed instead of staying in the heap (tui/large_buffers.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A process that reads 6 MB answers one after another, as polls do, keeping the previous
# one while the next is read and a few small objects from each (allocated after it, they
# keep a heap from shrinking below them), then prints how much memory stays resident.
POLLS = """
import json, sys
from tui.large_buffers import return_large_buffers
took = return_large_buffers() if sys.argv[1] == "fixed" else None
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 // 1024
kept, lasting = None, []
for poll in range(30):
    answer = bytearray(6 * 1024 * 1024 - poll * 4096)  # not quite the same size each time
    answer[::4096] = b"x" * len(answer[::4096])  # touched, as a read answer is
    lasting += [bytes(1000) for _ in range(50)]  # what a poll keeps (changed items)
    kept, answer = answer, None
del kept
print(json.dumps({"took": took, "rss_kib": rss()}))
"""


def resident(mode: str, **env: str) -> dict:
    done = subprocess.run([sys.executable, "-c", POLLS, mode], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env={**os.environ, **env}, check=True)
    return json.loads(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_freed_answers_go_back_to_the_system() -> None:
    fixed = resident("fixed")
    if not fixed["took"]:
        pytest.skip("this libc has no tunable mmap threshold")
    default = resident("default")
    # With the threshold fixed the freed answers are unmapped; with glibc's rising
    # threshold they stay in the heap (at least one answer's 6 MiB more).
    assert fixed["rss_kib"] + 4 * 1024 < default["rss_kib"], (fixed, default)


def test_a_threshold_the_operator_set_is_left_alone() -> None:
    assert resident("fixed", MALLOC_MMAP_THRESHOLD_="65536")["took"] is False
