"""One connection in full: fields, configuration tree, alarms, state timeline, raw JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from rich.json import JSON
from rich.table import Table
from rich.text import Text
from rich.tree import Tree
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from .. import messages
from ..alarms.display import alarm_detail_lines
from ..board import HEALTH_SYMBOL, NO_VALUE, Board, Row, alarm_view, flags_cell
from ..columns import durations
from ..health import Health, health_of
from ..secrets import mask_secrets
from ..terminal_text import is_terminal_safe, one_line, terminal_safe
from ..timefmt import format_duration, format_local
from ..unexpected import GuardedNode
from ..widgets.flow_detail import metrics_table, timeline_table
from .detail_flow import ConnectionFlow, EventsSource
from .keys import KeyedScreen

HEALTH_STYLE = {
    Health.ACTIVE: "green",
    Health.INIT: "yellow",
    Health.ERROR: "bold red",
    Health.DEACTIVATED: "bright_black",
}


def config_tree(label: str, value: Any) -> Tree:
    """A readable tree of a (masked) configuration: objects and arrays as branches."""
    tree = Tree(Text(label, "bold"), guide_style="dim")
    _grow(tree, value)
    return tree


def _grow(node: Tree, value: Any) -> None:
    if isinstance(value, dict):
        if not value:
            node.add(Text("(empty)", "dim"))
        for key, item in value.items():
            _add(node, str(key), item)
    elif isinstance(value, list):
        if not value:
            node.add(Text("(empty list)", "dim"))
        for index, item in enumerate(value):
            _add(node, f"[{index}]", item)


def _add(node: Tree, key: str, item: Any) -> None:
    if isinstance(item, dict | list):
        _grow(node.add(Text(one_line(key), "bold")), item)
        return
    shown = json.dumps(item, ensure_ascii=False) if not isinstance(item, str) else item
    if "\n" in shown:
        shown = shown.splitlines()[0] + " …"
    node.add(Text.assemble((one_line(key), "bold"), ": ", one_line(shown, 500)))


class DetailScreen(GuardedNode, KeyedScreen, Screen[None]):
    """Refreshes live while open (on each BoardUpdated); esc returns to the same row.

    It reads the board and asks for actions by message: it knows nothing of the
    dashboard.
    """

    DEFAULT_CSS = """
    DetailScreen {
        & > #detail-title { height: 1; background: $panel; padding: 0 1; text-style: bold; }
        & > VerticalScroll { padding: 0 1; }
        & .detail--section { margin-top: 1; text-style: bold; color: $text-accent; }
    }
    """
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="detail.back", tooltip="Back to the list"),
        # Copy id, Refresh and Delete are in help and the palette: at 80 columns the footer
        # keeps room for the rest and Help.
        Binding(
            "c",
            "copy_id",
            "Copy id",
            show=False,
            id="detail.copy_id",
            tooltip="Copy the id (OSC 52)",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,
            id="detail.refresh",
            tooltip="Poll the API now",
        ),
        Binding("e", "edit", "Edit", id="detail.edit", tooltip="Edit this connection"),
        Binding(
            "a",
            "toggle_active",
            "On/off",
            id="detail.toggle_active",
            tooltip="Activate or deactivate this connection (asks first)",
        ),
        Binding(
            "R",
            "restart",
            "Restart",
            id="detail.restart",
            tooltip="Restart this connection (asks first)",
        ),
        Binding(
            "ctrl+d",
            "delete",
            "Delete",
            show=False,
            id="detail.delete",
            tooltip="Delete this connection (asks for its name)",
        ),
        Binding(
            "i",
            "export_alarms",
            "Calendar",
            id="detail.export_alarms",
            tooltip="Write this connection's alarm windows to an .ics calendar file",
        ),
        Binding("m", "more", "More", id="detail.more", tooltip="Show older lines of the timeline"),
    ]
    HELP_EXTRA = (("↑ ↓ pgup pgdn", "Scroll"),)
    HELP_LEGEND = True

    def __init__(
        self,
        connection_id: str,
        *,
        board: Board,
        clock: Callable[[], datetime],
        display_tz: tzinfo | None,
        read_only: bool,
        events_source: EventsSource | None = None,
    ):
        """``events_source``: the client's ``events`` (the timeline's platform events)."""
        super().__init__()
        if read_only:
            self.refuse_mutations()
        self.connection_id = connection_id
        self.board = board
        self.clock = clock
        self.display_tz = display_tz
        self.flow = ConnectionFlow(connection_id, events_source)

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Static(id="overview")
            yield Static("Data flow", classes="detail--section")
            yield Static(id="flow")
            yield Static("Configuration (secrets masked)", classes="detail--section")
            yield Static(id="configuration")
            yield Static("Alarms", classes="detail--section")
            yield Static(id="alarms")
            yield Static(
                "Timeline: events and observed states, last 24 h, newest first",
                classes="detail--section",
            )
            yield Static(id="history")
            yield Static("Raw JSON (secrets masked)", classes="detail--section")
            yield Static(id="raw")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
        self.show_connection()
        self._read_events()

    def on_board_updated(self, _: messages.BoardUpdated) -> None:
        self.show_connection()
        self._read_events()

    @work(exclusive=True, group="detail-events")
    async def _read_events(self) -> None:
        if await self.flow.read_events(self.clock()):
            self.query_one("#history", Static).update(self._timeline(self.clock()))

    def show_connection(self) -> None:
        """Draw the connection as the board has it now."""
        board = self.board
        ident = self.connection_id
        connection = board.connections.get(ident)
        title = self.query_one("#detail-title", Static)
        if connection is None:
            title.update(f"Connection {ident}")
            self.query_one("#overview", Static).update(
                Text("This connection is no longer listed (deleted?). esc goes back.", "bold red")
            )
            return
        now = self.clock()
        tz = self.display_tz
        row = board.rows.get(ident)
        state = connection.state or "UNKNOWN"
        health = health_of(connection.state, connection.active)
        style = HEALTH_STYLE[health]
        title.update(Text.assemble(
            ("Connection ", ""), (one_line(connection.name), "bold"), f"  id {one_line(ident)}"
        ))

        fields = Table.grid(padding=(0, 2))
        fields.add_column(style="bold", no_wrap=True)
        fields.add_column()
        fields.add_row("Name", terminal_safe(connection.name) or NO_VALUE)
        fields.add_row("Id", terminal_safe(ident))
        fields.add_row("Connector", one_line(connection.connector_id) or NO_VALUE)
        fields.add_row("Active", "yes" if connection.active else "no")
        fields.add_row("State", Text(f"{HEALTH_SYMBOL[health]} {one_line(state)}", style))
        fields.add_row("Health", Text(health.value, style))
        if connection.problem:
            # An item the client could not read (state UNREADABLE): what is wrong with it.
            fields.add_row("Unreadable", Text(terminal_safe(connection.problem), "bold red"))
        fields.add_row("Time in state", _time_in_state(row, now))
        quiet = row is not None and alarm_view(row, now, tz)[1] == "open-not-opened"
        flags = flags_cell(row.stuck, row.flapping, quiet, row.flow.words) if row else ""
        if flags:
            fields.add_row("Flags", Text(flags, "bold red"))
        fields.add_row("Startup (local)", format_local(connection.startup_time, tz, offset=True))
        fields.add_row("Startup (UTC)", format_local(connection.startup_time, UTC, offset=True))
        uptime = row.uptime(now) if row else None
        fields.add_row("Uptime", format_duration(uptime))
        for key, value in connection.extra.items():
            shown = json.dumps(mask_secrets(value), ensure_ascii=False)
            fields.add_row(one_line(key), one_line(shown))
        self.query_one("#overview", Static).update(fields)

        self.query_one("#configuration", Static).update(
            config_tree("configuration", mask_secrets(connection.configuration))
        )
        self.query_one("#alarms", Static).update(self._alarms(connection.alarms))
        self.query_one("#flow", Static).update(metrics_table(row.metrics if row else None))
        self.query_one("#history", Static).update(self._timeline(now))
        raw = json.dumps(mask_secrets(connection.to_api()), indent=2, ensure_ascii=False)
        # A DEL, C1 or bidi character would reach the terminal raw: then escape all of them.
        inert = is_terminal_safe(raw, multiline=True)
        self.query_one("#raw", Static).update(JSON(raw, ensure_ascii=not inert))

    def _alarms(self, alarms: list[dict[str, Any]] | None) -> Text:
        """Each alarm's summary and its next windows, in the alarm's own time zone."""
        if not alarms:
            return Text("No alarms.", "dim")
        now = self.clock()
        text = Text()
        for index, line in enumerate(alarm_detail_lines(alarms, now, None, n=3)):
            if index:
                text.append("\n")
            style = "bold" if line.startswith("Alarm") else ""
            if "invalid" in line or "cannot" in line:
                style = "bold red"
            elif line.lstrip().startswith("now"):
                style = "green"
            text.append(terminal_safe(line), style)
        return text

    def _timeline(self, now: datetime) -> Table | Text:
        """Platform events merged with the states this dashboard observed (see flow)."""
        history = self.board.history.get(self.connection_id)
        items = self.flow.timeline(history.timeline(now), now)
        return timeline_table(
            items, self.display_tz, shown=self.flow.shown, total_note=self.flow.note
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(self.connection_id)
        self.notify(f"Copied id {self.connection_id} to the clipboard.", timeout=3)

    def action_refresh(self) -> None:
        self.post_message(messages.RefreshRequested())

    def action_edit(self) -> None:
        self.post_message(messages.EditRequested(self.connection_id))

    def action_toggle_active(self) -> None:
        self.post_message(messages.ToggleRequested(self.connection_id))

    def action_delete(self) -> None:
        self.post_message(messages.DeleteRequested(self.connection_id))

    def action_export_alarms(self) -> None:
        """The alarms as iotflow-alarms-ID.ics in the current directory (a small local file:
        written here, no worker needed)."""
        connection = self.board.connections.get(self.connection_id)
        if connection is None or not connection.alarms:
            self.notify("This connection has no alarm to export.", severity="warning")
            return
        # Imported on use: icalendar costs ~45 ms, paid before the dashboard's first frame
        # when this module's imports run at start-up.
        from ..alarms.ics import write_calendar_file

        try:
            path, calendar = write_calendar_file(
                connection.alarms,
                connection_id=connection.id,
                name=connection.name,
                stamp=self.clock(),
                directory=Path.cwd(),
            )
        except OSError as error:
            self.notify(
                f"Could not write the calendar ({error.strerror or error}); start iotflow in a "
                "directory you can write to, or use `iotflow alarms ID --ics > file.ics`.",
                severity="error",
            )
            return
        skipped = len(calendar.skipped)
        left_out = f" {skipped} invalid alarm(s) left out." if skipped else ""
        self.notify(f"Wrote {calendar.events} alarm(s) to {path}.{left_out}", timeout=6)

    def action_restart(self) -> None:
        self.post_message(messages.RestartRequested(self.connection_id))

    def action_more(self) -> None:
        self.flow.show_more()
        self.query_one("#history", Static).update(self._timeline(self.clock()))


def _time_in_state(row: Row | None, now: datetime) -> Text:
    """As in the table (``≥`` when the state was already held when first seen), with why."""
    if row is None:
        return Text(NO_VALUE)
    text = Text(durations(row, now)[0])
    if not row.since_exact and row.since is not None:
        text.append("  (already in this state when iotflow first saw it)", "dim")
    return text
