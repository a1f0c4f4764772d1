"""SVG snapshots of the dashboard screens at 80x24 and 160x50, from the seeded simulator.

Deterministic: the simulator and the app share a manual clock, local times are shown in
UTC, jitter is seeded, and the header shows a fixed host (the client talks to the
simulator on a random loopback port, which must not appear in a snapshot).
"""

from __future__ import annotations

import pytest

from tui.api.errors import Unreachable
from tui.config import Profile, make_client

SIZES = [(80, 24), (160, 50)]
DISPLAY = Profile(name="demo", url="https://iot.example.com", client_id="demo")


class FlakyClient:
    """The real client to the simulator, which can be told to fail as if unreachable."""

    def __init__(self, client):
        self._client = client
        self.down = False
        self.read_only = False

    async def list_connections(self):
        if self.down:
            raise Unreachable("https://iot.example.com/iot-flow/v1: ConnectError")
        return await self._client.list_connections()

    def __getattr__(self, name):
        return getattr(self._client, name)


@pytest.fixture
def snapshot_app(make_dashboard, sim_profile):
    """The conftest dashboard on the simulator, shown under the display profile's name."""

    def build(**overrides):
        return make_dashboard(
            profile=DISPLAY, client=FlakyClient(make_client(sim_profile, retries=0)), **overrides
        )

    return build


async def _loaded(pilot) -> None:
    await pilot.app.refresh_now()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main(snap_compare, snapshot_app, size) -> None:
    """The 25 simulated connections, ERROR rows first (red ✖), then INIT (◐), ACTIVE (●):
    the header counts them (ACTIVE 15, INIT 5, ERROR 4, DEACTIVATED 1). On this first poll
    the time in state of every non-OPENED row reads "≥ 0s": held since before we looked."""
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail(snap_compare, snapshot_app, size) -> None:
    """The second row's detail screen: its fields, observed history and configuration."""

    async def open_detail(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=open_detail)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, snapshot_app, size) -> None:
    """The help screen over the dashboard: keys, the health legend, and the "≥ 5m" line
    explaining a lower-bound time in state."""

    async def open_help(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=open_help)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stale(snap_compare, snapshot_app, sim_clock, size) -> None:
    """The API is down: a banner says so and when the next try is, the header keeps the
    counts and shows STALE with the data's age (1m 35s), the rows are dimmed but the ERROR
    cells are not."""

    async def go_stale(pilot) -> None:
        await _loaded(pilot)
        pilot.app.client.down = True
        sim_clock.advance(95)
        await pilot.app.refresh_now()
        await pilot.app.refresh_now()
        await pilot.pause()

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=go_stale)


def test_read_only_main(snap_compare, snapshot_app) -> None:
    """As test_main, with a READ-ONLY badge in the header and no mutating keys in the footer."""
    assert snap_compare(snapshot_app(read_only=True), terminal_size=(80, 24), run_before=_loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_under_no_color(snap_compare, snapshot_app, monkeypatch, size) -> None:
    """Without colour, health still reads from the symbol and the word on every row, and
    faults are the most visible text: the ERROR state cells and the "✖ ERROR 4" counter in
    bright reverse video, never dark grey."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = snapshot_app()
    assert app.no_color

    async def loaded_monochrome(pilot) -> None:
        await _loaded(pilot)
        table = pilot.app.dashboard.table
        for position, ident in enumerate(table.order[:5]):
            row = pilot.app.board.rows[ident]
            text = table._row_strip(
                ident, position, table._columns(), table.size.width, table.rich_style
            ).text
            assert row.state[:4] in text and text.lstrip()[0] in "●◐✖○"

    assert snap_compare(app, terminal_size=size, run_before=loaded_monochrome)


def test_cursor_moves_after_scrolling(snap_compare, snapshot_app) -> None:
    """Once the table is scrolled, moving the cursor repaints the right lines: exactly one
    highlighted row, the one the cursor is on (line refreshes use scrolled coordinates)."""

    async def scroll_then_move(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("end", "up", "up", "up")
        await pilot.pause()
        table = pilot.app.dashboard.table
        assert table.cursor == len(table.order) - 4 and table.scroll_y > 0

    assert snap_compare(snapshot_app(), terminal_size=(80, 12), run_before=scroll_then_move)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_faults_only_with_a_filter(snap_compare, snapshot_app, size) -> None:
    """Faults only and a filter ("a") on: only ERROR (or stuck, flapping) rows whose text
    holds "a". At 80 columns the header's words shorten ("ACT 15", "faults", "“a”") but the
    counts and both modes stay on screen."""

    async def faults_filtered(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("f", "slash", "a", "enter")
        await pilot.pause()
        header = pilot.app.dashboard.header
        assert pilot.app.dashboard.table.faults_only
        assert pilot.app.dashboard.table.filter_text == "a"
        text = header.render().plain
        assert "ERROR 4" in text and "faults" in text and "“a”" in text

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=faults_filtered)


def test_filter_matching_nothing(snap_compare, snapshot_app) -> None:
    """A filter that matches no connection: the table says "No connection matches “zzz”
    among the 25 connections (esc clears the filter)" instead of showing a blank body."""

    async def filter_nothing(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("slash", *"zzz", "enter")
        await pilot.pause()
        assert pilot.app.dashboard.table.order == []

    assert snap_compare(snapshot_app(), terminal_size=(80, 24), run_before=filter_nothing)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_sorted_by_startup_time(snap_compare, snapshot_app, size) -> None:
    """Sorted by startup time (T): at 80x24 the table has no STARTUP column, so the header's
    second line ends "25/25 · by startup time▲" (the fleet's ↑/h and fail/h make room; each
    row shows its own UP/H and FAIL/H) and no notice covers the rows. At 120x40 there is no
    STARTUP column either, and room for all of it: full words, the fleet's ↑ 5.2k/h and
    failed 291/h, then "25/25 shown · by startup time▲"."""

    async def sorted_by_startup(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("T")
        await pilot.pause()
        assert pilot.app.dashboard.table.sort == "startup"

    assert snap_compare(snapshot_app(), terminal_size=size, run_before=sorted_by_startup)
