"""The main screen: every connection, live, with the keys to look closer and to act."""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from ..api.errors import ApiError
from ..board import SORT_LABELS, Board, backoff_delay, warm_up
from ..payload_paths import set_path
from ..secrets import MASK, masked_paths
from ..timefmt import format_duration
from ..widgets.banner import ErrorBanner
from ..widgets.connection_table import ConnectionTable
from ..widgets.header import DashboardHeader, HeaderInfo
from .confirm import ConfirmScreen, DeleteConfirmScreen
from .help import HelpScreen
from .secrets_prompt import SecretsPrompt

if TYPE_CHECKING:
    from ..app import IoTFlowApp

HISTORY_SAVE_DELAY = 10.0
"""Seconds between a poll that changed the state history and writing it to disk."""

MUTATING = frozenset({"new", "edit", "clone", "toggle_active", "delete"})
"""Actions that change the platform: absent from keys, help and palette when read-only."""

DASHBOARD_BINDINGS = [
    Binding(
        "slash",
        "filter",
        "Filter",
        id="dashboard.filter",
        tooltip="Filter by name, id, connector or state",
    ),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="dashboard.clear_filter"),
    Binding(
        "f", "faults", "Faults", id="dashboard.faults", tooltip="Only ERROR, stuck or flapping"
    ),
    Binding("enter", "details", "Details", id="dashboard.details"),
    Binding("n", "new", "New", show=False, id="dashboard.new"),
    Binding("e", "edit", "Edit", show=False, id="dashboard.edit"),
    Binding("y", "clone", "Clone", show=False, id="dashboard.clone"),
    Binding("a", "toggle_active", "On/off", id="dashboard.toggle_active"),
    Binding("ctrl+d", "delete", "Delete", id="dashboard.delete"),
    Binding("c", "copy_id", "Copy id", show=False, id="dashboard.copy_id"),
    Binding("r", "refresh", "Refresh", id="dashboard.refresh"),
    Binding("p", "pause", "Pause", id="dashboard.pause"),
    Binding("S", "sort('state')", "Sort by state", show=False, id="dashboard.sort_state"),
    Binding("N", "sort('name')", "Sort by name", show=False, id="dashboard.sort_name"),
    Binding("T", "sort('startup')", "Sort by startup", show=False, id="dashboard.sort_startup"),
    Binding(
        "C", "sort('connector')", "Sort by connector", show=False, id="dashboard.sort_connector"
    ),
    Binding("question_mark", "help", "Help", id="dashboard.help"),
    Binding("q", "app.quit", "Quit", id="dashboard.quit"),
]

PALETTE = [
    ("filter", "Filter", "Filter connections by name, id, connector or state"),
    ("faults", "Faults only", "Show only connections in ERROR, stuck or flapping"),
    ("details", "Details", "Open the selected connection"),
    ("new", "New connection", "Create a connection"),
    ("edit", "Edit connection", "Edit the selected connection"),
    ("clone", "Clone connection", "A new connection pre-filled from this one, without secrets"),
    ("toggle_active", "Activate / deactivate", "Switch the selected connection on or off"),
    ("delete", "Delete connection", "Delete the selected connection (asks for its name)"),
    ("copy_id", "Copy id", "Copy the selected connection's id to the clipboard (OSC 52)"),
    ("refresh", "Refresh now", "Poll the API now"),
    ("pause", "Pause / resume", "Stop or restart the live refresh"),
    ("sort('state')", "Sort by state", "Faults first; again to reverse"),
    ("sort('name')", "Sort by name", "Again to reverse"),
    ("sort('startup')", "Sort by startup time", "Again to reverse"),
    ("sort('connector')", "Sort by connector", "Again to reverse"),
    ("help", "Help", "Every key and what the colours mean"),
]


