"""The dashboard's logic without a screen: rows, filter, sort, diff, backoff, formatting.

The table widget only arranges what this module computes, so everything an operator
reads (which rows, in which order, flagged how, "12m 5s") is tested without Textual.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from operator import attrgetter
from typing import Any, NamedTuple

from .connections import Connection, gc_paused, short_connector_name
from .flow_health import NO_FLAGS as NO_FLOW_FLAGS
from .health import (
    HEALTH_ORDER,
    Health,
    HistoryStore,
    Thresholds,
    health_of,
    in_start_grace,
    is_flapping,
    is_stuck,
    next_flag_change,
)
from .timefmt import LOCAL_ZONE, NO_VALUE

# -- formatting ---------------------------------------------------------------------

HEALTH_SYMBOL: dict[Health, str] = {
    Health.ACTIVE: "●",
    Health.INIT: "◐",
    Health.ERROR: "✖",
    Health.DEACTIVATED: "○",
}
HEALTH_RANK: dict[Health, int] = {health: rank for rank, health in enumerate(HEALTH_ORDER)}
SHORT_STATES: dict[str, str] = {"AUTHENTICATION_FAILED": "AUTH_FAILED"}
"""Shorter spellings used when the terminal is narrow."""


class AlarmCell(NamedTuple):
    """The alarm column of a row: its text and level (one of ``CELL_LEVELS``)."""

    text: str
    level: str


class AlarmMemo(NamedTuple):
    """The alarm column worked out for a row, valid until ``until`` for these inputs."""

    alarms: list[dict[str, Any]] | None
    state: str
    until: datetime
    cell: AlarmCell


def alarm_view(row: Row, now: datetime, tz: tzinfo | None) -> AlarmCell:
    """The alarm column for a row.

    Computing windows walks a recurrence, so the answer is kept on the row until the
    next window boundary (or its state or alarms change): painting a row costs nothing.
    Times are in ``tz``, or the operator's local zone when None, like the STARTUP column
    (the cell has no room to name the alarm's own zone).
    """
    if tz is None:
        tz = LOCAL_ZONE
    memo = row.alarm_memo
    if (
        memo is not None
        and now < memo.until
        and memo.alarms == row.alarms
        and memo.state == row.state
    ):
        return memo.cell
    if not row.alarms:
        # No alarm: nothing to walk, and no need for the alarm modules (see warm_up).
        view = AlarmCell(NO_VALUE, "none")
        row.alarm_memo = AlarmMemo(row.alarms, row.state, now + timedelta(hours=1), view)
        return view
    from .alarms.display import alarm_cell
    from .alarms.status import alarm_status

    view = AlarmCell(*alarm_cell(row.alarms, row.state, now, tz))
    until = now + timedelta(hours=1)
    status = alarm_status(row.alarms, now)
    for boundary in (status.open_until, status.next_start):
        if boundary is not None and now < boundary < until:
            until = boundary
    row.alarm_memo = AlarmMemo(row.alarms, row.state, until, view)
    return view


def warm_up() -> None:
    """Import what painting rows with alarms needs (dateutil and the alarm model).

    Not at start-up: the app calls this while its first poll waits for the platform.
    """
    from .alarms import display, status  # noqa: F401


def flags_cell(
    stuck: bool, flapping: bool, quiet_in_window: bool = False, flow: tuple[str, ...] = ()
) -> str:
    """``STUCK``, ``FLAP``, ``ALARM`` (inside an alarm window while not OPENED), then the
    data-flow flags ``SILENT``, ``LOSS``, ``LOW`` (see flow_health)."""
    words = (("STUCK", stuck), ("FLAP", flapping), ("ALARM", quiet_in_window))
    return " ".join([*(word for word, on in words if on), *flow])


def state_label(state: str, narrow: bool = False) -> str:
    return SHORT_STATES.get(state, state) if narrow else state


# -- rows ---------------------------------------------------------------------------


class Signature(NamedTuple):
    """What a poll compares to tell whether a row changed."""

    state: str
    active: bool
    name: str
    connector_id: str
    startup_time: datetime | None
    alarms: list[dict[str, Any]] | None
    """None when there are none (an empty list and a missing key read the same)."""


_FIELDS = Signature._fields

_SHORT_NAMES: dict[str, str] = {}
"""connector id → short name: a handful of connectors shared by thousands of rows."""


@dataclass(slots=True)
class Row:
    """One connection as the dashboard shows it."""

    id: str
    name: str
    connector_id: str
    state: str
    active: bool
    startup_time: datetime | None
    alarms: list[dict[str, Any]] | None
    since: datetime | None = None
    """When the current state was first observed."""
    since_exact: bool = False
    """False while the state was already held when first seen: ``since`` is a lower bound."""
    starting: bool = False
    """CLOSED within the start grace (``health.in_start_grace``): INIT, not ERROR."""
    stuck: bool = False
    flapping: bool = False
    health: Health = Health.INIT
    rank: int = 0
    """Position of ``health`` in HEALTH_ORDER (the state sort, the counts)."""
    connector: str = ""
    search: str = ""
    """Lower-case text the filter searches: name, id, connector, state."""
    signature: Signature = field(init=False)
    version: int = 0
    """Bumped on every change, so a widget can cache what it drew for a row."""
    alarm_memo: AlarmMemo | None = None
    minimum_memo: Any = None
    """(alarms, uplink minimum of the open window, valid until, computed at): board_flow's."""
    """The alarm column as last worked out: see ``alarm_view``."""
    source: Any = None
    """The Connection last seen for this row: the same object again means no change."""
    metrics: Any = None
    """The connection's ConnectionMetrics from the last poll, or None (see board_flow)."""
    flow: Any = NO_FLOW_FLAGS
    """SILENT / LOSS / LOW (a FlowFlags), evaluated by board_flow.apply_metrics."""
    flow_inputs: Any = None
    """(state, alarm minimum, fired, loss threshold) ``flow`` was evaluated with, beside
    ``metrics``: board_flow skips a row whose inputs are the same objects and values."""

    def __post_init__(self) -> None:
        self._derive()

    def _derive(self) -> None:
        self.health = health = health_of(self.state, self.active, starting=self.starting)
        # By position, not by a dict: hashing an Enum member runs Python code.
        self.rank = HEALTH_ORDER.index(health)
        connector = _SHORT_NAMES.get(self.connector_id)
        if connector is None:
            connector = _SHORT_NAMES[self.connector_id] = short_connector_name(self.connector_id)
        self.connector = connector
        # Health is a StrEnum: it joins as its text, without the slow ``.value`` lookup.
        self.search = "\x00".join(
            (self.name, self.id, self.connector_id, self.state, health)
        ).lower()
        self.signature = Signature(
            self.state,
            self.active,
            self.name,
            self.connector_id,
            self.startup_time,
            self.alarms or None,
        )

    @property
    def is_fault(self) -> bool:
        return self.health is Health.ERROR or self.stuck or self.flapping or self.flow.any

    def in_state(self, now: datetime) -> timedelta | None:
        return None if self.since is None else now - self.since

    def uptime(self, now: datetime) -> timedelta | None:
        if self.startup_time is None or self.health is not Health.ACTIVE:
            return None
        return now - self.startup_time


@dataclass(slots=True)
class Delta:
    """What one poll changed: ids added, removed, and changed (with the fields)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


_RANK = attrgetter("rank")


def first_sight(state: str, startup_time: datetime | None, now: datetime,
                watched: bool) -> tuple[datetime, bool]:
    """When a state the history has never held for a connection began, and whether exactly.

    A running connection has been OPENED since it started (exact). Any other state began
    by now; exactly only when ``watched`` (a poll before this one saw the connection's
    absence), else ``now`` is a lower bound. Board and board_look share this one rule."""
    if state == "OPENED" and startup_time is not None:
        return min(now, startup_time), True
    return now, watched


class Board:
    """The connections last seen, their observed history and flags, keyed by id."""

    def __init__(self, history: HistoryStore | None = None, thresholds: Thresholds | None = None):
        self.history = history if history is not None else HistoryStore()
        self.thresholds = thresholds or Thresholds()
        self.rows: dict[str, Row] = {}
        self.connections: dict[str, Connection] = {}
        self.polled_at: datetime | None = None
        self._watch: dict[str, datetime] = {}
        """id → when its flags could next read differently (see ``_flag``)."""
        self._flagged_at: datetime | None = None
        """When the watched rows were last evaluated."""
        self._counts: dict[Health, int] | None = None
        self._starts: dict[str, datetime] = {}
        """id → when we saw it created or switched on (the platform's startupTime may
        only change once it is OPENED): the start grace counts from the later of both."""

    def apply(self, connections: Iterable[Connection], now: datetime) -> Delta:
        """Merge one poll: observe state changes, then diff rows against the last poll.

        The common case (nothing changed for a connection) costs a few comparisons,
        so a poll of thousands of unchanged connections stays cheap. Connections are
        snapshots, never changed in place: the very object seen last poll (the client
        hands back the same object for an unchanged item) is skipped without comparing.
        """
        with gc_paused():
            return self._apply(connections, now)

    def _apply(self, connections: Iterable[Connection], now: datetime) -> Delta:
        delta = Delta()
        rows = self.rows
        get = rows.get
        seen: dict[str, Connection] = {}
        for connection in connections:
            ident = connection.id
            seen[ident] = connection
            row = get(ident)
            if row is not None:
                if row.source is connection:
                    continue  # the client handed back the very same, unchanged connection
                state = connection.state or "UNKNOWN"
                if (
                    # Field by field: no tuple is built for an unchanged row.
                    row.state == state
                    and row.name == connection.name
                    and row.active == connection.active
                    and row.startup_time == connection.startup_time
                    and row.connector_id == connection.connector_id
                    and row.signature.alarms == (connection.alarms or None)
                ):
                    continue
            else:
                state = connection.state or "UNKNOWN"
            signature = Signature(
                state,
                connection.active,
                connection.name,
                connection.connector_id,
                connection.startup_time,
                connection.alarms or None,
            )
            self.observe_state(ident, state, connection, now)
            history = self.history.get(ident)
            since, exact = history.since(), history.since_is_exact()
            if row is None and self.polled_at is not None:
                self._starts[ident] = now  # created since our last poll
            elif row is not None and connection.active and not row.active:
                self._starts[ident] = now  # switched on since our last poll
            starting = in_start_grace(
                state,
                connection.active,
                self._start_of(ident, connection.startup_time),
                now,
                self.thresholds.closed_grace,
            )
            if row is None:
                row = Row(
                    ident,
                    connection.name,
                    connection.connector_id,
                    state,
                    connection.active,
                    connection.startup_time,
                    connection.alarms,
                    since,
                    exact,
                    starting,
                )
                rows[ident] = row
                delta.added.append(ident)
            else:
                delta.changed[ident] = {
                    name
                    for name, old, new in zip(_FIELDS, row.signature, signature, strict=True)
                    if old != new
                }
                row.state, row.active, row.name = state, connection.active, connection.name
                row.connector_id = connection.connector_id
                row.startup_time = connection.startup_time
                row.alarms = connection.alarms
                row.starting = starting
                row._derive()
                row.since, row.since_exact = since, exact
                row.version += 1
            row.source = connection
            self._watch[ident] = now  # changed: evaluate it now
        if len(seen) != len(rows):
            for ident in [ident for ident in rows if ident not in seen]:
                del rows[ident]
                self._watch.pop(ident, None)
                self._starts.pop(ident, None)
                delta.removed.append(ident)
        self.connections = seen
        self.history.forget_missing(seen)
        self.polled_at = now
        self._counts = None
        self._flag(now, delta, delta.added)
        return delta

    def observe_state(self, ident: str, state: str, connection: Connection,
                      now: datetime) -> None:
        """Record the state in the history as this poll sees it (also board_look's)."""
        history = self.history.get(ident)
        current = history.current
        if current is not None and current.state == state:
            started = connection.startup_time
            if state == "OPENED" and started is not None and current.at < started <= now:
                # Restarted while no one looked (its closing and opening went unseen): the
                # OPENED spell shown began at its start-up, never before it (in state
                # longer than up would be impossible).
                self.history.began_again(ident, started)
            return
        # Seen to change between two polls of ours: it began within one poll interval.
        # On our first poll the state may be much older (it changed while no one watched).
        watched = self.polled_at is not None
        if current is None:
            at, exact = first_sight(state, connection.startup_time, now, watched)
        else:
            at, exact = now, watched
        self.history.observe(ident, state, at, exact=exact)

    def restarted(self, ident: str, at: datetime) -> None:
        """We asked the platform to restart it: CLOSED from now on is a start, not a failure
        (the platform's startupTime may only move once it is OPENED again)."""
        self._starts[ident] = at
        if ident in self.rows:
            self._watch[ident] = at  # its start grace begins: evaluate it

    def _start_of(self, ident: str, startup_time: datetime | None) -> datetime | None:
        seen = self._starts.get(ident)
        if seen is None or startup_time is None:
            return startup_time or seen
        return max(seen, startup_time)

    def reflag(self, now: datetime) -> Delta:
        """Re-evaluate stuck, flapping and the start grace as time passes, without a poll."""
        delta = Delta()
        self._flag(now, delta, ())
        return delta

    def _flag(self, now: datetime, delta: Delta, fresh: Iterable[str]) -> None:
        """Stuck, flapping and the start grace for the watched rows that are due.

        Each watched row keeps when its flags could next read differently as time passes
        alone (``next_flag_change``): until then evaluating it again gives the same
        answer, so the 1 Hz tick looks at the few rows that are due instead of every
        watched row. A row with nothing pending leaves the watch; a change (a poll, a
        restart) puts it back, due at once. A clock that went back re-evaluates them all.
        """
        t = self.thresholds
        fresh = set(fresh)
        watch = self._watch
        flagged = self._flagged_at
        if flagged is not None and now < flagged:
            idents = list(watch)
        else:
            idents = [ident for ident, due in watch.items() if due <= now]
        self._flagged_at = now
        for ident in idents:
            row = self.rows[ident]
            history = self.history.get(ident)
            stuck = is_stuck(row.state, row.since, now, t)
            flapping = is_flapping(history, now, t)
            if stuck != row.stuck or flapping != row.flapping:
                row.stuck, row.flapping = stuck, flapping
                row.version += 1
                if ident not in fresh:
                    delta.changed.setdefault(ident, set()).add("flags")
            started = self._start_of(ident, row.startup_time)
            starting = in_start_grace(row.state, row.active, started, now, t.closed_grace)
            if starting != row.starting:
                # The grace ran out (CLOSED since the start: an error now), or began.
                row.starting = starting
                row._derive()
                row.version += 1
                self._counts = None
                if ident not in fresh:
                    delta.changed.setdefault(ident, set()).add("health")
            due = next_flag_change(row.state, row.since, history, started, now, t)
            if due is None:
                del watch[ident]  # steady: nothing changes until its state does
            else:
                watch[ident] = due

    def counts(self) -> dict[Health, int]:
        if self._counts is None:
            by_rank = Counter(map(_RANK, self.rows.values()))
            self._counts = {health: by_rank[rank] for rank, health in enumerate(HEALTH_ORDER)}
        return dict(self._counts)


# -- polling ------------------------------------------------------------------------

MIN_INTERVAL = 2.0
BACKOFF_BASE = 2.0
BACKOFF_CAP = 60.0


def poll_interval(seconds: float | None) -> float:
    """The refresh interval: default 5 s, never below 2 s."""
    return max(MIN_INTERVAL, 5.0 if seconds is None else float(seconds))


def backoff_delay(
    failures: int,
    rng: random.Random | None = None,
    *,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
) -> float:
    """Seconds before retry number ``failures`` (1, 2, ...): 2, 4, 8 ... up to 60, with jitter.

    "Equal jitter": between half and all of the step, so many dashboards that lost the
    API together do not come back together, yet none retries sooner than half a step.
    """
    step = min(cap, base * 2 ** max(0, failures - 1))
    return (rng or random).uniform(step / 2, step)
