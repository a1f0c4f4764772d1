"""Data flow: metrics, the event log, restart and merge-patch (``flow_routes.py`` serves them).

Written by us from what §8 of the published IoT Flow description (1.7.13) states about these
operations; that DX Core serves them under its own base path is our assumption (README).
``PATCH /connections/{id}`` joins the ``/connections/{id}`` path item of ``connections``;
the assembly in ``__init__`` merges path items instead of replacing them.
"""

from __future__ import annotations

from typing import Any

from .common import error, json_body, ref, standard_errors

__all__ = [
    "EVENT_LEVELS",
    "EVENTS_MAX_PER_PAGE",
    "MERGE_PATCH",
    "METRIC_COUNTERS",
    "paths",
    "schemas",
]

MERGE_PATCH = "application/merge-patch+json"
EVENTS_MAX_PER_PAGE = 5000
EVENT_LEVELS = ["debug", "info", "warn", "error"]
METRIC_COUNTERS = tuple(
    f"{kind}Last{span}{suffix}"
    for kind, suffixes in (
        ("activeThings", ("",)),
        ("uplinks", ("", "Failed", "Lost")),
        ("downlinks", ("", "Failed", "Lost")),
    )
    for span in ("1h", "24h")
    for suffix in suffixes
)
"""Every counter of ``connectionMetrics`` but ``connectionId`` and ``lag``."""

_COUNT = {"type": "integer", "minimum": 0}


def schemas() -> dict[str, Any]:
    return {
        "connectionMetrics": {
            "type": "object",
            # The description lists the fields without marking any required; the simulator
            # always sends every one, and says so here so the contract tests hold it to that.
            "required": ["connectionId", *METRIC_COUNTERS, "lag"],
            "properties": {
                "connectionId": {"type": "integer"},
                **{name: _COUNT for name in METRIC_COUNTERS},
                "lag": {
                    **_COUNT,
                    "description": "Messages waiting on the connection's Kafka topic",
                },
            },
        },
        "event": {
            "type": "object",
            "required": ["eventTime", "level", "code", "message"],
            "properties": {
                "eventTime": {"type": "string", "format": "date-time"},
                "level": {"type": "string", "enum": EVENT_LEVELS},
                "code": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_]+-[0-9]+$",
                    "description": "{module}-{number}; the simulator's codes are in its README",
                },
                "message": {"type": "string", "description": "For people"},
                "data": {
                    "type": "object",
                    "description": "Details; connectionId names the connection concerned",
                },
            },
        },
        "connectionPatch": {
            "type": "object",
            "description": "A JSON Merge Patch (RFC 7386) of the connection: null removes a "
            "key, objects merge, anything else replaces; the result is validated like a PUT "
            'body. Secrets need not be sent again, and "*****" is never accepted as one.',
            "properties": {
                "name": {"type": "string", "nullable": True},
                "active": {"type": "boolean"},
                "debug": {"type": "boolean", "nullable": True},
                "configuration": {"type": "object"},
                "alarms": {"type": "array", "items": ref("connectionAlarm"), "nullable": True},
            },
        },
    }


_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The connection id (numeric text such as 8), URL-encoded",
    "schema": {"type": "string"},
}


def _query(name: str, text: str, schema: dict[str, Any]) -> dict[str, Any]:
    # An empty value (``?startTime=``) is served as if the parameter were absent.
    return {
        "name": name,
        "in": "query",
        "required": False,
        "allowEmptyValue": True,
        "description": f"{text}; empty is the same as absent",
        "schema": schema,
    }


_EVENT_QUERY = [
    _query(
        "startTime",
        "Events at or after this time (inclusive); send + in the offset as %2B",
        {"type": "string", "format": "date-time"},
    ),
    _query(
        "endTime", "Events before this time (exclusive)", {"type": "string", "format": "date-time"}
    ),
    _query("q_connectionId", "Only this connection's events", {"type": "string"}),
    _query("q", "Text in the message, the code or a data value (any case)", {"type": "string"}),
    _query("page", "Page number, from 1", {"type": "integer", "minimum": 1}),
    _query(
        "perPage",
        f"Events per page (default {EVENTS_MAX_PER_PAGE})",
        {"type": "integer", "minimum": 1, "maximum": EVENTS_MAX_PER_PAGE},
    ),
]

_PAGING_HEADERS = {
    name: {"description": text, "schema": {"type": kind}}
    for name, text, kind in (
        ("X-Total", "Events in all pages", "integer"),
        ("X-Total-Pages", "Number of pages (at least 1)", "integer"),
        ("X-Per-Page", "Events per page", "integer"),
        ("X-Page", "This page", "integer"),
        ("X-Next-Page", "The next page (absent on the last)", "integer"),
        ("X-Prev-Page", "The previous page (absent on the first)", "integer"),
        ("Link", "first, prev, next and last pages", "string"),
    )
}


def paths(flavour: str) -> dict[str, Any]:
    """The same operations under both flavours."""
    metrics_list = json_body(
        {"type": "array", "items": ref("connectionMetrics")}, "One entry per connection"
    )
    events = {
        **json_body({"type": "array", "items": ref("event")}, "Matching events, newest first"),
        "headers": _PAGING_HEADERS,
    }
    patch_body = {
        "required": True,
        "content": {MERGE_PATCH: {"schema": ref("connectionPatch")}},
    }
    return {
        "/connections/metrics": {
            "get": {
                "operationId": "listConnectionsMetrics",
                "tags": ["Connection"],
                "summary": "Traffic counters of every connection of the caller",
                "responses": {"200": metrics_list, **standard_errors()},
            }
        },
        "/connections/{id}/metrics": {
            "parameters": [_ID],
            "get": {
                "operationId": "getConnectionMetrics",
                "tags": ["Connection"],
                "summary": "One connection's traffic counters (last hour, last day, lag)",
                "responses": {
                    "200": json_body(ref("connectionMetrics"), "The counters"),
                    **standard_errors(not_found=True),
                },
            },
        },
        "/connections/{id}/restart": {
            "parameters": [_ID],
            "post": {
                "operationId": "restartConnection",
                "tags": ["Connection"],
                "summary": "Close and reopen the connection (it gets a new startupTime)",
                "responses": {
                    "202": {"description": "The restart command has been accepted"},
                    "409": error("The connection is deactivated: activate it instead"),
                    **standard_errors(not_found=True),
                },
            },
        },
        "/connections/{id}": {
            "patch": {
                "operationId": "patchConnection",
                "tags": ["Connection"],
                "summary": "Change some fields (active, debug, ...) without resending secrets",
                "requestBody": patch_body,
                "responses": {
                    "200": json_body(ref("connection"), "The patched connection"),
                    "415": error(f"The body is not {MERGE_PATCH}"),
                    **standard_errors(not_found=True, bad_request=True),
                },
            },
        },
        "/events": {
            "get": {
                "operationId": "listEvents",
                "tags": ["Event"],
                "summary": "The event log: state changes, restarts, delivery errors, alarms",
                "parameters": _EVENT_QUERY,
                "responses": {"200": events, **standard_errors(bad_request=True)},
            }
        },
    }
