"""Restart and JSON Merge Patch (RFC 7386) on the simulator's connections (no HTTP here)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .states import CLOSED, CLOSING, DEACTIVATED, RESTART_CLOSE_DELAY
from .world import Connection, World

__all__ = ["RestartRefused", "merge_patch", "restart", "patch_document"]


class RestartRefused(Exception):
    """A 409: the connection cannot be restarted (the message says why and what to do)."""


def restart(world: World, conn: Connection) -> None:
    """CLOSING now, CLOSED a second later, then OPENING… and a new ``startupTime``.

    The connection's incident mode is kept: a flapping connection goes on flapping.
    """
    if not conn.active or conn.state == DEACTIVATED:
        raise RestartRefused(
            f"connection '{conn.id}' is deactivated; activate it (active: true) instead of "
            "restarting it"
        )
    with world.lock:
        now = world.clock.now()
        conn.startup_time = now  # a restart is a start (see World._set_state)
        if conn.state in (CLOSED, CLOSING):
            world._set_state(conn, now, CLOSED)
            world._replan(conn, world.open_plan(now, conn))
            return
        world._set_state(conn, now, CLOSING)
        closed_at = now + timedelta(seconds=RESTART_CLOSE_DELAY)
        world._replan(conn, [(closed_at, CLOSED), *world.open_plan(closed_at, conn)])


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, ``null`` removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patch_document(conn: Connection) -> dict[str, Any]:
    """The connection as a PUT body, real secrets included (the patch applies to this)."""
    doc: dict[str, Any] = {
        "connectorId": conn.connector_id,
        "name": conn.name,
        "active": conn.active,
        "configuration": conn.configuration,
    }
    if conn.alarms is not None:
        doc["alarms"] = conn.alarms
    for key, value in conn.extra.items():
        doc.setdefault(key, value)
    return doc
