"""Our OpenAPI 3 description of what the simulator serves, one module per resource group.

To describe a new group, add a module with ``paths(flavour)`` and ``schemas()`` and list it
in ``GROUPS`` (a group may add operations to another group's path);
``description(flavour)`` assembles them. ``openapi_routes`` serves the result as
``<base>/openapi.json`` under every API base path, without authentication.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import common, connections, connectors, flow, tokens

__all__ = ["GROUPS", "description", "openapi_routes"]

GROUPS = (connections, connectors, flow, tokens)
VERSION = "1.7.13-sim"
TOKEN_URLS = {
    "iot-flow": "oauth/tokenSwagger",
    "dx-core": "/users-auth/protocol/openid-connect/token",
}


@cache
def _build(flavour: str, base: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = dict(common.SCHEMAS)
    for group in GROUPS:
        # Merged per path item: PATCH /connections/{id} (flow) joins GET/PUT/DELETE there.
        for path, item in group.paths(flavour).items():
            paths.setdefault(path, {}).update(item)
        schemas.update(group.schemas())
    title = "IoT Flow API" if flavour == "iot-flow" else "DX Core connections API"
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{title} (iotflow simulator)",
            "version": VERSION,
            "description": "What the iotflow simulator serves, written from the published "
            "ThingPark X IoT Flow description 1.7.13 and from public clients; see the "
            "project README for which behaviour comes from where.",
        },
        "servers": [{"url": base}],
        "security": [{"bearerAuth": []}, {"clientCredentials": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": common.ERROR_RESPONSES,
            "securitySchemes": common.security_schemes(TOKEN_URLS[flavour]),
        },
    }


def description(flavour: str = "iot-flow", base: str = "/iot-flow/v1") -> dict[str, Any]:
    """The description for one flavour (``iot-flow`` or ``dx-core``) served at ``base``."""
    return copy.deepcopy(_build(flavour, base))


def openapi_routes(prefixes: tuple[str, ...]) -> list[Route]:
    def endpoint_for(prefix: str):
        flavour = "iot-flow" if prefix.startswith("/iot-flow") else "dx-core"

        async def serve(request: Request) -> Response:
            return JSONResponse(_build(flavour, prefix))

        return serve

    return [Route(f"{p}/openapi.json", endpoint_for(p), methods=["GET"]) for p in prefixes]
