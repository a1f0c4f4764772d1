"""The main screen: every connection, live, with the keys to look closer and to act."""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from .. import messages
from ..api.errors import ApiError
from ..board import Board, backoff_delay, warm_up
from ..timefmt import format_duration
from ..unexpected import GuardedNode
from ..widgets.banner import ErrorBanner
from ..widgets.connection_table import ConnectionTable
from ..widgets.header import DashboardHeader, HeaderInfo
from ..widgets.ordered_keys import OrderedInput
from . import connection_actions
from .dashboard_compositor import DashboardCompositor
from .dashboard_flow import DashboardFlow
from .dashboard_keys import DASHBOARD_BINDINGS
from .dashboard_view import DashboardView
from .detail import DetailScreen
from .keys import KeyedScreen
from .ports import ConnectionsClient

HISTORY_SAVE_DELAY = 10.0
"""Seconds between a poll that changed the state history and writing it to disk."""


class DashboardScreen(DashboardView, DashboardFlow, GuardedNode, KeyedScreen, Screen[None]):
    """The connection list, refreshed by one poll loop that never overlaps itself."""

    BINDINGS = DASHBOARD_BINDINGS
    HELP_LEGEND = True
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
        client: ConnectionsClient,
        board: Board,
        clock: Callable[[], datetime],
        display_tz: tzinfo | None,
        interval: float,
        read_only: bool,
        poll: bool,
        rng: random.Random,
        profile_name: str,
        host: str,
        load_history: Callable[[], None] = lambda: None,
        first_listing: Awaitable[list[Any]] | None = None,
    ):
        """``load_history`` reads the state-history file; it runs once, while the first
        poll waits for the platform, so the file is read off the start-up path.
        ``first_listing``: the first poll's answer, already asked for (``tui.launch``)."""
        super().__init__()
        self._compositor = DashboardCompositor()
        if read_only:
            self.refuse_mutations()
        self.client = client
        self._load_history = load_history
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
        self._first_listing = first_listing
        self._said_notes: set[str] = set()
        self._flow_init()
        self._table: ConnectionTable | None = None
        self._header: DashboardHeader | None = None
        self._banner: ErrorBanner | None = None
        self._header_info = HeaderInfo(
            profile=profile_name, host=host, read_only=read_only, interval=interval
        )

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DashboardHeader(self._header_info, id="header")
        yield ErrorBanner(id="banner")
        yield OrderedInput(
            placeholder="filter: name, id, connector or state · enter keeps · esc clears",
            id="filter",
        )
        yield ConnectionTable(clock=self.clock, display_tz=self.display_tz, id="table")
        yield Footer(compact=True, show_command_palette=False)

    # Each found once: the 1 Hz tick and every poll ask for them several times, and a
    # DOM query each time was a tenth of an idle tick. The screen never replaces them.
    @property
    def table(self) -> ConnectionTable:
        if self._table is None:
            self._table = self.query_one(ConnectionTable)
        return self._table

    @property
    def header(self) -> DashboardHeader:
        if self._header is None:
            self._header = self.query_one(DashboardHeader)
        return self._header

    @property
    def banner(self) -> ErrorBanner:
        if self._banner is None:
            self._banner = self.query_one(ErrorBanner)
        return self._banner

    def on_mount(self) -> None:
        self.table.focus()
        self.set_interval(1.0, self._tick, name="dashboard-tick")
        if self.board.rows:
            self.table.set_rows(self.board.rows)
        if self.poll_enabled:
            self._poll_loop()
        # (Not _update_header: the screen does not count as mounted until this returns,
        # and the first frame must already show the counts of a board given filled.)
        self._write_header()

    # -- polling -----------------------------------------------------------------

    @work(exclusive=True, group="poll", name="poll-loop")
    async def _poll_loop(self) -> None:
        """Poll on a fixed cadence; `r` wakes it, `p` holds it.

        Polls start one interval apart (next start = last start + interval), so the API
        sees exactly one list call per interval; a poll that overruns is followed by the
        next one as soon as it ends, never overlapping it. After a failure the backoff
        counts from the end of the failed poll.
        """
        self._loop_running = True
        timed = False  # (the first poll is not a periodic one)
        try:
            while True:
                self._wake.clear()
                started = time.monotonic()
                await self._poll_once(periodic=timed)
                ended = time.monotonic()
                if self.failures:
                    next_at = ended + self.next_delay
                else:
                    next_at = max(ended, started + self._poll_delay())
                self._next_at = next_at
                if self.last_error is not None:
                    self._update_banner()
                timed = False
                try:
                    await asyncio.wait_for(
                        self._wake.wait(),
                        timeout=None if self.paused else max(0.0, next_at - time.monotonic()),
                    )
                except TimeoutError:
                    timed = True
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

    async def _poll_once(self, periodic: bool = False) -> None:
        waiters, self._pending = self._pending, []
        self._polling = True
        if not periodic or self.last_success is None or self.last_error is not None:
            # A poll of the cadence is said by the next tick if still under way: said at
            # once, it cost a frame more every 5 s, and it usually ends before that tick.
            self._update_header()
        metrics_call = self._metrics_start()  # in flight beside the list (dashboard_flow)
        try:
            connections = await self._list_connections()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - the app never exits because of the API
            self._failed(error)
        else:
            # The header once, after the metrics, when they are in already: nothing is
            # drawn in between (but for a fired-alarm check, at most once a minute).
            self._succeeded(connections, header=not (metrics_call is None or metrics_call.done()))
            await self._metrics_finish(metrics_call)
        finally:
            self.metrics_poll.cancel(metrics_call)  # (a no-op once it has answered)
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
        listing = self._first_listing
        self._first_listing = None
        if listing is None:
            await self.client.authenticate()
            listing = asyncio.ensure_future(self.client.list_connections())
            await asyncio.sleep(0.005)
        try:
            self._warm_up()
        except Exception:  # noqa: BLE001 - the poll itself reports what matters
            pass
        return await listing

    def _warm_up(self) -> None:
        self._load_history()
        warm_up()

    def _succeeded(self, connections: list[Any], *, header: bool = True) -> None:
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
        if header:
            self._update_header()  # with the rows, not after the metrics (they may be slow)
        self.banner.hide()
        for note in getattr(self.client, "notes", ()):  # e.g. an id listed twice: said once
            if note not in self._said_notes:
                self._said_notes.add(note)
                self.notify(note, title="The platform's list", severity="warning", timeout=10)
        if self._history_timer is None:
            # At most one write per HISTORY_SAVE_DELAY, off the event loop, and never
            # right after the first poll (the app saves once more when it exits).
            self._history_timer = self.set_timer(HISTORY_SAVE_DELAY, self._history_due)
        for screen in self.app.screen_stack:
            if screen is not self:
                screen.post_message(messages.BoardUpdated())

    def _failed(self, error: BaseException) -> None:
        self.failures += 1
        self.last_error = error
        self.next_delay = backoff_delay(self.failures, self.rng)
        self._next_at = None
        self.table.stale = self.last_success is not None

    def on_recovered(self, _: messages.Recovered) -> None:
        """After an unexpected error: nothing stays "refreshing…", and polling goes on."""
        self._polling = False
        waiters, self._pending = self._pending, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        if self.poll_enabled and not self._loop_running:
            # After a pause, so that a bug in the loop cannot spin it.
            self.set_timer(backoff_delay(self.failures + 1, self.rng), self._restart_polling)
        self._update_header()

    def _restart_polling(self) -> None:
        if not self._loop_running:
            self._poll_loop()

    def _history_due(self) -> None:
        self._history_timer = None
        self._save_history()

    @work(thread=True, group="history")
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
        self.table.end_flashes()

    # -- banner ------------------------------------------------------------------

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
        if action == "filter":
            # "/" typed into the filter is text (the binding is a priority one).
            return self.focused is not self._filter
        if action == "clear_filter":
            table = self.table
            return bool(table.filter_text or table.faults_only or self.focused is self._filter)
        if action == "pause":
            return not self.paused
        if action == "resume":
            return self.paused
        return True

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

    def action_refresh(self) -> None:
        if self._loop_running:
            self._wake.set()
        else:
            self.run_worker(self._poll_once(), group="poll-once")

    def action_pause(self) -> None:
        self._set_paused(True)

    def action_resume(self) -> None:
        self._set_paused(False)

    def _set_paused(self, paused: bool) -> None:
        self.paused = paused
        if not paused:
            self._wake.set()
        self.notify("Live refresh paused" if paused else "Live refresh resumed", timeout=2)
        self._update_header()
        self.refresh_bindings()  # the footer says Resume while paused
        if self.banner.shown:
            self._update_banner()

    # -- actions on the selected connection --------------------------------------

    def _selected(self) -> str | None:
        ident = self.table.selected_id
        if ident is None:
            self.notify("No connection selected.", severity="warning")
        return ident

    def _name_of(self, ident: str) -> str:
        row = self.board.rows.get(ident)
        return row.name if row else ident

    def action_details(self) -> None:
        ident = self._selected()
        if ident is None:
            return

        def back(_: object = None) -> None:
            self.table.select_id(ident)

        detail = DetailScreen(
            ident,
            board=self.board,
            clock=self.clock,
            display_tz=self.display_tz,
            read_only=self.read_only,
            events_source=getattr(self.client, "events", None),
        )
        self.app.push_screen(detail, back)

    # Mutating keys ask the app, like every other screen: it applies the read-only rule
    # and opens the form or calls back toggle_active / delete below.

    def action_new(self) -> None:
        self.post_message(messages.NewRequested())

    def action_edit(self) -> None:
        if ident := self._selected():
            self.post_message(messages.EditRequested(ident))

    def action_clone(self) -> None:
        if ident := self._selected():
            self.post_message(messages.CloneRequested(ident))

    def action_toggle_active(self) -> None:
        if ident := self._selected():
            self.post_message(messages.ToggleRequested(ident))

    def action_delete(self) -> None:
        if ident := self._selected():
            self.post_message(messages.DeleteRequested(ident))

    def action_copy_id(self) -> None:
        if ident := self._selected():
            self.app.copy_to_clipboard(ident)
            self.notify(f"Copied id {ident} to the clipboard.", timeout=3)

    @work(exclusive=True, group="action")
    async def toggle_active(self, ident: str) -> None:
        """Confirm, ask for secrets, switch on or off, poll (the app has said yes)."""
        if await connection_actions.toggle_active(self.app, self.client, ident):
            await self.refresh_now()

    @work(exclusive=True, group="action")
    async def delete(self, ident: str) -> None:
        """Confirm by name, delete, poll (the app has said yes)."""
        if await connection_actions.delete(self.app, self.client, ident, self._name_of(ident)):
            await self.refresh_now()

    def select_connection(self, ident: str) -> None:
        """Put the cursor on a connection, after the next poll if it is not listed yet."""
        if self.table.select_id(ident):
            return

        async def later() -> None:
            await self.refresh_now()
            self.table.select_id(ident)

        self.run_worker(later(), group="select")
