"""HTTP routes for data flow: metrics, events, restart and merge-patch (both base paths).

``create_app`` in ``app.py`` mounts these before its ``/connections/{id}`` route (so that
``/connections/metrics`` is not read as an id) and hands in its auth/fault wrapper, its
error type and its connection renderer, so every answer looks like the rest of the API.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.secrets import first_masked_path

from .commands import RestartRefused, merge_patch, patch_document, restart
from .openapi.flow import EVENTS_MAX_PER_PAGE, MERGE_PATCH
from .validation import InvalidRequest, SchemaCache, validate_connection
from .world import Connection

__all__ = ["MERGE_PATCH", "flow_routes"]

Handler = Callable[[Request], Awaitable[Response]]
ApiErrorType = Callable[..., Exception]
"""``ApiError(status, message, *, field=None)``: ``field`` names the offending parameter."""


def flow_routes(
    sim: Any,
    prefixes: tuple[str, ...],
    *,
    api: Callable[[Handler], Handler],
    api_error: ApiErrorType,
    render: Callable[[Connection], dict[str, Any]],
    schemas: SchemaCache,
) -> list[Route]:
    world, traffic, events = sim.world, sim.traffic, sim.events

    def find(request: Request) -> Connection:
        key = request.path_params["id"]
        conn = world.get(key)
        if conn is None:
            raise api_error(
                404, f'connection "{key[:80]}" not found (GET /connections lists them)'
            )
        return conn

    async def all_metrics(request: Request) -> Response:
        return JSONResponse(traffic.all_metrics())

    async def one_metrics(request: Request) -> Response:
        with world.lock:
            return JSONResponse(traffic.metrics(find(request).id))

    async def restart_connection(request: Request) -> Response:
        with world.lock:
            conn = find(request)
            try:
                restart(world, conn)
            except RestartRefused as exc:
                raise api_error(409, str(exc)) from None
            events.record(conn, "cnx-1002", "Restart requested")
        return Response(status_code=202)

    async def patch_connection(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != MERGE_PATCH:
            raise api_error(
                415, f"PATCH needs Content-Type: {MERGE_PATCH} (RFC 7386), got '{media or 'none'}'"
            )
        try:
            patch = json.loads(await request.body())
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise api_error(
                400, f"body: not valid JSON at {where}: send a JSON object", field="body"
            ) from None
        except UnicodeDecodeError:
            raise api_error(400, "body: not UTF-8 text: send a JSON object", field="body") from None
        if not isinstance(patch, dict):
            raise api_error(400, "body: a merge patch must be a JSON object", field="body")
        if "active" in patch and patch["active"] is None:
            # Removing it would silently mean the default (true): activating by accident.
            raise api_error(
                400, "active: must be true or false (null would remove it)", field="active"
            )
        masked = first_masked_path(patch)
        if masked:
            raise api_error(
                400,
                f"{masked}: the masked placeholder '*****' is not a value; send the secret itself",
                field=masked,
            )
        with world.lock:
            conn = find(request)
            before = patch_document(conn)
            merged = merge_patch(json.loads(json.dumps(before)), patch)
            try:
                data = validate_connection(merged, schemas)
            except InvalidRequest as exc:
                raise api_error(400, str(exc), field=exc.field) from None
            was_active, old_config = conn.active, conn.configuration
            world.replace(conn.id, **data.as_kwargs())
            if conn.active != was_active:
                word = "activated" if conn.active else "deactivated"
                events.record(conn, "cnx-1004", f"Connection {word}", active=conn.active)
            if conn.configuration != old_config:
                events.record(conn, "cnx-1003", "Configuration changed")
            return JSONResponse(render(conn))

    async def list_events(request: Request) -> Response:
        params = request.query_params
        start = _time_param(params.get("startTime"), "startTime", api_error)
        end = _time_param(params.get("endTime"), "endTime", api_error)
        page = _int(params.get("page"), "page", 1, 1, None, api_error)
        per_page = _int(
            params.get("perPage"), "perPage", EVENTS_MAX_PER_PAGE, 1, EVENTS_MAX_PER_PAGE, api_error
        )
        found = events.query(
            start=start,
            end=end,
            connection_id=params.get("q_connectionId") or None,
            text=params.get("q") or None,
        )
        total = len(found)
        pages = max(1, math.ceil(total / per_page))
        chunk = found[(page - 1) * per_page : page * per_page]
        headers = _paging_headers(request, page, per_page, pages, total)
        return JSONResponse([e.to_json() for e in chunk], headers=headers)

    routes: list[Route] = []
    for prefix in prefixes:
        routes += [
            Route(f"{prefix}/connections/metrics", api(all_metrics), methods=["GET"]),
            Route(f"{prefix}/connections/{{id}}/metrics", api(one_metrics), methods=["GET"]),
            Route(
                f"{prefix}/connections/{{id}}/restart", api(restart_connection), methods=["POST"]
            ),
            Route(f"{prefix}/connections/{{id}}", api(patch_connection), methods=["PATCH"]),
            Route(f"{prefix}/events", api(list_events), methods=["GET"]),
        ]
    return routes


def _time_param(raw: str | None, name: str, api_error: ApiErrorType) -> datetime | None:
    if not raw:
        return None
    text = raw.strip().replace(" ", "+")  # an unencoded '+' in the offset arrives as a space
    example = "e.g. 2026-11-28T10:00:00Z or 2026-11-28T11:00:00%2B01:00"
    try:
        value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise api_error(
            400, f'{name}: not a date-time: "{raw[:40]}" ({example})', field=name
        ) from None
    if value.tzinfo is None:
        raise api_error(400, f"{name}: needs a UTC offset ({example})", field=name)
    return value


def _int(
    raw: str | None,
    name: str,
    default: int,
    lo: int,
    hi: int | None,
    api_error: ApiErrorType,
) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:  # also digits beyond Python's conversion limit
        raise api_error(
            400, f'{name}: must be an integer, got "{raw[:40]}"', field=name
        ) from None
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise api_error(400, f'{name}: must be {bound}, got "{raw[:40]}"', field=name)
    return value


def _paging_headers(
    request: Request, page: int, per_page: int, pages: int, total: int
) -> dict[str, str]:
    def url(p: int) -> str:
        params = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("page", "perPage")
        ]
        params += [("page", str(p)), ("perPage", str(per_page))]
        return str(request.url.replace(query=urlencode(params)))

    links = [(1, "first")]
    headers = {
        "X-Total": str(total),
        "X-Total-Pages": str(pages),
        "X-Per-Page": str(per_page),
        "X-Page": str(page),
    }
    if page > 1:
        links.append((min(page - 1, pages), "prev"))
        headers["X-Prev-Page"] = str(min(page - 1, pages))
    if page < pages:
        links.append((page + 1, "next"))
        headers["X-Next-Page"] = str(page + 1)
    links.append((pages, "last"))
    headers["Link"] = ", ".join(f'<{url(p)}>; rel="{rel}"' for p, rel in links)
    return headers
