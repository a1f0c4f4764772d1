"""Waiting in Pilot tests for something to have happened, never for a length of time.

``pilot.pause()`` returns once the app looks idle, which Textual judges by comparing the
process's CPU time with the wall clock: on a loaded machine (CI shares its cores) a process
starved of CPU looks idle while messages are still queued, and a test that asserts right
after one pause fails now and then. ``until`` pauses again (and lets workers finish) until
the condition holds, a bounded number of rounds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROUNDS = 200


async def until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    for _ in range(ROUNDS):
        if condition():
            return
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    assert condition(), f"never happened: {what}"
