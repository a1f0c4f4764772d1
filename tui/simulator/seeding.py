"""The seeded demo population: which state each connection shows at start, and its plan.

Kept apart from ``world.py`` (the state machine) because it is a one-off job at start-up:
a seed-deterministic mix of roles that covers every state, incidents and flapping.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from typing import Any

from jsonschema import Draft4Validator

from tui.secrets import is_secret_property

from .examples import ExampleError, configuration_schema, example_configuration
from .population import BRANDS, alarm, connection_name
from .states import (
    AUTHENTICATING,
    AUTHENTICATION_FAILED,
    CLOSE_DELAY,
    CLOSED,
    CLOSING,
    DEACTIVATED,
    OPENED,
    OPENING,
    UNREACHABLE,
)
from .world import MODE_FLAP, MODE_INCIDENTS, Connection, World

__all__ = ["populate"]

TEMPLATES_PER_CONNECTOR = 3


def populate(world: World, count: int) -> None:
    """Add ``count`` seed-deterministic connections covering every state (count >= 8)."""
    if count <= 0:
        return
    with world.lock:
        _Populator(world, count).run()


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
        taken = {c.name for c in world.connections()}
        for index, role in enumerate(self.roles()):
            cid = connectors[index % len(connectors)]
            if index and index % len(connectors) == 0:
                rng.shuffle(connectors)
            configuration = copy.deepcopy(rng.choice(self.templates[cid]))
            conn = Connection(
                id=world.new_id(),
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
            world.add_seeded(conn, since)

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
                conn.plan.extend(world.open_plan(start - timedelta(seconds=1), conn))
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
        conn.plan.extend(world.reconnect_plan(conn, since, rng.choice((0, 1))))
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
