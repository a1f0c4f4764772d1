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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from jsonschema import Draft4Validator

from tui.secrets import is_secret_property

from .clock import Clock
from .examples import ExampleError, configuration_schema, example_configuration
from .population import BRANDS, alarm, connection_name
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
TEMPLATES_PER_CONNECTOR = 3

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


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


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
            stop = None if limit is None else offset + limit
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

    def _open_plan(self, start: datetime, conn: Connection) -> list[tuple[datetime, str]]:
        """OPENING, AUTHENTICATING, then OPENED (or AUTHENTICATION_FAILED) after ``start``."""
        plan, t = [], start
        for delay, state in OPEN_STEPS:
            t += timedelta(seconds=delay)
            plan.append((t, state))
        if has_invalid_marker(conn.configuration):
            plan[-1] = (plan[-1][0], AUTHENTICATION_FAILED)
        return plan

    def _reconnect_plan(self, conn: Connection, start: datetime, fails: int) -> list:
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
                conn.plan.extend(self._reconnect_plan(conn, t, 0))
        elif conn.mode == MODE_INCIDENTS:
            if conn.state == OPENED:
                conn.plan.append((t + timedelta(seconds=rng.uniform(120, 900)), UNREACHABLE))
            elif conn.state == UNREACHABLE:
                conn.plan.extend(self._reconnect_plan(conn, t, rng.choice((0, 0, 1, 2))))

    # -- writing ----------------------------------------------------------------------------
    def _new_id(self) -> int:
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
                id=self._new_id(),
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
                self._replan(conn, self._open_plan(now, conn))
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
            elif conn.state in (OPENED, OPENING, AUTHENTICATING):
                self._set_state(conn, now, CLOSING)
                closed_at = now + timedelta(seconds=RESTART_CLOSE_DELAY)
                self._replan(conn, [(closed_at, CLOSED), *self._open_plan(closed_at, conn)])
            else:
                self._set_state(conn, now, CLOSED)
                self._replan(conn, self._open_plan(now, conn))
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

    # -- the seeded population --------------------------------------------------------------
    def populate(self, count: int) -> None:
        """Add ``count`` seed-deterministic connections covering every state (count >= 8)."""
        if count <= 0:
            return
        with self.lock:
            _Populator(self, count).run()

    def _add_seeded(self, conn: Connection, since: datetime) -> None:
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


# Roles: the state a seeded connection shows at t0 and what it does afterwards.
_MANDATORY_ROLES = (
    "opened",
    "opening",
    "closed",
    "closing",
    "authenticating",
    "auth_failed",
    "unreachable",
    "deactivated",
)
_WEIGHTED_ROLES = (
    ("opened", 60),
    ("incidents", 12),
    ("deactivated", 7),
    ("auth_failed", 3),
    ("unreachable", 4),
    ("dead", 2),
    ("closed", 2),
    ("opening", 2),
    ("authenticating", 2),
    ("closing", 1),
    ("stuck_opening", 1),
    ("stuck_closing", 1),
    ("flap", 0.3),
)


