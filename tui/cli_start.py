"""The ``iotflow`` command's entry point: the command line loaded without the cyclic
garbage collector.

Loading the command line (asyncio, argparse, the settings, then httpx for a command that
asks the platform) creates some hundred thousand objects, none of them garbage: every
collection they trigger walks all of them again for nothing, about 20 ms of CPU before
``iotflow list`` can send its request. So the collector is off while the command line's
modules load, and back on before the command runs (the dashboard, ``sim`` and ``events
--follow`` run for hours); ``list`` and ``status`` pause it again for their one listing,
httpx's import included (``tui.cli._headless``).

Here, not in ``tui.cli``: the installed script imports the module that holds its entry
point before calling it, so that module's own imports would have run already.
"""

from __future__ import annotations

import gc
import sys


def run() -> None:
    """The ``iotflow`` command (its console entry point)."""
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.enable()
    sys.exit(main(end_at_once=True))
