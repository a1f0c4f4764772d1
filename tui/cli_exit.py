"""How a headless command ends: at once, once its output is flushed, and when its reader
went away.

``end_process`` is used by the installed ``iotflow`` command only (``tui.cli.run``); a
caller of ``main`` in the same process (the tests) gets the exit code back instead.

A reader that goes away early (``iotflow list | head``, ``events | head -c 10``) is not
an error: the command stops writing and exits with the code it has anyway (0, or
``status``'s health code). Never 141: whether a write meets the closed pipe depends on
timing (a short table fits in the pipe's buffer before ``head`` ends, a long one does
not), and an exit code must not; a script under ``set -o pipefail`` would fail at random.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

EXIT_OK, EXIT_INIT, EXIT_ERROR, EXIT_UNAVAILABLE = 0, 1, 2, 3
"""Also ``status``'s health codes (Nagios: ok, warning, critical, unknown)."""
EXIT_USAGE = 64
"""A command given wrongly, or run where it cannot run (no terminal for the dashboard)."""


def reader_gone() -> None:
    """Point stdout at nothing: the interpreter's last flush of what is still buffered
    must not meet the closed pipe again (it would print a traceback at exit)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is no file descriptor (a test's capture): nothing will flush it


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
        pass  # the reader went away before the last bytes: the code stands (see above)
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)
