"""The typed error for a platform's non-2xx answer (no HTTP client needed to read one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..terminal_text import one_line
from .errors import (
    ApiError,
    Forbidden,
    MalformedResponse,
    NotFound,
    ServerError,
    Unauthenticated,
    ValidationFailed,
)
from .limits import decode_json

if TYPE_CHECKING:
    import httpx


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx answer, reading ``{"code", "message"}`` when present."""
    status = response.status_code
    code: str | None = None
    field: str | None = None
    message = response.reason_phrase or f"HTTP {status}"
    try:
        body = decode_json(response.content, "the error")
    except MalformedResponse:
        body = None  # an HTML error page, say: the status line says enough
    if isinstance(body, dict):
        # Server text ends up in a banner or on stderr: made inert and short.
        code = body.get("code") if isinstance(body.get("code"), str) else None
        code = one_line(code, 40) if code else None
        text = body.get("message") or body.get("error_description") or body.get("error")
        if isinstance(text, str) and text:
            message = one_line(text, 300)
        # errorInfo.data.field names the offending field even when the message does not.
        data = body.get("data")
        if isinstance(data, dict) and isinstance(data.get("field"), str):
            field = one_line(data["field"], 200)
    if status == 401:
        return Unauthenticated(message, status=status, code=code)
    if status == 403:
        return Forbidden(message, status=status, code=code)
    if status == 404:
        return NotFound(message, status=status, code=code)
    if status >= 500:
        return ServerError(message, status=status, code=code)
    return ValidationFailed(message, status=status, code=code, field=field)