class _Populator:
    def __init__(self, world: World, count: int) -> None:
        self.world = world
        self.count = count
        self.rng = random.Random(f"iotflow-sim:{world.seed}")
        self.t0 = world.clock.now()
        self.templates = self._templates()

    def _templates(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for cid, descriptor in self.world.catalogue.items():
            try:
                out[cid] = [
                    example_configuration(descriptor, random.Random(f"{self.world.seed}:{cid}:{k}"))
                    for k in range(TEMPLATES_PER_CONNECTOR)
                ]
            except ExampleError as exc:
                self.world.skipped_connectors[cid] = str(exc)
        return out

    def roles(self) -> list[str]:
        n, rng = self.count, self.rng
        roles: list[str] = list(_MANDATORY_ROLES[:n])
        extras = ["flap", "incidents", "dead", "stuck_opening", "stuck_closing", "incidents"]
        if n >= 20:
            extras.append("flap")
        for role in extras:
            if len(roles) < n and n >= len(_MANDATORY_ROLES) + len(extras):
                roles.append(role)
        names = [r for r, _ in _WEIGHTED_ROLES]
        weights = [w for _, w in _WEIGHTED_ROLES]
        roles += rng.choices(names, weights=weights, k=n - len(roles))
        rng.shuffle(roles)
        return roles

    def run(self) -> None:
        world, rng = self.world, self.rng
        connectors = sorted(self.templates)
        if not connectors:
            return
        rng.shuffle(connectors)
        taken = {c.name for c in world._conns.values()}
        for index, role in enumerate(self.roles()):
            cid = connectors[index % len(connectors)]
            if index and index % len(connectors) == 0:
                rng.shuffle(connectors)
            configuration = _copy(rng.choice(self.templates[cid]))
            conn = Connection(
                id=world._new_id(),
                connector_id=cid,
                name=connection_name(rng, cid, taken),
                active=True,
                configuration=configuration,
                alarms=[alarm(rng, self.t0)] if rng.random() < 0.25 else None,
                extra={},
                state=OPENED,
                state_since=self.t0,
            )
            if ("http" in cid or "mqtt" in cid) and rng.random() < 0.3:
                conn.extra["brand"] = rng.choice(BRANDS)
            since = self._apply_role(conn, role)
            world._add_seeded(conn, since)

    def _ago(self, lo: float, hi: float) -> datetime:
        return self.t0 - timedelta(seconds=self.rng.uniform(lo, hi))

    def _after(self, lo: float, hi: float) -> datetime:
        return self.t0 + timedelta(seconds=self.rng.uniform(lo, hi))

    def _apply_role(self, conn: Connection, role: str) -> datetime:
        """Set the t0 state and plan of a seeded connection; returns when that state began."""
        world, rng, t0 = self.world, self.rng, self.t0
        day = 86400.0
        conn.startup_time = self._ago(3600, 10 * day)
        conn_rng = random.Random(f"{world.seed}:conn:{conn.id}")
        if role in ("opened", "incidents", "flap"):
            conn.state = OPENED
            if role == "opened":
                return conn.startup_time
            conn.mode = MODE_FLAP if role == "flap" else MODE_INCIDENTS
            conn.rng = conn_rng
            if role == "flap":
                conn.startup_time = self._ago(30, 300)
                conn.plan.append((self._after(10, 60), UNREACHABLE))
            else:
                conn.plan.append((self._after(30, 480), UNREACHABLE))
            return conn.startup_time
        if role in ("opening", "authenticating", "closed"):
            conn.startup_time = None if rng.random() < 0.5 else conn.startup_time
            if role == "closed":
                conn.state = CLOSED
                since, start = self._ago(1, 20), self._after(3, 15)
                conn.plan.extend(world._open_plan(start - timedelta(seconds=1), conn))
            else:
                conn.state = OPENING if role == "opening" else AUTHENTICATING
                since = self._ago(0.2, 1.0)
                steps = (
                    [(1.5, AUTHENTICATING), (1.5, OPENED)] if role == "opening" else [(1.5, OPENED)]
                )
                t = t0
                for delay, state in steps:
                    t += timedelta(seconds=delay)
                    conn.plan.append((t, state))
            if rng.random() < 0.3:
                conn.mode, conn.rng = MODE_INCIDENTS, conn_rng
            return since
        if role in ("closing", "stuck_closing"):
            conn.active = False
            conn.state = CLOSING
            if role == "closing":
                conn.plan.append((self._after(0.5, CLOSE_DELAY), DEACTIVATED))
                return self._ago(0.1, 1.0)
            return self._ago(2 * 3600, 8 * 3600)
        if role == "deactivated":
            conn.active = False
            conn.state = DEACTIVATED
            if rng.random() < 0.5:
                conn.startup_time = None
            return self._ago(day, 30 * day)
        if role == "auth_failed":
            conn.state = AUTHENTICATION_FAILED
            self._poison(conn)
            return self._ago(600, 2 * day)
        if role == "stuck_opening":
            conn.state = OPENING
            return self._ago(3600, 6 * 3600)
        if role == "dead":
            conn.state = UNREACHABLE
            return self._ago(6 * 3600, 3 * day)
        # "unreachable": dropped recently, retries on its strategy and comes back.
        conn.state = UNREACHABLE
        conn.mode, conn.rng = MODE_INCIDENTS, conn_rng
        period = world.retry_period(conn)
        since = self._ago(1, period)
        conn.plan.extend(world._reconnect_plan(conn, since, rng.choice((0, 1))))
        return since

    def _poison(self, conn: Connection) -> None:
        """Make a wrong-credential configuration: a secret value starting with 'invalid-'."""
        schema = configuration_schema(self.world.catalogue[conn.connector_id])
        props = schema.get("properties") or {}
        candidates = [
            k
            for k, v in conn.configuration.items()
            if isinstance(v, str) and is_secret_property(k, props.get(k))
        ] + [k for k in ("password", "description") if isinstance(conn.configuration.get(k), str)]
        validator = Draft4Validator(schema)
        for key in candidates:
            old = conn.configuration[key]
            conn.configuration[key] = "invalid-" + old
            if validator.is_valid(conn.configuration):
                return
            conn.configuration[key] = old


def iter_plan(conn: Connection) -> Iterator[tuple[datetime, str]]:
    """The scheduled (time, state) changes of a connection (for tests and debugging)."""
    return iter(list(conn.plan))