class DashboardScreen(Screen[None]):
    """The connection list, refreshed by one poll loop that never overlaps itself."""

    app: IoTFlowApp
    BINDINGS = DASHBOARD_BINDINGS
    DEFAULT_CSS = """
    DashboardScreen {
        layout: vertical;
        & > #filter { display: none; height: 1; border: none; padding: 0 1; background: $boost; }
        & > #filter.-shown { display: block; }
    }
    """

    def __init__(
        self,
        *,
        client: Any,
        board: Board,
        clock: Callable[[], datetime],
        display_tz: tzinfo | None,
        interval: float,
        read_only: bool,
        poll: bool,
        rng: random.Random,
        profile_name: str,
        host: str,
    ):
        super().__init__()
        self.client = client
        self.board = board
        self.clock = clock
        self.display_tz = display_tz
        self.interval = interval
        self.read_only = read_only
        self.poll_enabled = poll
        self.rng = rng
        self.paused = False
        self.failures = 0
        self.last_error: BaseException | None = None
        self.last_success: datetime | None = None
        self.polls = 0
        self.next_delay = interval
        self._next_at: float | None = None
        self._polling = False
        self._wake = asyncio.Event()
        self._pending: list[asyncio.Future[None]] = []
        self._loop_running = False
        self._history_timer: Timer | None = None
        self._warmed = False
        self._header_info = HeaderInfo(
            profile=profile_name, host=host, read_only=read_only, interval=interval
        )

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DashboardHeader(self._header_info, id="header")
        yield ErrorBanner(id="banner")
        yield Input(
            placeholder="filter: name, id, connector or state · enter keeps · esc clears",
            id="filter",
        )
        yield ConnectionTable(clock=self.clock, display_tz=self.display_tz, id="table")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def table(self) -> ConnectionTable:
        return self.query_one(ConnectionTable)

    @property
    def header(self) -> DashboardHeader:
        return self.query_one(DashboardHeader)

    @property
    def banner(self) -> ErrorBanner:
        return self.query_one(ErrorBanner)

    def on_mount(self) -> None:
        self.table.focus()
        self.set_interval(1.0, self._tick, name="dashboard-tick")
        if self.board.rows:
            self.table.set_rows(self.board.rows)
        if self.poll_enabled:
            self._poll_loop()
        self._update_header()

    # -- polling -----------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="poll", name="poll-loop")
    async def _poll_loop(self) -> None:
        """Poll on a fixed cadence; `r` wakes it, `p` holds it.

        Polls start one interval apart (next start = last start + interval), so the API
        sees exactly one list call per interval; a poll that overruns is followed by the
        next one as soon as it ends, never overlapping it. After a failure the backoff
        counts from the end of the failed poll.
        """
        self._loop_running = True
        try:
            while True:
                self._wake.clear()
                started = time.monotonic()
                await self._poll_once()
                ended = time.monotonic()
                if self.failures:
                    next_at = ended + self.next_delay
                else:
                    next_at = max(ended, started + self.next_delay)
                self._next_at = next_at
                if self.last_error is not None:
                    self._update_banner()
                try:
                    await asyncio.wait_for(
                        self._wake.wait(),
                        timeout=None if self.paused else max(0.0, next_at - time.monotonic()),
                    )
                except TimeoutError:
                    pass
                while self.paused and not self._wake.is_set():
                    await self._wake.wait()
        finally:
            self._loop_running = False

    async def refresh_now(self) -> None:
        """Start a poll now and return once it has ended (tests await this; no sleeping)."""
        if not self._loop_running:
            await self._poll_once()
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append(waiter)
        self._wake.set()
        await waiter

    async def _poll_once(self) -> None:
        waiters, self._pending = self._pending, []
        self._polling = True
        self._update_header()
        try:
            connections = await self._list_connections()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - the app never exits because of the API
            self._failed(error)
        else:
            self._succeeded(connections)
        finally:
            self._polling = False
            self.polls += 1
            self._update_header()
            if self.last_error is not None:
                self._update_banner()
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def _list_connections(self) -> list[Any]:
        if self._warmed:
            return await self.client.list_connections()
        # The first poll: while the platform prepares the list, do the start-up work
        # the first frame with data needs but the request does not (history file,
        # alarm modules). The token comes first, so the list request is in flight.
        self._warmed = True
        authenticate = getattr(self.client, "authenticate", None)
        if authenticate is not None:
            await authenticate()
        listing = asyncio.ensure_future(self.client.list_connections())
        await asyncio.sleep(0.005)
        try:
            self._warm_up()
        except Exception:  # noqa: BLE001 - the poll itself reports what matters
            pass
        return await listing

    def _warm_up(self) -> None:
        load_history = getattr(self.app, "load_history", None)
        if load_history is not None:
            load_history()
        warm_up()

    def _succeeded(self, connections: list[Any]) -> None:
        self._warm_up()  # (a no-op after the first poll)
        now = self.clock()
        first = self.board.polled_at is None
        delta = self.board.apply(connections, now)
        if first:
            self.table.set_rows(self.board.rows)
        else:
            self.table.apply_delta(self.board.rows, delta)
        self.failures = 0
        self.last_error = None
        self.last_success = now
        self.next_delay = self.interval
        self._next_at = None
        self.table.stale = False
        self.banner.hide()
        if self._history_timer is None:
            # At most one write per HISTORY_SAVE_DELAY, off the event loop, and never
            # right after the first poll (the app saves once more when it exits).
            self._history_timer = self.set_timer(HISTORY_SAVE_DELAY, self._history_due)
        for screen in self.app.screen_stack:
            board_updated = getattr(screen, "board_updated", None)
            if screen is not self and board_updated is not None:
                board_updated()

    def _failed(self, error: BaseException) -> None:
        self.failures += 1
        self.last_error = error
        self.next_delay = backoff_delay(self.failures, self.rng)
        self._next_at = None
        self.table.stale = self.last_success is not None

    def _history_due(self) -> None:
        self._history_timer = None
        self._save_history()

    @work(thread=True, exit_on_error=False, group="history")
    def _save_history(self) -> None:
        self.board.history.save()

    def _tick(self) -> None:
        now = self.clock()
        delta = self.board.reflag(now)
        if delta:
            self.table.apply_delta(self.board.rows, delta, flash=False)
        self._update_header()
        if self.banner.shown:
            self._update_banner()
        self.table.refresh_durations()

    # -- header and banner -------------------------------------------------------

    def _update_header(self) -> None:
        if not self.is_mounted:
            return
        table = self.table
        since = None
        if self.last_success is not None:
            since = format_duration(self.clock() - self.last_success)
        self.header.update(
            counts=self.board.counts(),
            since_refresh=since,
            refreshing=self._polling,
            paused=self.paused,
            stale=self.last_error is not None and self.last_success is not None,
            shown=len(table.order),
            total=len(self.board.rows),
            sort=table.sort,
            reverse=table.reverse,
            query=table.filter_text,
            faults_only=table.faults_only,
        )

    def _update_banner(self) -> None:
        error = self.last_error
        if error is None:
            self.banner.hide()
            return
        if isinstance(error, ApiError):
            message = error.user_message
        else:
            message = f"Unexpected failure while reading the connections: {error!r}"
        if self._polling:
            when = "retrying now…"
        elif self.paused:
            when = "refresh is paused: p resumes, r tries once"
        else:
            seconds = self.next_delay
            if self._next_at is not None:
                seconds = max(0.0, self._next_at - time.monotonic())
            when = f"next try in {math.ceil(seconds)} s"
        parts = [f"failed {self.failures}×", when]
        if self.last_success is not None:
            age = format_duration(self.clock() - self.last_success)
            parts.insert(0, f"showing data from {age} ago (stale)")
        else:
            parts.insert(0, "no data yet")
        self.banner.show(message, " · ".join(parts))

    # -- keys --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in MUTATING:
            return False
        if action == "clear_filter":
            table = self.table
            return bool(table.filter_text or table.faults_only or self.focused is self._filter)
        return True

    @property
    def _filter(self) -> Input:
        return self.query_one("#filter", Input)

    def action_filter(self) -> None:
        self._filter.add_class("-shown")
        self._filter.focus()

    def action_clear_filter(self) -> None:
        self._filter.value = ""
        self._filter.remove_class("-shown")
        self.table.set_view(filter_text="", faults_only=False)
        self.table.focus()
        self._update_header()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_view(filter_text=event.value)
        self._update_header()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self._filter.remove_class("-shown")
        self.table.focus()
        self.refresh_bindings()

    def action_faults(self) -> None:
        self.table.set_view(faults_only=not self.table.faults_only)
        self._update_header()
        self.refresh_bindings()

    def action_sort(self, sort: str) -> None:
        table = self.table
        reverse = not table.reverse if table.sort == sort else False
        table.set_view(sort=sort, reverse=reverse)
        self._update_header()
        self.notify(f"Sorted by {SORT_LABELS[sort]}{' (reversed)' if reverse else ''}", timeout=2)

    def action_refresh(self) -> None:
        if self._loop_running:
            self._wake.set()
        else:
            self.run_worker(self._poll_once(), group="poll-once", exit_on_error=False)

    def action_pause(self) -> None:
        self.paused = not self.paused
        if not self.paused:
            self._wake.set()
        self.notify("Live refresh paused" if self.paused else "Live refresh resumed", timeout=2)
        self._update_header()
        if self.banner.shown:
            self._update_banner()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.key_help(), read_only=self.read_only))

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) of every dashboard key the user can use, as mapped now."""
        keys_by_id: dict[str, list[str]] = {}
        mapped = self._bindings.copy()
        if self.app._keymap:
            mapped.apply_keymap(self.app._keymap)
        for bindings in mapped.key_to_bindings.values():
            for binding in bindings:
                keys_by_id.setdefault(binding.id or binding.action, []).append(
                    self.app.get_key_display(binding)
                )
        out: list[tuple[str, str]] = []
        for binding in DASHBOARD_BINDINGS:
            action = binding.action.split("(")[0].removeprefix("app.")
            if self.read_only and action in MUTATING:
                continue
            keys = keys_by_id.get(binding.id or binding.action)
            if keys:
                out.append((", ".join(dict.fromkeys(keys)), binding.description))
        out.append(("↑ ↓ j k", "Move the cursor"))
        out.append(("pgup pgdn home end", "Page up, page down, first, last"))
        out.append(("ctrl+p", "Command palette: the same actions by name"))
        return out

    def palette_commands(self) -> list[tuple[str, str, str]]:
        """(action, title, help) for the command palette, without mutating ones if read-only."""
        return [
            item for item in PALETTE if not (self.read_only and item[0].split("(")[0] in MUTATING)
        ]

    # -- actions on the selected connection --------------------------------------

    def _selected(self, connection_id: str | None = None) -> str | None:
        ident = connection_id or self.table.selected_id
        if ident is None:
            self.notify("No connection selected.", severity="warning")
        return ident

    def _name_of(self, ident: str) -> str:
        row = self.board.rows.get(ident)
        return row.name if row else ident

    def action_details(self, connection_id: str | None = None) -> None:
        ident = self._selected(connection_id)
        if ident is None:
            return
        from .detail import DetailScreen

        def back(_: object = None) -> None:
            self.table.select_id(ident)

        self.app.push_screen(DetailScreen(ident, dashboard=self), back)

    def action_new(self) -> None:
        self.app.action_new_connection()

    def action_edit(self, connection_id: str | None = None) -> None:
        ident = self._selected(connection_id)
        if ident is not None:
            self.app.action_edit_connection(ident)

    def action_clone(self, connection_id: str | None = None) -> None:
        ident = self._selected(connection_id)
        if ident is not None:
            self.app.action_clone_connection(ident)

    def action_copy_id(self, connection_id: str | None = None) -> None:
        ident = self._selected(connection_id)
        if ident is not None:
            self.app.copy_to_clipboard(ident)
            self.notify(f"Copied id {ident} to the clipboard.", timeout=3)

    def action_toggle_active(self, connection_id: str | None = None) -> None:
        ident = self._selected(connection_id)
        if ident is not None:
            self._toggle_active(ident)

    def action_delete(self, connection_id: str | None = None) -> None:
        ident = self._selected(connection_id)
        if ident is not None:
            self._delete(ident)

    @work(exclusive=True, group="action", exit_on_error=False)
    async def _toggle_active(self, ident: str) -> None:
        if self.read_only:
            self.notify("This profile is read-only.", severity="warning")
            return
        try:
            connection = await self.client.get_connection(ident)
        except ApiError as error:
            self.notify(error.user_message, title="Cannot read the connection", severity="error")
            return
        verb = "Deactivate" if connection.active else "Activate"
        effect = (
            "Its device traffic stops flowing within about a minute."
            if connection.active
            else "It starts opening; the row shows its state as it progresses."
        )
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                f"{verb} connection “{connection.name}” (id {ident})?",
                effect,
                confirm_label=verb,
            )
        )
        if not confirmed:
            return
        payload = connection.to_payload()
        payload["active"] = not connection.active
        paths = masked_paths(payload)
        if paths:
            values = await self.app.push_screen_wait(
                SecretsPrompt(f"{verb} “{connection.name}”: secrets needed", paths)
            )
            if values is None:
                self.notify("Cancelled: nothing was sent.", timeout=3)
                return
            for path, value in values.items():
                set_path(payload, path, value)
        if masked_paths(payload) or MASK in str(payload):
            # Never send the mask back as if it were the secret.
            self.notify("A secret is still masked; nothing was sent.", severity="error")
            return
        try:
            await self.client.update_connection(ident, payload)
        except ApiError as error:
            self.notify(error.user_message, title=f"{verb} failed", severity="error")
            return
        self.notify(f"{verb}d “{connection.name}”. Watch its state in the list.", timeout=4)
        await self.refresh_now()

    @work(exclusive=True, group="action", exit_on_error=False)
    async def _delete(self, ident: str) -> None:
        if self.read_only:
            self.notify("This profile is read-only.", severity="warning")
            return
        name = self._name_of(ident)
        confirmed = await self.app.push_screen_wait(DeleteConfirmScreen(name, ident))
        if not confirmed:
            return
        try:
            await self.client.delete_connection(ident)
        except ApiError as error:
            self.notify(error.user_message, title="Delete failed", severity="error")
            return
        self.notify(f"Deleted “{name}” (id {ident}).", timeout=4)
        await self.refresh_now()

    def select_connection(self, ident: str) -> None:
        """Put the cursor on a connection, after the next poll if it is not listed yet."""
        if self.table.select_id(ident):
            return

        async def later() -> None:
            await self.refresh_now()
            self.table.select_id(ident)

        self.run_worker(later(), group="select", exit_on_error=False)
