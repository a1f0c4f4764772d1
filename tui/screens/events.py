"""Every connection's events, live, newest first; filter by level, connection and text.

``enter`` closes the view on the selected event's connection (the dashboard puts its
cursor there). The view reads ``GET /events`` when it opens (the last 24 hours) and then
only what is newer, once per refresh interval; what it keeps is bounded.

A refresh changes only what reads differently: when the events shown are the same, no
row, status or preview is touched (nothing is sent to the terminal); new events are added
as rows and the rows that went are removed, instead of the table being built again
(``event_view.rows_change`` says which).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ..api.errors import ApiError
from ..event_view import (
    WIDE_COLUMNS,
    EventFilter,
    EventKeys,
    event_columns,
    event_row,
    merge_events,
    rows_change,
)
from ..flow import Event
from ..terminal_text import one_line
from ..unexpected import GuardedNode
from ..widgets.ordered_keys import OrderedInput
from .keys import KeyedScreen

__all__ = ["EventsScreen"]

LOOK_BACK = timedelta(hours=24)
LEVEL_STYLES = {"error": "bold red reverse", "warn": "bold yellow", "debug": "dim"}
"""Worse stands out more, also without colour (bold, reverse)."""


class _When(str):
    """The TIME cell, which knows its event: the table's sort puts rows back in order."""

    event_key: str

    def __new__(cls, text: str, event_key: str) -> _When:
        cell = super().__new__(cls, text)
        cell.event_key = event_key
        return cell


