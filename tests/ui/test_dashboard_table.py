"""Pilot tests of the connection table: the mouse, empty results, the start grace and
lower-bound times, against the seeded simulator (no poll loop, a manual clock)."""

from __future__ import annotations

from tui.health import Health
from tui.screens.detail import DetailScreen
from tui.widgets.connection_table import ConnectionTable

SMALL = (80, 24)
MQTT = {
    "connectorId": "actility-mqtt-iot",
    "name": "Just started",
    "active": True,
    "configuration": {
        "hostName": "broker.example.net:8883",
        "protocol": "SSL",
        "uplinkTopicPattern": "tpx/{DevEUI}/up",
        "username": "ops",
        "password": "pw",
    },
}


def row_text(table: ConnectionTable, ident: str) -> str:
    position = table.order.index(ident)
    columns, width = table._columns(), table.size.width
    return table._row_strip(ident, position, columns, width, table.rich_style).text


async def test_double_click_on_a_row_opens_its_details(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SMALL) as pilot:
        await app.refresh_now()
        await pilot.pause()
        table = app.dashboard.table
        third = table.order[2]
        # Line 0 is the column header; the third row is on line 3.
        assert await pilot.click(ConnectionTable, offset=(30, 3), times=2)
        await pilot.pause()
        assert table.cursor_id == third
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.connection_id == third


async def test_a_filter_that_matches_nothing_says_so(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SMALL) as pilot:
        await app.refresh_now()
        await pilot.pause()
        table = app.dashboard.table
        await pilot.press("slash", *"zzqx")
        await pilot.pause()
        assert table.order == []
        line = table.render_line(1).text
        assert "No connection matches “zzqx” among the 25 connections" in line
        assert "esc clears the filter" in line
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert len(table.order) == 25
        assert "No connection" not in table.render_line(1).text


async def test_closed_right_after_a_create_is_init_not_error(make_dashboard, sim_client) -> None:
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.refresh_now()  # the dashboard was watching before the create
        created = await sim_client.create_connection(dict(MQTT))
        assert created.state == "CLOSED"
        await app.refresh_now()
        await pilot.pause()
        row = app.board.rows[created.id]
        assert row.health is Health.INIT and not row.is_fault
        text = row_text(app.dashboard.table, created.id)
        assert "◐ CLOSED" in text and "INIT" in text and "ERROR" not in text


async def test_time_in_state_on_a_first_start_is_a_lower_bound(make_dashboard, sim_clock) -> None:
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        table = app.dashboard.table
        rows = app.board.rows
        closed = next(i for i in table.order if rows[i].state != "OPENED")
        opened = next(i for i in table.order if rows[i].state == "OPENED")
        assert "≥ 0s" in row_text(table, closed)  # held since before we looked
        assert "≥" not in row_text(table, opened)  # OPENED since its startupTime: exact


async def test_a_sort_whose_column_is_hidden_is_said_by_the_header(make_dashboard) -> None:
    """At 80 columns the sorted column's ▲ says the sort; sorting by a column that does not
    fit (startup time) is said by the header ("by startup time▲") for as long as it lasts,
    not by a notice over the rows, and again after the terminal was wide enough for STARTUP."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        header = app.dashboard.header

        def said() -> str:  # the header's second line, as drawn at its width
            return header.text_at(header.content_size.width).plain.splitlines()[1]

        await pilot.press("L")  # failures: FAIL/H is on screen
        await pilot.pause()
        assert "FAIL/H▲" in app.dashboard.table.render_line(0).text
        assert "failures" not in said()
        await pilot.press("T")  # startup time: no STARTUP column at 80
        await pilot.pause()
        assert [n.message for n in app._notifications] == []
        assert said().endswith("by startup time▲")
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        await pilot.pause()
        assert "STARTUP▲" in app.dashboard.table.render_line(0).text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert said().endswith("by startup time▲")


async def test_the_highlight_of_changed_rows_ends_with_the_tick_two_seconds_on(
    make_dashboard, sim_clock, monkeypatch
) -> None:
    """Rows a poll changed stay highlighted for FLASH_SECONDS and go back at the first
    1 Hz tick after that, repainted in the frame the tick draws (no timer of their own)."""
    import time

    from tui.widgets import connection_table

    app = make_dashboard()
    async with app.run_test(size=SMALL) as pilot:
        await app.refresh_now()
        sim_clock.advance(900)
        started = time.monotonic()
        await app.refresh_now()
        await pilot.pause()
        dashboard, table = app.dashboard, app.dashboard.table
        flashed = set(table._flash)
        assert flashed
        shown = [ident for ident in table._window() if ident in flashed]
        repainted: list[object] = []
        draw = table.refresh
        table.refresh = lambda *regions, **kw: repainted.extend(regions) or draw(*regions, **kw)  # type: ignore[method-assign]
        at = started + connection_table.FLASH_SECONDS - 0.5
        monkeypatch.setattr(connection_table.time, "monotonic", lambda: at)
        dashboard._tick()
        assert set(table._flash) == flashed  # not yet
        at = started + connection_table.FLASH_SECONDS + 0.5
        monkeypatch.setattr(connection_table.time, "monotonic", lambda: at)
        dashboard._tick()
        assert not table._flash
        lines = {region.y for region in repainted}  # type: ignore[attr-defined]
        assert {table._window().index(ident) + 1 for ident in shown} <= lines
