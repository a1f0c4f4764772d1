"""The async IoT Flow client, the same against the simulator and a real platform.

Two flavours share one resource model (see README): IoT Flow v1 under
``/iot-flow/v1`` and DX Core under ``/thingpark/dx/core/latest/api``. Idempotent GETs
retry with exponential backoff and jitter; POST, PUT and DELETE never retry by
themselves, because a retry after a lost answer could create a connection twice.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx

from ..connections import Connection, Connector, UnreadableData, gc_paused
from ..secrets import MASK, masked_paths
from .auth import TokenSource
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

IOT_FLOW = "iot-flow"
DX_CORE = "dx-core"
FLAVOURS = (IOT_FLOW, DX_CORE)
API_PREFIX = {IOT_FLOW: "/iot-flow/v1", DX_CORE: "/thingpark/dx/core/latest/api"}
DX_CORE_PAGE = 100
"""DX Core pages hold at most 100 connections (a public CLI assumes the same)."""
MAX_PAGES = 10_000
MAX_PASSES = 4

_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 8288 ``Link`` header → {rel: url}."""
    links: dict[str, str] = {}
    for url, rels in _LINK.findall(value or ""):
        for rel in rels.split():
            links[rel] = url
    return links


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx answer, reading ``{"code", "message"}`` when present."""
    status = response.status_code
    code: str | None = None
    message = response.reason_phrase or f"HTTP {status}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get("code") if isinstance(body.get("code"), str) else None
        text = body.get("message") or body.get("error_description") or body.get("error")
        if isinstance(text, str) and text:
            message = text
    if status == 401:
        return Unauthenticated(message, status=status, code=code)
    if status == 403:
        return Forbidden(message, status=status, code=code)
    if status == 404:
        return NotFound(message, status=status, code=code)
    if status >= 500:
        return ServerError(message, status=status, code=code)
    return ValidationFailed(message, status=status, code=code)


class IoTFlowClient:
    """Connections and connectors of one platform, through one API flavour."""

    def __init__(
        self,
        base_url: str,
        auth: TokenSource,
        *,
        flavour: str = IOT_FLOW,
        read_only: bool = False,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.25,
        backoff_cap: float = 4.0,
        page_size: int | None = None,
        verify: bool | str = True,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rng: random.Random | None = None,
    ):
        if flavour not in FLAVOURS:
            raise ValueError(f"unknown API flavour {flavour!r}; use iot-flow or dx-core")
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.flavour = flavour
        self.read_only = read_only
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.page_size = page_size
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            verify=verify,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "iotflow-tui"},
        )
        self._pages: dict[str, tuple[bytes, list[dict[str, Any]]]] = {}
        """Request URL → (body, decoded list) of the connection list pages last read."""
        self._listed: dict[Any, tuple[dict[str, Any], Connection]] = {}
        """id → (item, Connection) of the last listing, to reuse what did not change."""
        self.calls = 0
        """HTTP requests made to the API (not counting tokens): measured by benchmarks."""

    async def aclose(self) -> None:
        await self._http.aclose()

    async def authenticate(self) -> None:
        """Get a token now (if the current one is missing or old); requests do it anyway."""
        await self.auth.token(self._http)

    async def __aenter__(self) -> IoTFlowClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- transport ---------------------------------------------------------------

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    async def _send_once(
        self, method: str, path: str, *, params: dict[str, Any] | None, json: Any
    ) -> httpx.Response:
        for attempt in (1, 2):
            token = await self.auth.token(self._http)
            self.calls += 1
            try:
                response = await self._http.request(
                    method,
                    self._url(path),
                    params=params,
                    json=json,
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.TimeoutException as exc:
                raise ApiTimeout(f"{method} {path} took over {self.timeout:g} s") from exc
            except httpx.TransportError as exc:
                raise Unreachable(f"{self.base_url}: {type(exc).__name__}") from exc
            if response.status_code == 401 and attempt == 1:
                # An expired or revoked token: fetch a new one and try once more.
                self.auth.invalidate()
                continue
            return response
        return response

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        if method != "GET" and self.read_only:
            raise ReadOnlyError(f"{method} {path} refused")
        attempts = 1 + (self.retries if method == "GET" else 0)
        for attempt in range(1, attempts + 1):
            try:
                response = await self._send_once(method, path, params=params, json=json)
                if response.status_code >= 400:
                    raise error_from_response(response)
                return response
            except ApiError as error:
                if not error.retryable or attempt == attempts:
                    raise
                await self._sleep(self._delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter, capped."""
        return self._rng.uniform(0, min(self.backoff_cap, self.backoff * 2 ** (attempt - 1)))

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise MalformedResponse(
                f"{response.request.method} {response.request.url.path} did not answer JSON"
            ) from exc

    # -- connections -------------------------------------------------------------

    async def list_connections(self) -> list[Connection]:
        """Every connection, following the server's paging and de-duplicating by id.

        When the list spans several pages, a connection created or deleted between two
        page requests shifts the pages; the listing is then read again until two reads
        agree (at most a few times), so nothing is lost or repeated.
        """
        previous: list[dict[str, Any]] | None = None
        for _ in range(MAX_PASSES):
            items, paged = await self._list_pass()
            if not paged:
                return self._connections(items)
            if previous is not None and _ids(previous) == _ids(items):
                return self._connections(items)
            previous = items
        assert previous is not None
        return self._connections(previous)

    def _connections(self, items: list[dict[str, Any]]) -> list[Connection]:
        """Connections from the listed items; an item identical to the last listing's
        gives back the same (never mutated) Connection: nothing is parsed or kept anew
        for a connection that did not change, and the board skips it by identity."""
        seen: set[str] = set()
        out: list[Connection] = []
        from_api = Connection.from_api
        previous = self._listed
        listed: dict[Any, tuple[dict[str, Any], Connection]] = {}
        with gc_paused(), _readable():
            for item in items:
                ident = item.get("id") if type(item) is dict else None
                known = previous.get(ident) if type(ident) is str else None
                if known is not None and known[0] == item:
                    connection = known[1]
                    item = known[0]
                else:
                    connection = from_api(item)
                if connection.id not in seen:
                    seen.add(connection.id)
                    out.append(connection)
                    listed[connection.id] = (item, connection)
        self._listed = listed
        return out

    async def _list_pass(self) -> tuple[list[dict[str, Any]], bool]:
        """One read of the whole list: (raw items, whether it took more than one page)."""
        if self.flavour == DX_CORE:
            return await self._list_dx_core()
        return await self._list_iot_flow()

    async def _list_dx_core(self) -> tuple[list[dict[str, Any]], bool]:
        size = min(self.page_size or DX_CORE_PAGE, DX_CORE_PAGE)
        items: list[dict[str, Any]] = []
        for index in range(1, MAX_PAGES + 1):
            params: dict[str, Any] = {"pageIndex": index}
            if self.page_size:
                params["pageSize"] = size
            page = self._array(await self._request("GET", "/connections", params=params))
            items.extend(page)
            if len(page) < size:
                return items, index > 1
        raise MalformedResponse(f"the connection list did not end after {MAX_PAGES} pages")

    async def _list_iot_flow(self) -> tuple[list[dict[str, Any]], bool]:
        params: dict[str, Any] | None = None
        if self.page_size:
            params = {"page": 1, "perPage": self.page_size}
        response = await self._request("GET", "/connections", params=params)
        items = list(self._array(response))  # (a copy: the decoded page is kept)
        pages = 1
        while pages < MAX_PAGES:
            follow = self._next_page(response, params)
            if follow is None:
                return items, pages > 1
            path, params = follow
            response = await self._request("GET", path, params=params)
            page = self._array(response)
            if not page:
                return items, True
            items.extend(page)
            pages += 1
        raise MalformedResponse(f"the connection list did not end after {MAX_PAGES} pages")

    def _next_page(
        self, response: httpx.Response, params: dict[str, Any] | None
    ) -> tuple[str, dict[str, Any] | None] | None:
        """Where the next page is: the ``Link`` rel=next, else ``X-Page`` < ``X-Total-Pages``."""
        nxt = parse_link_header(response.headers.get("link")).get("next")
        if nxt:
            return nxt, None
        try:
            page = int(response.headers.get("x-page", ""))
            total = int(response.headers.get("x-total-pages", ""))
        except ValueError:
            return None
        if page >= total:
            return None
        per_page = response.headers.get("x-per-page") or (params or {}).get("perPage")
        follow: dict[str, Any] = {"page": page + 1}
        if per_page:
            follow["perPage"] = per_page
        return "/connections", follow

    def _array(self, response: httpx.Response) -> list[dict[str, Any]]:
        # A page that reads byte for byte as last time is not decoded again.
        key = str(response.request.url)
        content = response.content
        known = self._pages.get(key)
        if known is not None and known[0] == content:
            return known[1]
        with gc_paused():
            body = self._json(response)
        if isinstance(body, dict):
            # Tolerate an envelope some gateways add: {"items"|"data"|"content": [...]}.
            for key in ("items", "data", "content", "connections"):
                if isinstance(body.get(key), list):
                    body = body[key]
                    break
        if not isinstance(body, list):
            raise MalformedResponse("the connection list is not a JSON array")
        if len(self._pages) > 64:
            self._pages.clear()
        self._pages[key] = (content, body)
        return body

    async def get_connection(self, ident: str) -> Connection:
        response = await self._request("GET", f"/connections/{quote(ident, safe='')}")
        return _connection(self._json(response))

    async def create_connection(self, payload: dict[str, Any]) -> Connection:
        _refuse_masked(payload)
        response = await self._request("POST", "/connections", json=payload)
        if response.status_code == 202 or not response.content:
            # Accepted without a body: read it back from the Location header.
            location = response.headers.get("location", "")
            ident = location.rstrip("/").rsplit("/", 1)[-1]
            if not ident:
                raise MalformedResponse("the created connection has neither body nor Location")
            return await self.get_connection(ident)
        return _connection(self._json(response))

    async def update_connection(self, ident: str, payload: dict[str, Any]) -> Connection:
        """PUT: the server replaces the whole connection with ``payload``."""
        _refuse_masked(payload)
        response = await self._request("PUT", f"/connections/{quote(ident, safe='')}", json=payload)
        if not response.content:
            return await self.get_connection(ident)
        return _connection(self._json(response))

    async def delete_connection(self, ident: str) -> None:
        await self._request("DELETE", f"/connections/{quote(ident, safe='')}")

    # -- connectors --------------------------------------------------------------

    async def list_connectors(self) -> list[Connector]:
        response = await self._request("GET", "/connectors")
        body = self._json(response)
        if not isinstance(body, list):
            raise MalformedResponse("the connector list is not a JSON array")
        with _readable():
            return [Connector.from_api(item) for item in body]

    async def get_connector(self, ident: str) -> Connector:
        try:
            response = await self._request("GET", f"/connectors/{quote(ident, safe='')}")
        except (NotFound, ValidationFailed):
            # GET /connectors/{id} is not documented: fall back to the list.
            for connector in await self.list_connectors():
                if connector.id == ident:
                    return connector
            raise NotFound(f"connector {ident!r}") from None
        with _readable():
            return Connector.from_api(self._json(response))


def _refuse_masked(payload: dict[str, Any]) -> None:
    """Never send the mask back: it would replace a secret with ``*****`` on the platform.

    Screens already ask for secrets again; this is the last guard, whatever the caller.
    """
    paths = masked_paths(payload.get("configuration"), "configuration")
    if paths:
        raise ValidationFailed(
            f"{paths[0]}: still holds the masked placeholder '{MASK}'; type the secret "
            "again (the API replaces the whole configuration and cannot keep the old value)",
            status=None,
            code=None,
            field=paths[0],
        )


def _ids(items: list[dict[str, Any]]) -> list[Any]:
    return [item.get("id") if isinstance(item, dict) else None for item in items]


@contextmanager
def _readable() -> Iterator[None]:
    """A model the platform sent that cannot be read is the API's failure: MalformedResponse."""
    try:
        yield
    except UnreadableData as exc:
        raise MalformedResponse(str(exc)) from exc


def _connection(data: Any) -> Connection:
    with _readable():
        return Connection.from_api(data)
