"""Values of the ``iotflow`` command line that argparse cannot check alone.

Each refusal quotes what the user typed, as typed (argparse would show ``'BOGUS'`` for
``--health bogus`` after an upper-casing ``type``), and says what would be accepted;
argparse turns it into a usage error (exit 2). Headless: no Textual, no httpx.
"""

from __future__ import annotations

import argparse
import math

from .health import Health
from .terminal_text import terminal_safe

HEALTHS = tuple(health.value for health in Health)
"""The healths ``list --health`` filters on: ACTIVE, INIT, ERROR, DEACTIVATED."""


def health_name(text: str) -> str:
    """``--health``: a health in any case → its name (``error`` → ``ERROR``)."""
    wanted = text.strip().upper()
    if wanted in HEALTHS:
        return wanted
    raise argparse.ArgumentTypeError(
        f"unknown health {terminal_safe(text)!r}: use one of {', '.join(HEALTHS)} (any case)"
    )


def positive_seconds(text: str) -> float:
    """``--timeout``: seconds, more than 0 (0 would give up on every call at once)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"{terminal_safe(text)!r} is not a number of seconds above 0: give how long a "
            "call may take before it counts as too slow, e.g. --timeout 10"
        )
    return seconds
