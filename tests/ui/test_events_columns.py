"""The events view gives the message the room at 80 columns and every column from 100."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.support.waiting import events_loaded, until
from tui.event_view import NARROW_COLUMNS, WIDE_COLUMNS
from tui.screens.events import EventsScreen


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def row_lines(app) -> list[str]:
    """The table's rows as drawn, in order (the lines under its header)."""
    lines = screen_lines(app)
    top = next(i for i, line in enumerate(lines) if line.lstrip().startswith("TIME"))
    return lines[top + 1 :]


def headers(table: DataTable) -> tuple[str, ...]:
    return tuple(str(column.label) for column in table.columns.values())


async def open_events(app, pilot) -> EventsScreen:
    await app.dashboard.refresh_now()
    await pilot.press("E")
    await until(pilot, lambda: events_loaded(app), "the events view has read the events")
    screen = app.screen
    assert isinstance(screen, EventsScreen)
    return screen


async def test_at_80_columns_each_row_shows_its_whole_message(make_dashboard, sim_clock):
    sim_clock.advance(120)
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_events(app, pilot)
        table = screen.table
        assert headers(table) == NARROW_COLUMNS.headers
        assert not table.show_horizontal_scrollbar  # nothing sticks out to the right
        shown = screen.view.apply(screen.events, screen.names)
        visible = [e for _, e in shown][: table.size.height - 1]  # under the header row
        assert len(visible) >= 10
        for event, line in zip(visible, row_lines(app), strict=False):
            when = event.time.astimezone(screen.display_tz).strftime("%H:%M:%S")
            assert line.lstrip().startswith(when)
            assert event.message in line, (event.message, line)


async def test_a_wider_terminal_gets_every_column_and_keeps_the_cursor(make_dashboard, sim_clock):
    sim_clock.advance(120)
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_events(app, pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        chosen = screen._selected_event()
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert headers(screen.table) == WIDE_COLUMNS.headers
        assert screen._selected_event() == chosen
        line = row_lines(app)[screen.table.cursor_row]
        assert chosen.code in line and chosen.message in line
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert headers(screen.table) == NARROW_COLUMNS.headers
        assert screen._selected_event() == chosen
