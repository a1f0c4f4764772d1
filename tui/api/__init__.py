"""The IoT Flow API client: auth, HTTP and typed errors (no Textual).

The models it returns live in ``tui.connections`` (no HTTP needed to read them) and are
re-exported here for callers that talk to the API anyway.
"""

import sys

# httpx's package imports its own command-line client (``httpx._main``), which pulls in
# click, rich.console and pygments whenever they are installed (uvicorn brings click,
# Textual brings Rich): about 40 % of httpx's import time, on every start, for a command
# iotflow never runs. A ``None`` entry in ``sys.modules`` makes that one import fail, and
# httpx then defines a stub ``main()`` in its place. This package is the only way into
# httpx (``auth`` and ``client`` import it), so setting it here covers every start.
sys.modules.setdefault("httpx._main", None)

from ..connections import Connection, Connector, short_connector_name
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
