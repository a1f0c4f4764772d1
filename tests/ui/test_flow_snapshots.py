"""SVG snapshots of the data-flow screens at 80x24 and 160x50, from the seeded simulator.

Deterministic as the dashboard's snapshots: one manual clock for the simulator and the
app, UTC display, a fixed host in the header.
"""

from __future__ import annotations

import random
from datetime import UTC

import pytest
from textual.css.query import NoMatches
from textual.widgets import Static

from tui.app import make_app
from tui.config import Profile, make_client

from ..support.waiting import until

SIZES = [(80, 24), (160, 50)]
DISPLAY = Profile(name="demo", url="https://iot.example.com", client_id="demo")


@pytest.fixture
def flow_app(sim_profile, sim_clock, tmp_path):
    def build():
        return make_app(
            DISPLAY,
            client=make_client(sim_profile, retries=0),
            clock=sim_clock.now,
            display_tz=UTC,
            history_path=tmp_path / "history.json",
            poll=False,
            rng=random.Random(0),
        )

    return build


def events_settled(app) -> bool:
    """The events view is open, its list read, and the line under the table filled."""
    try:
        status = app.screen.query_one("#events-status", Static)
        selected = app.screen.query_one("#events-selected", Static)
    except NoMatches:
        return False
    return "loading" not in str(status.content) and bool(str(selected.content))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_events_view(snap_compare, flow_app, sim_clock, size) -> None:
    """The events view (E): newest first, one line each. At 160x50: date and time, level
    (WARN/ERROR in colour), code, connection id and name, and the message. At 80x24: the
    time of day, the level's letter (I, W in colour), the connection's id and the start of
    its name, and every message whole ("Connection state changed to OPENED"), no
    horizontal scrollbar; the line under the table gives the selected event's date, level,
    code, connection and message. The status line says how many are shown and the level
    filter (all); the footer shows l, c, / and enter."""
    sim_clock.advance(90)

    async def open_events(pilot) -> None:
        await pilot.app.refresh_now()
        await pilot.press("E")
        await pilot.app.workers.wait_for_complete()
        # The table's cursor message and the line under it settle over a few turns of
        # the loop; on a loaded machine pauses were not always enough: wait for them.
        await until(pilot, lambda: events_settled(pilot.app), "the events are listed")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(flow_app(), terminal_size=size, run_before=open_events)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_faults_with_flow_flags(snap_compare, flow_app, size) -> None:
    """Faults only (f) sorted by failures (L): the LOSS rows first with FAIL/H in red, then
    the SILENT row (OPENED, UP/H 0 highlighted) and the LOW row among the ERROR ones; the
    header shows the fleet's uplinks/h and failures/h and "faults only"."""

    async def faults(pilot) -> None:
        await pilot.app.refresh_now()
        await pilot.press("f", "L")
        await pilot.pause()

    assert snap_compare(flow_app(), terminal_size=size, run_before=faults)
