"""Large buffers go back to the system when freed (glibc's malloc; elsewhere nothing).

Each poll of 10,000 connections reads a 6.5 MB answer (and 3.5 MB of metrics). glibc
serves an allocation above its *mmap threshold* with its own mapping, returned to the
system on free. The threshold starts at 128 KiB but rises to the size of any such block
freed (up to 32 MiB), so after the first poll those answers come from the heap, whose
freed space the process keeps: the dashboard held 123.3 MiB after 4 minutes of polls,
111.6 MiB with the threshold fixed (``bench_vs_stock.py --only memory --soak 4``, both at
load 0.3), and its RSS peaked over 130 MiB in a 30-minute soak without it. Setting the
threshold (``mallopt(M_MMAP_THRESHOLD)``) also turns its rise off. A threshold the
operator set (``MALLOC_MMAP_THRESHOLD_``) is left as it is.
"""

from __future__ import annotations

import os
import sys

__all__ = ["MMAP_THRESHOLD", "return_large_buffers"]

M_MMAP_THRESHOLD = -3
"""glibc's mallopt parameter number (malloc.h)."""
MMAP_THRESHOLD = 128 * 1024
"""glibc's own starting value: kept, only its rise is turned off."""


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
