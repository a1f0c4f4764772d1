"""The IoT Flow API client: auth, HTTP and typed errors (no Textual).

The models it returns live in ``tui.connections`` (no HTTP needed to read them) and are
re-exported here for callers that talk to the API anyway.

Names are loaded on first use (PEP 562): ``from tui.api.errors import ApiError`` or
``from tui.api.flavours import DX_CORE`` must not pull in httpx, so that ``iotflow
--help`` and ``iotflow info`` start without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import lean_httpx  # noqa: F401  (before .auth and .client import httpx; no httpx)

_WHERE = {
    "Connection": "..connections",
    "Connector": "..connections",
    "short_connector_name": "..connections",
    "ClientCredentials": ".auth",
    "StaticToken": ".auth",
    "TokenSource": ".auth",
    "IoTFlowClient": ".client",
    "API_PREFIX": ".flavours",
    "DX_CORE": ".flavours",
    "FLAVOURS": ".flavours",
    "IOT_FLOW": ".flavours",
    **{
        name: ".errors"
        for name in (
            "ApiError", "ApiTimeout", "Forbidden", "MalformedResponse", "NotFound",
            "ReadOnlyError", "ServerError", "TokenRejected", "Unauthenticated",
            "Unreachable", "ValidationFailed",
        )
    },
}

__all__ = [
    "API_PREFIX", "DX_CORE", "FLAVOURS", "IOT_FLOW", "ApiError", "ApiTimeout",
    "ClientCredentials", "Connection", "Connector", "Forbidden", "IoTFlowClient",
    "MalformedResponse", "NotFound", "ReadOnlyError", "ServerError", "StaticToken",
    "TokenRejected", "TokenSource", "Unauthenticated", "Unreachable", "ValidationFailed",
    "short_connector_name",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(where, __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # what type checkers and readers see; nothing is imported at run time
    from ..connections import Connection, Connector, short_connector_name
    from .auth import ClientCredentials, StaticToken, TokenSource
    from .client import IoTFlowClient
    from .errors import (
        ApiError,
        ApiTimeout,
        Forbidden,
        MalformedResponse,
        NotFound,
        ReadOnlyError,
        ServerError,
        TokenRejected,
        Unauthenticated,
        Unreachable,
        ValidationFailed,
    )
    from .flavours import API_PREFIX, DX_CORE, FLAVOURS, IOT_FLOW
