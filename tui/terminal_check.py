"""Whether the dashboard has a terminal to run in (no Textual).

The dashboard reads keys from stdin and draws on stderr (as Textual does). Started
from cron, a pipe, ``</dev/null`` or with stdin closed, it used to die with a
traceback (``'NoneType' object has no attribute 'fileno'``, ``NoMatches``). This says
why in one sentence instead, and points at the commands that need no terminal.
"""

from __future__ import annotations

import sys
from typing import TextIO

ADVICE = "Run it from a terminal, or use `iotflow list` or `iotflow status`, which need none."


def _is_terminal(stream: TextIO | None) -> bool:
    if stream is None or getattr(stream, "closed", False):
        return False
    try:
        return stream.isatty()
    except (ValueError, OSError):  # closed, or not a file at all
        return False


def terminal_problem(stdin: TextIO | None = None, stderr: TextIO | None = None) -> str | None:
    """None when the dashboard can run; otherwise the sentence that says why it cannot.

    Defaults to the process's original streams (``sys.__stdin__``, ``sys.__stderr__``),
    the ones Textual's driver uses.
    """
    stdin = sys.__stdin__ if stdin is None else stdin
    stderr = sys.__stderr__ if stderr is None else stderr
    if not _is_terminal(stdin):
        state = "closed" if stdin is None or getattr(stdin, "closed", False) else "not a terminal"
        return f"The dashboard needs a terminal to read keys from, but stdin is {state}. {ADVICE}"
    if not _is_terminal(stderr):
        return (
            "The dashboard draws on stderr, which is not a terminal (redirected to a file "
            f"or a pipe?). {ADVICE}"
        )
    return None
