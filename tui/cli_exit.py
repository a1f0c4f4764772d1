"""How a headless command ends: at once, once its output is flushed.

Used by the installed ``iotflow`` command only (``tui.cli.run``); a caller of ``main`` in
the same process (the tests) gets the exit code back instead.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

EXIT_CUT_OFF = 141
EXIT_USAGE = 64
"""A command given wrongly, or run where it cannot run (no terminal for the dashboard)."""
"""128 + SIGPIPE: what a shell reports for a command whose reader went away."""


def end_process(code: int) -> NoReturn:
    """Flush the output and end the process without the interpreter's shutdown.

    The shutdown frees every object one by one, then every module: after a listing of
    10,000 connections that is 30-50 ms of a command that takes a few hundred, for memory
    the operating system takes back at once anyway. No headless command leaves anything
    for the shutdown to do (no atexit handler, no temporary file, nothing unwritten but
    stdout and stderr, flushed here).
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = EXIT_CUT_OFF  # the reader went away before the last bytes
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)
