"""The simulator's HTTP API: a Starlette app over a ``Simulator``.

Connections and connectors under both API flavours (IoT Flow v1, DX Core in both host
layouts), the token endpoints (``token_routes``), our OpenAPI description (``openapi``), and
errors as ``errorInfo`` (``errors``). A trailing slash is accepted on every path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tui.secrets import mask_secrets

from .auth import TokenStore
from .clock import Clock
from .errors import ApiError, error_response
from .examples import configuration_schema
from .faults import Faults
from .flow_routes import flow_routes
from .openapi import openapi_routes
from .token_routes import DX_TOKEN_PATH, DX_TOKENINFO_PATH, OIDC_TOKEN_PATH, token_routes
from .validation import InvalidRequest, SchemaCache, validate_connection
from .world import Connection, World

__all__ = [
    "API_PREFIXES",
    "DX_CORE_HOST_PREFIX",
    "DX_CORE_PREFIX",
    "DX_TOKENINFO_PATH",
    "DX_TOKEN_PATH",
    "IOT_FLOW_PREFIX",
    "OIDC_TOKEN_PATH",
    "Platform",
    "connection_json",
    "create_app",
]

IOT_FLOW_PREFIX = "/iot-flow/v1"
DX_CORE_PREFIX = "/thingpark/dx/core/latest/api"
DX_CORE_HOST_PREFIX = "/core/latest/api"
"""DX Core on the DX API host, which serves it without the ``/thingpark/dx`` prefix."""
API_PREFIXES = (IOT_FLOW_PREFIX, DX_CORE_PREFIX, DX_CORE_HOST_PREFIX)
DX_MAX_PAGE_SIZE = 100

Handler = Callable[[Request], Awaitable[Response]]


class Platform(Protocol):
    """What the HTTP layer serves: declared here so that ``simulator.py`` can build the app
    without this module importing it back (the Simulator satisfies it)."""

    world: World
    catalogue: dict[str, dict]
    faults: Faults
    auth: TokenStore
    clock: Clock


def iso_ms(dt) -> str:
    return dt.isoformat(timespec="milliseconds")


def connection_json(conn: Connection, catalogue: dict[str, dict]) -> dict[str, Any]:
    """The connection as the API returns it, secrets masked."""
    schema = configuration_schema(catalogue.get(conn.connector_id, {}))
    out: dict[str, Any] = {
        "id": str(conn.id),
        "connectorId": conn.connector_id,
        "active": conn.active,
        "configuration": mask_secrets(conn.configuration, schema),
        "state": conn.state,
    }
    if conn.name is not None:
        out["name"] = conn.name
    # A connection that never started has no startupTime key (the description types it as a
    # date-time string, and generated clients reject null).
    if conn.startup_time is not None:
        out["startupTime"] = iso_ms(conn.startup_time)
    if conn.alarms is not None:
        out["alarms"] = json.loads(json.dumps(conn.alarms))
    for key, value in conn.extra.items():
        if key not in out:
            out[key] = json.loads(json.dumps(value))
    return out


def _int_param(
    request: Request, name: str, default: int | None, lo: int = 1, hi: int | None = None
) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(
            400, f"{name}: must be an integer, got \"{raw[:40]}\"", field=name
        ) from None
    if value < lo:
        raise ApiError(400, f"{name}: must be at least {lo}, got {value}", field=name)
    if hi is not None and value > hi:
        raise ApiError(400, f"{name}: must be at most {hi}, got {value}", field=name)
    return value


def _page_url(request: Request, page: int, per_page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "perPage")]
    params += [("page", str(page)), ("perPage", str(per_page))]
    return str(request.url.replace(query=urlencode(params)))


def create_app(sim: Platform) -> Starlette:
    world, catalogue, faults, tokens = sim.world, sim.catalogue, sim.faults, sim.auth
    schemas = SchemaCache(catalogue)

    async def _hold() -> None:
        await faults.delay()
        await faults.wait_while_hung()

    def api(handler: Handler) -> Handler:
        """Faults, then bearer auth, then the handler; every error as errorInfo."""

        async def endpoint(request: Request) -> Response:
            await _hold()
            try:
                if faults.roll_error():
                    raise ApiError(500, "Internal server error (injected by the simulator)")
                header = request.headers.get("authorization", "")
                scheme, _, value = header.partition(" ")
                if scheme.lower() != "bearer" or tokens.lookup(value.strip()) is None:
                    raise ApiError(
                        401,
                        "Missing, invalid or expired access token"
                        if header
                        else "Missing Authorization: Bearer <token> header",
                        {"WWW-Authenticate": 'Bearer realm="iot-flow"'},
                    )
                return await handler(request)
            except ApiError as exc:
                return error_response(exc.status, exc.message, exc.headers, field=exc.field)
            except Exception as exc:  # noqa: BLE001 - the simulator answers like a server
                return error_response(500, f"Internal server error: {type(exc).__name__}")

        return endpoint

    async def read_json(request: Request) -> Any:
        raw = await request.body()
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise ApiError(
                400, f"body: not valid JSON at {where}: send a JSON object", field="body"
            ) from None
        except UnicodeDecodeError:
            raise ApiError(400, "body: not UTF-8 text: send a JSON object", field="body") from None

    def prefix_of(request: Request) -> str:
        path = request.url.path
        return next((p for p in API_PREFIXES if path.startswith(p + "/")), IOT_FLOW_PREFIX)

    def render(conn: Connection) -> dict[str, Any]:
        return connection_json(conn, catalogue)

    # -- connections ------------------------------------------------------------------------
    async def list_connections(request: Request) -> Response:
        if prefix_of(request) != IOT_FLOW_PREFIX:
            index = _int_param(request, "pageIndex", 1)
            size = _int_param(request, "pageSize", DX_MAX_PAGE_SIZE, hi=DX_MAX_PAGE_SIZE)
            with world.lock:
                items = [render(c) for c in world.page((index - 1) * size, size)]
            return JSONResponse(items)
        params = request.query_params
        if "page" not in params and "perPage" not in params:
            with world.lock:
                items = [render(c) for c in world.page(0, None)]
            return JSONResponse(items)
        page = _int_param(request, "page", 1)
        per_page = _int_param(request, "perPage", 100)
        with world.lock:
            total = len(world)
            items = [render(c) for c in world.page((page - 1) * per_page, per_page)]
        pages = max(1, math.ceil(total / per_page))
        links = [(1, "first")]
        if page > 1:
            links.append((min(page - 1, pages), "prev"))
        if page < pages:
            links.append((page + 1, "next"))
        links.append((pages, "last"))
        headers = {
            "Link": ", ".join(
                f'<{_page_url(request, p, per_page)}>; rel="{rel}"' for p, rel in links
            ),
            "X-Total": str(total),
            "X-Total-Pages": str(pages),
            "X-Per-Page": str(per_page),
            "X-Page": str(page),
        }
        return JSONResponse(items, headers=headers)

    async def create_connection(request: Request) -> Response:
        body = await read_json(request)
        try:
            data = validate_connection(body, schemas)
        except InvalidRequest as exc:
            raise ApiError(400, str(exc), field=exc.field) from None
        with world.lock:
            conn = world.create(**data.as_kwargs())
            payload = render(conn)
        location = f"{prefix_of(request)}/connections/{conn.id}"
        return JSONResponse(payload, 201, headers={"Location": location})

    def _not_found(key: str) -> ApiError:
        return ApiError(404, f"connection \"{key[:80]}\" not found (GET /connections lists them)")

    async def get_connection(request: Request) -> Response:
        key = request.path_params["id"]
        with world.lock:
            conn = world.get(key)
            if conn is None:
                raise _not_found(key)
            return JSONResponse(render(conn))

    async def replace_connection(request: Request) -> Response:
        key = request.path_params["id"]
        if world.get(key) is None:
            raise _not_found(key)
        body = await read_json(request)
        try:
            data = validate_connection(body, schemas)
        except InvalidRequest as exc:
            raise ApiError(400, str(exc), field=exc.field) from None
        with world.lock:
            old_config = conn_before.configuration if (conn_before := world.get(key)) else None
            conn = world.replace(key, **data.as_kwargs())
            if conn is None:
                raise _not_found(key)
            if old_config is not None and conn.configuration != old_config:
                sim.events.record(conn, "cnx-1003", "Configuration changed")
            return JSONResponse(render(conn))

    async def delete_connection(request: Request) -> Response:
        key = request.path_params["id"]
        if not world.delete(key):
            raise _not_found(key)
        return Response(status_code=204)

    # -- connectors -------------------------------------------------------------------------
    async def list_connectors(request: Request) -> Response:
        return JSONResponse(list(catalogue.values()))

    async def get_connector(request: Request) -> Response:
        key = request.path_params["id"]
        if key not in catalogue:
            raise ApiError(404, f"connector \"{key[:80]}\" not found (GET /connectors lists them)")
        return JSONResponse(catalogue[key])

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        messages = {
            404: f"no resource at {request.url.path}",
            405: f"method {request.method} not allowed on {request.url.path}",
        }
        return error_response(
            exc.status_code, messages.get(exc.status_code, str(exc.detail)), exc.headers
        )

    # Data flow routes first: /connections/metrics must not be read as a connection id.
    routes = flow_routes(
        sim, API_PREFIXES, api=api, api_error=ApiError, render=render, schemas=schemas
    )
    routes += token_routes(sim, _hold) + openapi_routes(API_PREFIXES)
    for prefix in API_PREFIXES:
        connections = _by_method(GET=api(list_connections), POST=api(create_connection))
        one = _by_method(
            GET=api(get_connection), PUT=api(replace_connection), DELETE=api(delete_connection)
        )
        routes += [
            Route(f"{prefix}/connections", connections, methods=["GET", "POST"]),
            Route(f"{prefix}/connections/{{id}}", one, methods=["GET", "PUT", "DELETE"]),
            Route(f"{prefix}/connectors", api(list_connectors), methods=["GET"]),
            Route(f"{prefix}/connectors/{{id}}", api(get_connector), methods=["GET"]),
        ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error},
        middleware=[Middleware(AcceptTrailingSlash)],
    )
    app.router.redirect_slashes = False
    return app


def _by_method(**handlers: Handler) -> Handler:
    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return dispatch


class AcceptTrailingSlash:
    """Serve ``/connections/`` as ``/connections`` instead of redirecting: clients that build
    URLs by joining with a slash, and some HTTP libraries, do not follow a 307 on POST."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
            if scope.get("raw_path"):
                scope["raw_path"] = scope["raw_path"].rstrip(b"/") or b"/"
        await self.app(scope, receive, send)