class EventsScreen(GuardedNode, KeyedScreen, Screen[str | None]):
    """The platform's event log for all connections."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="events.back", tooltip="Back to the connections"),
        Binding(
            "enter",
            "jump",
            "Go to connection",
            id="events.jump",
            tooltip="Close and put the cursor on this event's connection",
        ),  # fmt: skip
        Binding(
            "l",
            "level",
            "Level",
            id="events.level",
            tooltip="Cycle the level shown: all, info and worse, warn and worse, errors",
        ),  # fmt: skip
        Binding(
            "c",
            "connection",
            "This connection",
            id="events.connection",
            tooltip="Show only the selected event's connection (again: all)",
        ),  # fmt: skip
        Binding(
            "slash",
            "filter",
            "Filter",
            id="events.filter",
            tooltip="Show only events whose text, code or connection matches",
            priority=True,  # at once: the keys typed after "/" in one burst are filter text
        ),  # fmt: skip
    ]
    DEFAULT_CSS = """
    EventsScreen {
        layout: vertical;
        & > #events-status { height: 1; padding: 0 1; background: $panel; }
        & > #events-filter { display: none; height: 1; border: none; padding: 0 1; }
        & > #events-filter.-shown { display: block; }
        & > DataTable { height: 1fr; }
        & > #events-selected { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    }
    """

    def __init__(
        self,
        client: Any,
        *,
        clock: Callable[[], datetime],
        display_tz: tzinfo | None,
        names: dict[str, str],
        interval: float = 5.0,
        live: bool = True,
    ) -> None:
        super().__init__()
        self.client = client
        self.clock = clock
        self.display_tz = display_tz
        self.names = names
        self.interval = interval
        self.live = live
        self.events: list[Event] = []
        self.view = EventFilter()
        self.error: str | None = None
        self.loaded = False
        self._keys = EventKeys()
        self._shown: list[tuple[str, Event]] = []
        """(key, event) of the rows in the table, top to bottom."""
        self._shown_by_key: dict[str, Event] = {}
        self._texts: dict[str, str] = {}
        """What the status and preview lines say: a line that reads the same is not sent."""
        self.columns = WIDE_COLUMNS
        """The table's columns, for the screen's width (:func:`event_columns`)."""

    def compose(self) -> ComposeResult:
        yield Static("Events · loading…", id="events-status", markup=False)
        yield OrderedInput(placeholder="filter: text, code or connection · esc clears",
                           id="events-filter")
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=False)
        self._time_column = table.add_columns(*self.columns.headers)[0]
        yield table
        # All of the highlighted event: its date and code (not in the table at 80 columns),
        # and the whole of a message longer than its column.
        yield Static("", id="events-selected", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    @property
    def table(self) -> DataTable[str]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self._fit_columns(self.app.size.width)
        self.table.focus()
        self.load()

    def on_resize(self, event: Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, width: int) -> None:
        """The columns for ``width``; on a change the rows are built again, the cursor
        on the same event."""
        columns = event_columns(width)
        if columns == self.columns:
            return
        self.columns = columns
        table = self.table
        selected = self._selected_key()
        table.clear(columns=True)
        self._time_column = table.add_columns(*columns.headers)[0]
        self._shown = []
        self.redraw()
        for index, (key, _) in enumerate(self._shown):
            if key == selected:
                table.move_cursor(row=index)
                break

    # -- reading --------------------------------------------------------------------
    @work(exclusive=True, group="events")
    async def load(self) -> None:
        """The last 24 hours now, then what is newer once per interval (if live)."""
        await self.fetch()
        while self.live:
            await asyncio.sleep(self.interval)
            await self.fetch()

    async def fetch(self) -> None:
        now = self.clock()
        since = self.events[0].time if self.events and self.events[0].time else now - LOOK_BACK
        try:
            fresh = await self.client.events(since=since)
        except ApiError as error:
            self.error = error.user_message
        else:
            self.error = None
            self.events = merge_events(self.events, fresh, self._keys)
            self._keys.keep_only(self.events)
        self.loaded = True
        self.redraw()

    # -- drawing --------------------------------------------------------------------
    def redraw(self) -> None:
        table = self.table
        shown = self.view.apply(self.events, self.names, self._keys)
        before = [key for key, _ in self._shown]
        if [key for key, _ in shown] != before:
            self._show_rows(table, before, shown)
        self._shown = shown
        self._shown_by_key = dict(shown)
        parts = [f"Events · {len(shown)}/{len(self.events)} shown · newest first"]
        parts.append(f"level: {self.view.level_label}")
        if self.view.connection_id:
            name = self.names.get(self.view.connection_id, "")
            parts.append(f"connection {self.view.connection_id} {name}".rstrip())
        if self.view.text:
            parts.append(f"filter “{self.view.text}”")
        if self.error:
            parts.append(f"cannot read events: {self.error}")
        elif not self.events and self.loaded:
            parts.append("no event in the last 24 hours")
        elif not shown and self.loaded:
            parts.append("none matches: l changes the level, c or esc shows all")
        # One line of fixed height: no layout, which would also redraw the table's
        # scrollbars (2 KB at 80x24) each time the count of events kept moves on.
        self._say("#events-status", " · ".join(parts), layout=False)
        self._show_selected()

    def _show_rows(
        self, table: DataTable[str], before: list[str], shown: list[tuple[str, Event]]
    ) -> None:
        """Make the table's rows ``shown``, the cursor on the event it was on (if shown).

        Rows that stay are left alone: only the new ones are added (and measured) and the
        ones that went are removed; a rebuild is kept for when most rows differ.
        """
        selected = self._selected_key()
        change = rows_change(before, [key for key, _ in shown])
        if change is None:
            table.clear()
            for key, event in shown:
                table.add_row(*self._cells(key, event), key=key)
        else:
            for key in change.removed:
                table.remove_row(key)
            events = dict(shown)
            for key in change.added:
                table.add_row(*self._cells(key, events[key]), key=key)
            if change.reorder:
                # Added rows go to the bottom: put every row at its place in ``shown``.
                place = {key: n for n, (key, _) in enumerate(shown)}
                table.sort(self._time_column, key=lambda when: place[when.event_key])
            # Where a rebuild leaves the view: at the top, the cursor on the first row
            # unless its event is still shown (below).
            table.scroll_to(0, 0, animate=False, immediate=True)
            table.move_cursor(row=0)
        if selected is not None:
            for index, (key, _) in enumerate(shown):
                if key == selected:
                    table.move_cursor(row=index)
                    break

    def _cells(self, key: str, event: Event) -> list[Any]:
        cells: list[Any] = list(
            event_row(event, self.names, self.display_tz, narrow=self.columns.narrow)
        )
        cells[0] = _When(cells[0], key)
        cells[1] = Text(cells[1], LEVEL_STYLES.get(event.level, ""))
        return cells

    def _say(self, selector: str, text: str, *, layout: bool = True) -> None:
        """Update a Static only when it reads differently (an update repaints)."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text, layout=layout)

    def _selected_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None

    def _selected_event(self) -> Event | None:
        key = self._selected_key()
        return None if key is None else self._shown_by_key.get(key)

    # -- keys -----------------------------------------------------------------------
    def action_close(self) -> None:
        filter_input = self.query_one("#events-filter", Input)
        if filter_input.has_class("-shown") or self.view.text:
            filter_input.value = ""
            filter_input.remove_class("-shown")
            self.view = self.view.with_text("")
            self.table.focus()
            self.redraw()
            return
        self.dismiss(None)

    def action_jump(self) -> None:
        event = self._selected_event()
        if event is None or not event.connection_id:
            self.notify("This event names no connection.", severity="warning")
            return
        self.dismiss(event.connection_id)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        event = self._selected_event()
        text = ""
        if event is not None:
            when, level, code, _, message = event_row(event, self.names, self.display_tz)
            ident = event.connection_id or ""
            who = one_line(f"{ident} {self.names.get(ident, '')}".strip()) or "—"
            text = f"{when} {level} {code} · {who} · {message}"
        self._say("#events-selected", text)

    @on(DataTable.RowSelected)
    def _row_chosen(self, _: DataTable.RowSelected) -> None:
        self.action_jump()

    def action_level(self) -> None:
        self.view = self.view.next_level()
        self.redraw()

    def action_connection(self) -> None:
        if self.view.connection_id:
            self.view = self.view.with_connection(None)
        else:
            event = self._selected_event()
            if event is None or not event.connection_id:
                self.notify("Select an event of a connection first.", severity="warning")
                return
            self.view = self.view.with_connection(event.connection_id)
        self.redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter":  # "/" typed into the filter is text
            return self.focused is not self.query_one("#events-filter", Input)
        return True

    def action_filter(self) -> None:
        filter_input = self.query_one("#events-filter", Input)
        filter_input.add_class("-shown")
        self.set_focus(filter_input)  # not focus(): the keys already read must follow

    @on(Input.Changed, "#events-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.view = self.view.with_text(event.value)
        self.redraw()

    @on(Input.Submitted, "#events-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()
