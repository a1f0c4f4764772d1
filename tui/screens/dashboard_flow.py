"""Data flow on the dashboard: metrics beside every poll, restart, and the events view.

A mixin of :class:`~tui.screens.dashboard.DashboardScreen`: the screen's poll calls
``_metrics_start`` before it asks for the list and ``_metrics_finish`` once the list is
shown, so both requests are in flight together and a poll costs the slower of the two.
The logic (flags, sums, outcomes) lives in headless modules: ``board_flow``,
``flow_health``, ``flow_poll``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual import work

from .. import messages
from ..board_flow import FleetFlow, apply_metrics, clear_metrics, fleet_flow
from ..flow_poll import MetricsPoll, fired_alarms
from ..terminal_text import one_line
from . import connection_actions
from .events import EventsScreen

__all__ = ["DashboardFlow", "RESTART_WATCH_SECONDS", "RESTART_POLL_SECONDS"]

RESTART_WATCH_SECONDS = 12.0
"""After a restart, poll faster for this long so the row shows CLOSING, CLOSED, OPENING…"""
RESTART_POLL_SECONDS = 1.0
FIRED_CHECK_SECONDS = 60.0
"""At most one check a minute, and only while a row is LOW, to confirm its alarm."""


class DashboardFlow:
    """Metrics, data-flow flags, fleet rates, restart and the events view.

    Mixed into DashboardScreen (no import of it here: that would be a cycle); it uses the
    screen's client, board, clock, table, notify, refresh_now and select_connection.
    """

    client: Any
    board: Any
    clock: Any
    table: Any
    display_tz: Any
    interval: float
    poll_enabled: bool
    next_delay: float

    metrics_poll: MetricsPoll
    fleet: FleetFlow | None
    loss_threshold: int
    _fired: set[str]
    _fired_checked: float | None
    _restart_watch_until: float

    def _flow_init(self, loss_threshold: int = 0) -> None:
        self.metrics_poll = MetricsPoll()
        self.fleet = None
        self.loss_threshold = loss_threshold
        self._fired = set()
        self._fired_checked = None
        self._restart_watch_until = 0.0

    # -- polling --------------------------------------------------------------------
    def _flow_pending(self) -> bool:
        """No fleet figures yet, though the platform is asked for them: the header says
        they are not known (``⚠ DATA —``) rather than leaving them out (header_text)."""
        return (
            self.fleet is None
            and not self.metrics_poll.unavailable
            and hasattr(self.client, "metrics")
        )

    def _metrics_start(self) -> asyncio.Future[Any] | None:
        return self.metrics_poll.start(self.client)

    async def _metrics_finish(self, call: asyncio.Future[Any] | None) -> None:
        outcome = await self.metrics_poll.outcome(call)
        if outcome.note:
            self.notify(outcome.note, title="Metrics", severity="information", timeout=6)
        now = self.clock()
        if outcome.metrics is None:
            if not self.metrics_poll.unavailable:
                return  # a blink: keep the last figures, the next poll asks again
            delta = clear_metrics(self.board)
        else:
            metrics = outcome.metrics

            def apply() -> Any:
                return apply_metrics(
                    self.board, metrics, now, loss_threshold=self.loss_threshold, fired=self._fired
                )

            delta = apply()
            if await self._check_fired_alarms():
                # A fired-alarm event confirms LOW: the flags again, keeping what the first
                # pass changed (those rows still need repainting).
                for ident, fields in apply().changed.items():
                    delta.changed.setdefault(ident, set()).update(fields)
        first = self.fleet is None
        self.fleet = fleet_flow(self.board)
        if delta:
            self.table.apply_delta(self.board.rows, delta, flash=False)
        if first != (self.fleet is None):
            # Figures appeared (or went away) on every row at once: repaint the whole table,
            # the line under the cursor included (it was painted before they arrived).
            self.table.refresh()

    async def _check_fired_alarms(self) -> bool:
        """Confirm LOW rows by their fired-alarm events (rarely: see FIRED_CHECK_SECONDS)."""
        low = [ident for ident, row in self.board.rows.items() if row.flow.low]
        if not low:
            return False
        events = getattr(self.client, "events", None)
        checked = self._fired_checked
        if events is None or (
            checked is not None and time.monotonic() - checked < FIRED_CHECK_SECONDS
        ):
            return False
        self._fired_checked = time.monotonic()
        fired = await fired_alarms(events, self.clock(), low)
        changed = fired != self._fired
        self._fired = fired
        return changed

    def _poll_delay(self) -> float:
        """The next poll's delay: faster for a moment after a restart."""
        if time.monotonic() < self._restart_watch_until:
            return min(self.next_delay, RESTART_POLL_SECONDS)
        return self.next_delay

    # -- restart ----------------------------------------------------------------------
    def action_restart(self) -> None:
        if ident := self._selected():
            self.post_message(messages.RestartRequested(ident))

    @work(exclusive=True, group="action")
    async def restart(self, ident: str) -> None:
        """Confirm naming the connection, restart it, then watch the row (the app said yes)."""
        name = self._name_of(ident)
        row = self.board.rows.get(ident)
        if row is not None and not row.active:
            # The platform refuses it (409); say so before asking, not after.
            self.notify(
                f"“{one_line(name)}” is deactivated: a switches it on (a restart is for a "
                "connection that is on).",
                severity="warning",
            )
            return
        if await connection_actions.restart(self.app, self.client, ident, name):
            self.board.restarted(ident, self.clock())
            self._restart_watch_until = time.monotonic() + RESTART_WATCH_SECONDS
            await self.refresh_now()

    # -- events -----------------------------------------------------------------------
    def action_events(self) -> None:
        """All connections' events, live; enter on one jumps to its connection."""
        names = {ident: row.name for ident, row in self.board.rows.items()}

        def jump(ident: str | None) -> None:
            if ident:
                self.select_connection(ident)

        screen = EventsScreen(
            self.client,
            clock=self.clock,
            display_tz=self.display_tz,
            names=names,
            interval=self.interval,
            live=self.poll_enabled,
        )
        self.app.push_screen(screen, jump)
