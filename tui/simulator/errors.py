"""Error answers as the published description shapes them (``errorInfo``) and OAuth's.

Every API error is ``{"code", "message", "correlationId", "data"?}``: ``code`` mirrors the HTTP
status (``com-4000`` for 400, ``com-4001`` for 401, ...), ``correlationId`` is also sent as the
``X-Correlation-Id`` header so that a person can quote one id from a log or a screen, and
``data.field`` names the offending field path of a validation error. Token endpoints answer
RFC 6749 §5.2 bodies (``error``, ``error_description``) instead.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import JSONResponse, Response

__all__ = [
    "CORRELATION_HEADER",
    "ApiError",
    "error_code",
    "error_response",
    "oauth_error",
]

CORRELATION_HEADER = "X-Correlation-Id"


class ApiError(Exception):
    """An answer other than 2xx; ``field`` is the field path a validation error is about."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        *,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.field = field


def error_code(status: int) -> str:
    """com-4000 for 400, com-4001 for 401, ... com-5000 for 500."""
    return f"com-{status // 100}{status % 100:03d}"


def _correlation_id() -> str:
    return str(uuid.uuid4())


def error_response(
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    field: str | None = None,
) -> Response:
    correlation = _correlation_id()
    body: dict[str, Any] = {
        "code": error_code(status),
        "message": message,
        "correlationId": correlation,
    }
    if field is not None:
        body["data"] = {"field": field}
    return JSONResponse(body, status, headers={**(headers or {}), CORRELATION_HEADER: correlation})


def oauth_error(
    status: int, error: str, description: str, headers: dict[str, str] | None = None
) -> Response:
    """An RFC 6749 error, with ``code``/``message`` too for clients that read errorInfo."""
    correlation = _correlation_id()
    return JSONResponse(
        {
            "error": error,
            "error_description": description,
            "code": error_code(status),
            "message": description,
            "correlationId": correlation,
        },
        status,
        headers={
            **(headers or {}),
            CORRELATION_HEADER: correlation,
            "Cache-Control": "no-store",
        },
    )
