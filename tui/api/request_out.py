"""Knowing when a request has left: from then on the platform works on its answer.

A command with work of its own that needs no answer (``iotflow list`` importing what
prints the listing) does it while the platform computes the answer, on another core,
instead of before asking. httpcore reports each step of a request to the request's
``trace`` extension; the request is out once its body is written
(``http11.send_request_body.complete``, or ``http2.…`` alike), and the next step only
waits for the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

OUT = ".send_request_body.complete"

Trace = Callable[[str, dict[str, Any]], Awaitable[None]]


def trace_until_out(callback: Callable[[], object]) -> dict[str, Trace]:
    """Request extensions that call ``callback`` once the request is out."""

    async def trace(event: str, info: dict[str, Any]) -> None:
        if event.endswith(OUT):
            callback()

    return {"trace": trace}
