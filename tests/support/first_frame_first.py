"""``iotflow`` with its first frame always drawn before the app is imported.

On a fast machine the platform's list usually arrives before Textual is imported, and
the first frame is drawn; on a busy one the order can go either way. Tests of what the
first frame does to the terminal run the command through this script, which holds the
import back until the frame is on the terminal, so they never depend on the race.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from tui import cli, launch

drawn = threading.Event()
draw = launch.FirstFrame.draw
make_app_factory = launch._make_app_factory


def draw_and_say(*args: Any, **kwargs: Any) -> Any:
    try:
        return draw(*args, **kwargs)
    finally:
        drawn.set()


def import_after_the_frame() -> Any:
    drawn.wait(60)  # a safety net for a broken build, not a pacing device
    return make_app_factory()


launch.FirstFrame.draw = draw_and_say  # type: ignore[method-assign]
launch._make_app_factory = import_after_the_frame

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
