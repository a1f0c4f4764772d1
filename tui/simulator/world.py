"""The simulator's state store and clock-driven state machine (no HTTP here).

Connections live in a dict keyed by integer id; ids only grow, so dict order is numeric
order and paging is stable. Every connection carries a *plan*: a queue of timed state
changes. A heap holds the head of every plan; ``advance()`` applies everything due on
the clock, in time order, and is called lazily by every read. When a plan runs out, the
connection's *mode* (incident, flap, or none) decides what happens next, so incidents keep
coming for as long as the simulator runs without precomputing an endless schedule.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .clock import Clock
from .states import (
    AUTHENTICATING,
    AUTHENTICATION_FAILED,
    CLOSE_DELAY,
    CLOSED,
    CLOSING,
    DEACTIVATED,
    DEFAULT_RETRY_SCALE,
    OPEN_STEPS,
    OPENED,
    OPENING,
    RESTART_CLOSE_DELAY,
    RETRY_PERIODS,
    UNREACHABLE,
)

__all__ = ["Connection", "World"]

HISTORY_LIMIT = 1000

# Modes: what a connection does once its plan is exhausted.
MODE_INCIDENTS = "incidents"  # drops to UNREACHABLE now and then, reconnects on its strategy
MODE_FLAP = "flap"  # drops and reopens over and over


@dataclass(eq=False)
class Connection:
    id: int
    connector_id: str
    name: str
    active: bool
    configuration: dict[str, Any]
    alarms: list[Any] | None
    extra: dict[str, Any]
    state: str
    state_since: datetime
    startup_time: datetime | None = None
    mode: str | None = None
    rng: random.Random | None = None
    plan: deque[tuple[datetime, str]] = field(default_factory=deque)
    gen: int = 0

    @property
    def key(self) -> str:
        return str(self.id)


def has_invalid_marker(value: Any) -> bool:
    """True when any string in a configuration contains 'invalid' (-> AUTHENTICATION_FAILED)."""
    if isinstance(value, str):
        return "invalid" in value.lower()
    if isinstance(value, Mapping):
        return any(has_invalid_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(has_invalid_marker(v) for v in value)
    return False


class World:
    """All connections, their states and their schedules."""

    def __init__(
        self,
        catalogue: Mapping[str, Mapping[str, Any]],
        clock: Clock,
        *,
        seed: int = 0,
        retry_scale: float = DEFAULT_RETRY_SCALE,
    ) -> None:
        self.catalogue = catalogue
        self.clock = clock
        self.seed = seed
        self.retry_scale = retry_scale
        self.lock = threading.RLock()
        self.skipped_connectors: dict[str, str] = {}
        self._conns: dict[int, Connection] = {}
        self._history: dict[int, list[tuple[datetime, str]]] = {}
        self._heap: list[tuple[datetime, int, int, int]] = []
        self._seq = itertools.count()
        self._next_id = 1

    # -- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        with self.lock:
            return len(self._conns)

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def ids(self) -> list[str]:
        with self.lock:
            return [str(i) for i in self._conns]

    def get(self, key: str | int) -> Connection | None:
        cid = _parse_id(key)
        with self.lock:
            self.advance()
            return self._conns.get(cid) if cid is not None else None

    def state(self, key: str | int) -> str:
        conn = self.get(key)
        if conn is None:
            raise KeyError(key)
        return conn.state

    def states(self) -> dict[str, str]:
        with self.lock:
            self.advance()
            return {str(c.id): c.state for c in self._conns.values()}

    def connections(self) -> list[Connection]:
        with self.lock:
            self.advance()
            return list(self._conns.values())

    def page(self, offset: int, limit: int | None) -> list[Connection]:
        """Connections in ascending id order, ``limit`` of them from ``offset``."""
        with self.lock:
            self.advance()
            count = len(self._conns)
            if offset >= count:  # also keeps islice from huge numbers a client may send
                return []
            stop = count if limit is None else min(count, offset + limit)
            return list(itertools.islice(self._conns.values(), offset, stop))

    def history(self, key: str | int) -> list[tuple[datetime, str]]:
        """Every (time, state) the connection went through, oldest first (kept after delete)."""
        cid = _parse_id(key)
        with self.lock:
            self.advance()
            if cid is None or cid not in self._history:
                raise KeyError(key)
            return list(self._history[cid])

    # -- time -------------------------------------------------------------------------------
    def advance(self, now: datetime | None = None) -> int:
        """Apply every transition due at ``now`` (default: the clock). Returns how many."""
        applied = 0
        with self.lock:
            now = now or self.clock.now()
            heap = self._heap
            while heap and heap[0][0] <= now:
                when, _seq, cid, gen = heapq.heappop(heap)
                conn = self._conns.get(cid)
                if conn is None or conn.gen != gen or not conn.plan or conn.plan[0][0] != when:
                    continue
                _, state = conn.plan.popleft()
                self._set_state(conn, when, state)
                applied += 1
                if not conn.plan:
                    self._continue(conn, when)
                self._push_head(conn)
        return applied

    def _push_head(self, conn: Connection) -> None:
        if conn.plan:
            heapq.heappush(self._heap, (conn.plan[0][0], next(self._seq), conn.id, conn.gen))

    def _set_state(self, conn: Connection, when: datetime, state: str) -> None:
        conn.state = state
        conn.state_since = when
        if state == OPENED:
            # startupTime: "when the connection last started". Also set when a restart,
            # an activation or a new configuration asks for a start (a started connection
            # may stay CLOSED a while, which a client reads as normal only with a fresh
            # startupTime), and again here, so uptime counts from the opening.
            conn.startup_time = when
        hist = self._history.setdefault(conn.id, [])
        hist.append((when, state))
        if len(hist) > HISTORY_LIMIT:
            del hist[: len(hist) - HISTORY_LIMIT]

    def _replan(self, conn: Connection, plan: list[tuple[datetime, str]]) -> None:
        conn.gen += 1
        conn.plan = deque(plan)
        self._push_head(conn)

    def retry_period(self, conn: Connection) -> float:
        strategy = conn.configuration.get("reconnectStrategy", "NORMAL")
        period = RETRY_PERIODS.get(strategy, RETRY_PERIODS["NORMAL"])
        return period / self.retry_scale

    def open_plan(self, start: datetime, conn: Connection) -> list[tuple[datetime, str]]:
        """OPENING, AUTHENTICATING, then OPENED (or AUTHENTICATION_FAILED) after ``start``."""
        plan, t = [], start
        for delay, state in OPEN_STEPS:
            t += timedelta(seconds=delay)
            plan.append((t, state))
        if has_invalid_marker(conn.configuration):
            plan[-1] = (plan[-1][0], AUTHENTICATION_FAILED)
        return plan

    def reconnect_plan(self, conn: Connection, start: datetime, fails: int) -> list:
        """From UNREACHABLE: ``fails`` failed retries, then a successful reopening."""
        period = timedelta(seconds=self.retry_period(conn))
        plan, t = [], start
        for _ in range(fails):
            t += period
            plan += [(t, OPENING), (t + timedelta(seconds=1), UNREACHABLE)]
            t += timedelta(seconds=1)
        t += period
        plan += [
            (t, OPENING),
            (t + timedelta(seconds=1.5), AUTHENTICATING),
            (t + timedelta(seconds=3), OPENED),
        ]
        return plan

    def _continue(self, conn: Connection, t: datetime) -> None:
        """The plan ran out at ``t``: schedule the next episode according to the mode."""
        rng = conn.rng
        if conn.mode is None or rng is None or not conn.active:
            return
        if conn.mode == MODE_FLAP:
            if conn.state == OPENED:
                conn.plan.append((t + timedelta(seconds=rng.uniform(20, 90)), UNREACHABLE))
            elif conn.state == UNREACHABLE:
                conn.plan.extend(self.reconnect_plan(conn, t, 0))
        elif conn.mode == MODE_INCIDENTS:
            if conn.state == OPENED:
                conn.plan.append((t + timedelta(seconds=rng.uniform(120, 900)), UNREACHABLE))
            elif conn.state == UNREACHABLE:
                conn.plan.extend(self.reconnect_plan(conn, t, rng.choice((0, 0, 1, 2))))

    # -- writing ----------------------------------------------------------------------------
    def new_id(self) -> int:
        cid = self._next_id
        self._next_id += 1
        return cid

    def create(
        self,
        *,
        connector_id: str,
        name: str,
        configuration: dict[str, Any],
        active: bool = True,
        alarms: list[Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Connection:
        """A new connection: CLOSED now, then opening (or deactivating) on the clock."""
        with self.lock:
            self.advance()
            now = self.clock.now()
            conn = Connection(
                id=self.new_id(),
                connector_id=connector_id,
                name=name,
                active=active,
                configuration=configuration,
                alarms=alarms,
                extra=dict(extra or {}),
                state=CLOSED,
                state_since=now,
            )
            self._conns[conn.id] = conn
            self._set_state(conn, now, CLOSED)
            if active:
                # No startupTime until it first opens: a connection that never started has
                # none (a client reads a CLOSED one without it as just created).
                self._replan(conn, self.open_plan(now, conn))
            else:
                self._replan(conn, [(now + timedelta(seconds=1), DEACTIVATED)])
            return conn

    def replace(
        self,
        key: str | int,
        *,
        connector_id: str,
        name: str,
        configuration: dict[str, Any],
        active: bool = True,
        alarms: list[Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Connection | None:
        """Full replacement. The state machine restarts if active or configuration changed."""
        cid = _parse_id(key)
        with self.lock:
            self.advance()
            conn = self._conns.get(cid) if cid is not None else None
            if conn is None:
                return None
            now = self.clock.now()
            toggled = conn.active != active
            reconfigured = conn.configuration != configuration or conn.connector_id != connector_id
            conn.connector_id = connector_id
            conn.name = name
            conn.active = active
            conn.configuration = configuration
            conn.alarms = alarms
            conn.extra = dict(extra or {})
            if not (toggled or (active and reconfigured)):
                return conn
            conn.mode = None
            if not active:
                self._set_state(conn, now, CLOSING)
                self._replan(conn, [(now + timedelta(seconds=CLOSE_DELAY), DEACTIVATED)])
                return conn
            conn.startup_time = now  # activated or reconfigured: started again
            if conn.state in (OPENED, OPENING, AUTHENTICATING):
                self._set_state(conn, now, CLOSING)
                closed_at = now + timedelta(seconds=RESTART_CLOSE_DELAY)
                self._replan(conn, [(closed_at, CLOSED), *self.open_plan(closed_at, conn)])
            else:
                self._set_state(conn, now, CLOSED)
                self._replan(conn, self.open_plan(now, conn))
            return conn

    def delete(self, key: str | int) -> bool:
        cid = _parse_id(key)
        with self.lock:
            conn = self._conns.pop(cid, None) if cid is not None else None
            if conn is None:
                return False
            conn.gen += 1
            conn.plan.clear()
            return True

    # -- the seeded population (built by seeding.populate) ----------------------------------
    def add_seeded(self, conn: Connection, since: datetime) -> None:
        """Insert a connection already in its state since ``since``, with its plan queued."""
        self._conns[conn.id] = conn
        self._history[conn.id] = [(since, conn.state)]
        conn.state_since = since
        self._push_head(conn)


def _parse_id(key: str | int | None) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and key.isdigit() and key.isascii():
        return int(key)
    return None
