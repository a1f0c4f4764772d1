"""The simulator's HTTP API: a Starlette app over a ``Simulator``."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Awaitable, Callable
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote_plus, urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.secrets import mask_secrets

from .auth import DX_VALIDITY_PERIODS, TokenStore
from .clock import Clock
from .examples import configuration_schema
from .faults import Faults
from .validation import InvalidRequest, SchemaCache, validate_connection
from .world import Connection, World

__all__ = [
    "DX_CORE_PREFIX",
    "IOT_FLOW_PREFIX",
    "OIDC_TOKEN_PATH",
    "DX_TOKEN_PATH",
    "DX_TOKENINFO_PATH",
    "create_app",
    "connection_json",
]

IOT_FLOW_PREFIX = "/iot-flow/v1"
DX_CORE_PREFIX = "/thingpark/dx/core/latest/api"
OIDC_TOKEN_PATH = "/users-auth/protocol/openid-connect/token"
DX_TOKEN_PATH = "/thingpark/dx/admin/latest/api/oauth/token"
DX_TOKENINFO_PATH = "/thingpark/dx/admin/latest/api/oauth/tokeninfo"
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


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_code(status: int) -> str:
    """com-4000 for 400, com-4001 for 401, ... com-5000 for 500."""
    return f"com-{status // 100}{status % 100:03d}"


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"code": error_code(status), "message": message}, status, headers=headers)


def iso_ms(dt) -> str:
    return dt.isoformat(timespec="milliseconds")


def connection_json(conn: Connection, catalogue: dict[str, dict]) -> dict[str, Any]:
    """The connection as the API returns it, secrets masked."""
    schema = configuration_schema(catalogue.get(conn.connector_id, {}))
    out: dict[str, Any] = {
        "id": str(conn.id),
        "connectorId": conn.connector_id,
        "name": conn.name,
        "active": conn.active,
        "configuration": mask_secrets(conn.configuration, schema),
        "state": conn.state,
        "startupTime": iso_ms(conn.startup_time) if conn.startup_time else None,
    }
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
        raise ApiError(400, f"{name}: must be an integer, got '{raw}'") from None
    if value < lo:
        raise ApiError(400, f"{name}: must be >= {lo}")
    if hi is not None and value > hi:
        raise ApiError(400, f"{name}: must be <= {hi}")
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
        """Faults, then bearer auth, then the handler; every error as {code, message}."""

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
                return error_response(exc.status, exc.message, exc.headers)
            except Exception as exc:  # noqa: BLE001 - the simulator answers like a server
                return error_response(500, f"Internal server error: {type(exc).__name__}")

        return endpoint

    async def read_json(request: Request) -> Any:
        raw = await request.body()
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"body: malformed JSON ({exc})") from None

    def prefix_of(request: Request) -> str:
        return DX_CORE_PREFIX if request.url.path.startswith(DX_CORE_PREFIX) else IOT_FLOW_PREFIX

    def render(conn: Connection) -> dict[str, Any]:
        return connection_json(conn, catalogue)

    # -- connections ------------------------------------------------------------------------
    async def list_connections(request: Request) -> Response:
        if prefix_of(request) == DX_CORE_PREFIX:
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
            raise ApiError(400, str(exc)) from None
        with world.lock:
            conn = world.create(**data.as_kwargs())
            payload = render(conn)
        location = f"{prefix_of(request)}/connections/{conn.id}"
        return JSONResponse(payload, 201, headers={"Location": location})

    def _not_found(key: str) -> ApiError:
        return ApiError(404, f"connection '{key}' not found")

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
            raise ApiError(400, str(exc)) from None
        with world.lock:
            conn = world.replace(key, **data.as_kwargs())
            if conn is None:
                raise _not_found(key)
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
            raise ApiError(404, f"connector '{key}' not found")
        return JSONResponse(catalogue[key])

    # -- tokens -----------------------------------------------------------------------------
    async def oidc_token(request: Request) -> Response:
        await _hold()
        form = await _form(request)
        if form.get("grant_type") != "client_credentials":
            return JSONResponse(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "grant_type must be client_credentials",
                },
                400,
            )
        if not tokens.check_credentials(form.get("client_id"), form.get("client_secret")):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Invalid client credentials"}, 401
            )
        token = tokens.issue(kind="oidc")
        return JSONResponse(
            {
                "access_token": token.value,
                "token_type": "Bearer",
                "expires_in": int(tokens.ttl),
                "scope": "openid",
            },
            headers={"Cache-Control": "no-store"},
        )

    async def dx_token(request: Request) -> Response:
        await _hold()
        form = await _form(request)
        if form.get("grant_type") != "client_credentials":
            return _dx_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
        validity = form.get("validityPeriod") or None
        if validity is not None and validity not in DX_VALIDITY_PERIODS:
            allowed = ", ".join(DX_VALIDITY_PERIODS)
            return _dx_error(400, "invalid_request", f"validityPeriod: must be one of {allowed}")
        renew_raw = (form.get("renewToken") or "false").lower()
        if renew_raw not in ("true", "false"):
            return _dx_error(400, "invalid_request", "renewToken: must be true or false")
        if not tokens.check_credentials(form.get("client_id"), form.get("client_secret")):
            return _dx_error(401, "invalid_client", "Invalid client credentials")
        token = tokens.dx_admin_token(validity, renew_raw == "true")
        return JSONResponse(
            {
                "access_token": token.value,
                "token_type": "bearer",
                "expires_in": token.expires_in(sim.clock.now()),
                "client_id": token.client_id,
            },
            headers={"Cache-Control": "no-store"},
        )

    async def tokeninfo(request: Request) -> Response:
        await _hold()
        token = tokens.lookup(request.query_params.get("access_token"))
        if token is None:
            return error_response(401, "Invalid or expired access token")
        return JSONResponse(
            {
                "client_id": token.client_id,
                "expires_in": token.expires_in(sim.clock.now()),
                "token_type": "bearer",
            }
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        messages = {
            404: f"no resource at {request.url.path}",
            405: f"method {request.method} not allowed on {request.url.path}",
        }
        return error_response(
            exc.status_code, messages.get(exc.status_code, str(exc.detail)), exc.headers
        )

    routes = [
        Route(OIDC_TOKEN_PATH, oidc_token, methods=["POST"]),
        Route(DX_TOKEN_PATH, dx_token, methods=["POST"]),
        Route(DX_TOKENINFO_PATH, tokeninfo, methods=["GET"]),
    ]
    for prefix in (IOT_FLOW_PREFIX, DX_CORE_PREFIX):
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
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


def _by_method(**handlers: Handler) -> Handler:
    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return dispatch


def _dx_error(status: int, error: str, description: str) -> Response:
    return JSONResponse(
        {
            "code": error_code(status),
            "message": description,
            "error": error,
            "error_description": description,
        },
        status,
    )


async def _form(request: Request) -> dict[str, str]:
    """Form fields (url-encoded body), then the query string, then HTTP Basic client auth.

    OAuth2 clients may send their credentials in the body (client_secret_post) or as
    ``Authorization: Basic base64(client_id:client_secret)`` (client_secret_basic).
    """
    raw = (await request.body()).decode("utf-8", "replace")
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    for key, value in request.query_params.items():
        fields.setdefault(key, value)
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and "client_id" not in fields:
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        client_id, sep, client_secret = decoded.partition(":")
        if sep:
            fields["client_id"] = unquote_plus(client_id)
            fields["client_secret"] = unquote_plus(client_secret)
    return fields
