"""The IoT Flow API client: auth, HTTP and typed errors (no Textual).

The models it returns live in ``tui.connections`` (no HTTP needed to read them) and are
re-exported here for callers that talk to the API anyway.
"""

from ..connections import Connection, Connector, short_connector_name
from . import lean_httpx  # noqa: F401  (before .auth and .client import httpx)
from .auth import ClientCredentials, StaticToken, TokenSource
from .client import API_PREFIX, DX_CORE, FLAVOURS, IOT_FLOW, IoTFlowClient
from .errors import (
    ApiError,
    ApiTimeout,
    Forbidden,
    MalformedResponse,
    NotFound,
    ReadOnlyError,
    ServerError,
    Unauthenticated,
    Unreachable,
    ValidationFailed,
)

__all__ = [
    "API_PREFIX",
    "DX_CORE",
    "FLAVOURS",
    "IOT_FLOW",
    "ApiError",
    "ApiTimeout",
    "ClientCredentials",
    "Connection",
    "Connector",
    "Forbidden",
    "IoTFlowClient",
    "MalformedResponse",
    "NotFound",
    "ReadOnlyError",
    "ServerError",
    "StaticToken",
    "TokenSource",
    "Unauthenticated",
    "Unreachable",
    "ValidationFailed",
    "short_connector_name",
]
