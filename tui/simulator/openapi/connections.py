"""The connection resource: list, create, read, replace, delete; and its alarms.

``ALARM_SCHEMA`` is also what the simulator validates alarms against, so the description and
the behaviour cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from .common import json_body, ref, standard_errors

__all__ = ["ALARM_SCHEMA", "STATES", "paths", "schemas"]

STATES = [
    "OPENED",
    "OPENING",
    "CLOSED",
    "CLOSING",
    "AUTHENTICATING",
    "AUTHENTICATION_FAILED",
    "UNREACHABLE",
    "DEACTIVATED",
]
_WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

ALARM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["startTime", "endTime"],
    "properties": {
        "startTime": {"type": "string", "format": "date-time", "description": "inclusive"},
        "endTime": {"type": "string", "format": "date-time", "description": "exclusive"},
        "timezone": {"type": "string", "description": "IANA zone name"},
        "recurrence": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["frequency"],
                "properties": {
                    "frequency": {
                        "type": "string",
                        "enum": [
                            "secondly",
                            "minutely",
                            "hourly",
                            "daily",
                            "weekly",
                            "monthly",
                            "yearly",
                        ],
                    },
                    "interval": {"type": "integer"},
                    "count": {"type": "integer"},
                    "until": {"type": "string", "format": "date-time"},
                    "byDays": {
                        "type": "array",
                        "items": {
                            "type": "string",
                            "pattern": f"^[+-]?([1-9]|[1-4][0-9]|5[0-3])?{_WEEKDAY}$",
                        },
                    },
                },
            },
        },
        "uplinkRateMinPerHour": {"type": "integer"},
        "message": {"type": "string"},
    },
}

_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The connection id (numeric text such as 8), URL-encoded",
    "schema": {"type": "string"},
}


def schemas() -> dict[str, Any]:
    common = {
        "connectorId": {"type": "string"},
        "name": {"type": "string"},
        "active": {"type": "boolean", "default": True},
        "configuration": {
            "type": "object",
            "description": "Valid against the connector's configurationSchema; secrets "
            'come back as "*****"',
        },
        "alarms": {"type": "array", "items": ref("connectionAlarm")},
        "brand": {"type": "string"},
        "debug": {
            "type": "boolean",
            "default": False,
            "description": "Trace more in the platform's logs (may switch itself off)",
        },
    }
    return {
        "connectionAlarm": ALARM_SCHEMA,
        "connection": {
            "type": "object",
            "required": ["id", "connectorId", "active", "configuration", "state"],
            "properties": {
                "id": {"type": "string"},
                **common,
                "startupTime": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When the connection last started; absent if it never did",
                },
                "state": {"type": "string", "enum": STATES},
            },
        },
        "connectionRequest": {
            "type": "object",
            "required": ["connectorId", "configuration"],
            "description": "null for an optional field is the same as leaving it out",
            "properties": common,
        },
    }


def paths(flavour: str) -> dict[str, Any]:
    """``flavour`` is ``iot-flow`` (page/perPage, optional) or ``dx-core`` (pageIndex/pageSize)."""
    if flavour == "dx-core":
        paging = [
            _query("pageIndex", "Page number, from 1", minimum=1),
            _query("pageSize", "Connections per page (at most 100)", minimum=1, maximum=100),
        ]
        list_headers: dict[str, Any] = {}
    else:
        paging = [
            _query("page", "Page number, from 1; without page or perPage, one answer", minimum=1),
            _query("perPage", "Connections per page", minimum=1),
        ]
        list_headers = {
            name: {"description": text, "schema": {"type": kind}}
            for name, text, kind in (
                ("X-Total", "Connections in all pages (when paged)", "integer"),
                ("X-Total-Pages", "Number of pages (when paged)", "integer"),
                ("X-Per-Page", "Connections per page (when paged)", "integer"),
                ("X-Page", "This page (when paged)", "integer"),
                ("Link", "first, prev, next and last pages (when paged)", "string"),
            )
        }
    listing = json_body({"type": "array", "items": ref("connection")}, "The connections")
    if list_headers:
        listing["headers"] = list_headers
    one = json_body(ref("connection"), "The connection")
    request = {
        "required": True,
        "content": {"application/json": {"schema": ref("connectionRequest")}},
    }
    return {
        "/connections": {
            "get": {
                "operationId": "listConnections",
                "tags": ["Connection"],
                "summary": "The caller's connections, secrets masked",
                "parameters": paging,
                "responses": {"200": listing, **standard_errors(bad_request=True)},
            },
            "post": {
                "operationId": "createConnection",
                "tags": ["Connection"],
                "summary": "Create a connection (it opens on its own shortly after)",
                "requestBody": request,
                "responses": {
                    "201": {
                        **json_body(ref("connection"), "The created connection"),
                        "headers": {
                            "Location": {
                                "description": "The new connection's path",
                                "schema": {"type": "string"},
                            }
                        },
                    },
                    **standard_errors(bad_request=True),
                },
            },
        },
        "/connections/{id}": {
            "parameters": [_ID],
            "get": {
                "operationId": "getConnection",
                "tags": ["Connection"],
                "responses": {"200": one, **standard_errors(not_found=True)},
            },
            "put": {
                "operationId": "replaceConnection",
                "tags": ["Connection"],
                "summary": "Replace the whole connection, secrets included",
                "requestBody": request,
                "responses": {
                    "200": one,
                    **standard_errors(not_found=True, bad_request=True),
                },
            },
            "delete": {
                "operationId": "deleteConnection",
                "tags": ["Connection"],
                "responses": {
                    "204": {"description": "Deleted"},
                    **standard_errors(not_found=True),
                },
            },
        },
    }


def _query(name: str, text: str, **bounds: int) -> dict[str, Any]:
    # An empty value (``?page=``) is served as if the parameter were absent.
    return {
        "name": name,
        "in": "query",
        "required": False,
        "allowEmptyValue": True,
        "description": f"{text}; empty is the same as absent",
        "schema": {"type": "integer", **bounds},
    }
