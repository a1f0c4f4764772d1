"""Values of the ``iotflow`` command line that argparse cannot check alone.

Each refusal quotes what the user typed, as typed (argparse would show ``'BOGUS'`` for
``--health bogus`` after an upper-casing ``type``), and says what would be accepted;
argparse turns it into a usage error (exit 2). Headless: no Textual, no httpx.
"""

from __future__ import annotations

import argparse
import math

from .terminal_text import terminal_safe


def health_name(text: str) -> str:
    """``--health``: a health in any case → its name (``error`` → ``ERROR``)."""
    # Imported when --health is given: the health rules (with the history store) cost
    # 14 ms to import, and every command builds this parser before it asks anything.
    from .health import Health

    healths = tuple(health.value for health in Health)
    wanted = text.strip().upper()
    if wanted in healths:
        return wanted
    raise argparse.ArgumentTypeError(
        f"unknown health {terminal_safe(text)!r}: use one of {', '.join(healths)} (any case)"
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
