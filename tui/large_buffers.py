"""Large buffers go back to the system when freed (glibc's malloc; elsewhere nothing).

Each poll of 10,000 connections reads a 6.5 MB answer (and 3.5 MB of metrics). glibc
serves an allocation above its *mmap threshold* with its own mapping, returned to the
system on free. The threshold starts at 128 KiB but rises to the size of any such block
freed (up to 32 MiB), so after the first poll those answers come from the heap, whose
freed space the process keeps: the dashboard held 123.3 MiB after 4 minutes of polls,
111.6 MiB with the threshold fixed (``bench_vs_stock.py --only memory --soak 4``, both at
load 0.3), and its RSS peaked over 130 MiB in a 30-minute soak without it. Setting the
threshold (``mallopt(M_MMAP_THRESHOLD)``) also turns its rise off; the 4-minute figure above
was measured with glibc's own 128 KiB start, ``MMAP_THRESHOLD`` says why it is 1 MiB. A
threshold the operator set (``MALLOC_MMAP_THRESHOLD_``) is left as it is.
"""

from __future__ import annotations

import os
import sys

__all__ = ["MMAP_THRESHOLD", "return_large_buffers"]

M_MMAP_THRESHOLD = -3
"""glibc's mallopt parameter number (malloc.h)."""
MMAP_THRESHOLD = 1024 * 1024
"""Answers above 1 MiB (a fleet of about 1,500 connections or more) are mapped apart;
smaller ones stay on the heap, where mapping them would cost page faults at every poll
for memory that is small anyway (idle CPU at 1,000 connections, `--only idle --quick`
twice each at load 0.2-0.5: 1.18 % and 1.26 % with glibc's 128 KiB fixed, 1.11 % and
1.06 % without: within the noise of 10 s windows, but not to be paid for nothing)."""


def return_large_buffers() -> bool:
    """Fix the mmap threshold for this process; True when glibc took it."""
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    import ctypes  # (only here: the dashboard's start, never the headless commands)

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no tunable threshold)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
