"""The IoT Flow API client: auth, HTTP, typed errors and tolerant models (no Textual)."""

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
from .models import Connection, Connector, short_connector_name

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
