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

from textual.worker import WorkerFailed

ROUNDS = 200


async def until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    for _ in range(ROUNDS):
        if condition():
            return
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerFailed:
            # A worker that failed is the app's to report (tui.unexpected); whether it did is
            # for the condition to say. Raising here made a test's outcome depend on whether
            # the worker was still listed when the test got round to waiting.
            pass
    assert condition(), f"never happened: {what}"


def events_loaded(app: Any) -> bool:
    """The events view is the screen and has read its first events: ``E`` pushes it, and
    its worker reads the events after the push, so neither a pause nor waiting for the
    workers right after the key is enough (the worker may not have started yet)."""
    screen = app.screen
    return type(screen).__name__ == "EventsScreen" and bool(getattr(screen, "loaded", False))



async def settled(pilot: Any, what: str = "the app's messages") -> None:
    """Pause until no widget of the screen, nor the app, has a message waiting.

    One pause lets each widget handle what was queued when it began; a key that makes an
    input post ``Changed`` that a parent turns into a redraw is a chain of such hops, and
    on a starved process the pause can end before the last hop ran.
    """

    def quiet() -> bool:
        app = pilot.app
        nodes = [app, *app.screen.walk_children(with_self=True)]
        return all(node.message_queue_size == 0 for node in nodes)

    await pilot.pause()
    await until(pilot, quiet, what)
