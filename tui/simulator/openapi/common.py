"""Parts every operation shares: errorInfo, the error responses, the security schemes.

Written by us from what the published IoT Flow description (1.7.13) states and from what
public clients send; the simulator serves exactly this, and the contract tests hold it to it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CORRELATION",
    "ERROR_RESPONSES",
    "SCHEMAS",
    "error",
    "json_body",
    "ref",
    "security_schemes",
    "standard_errors",
]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


CORRELATION = {
    "X-Correlation-Id": {
        "description": "The same id as the body's correlationId, to quote in a report",
        "schema": {"type": "string"},
    }
}


def error(description: str) -> dict[str, Any]:
    return {**json_body(ref("errorInfo"), description), "headers": CORRELATION}


ERROR_RESPONSES: dict[str, Any] = {
    "badRequest": error("A field is missing or invalid; data.field names it"),
    "unauthorized": error("No bearer token, or an expired or unknown one"),
    "notFound": error("No such resource"),
    "error": error("Any other error (500 when the platform fails)"),
}

SCHEMAS: dict[str, Any] = {
    "errorInfo": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {
                "type": "string",
                "description": "com- and the HTTP status: com-4000, com-4001, com-4004, ...",
            },
            "message": {"type": "string", "description": "For people; may be empty"},
            "correlationId": {"type": "string"},
            "data": {
                "type": "object",
                "description": "Details; for a validation error, field is the JSON path",
                "properties": {"field": {"type": "string"}},
            },
        },
    },
}


def security_schemes(token_url: str) -> dict[str, Any]:
    return {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "clientCredentials": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": token_url, "scopes": {}}},
        },
    }


def standard_errors(*, not_found: bool = False, bad_request: bool = False) -> dict[str, Any]:
    """The error answers of a secured operation."""
    out: dict[str, Any] = {"401": {"$ref": "#/components/responses/unauthorized"}}
    if bad_request:
        out["400"] = {"$ref": "#/components/responses/badRequest"}
    if not_found:
        out["404"] = {"$ref": "#/components/responses/notFound"}
    out["default"] = {"$ref": "#/components/responses/error"}
    return out
