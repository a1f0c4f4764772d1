"""The events view changes only what reads differently at a refresh (Pilot, no snapshot).

A refresh that brings nothing new touches no row and no line; new events are added as
rows (the others are left alone) and put in place; whatever the sequence of refreshes,
levels, connection filters and cursor moves, the table reads row for row as a table
built afresh from the same events would, with the cursor on the event it was on.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.app import App
from textual.coordinate import Coordinate

from tui import event_view
from tui.event_view import event_row
from tui.flow import Event
from tui.screens.events import EventsScreen

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
LEVELS = ["debug", "info", "warn", "error"]


class ScriptedEvents:
    """A platform whose next ``events`` answer the test decides."""

    def __init__(self) -> None:
        self.answer: list[Event] = []

    async def events(self, **_: Any) -> list[Event]:
        return list(self.answer)


class Host(App[None]):
    def __init__(self, client: ScriptedEvents) -> None:
        super().__init__()
        self.client = client

    def on_mount(self) -> None:
        self.push_screen(
            EventsScreen(self.client, clock=lambda: T0, display_tz=UTC,
                         names={"c1": "north", "c2": "south"}, live=False)
        )  # fmt: skip


class Calls:
    """How often the screen asked the table to change."""

    def __init__(self, table: Any) -> None:
        self.counts = {"add_row": 0, "remove_row": 0, "clear": 0, "sort": 0}
        for name in self.counts:
            real = getattr(table, name)

            def counted(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
                self.counts[_name] += 1
                return _real(*args, **kw)

            setattr(table, name, counted)

    def take(self) -> dict[str, int]:
        counts, self.counts = self.counts, dict.fromkeys(self.counts, 0)
        return counts


def event(n: int, rng: random.Random) -> Event:
    return Event(
        time=T0 + timedelta(seconds=n),
        level=rng.choice(LEVELS),
        code=f"con-{rng.randint(1000, 1010)}",
        message=f"event {n}",
        connection_id=rng.choice(["c1", "c2", None]),
    )


def table_reads(screen: EventsScreen) -> list[tuple[str, ...]]:
    table = screen.table
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def expected_reads(screen: EventsScreen) -> list[tuple[str, ...]]:
    shown = screen.view.apply(screen.events, screen.names)
    return [event_row(e, screen.names, UTC) for _, e in shown]


def selected_key(screen: EventsScreen) -> str | None:
    table = screen.table
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value


async def test_a_refresh_with_nothing_new_changes_nothing_and_new_events_are_added() -> None:
    rng = random.Random(1)
    client = ScriptedEvents()
    client.answer = [event(n, rng) for n in range(30, 0, -1)]
    app = Host(client)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        assert table_reads(screen) == expected_reads(screen) and screen.table.row_count == 30
        calls = Calls(screen.table)
        status = screen.query_one("#events-status")
        updates: list[Any] = []
        real_update = status.update
        status.update = lambda *a, **kw: (updates.append(a), real_update(*a, **kw))[1]
        await pilot.press("down", "down")
        await pilot.pause()
        on = selected_key(screen)
        calls.take()
        await screen.fetch()  # the same 30 events again
        await pilot.pause()
        assert calls.take() == {"add_row": 0, "remove_row": 0, "clear": 0, "sort": 0}
        assert updates == [] and selected_key(screen) == on
        client.answer = [event(n, rng) for n in (33, 32, 31)]
        await screen.fetch()
        await pilot.pause()
        assert calls.take() == {"add_row": 3, "remove_row": 0, "clear": 0, "sort": 1}
        assert table_reads(screen) == expected_reads(screen)
        assert [str(c) for c in screen.table.get_row_at(0)][4] == "event 33"
        assert selected_key(screen) == on  # the cursor stayed on its event
        assert len(updates) == 1 and "33/33 shown" in str(updates[0][0])


@pytest.mark.parametrize("seed", range(4))
async def test_any_sequence_of_refreshes_and_keys_reads_as_a_table_built_afresh(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_view, "MAX_KEPT", 40)  # old events drop out, too
    rng = random.Random(seed)
    client = ScriptedEvents()
    newest = 20
    client.answer = [event(n, rng) for n in range(newest, 0, -1)]
    app = Host(client)
    async with app.run_test(size=(100, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        for _ in range(25):
            step = rng.choice(["new", "new", "same", "level", "connection", "move"])
            before = selected_key(screen)
            if step == "new":
                fresh = [event(n, rng) for n in range(newest + rng.randint(1, 12), newest, -1)]
                newest = int((fresh[0].time - T0).total_seconds())
                # Sometimes an event already kept comes again (an overlapping page).
                client.answer = fresh + rng.sample(screen.events, min(2, len(screen.events)))
                await screen.fetch()
            elif step == "same":
                client.answer = []
                await screen.fetch()
            elif step == "level":
                await pilot.press("l")
            elif step == "connection":
                await pilot.press("c")
            else:
                await pilot.press(*["down"] * rng.randint(1, 8))
            await pilot.pause()
            assert table_reads(screen) == expected_reads(screen), step
            shown_keys = [k for k, _ in screen.view.apply(screen.events, screen.names)]
            if step in ("new", "same") and before in shown_keys:
                assert selected_key(screen) == before, step
            preview = str(screen.query_one("#events-selected").render())
            chosen = screen._selected_event()
            if chosen is not None:
                assert chosen.message in preview


async def test_the_dashboard_under_the_events_view_repaints_nothing_until_it_shows_again(
    make_dashboard, sim_clock
) -> None:
    """Textual forwards what a screen under the top one repaints to the top screen: the
    dashboard's tick and polls must not make the events view draw itself again; once
    the view closes, the dashboard shows what changed meanwhile."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("E")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        forwarded: list[Any] = []
        real_refresh = screen.refresh

        def counting(*regions: Any, **kw: Any) -> Any:
            forwarded.append(regions)
            return real_refresh(*regions, **kw)

        screen.refresh = counting  # type: ignore[method-assign]
        sim_clock.advance(5)
        await app.dashboard.refresh_now()
        await pilot.pause()
        for _ in range(3):
            sim_clock.advance(1)
            app.dashboard._tick()
            await pilot.pause()
        assert forwarded == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard
        # What the terminal is given (each widget's lines), not only what one would render.
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "updated 3s ago" in shown and "updated 0s ago" not in shown
