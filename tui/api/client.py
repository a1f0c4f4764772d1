"""The async IoT Flow client, the same against the simulator and a real platform.

Two flavours share one resource model (see README): IoT Flow v1 under
``/iot-flow/v1`` and DX Core under ``/thingpark/dx/core/latest/api``. Idempotent GETs
retry with exponential backoff and jitter; POST, PUT and DELETE never retry by
themselves, because a retry after a lost answer could create a connection twice.
"""

from __future__ import annotations

import asyncio
import json as _json_mod
import random
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from ..connections import Connection, Connector, UnreadableData, gc_paused
from ..secrets import MASK, masked_paths
from .auth import StaticToken, TokenSource
from .error_answers import error_from_response
from .errors import (
    ApiError,
    ApiTimeout,
    MalformedResponse,
    NotFound,
    ReadOnlyError,
    TokenRejected,
    Unreachable,
    ValidationFailed,
)
from .flavours import API_PREFIX, DX_CORE, DX_CORE_PAGE, FLAVOURS, IOT_FLOW  # noqa: F401
from .flow_calls import FlowCalls
from .limits import DEFAULT_LIMITS, Limits, decode_json, nesting_problem
from .links import next_page
from .list_decoding import PageItemMemos
from .listing import read_connection, read_connections
from .page_cache import PageCache
from .paging import (
    MAX_PAGES,
    MAX_PASSES,
    ListKeptChanging,
    PageSizeIgnored,
    ident_of,
    read_paged_list,
)
from .request_out import trace_until_out

__all__ = ["IoTFlowClient", "error_from_response"]


class IoTFlowClient(FlowCalls):
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
        limits: Limits = DEFAULT_LIMITS,
        verify: bool | str = True,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rng: random.Random | None = None,
        once: bool = False,
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
        self.limits = limits
        self._sleep = sleep
        self._rng = rng or random.Random()
        if not _needs_tls(self.base_url, auth):
            # Loading the CA certificates costs tens of milliseconds at start-up; a
            # plain-HTTP profile never uses them (and _url keeps paging on this origin).
            verify = False
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            verify=verify,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "iotflow-tui"},
        )
        self._pages = PageCache(keep=not once)
        """The connection list pages last read, by request URL (``once``: a client that
        lists once keeps none)."""
        self._listed: dict[Any, tuple[dict[str, Any], Connection]] = {}
        self._item_memos = PageItemMemos()
        """Each page's items by their text, so a steady poll decodes only what changed."""
        """id → (item, Connection) of the last listing, to reuse what did not change."""
        self._order: dict[Any, int] = {}
        """id → position in the last paged DX Core listing (paging.py checks on it)."""
        self._windows = True
        """The platform honours ``pageSize``: a first DX Core poll reads overlapping
        windows instead of reading every page twice (paging.py)."""
        self.notes: list[str] = []
        """What the last listing could not show as sent (duplicate ids), in sentences."""
        self.last_error: ApiError | None = None
        """The last failure met, even one a retry then overcame: what a caller whose own
        deadline ran out during the retries can tell the operator."""
        self.calls = 0
        """HTTP requests made to the API (not counting tokens): measured by benchmarks."""
        self.on_request_out: Callable[[], object] | None = None
        """Called each time an API request has been sent whole (not a token's): see
        request_out.py."""

    async def aclose(self) -> None:
        self._cancel_metrics()
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
        if not path.startswith(("http://", "https://")):
            return self.base_url + path
        # A Link header is server text: following one to another host would hand that
        # host our bearer token.
        if urlsplit(path)[:2] != urlsplit(self.base_url)[:2]:
            raise MalformedResponse(f"a next-page link leads to another site ({path[:80]})")
        return path

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        """One request and its whole body, within ``timeout`` seconds in total.

        httpx's timeouts are per read: a server that sends a byte every few seconds
        would never trip them. The body is read up to ``limits.max_body`` bytes. A GET
        that meets a kept-alive connection the server has just closed (it fails before
        any byte of an answer) is sent again at once, once: that is not an outage.
        """
        received = 0
        for fresh_connection in (False, True):
            try:
                async with asyncio.timeout(self.timeout):
                    try:
                        response = await self._http.send(request, stream=True)
                    except (httpx.RemoteProtocolError, httpx.ReadError):
                        if request.method != "GET" or fresh_connection:
                            raise
                        continue
                    try:
                        chunks = []
                        async for chunk in response.aiter_bytes():
                            received += len(chunk)
                            if received > self.limits.max_body:
                                raise MalformedResponse(
                                    f"{request.method} {request.url.path} answered more than "
                                    f"{self.limits.max_body // 2**20} MB; iotflow stopped "
                                    "reading (setting max_body_mb)"
                                )
                            chunks.append(chunk)
                    finally:
                        await response.aclose()
            except (TimeoutError, httpx.TimeoutException) as exc:
                sent = f" (only {received:,} bytes came)" if received else ""
                raise ApiTimeout(
                    f"{request.method} {request.url.path} got no complete answer within "
                    f"{self.timeout:g} s{sent}"
                ) from exc
            except httpx.TransportError as exc:
                raise Unreachable(f"{self.base_url}: {type(exc).__name__}") from exc
            # What httpx's own aread() does once the stream is consumed.
            response._content = b"".join(chunks)
            # httpx's stream points back at its response: that cycle would keep the body
            # (6.5 MB for 10,000 connections) alive until a rare full garbage collection,
            # one more body for every poll until then.
            response.stream = httpx.ByteStream(response._content)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        content_type: str | None = None,
    ) -> httpx.Response:
        url = self._url(path)
        body: dict[str, Any] = {"json": json}
        extra_headers: dict[str, str] = {}
        if content_type is not None:
            # A JSON body under another media type (merge-patch+json for PATCH).
            body = {"content": _json_mod.dumps(json).encode()}
            extra_headers["Content-Type"] = content_type
        for attempt in (1, 2):
            token = await self._token()
            self.calls += 1
            out = self.on_request_out
            request = self._http.build_request(
                method, url, params=params,
                headers={"Authorization": f"Bearer {token}", **extra_headers}, **body,
                extensions=None if out is None else trace_until_out(out),
            )
            response = await self._exchange(request)
            if response.status_code == 401 and attempt == 1 and self._renewable:
                # An expired or revoked token: fetch a new one and try once more.
                self.auth.invalidate()
                continue
            if response.status_code == 401 and not self._renewable:
                error = error_from_response(response)
                error.static_token = True
                raise error
            if response.status_code == 401 and attempt == 2:
                # The token was issued a moment ago: the credentials are fine.
                error = error_from_response(response)
                raise TokenRejected(error.message, status=401, code=error.code)
            return response
        return response

    @property
    def _renewable(self) -> bool:
        return not isinstance(self.auth, StaticToken)

    async def _token(self) -> str:
        try:
            async with asyncio.timeout(self.timeout):
                return await self.auth.token(self._http)
        except TimeoutError as exc:
            raise ApiTimeout(f"no token within {self.timeout:g} s") from exc

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        content_type: str | None = None,
    ) -> httpx.Response:
        if method != "GET" and self.read_only:
            raise ReadOnlyError(f"{method} {path} refused")
        attempts = 1 + (self.retries if method == "GET" else 0)
        for attempt in range(1, attempts + 1):
            try:
                response = await self._send_once(
                    method, path, params=params, json=json, content_type=content_type
                )
                if response.status_code >= 400:
                    raise error_from_response(response)
                return response
            except ApiError as error:
                error.idempotent = method == "GET"
                self.last_error = error
                if not error.retryable or attempt == attempts or method != "GET":
                    raise
                await self._sleep(self._delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter, capped."""
        return self._rng.uniform(0, min(self.backoff_cap, self.backoff * 2 ** (attempt - 1)))

    def _json(self, response: httpx.Response) -> Any:
        request = response.request
        return decode_json(response.content, f"{request.method} {request.url.path}")

    # -- connections -------------------------------------------------------------

    async def list_connections(self) -> list[Connection]:
        """Every connection, following the server's paging, each item read on its own.

        A bad item becomes an UNREADABLE row (see listing.py); a duplicate id is shown
        once and reported in ``notes``. When the list spans several pages, a connection
        created or deleted between two page requests shifts the pages: DX Core's pages
        are checked at their boundaries and on the metrics census (paging.py); IoT Flow's
        paged lists on the census, else read again until two reads agree (a few times).
        """
        self._pages.begin()
        if self.flavour == DX_CORE:
            items = await self._list_dx_core()
        else:
            items = await self._list_iot_flow_consistent()
        before = self._listed
        connections, self._listed, self.notes = read_connections(
            items, before, self.limits, self._item_memos.depth_checked)
        self._pages.finish(self._listed if before else None)
        self._item_memos.finish(self._listed)
        return connections

    def as_sent(self, connection: Connection) -> dict[str, Any] | None:
        """The item the server sent for ``connection`` in the last listing, decoded (shared:
        never change it); None for an item that could not be read."""
        known = self._listed.get(connection.id)
        return known[0] if known is not None and known[1] is connection else None

    async def _list_iot_flow_consistent(self) -> list[dict[str, Any]]:
        census = self.metrics_census()  # (a paged read is checked on it: paging.Census)
        previous: list[dict[str, Any]] | None = None
        try:
            for _ in range(MAX_PASSES):
                items, paged = await self._list_iot_flow()
                if not paged or (census is not None and await census.agrees(items)):
                    return items
                if previous is not None and _ids(previous) == _ids(items):
                    if census is not None:
                        census.check(items)
                    return items
                previous = items
        finally:
            if census is not None:
                census.cancel()
        raise _kept_changing(MAX_PASSES)

    async def _list_dx_core(self) -> list[dict[str, Any]]:
        size = min(self.page_size or DX_CORE_PAGE, DX_CORE_PAGE)

        async def fetch(index: int, asked: int) -> list[dict[str, Any]]:
            params: dict[str, Any] = {"pageIndex": index}
            if self.page_size or asked != DX_CORE_PAGE:
                params["pageSize"] = asked
            return self._array(await self._request("GET", "/connections", params=params))

        try:
            try:
                items, pages = await read_paged_list(fetch, size, self._order, self._windows,
                                                     self.metrics_census())
            except (PageSizeIgnored, ValidationFailed):
                if not self._windows:
                    raise
                # A platform that ignores or refuses pageSize: aligned pages from now on.
                self._windows = False
                items, pages = await read_paged_list(fetch, size, self._order, False,
                                                     self.metrics_census())
        except OverflowError as exc:
            raise MalformedResponse(str(exc)) from None
        except ListKeptChanging as exc:
            raise _kept_changing(exc.passes) from None
        # Positions of this listing: the next poll checks its page boundaries on them.
        self._order = {ident_of(item): n for n, item in enumerate(items)} if pages > 1 else {}
        return items

    async def _list_iot_flow(self) -> tuple[list[dict[str, Any]], bool]:
        params: dict[str, Any] | None = None
        if self.page_size:
            params = {"page": 1, "perPage": self.page_size}
        response = await self._request("GET", "/connections", params=params)
        items = list(self._array(response))  # (a copy: the decoded page is kept)
        pages = 1
        while pages < MAX_PAGES:
            follow = next_page(response.headers, "/connections", params)
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

    def _array(self, response: httpx.Response) -> list[dict[str, Any]]:
        url = str(response.request.url)
        content = response.content
        known = self._pages.get(url, content)
        if known is not None:
            self._item_memos.unchanged(url)
            return known
        request = response.request
        what = f"{request.method} {request.url.path}"
        with gc_paused():
            body = self._item_memos.decode(url, content, what, self._listed)
        if isinstance(body, dict):
            # Tolerate an envelope some gateways add: {"items"|"data"|"content": [...]}.
            for key in ("items", "data", "content", "connections"):
                if isinstance(body.get(key), list):
                    body = body[key]
                    break
        if not isinstance(body, list):
            raise MalformedResponse("the connection list is not a JSON array")
        self._pages.put(url, content, body)
        return body

    def _connection(self, response: httpx.Response) -> Connection:
        """One connection from an answer; unlike a list, a bad item is an error here."""
        connection = read_connection(self._json(response), 1, self.limits)
        if connection.problem:
            raise MalformedResponse(connection.problem.removeprefix("Item 1 of the list "))
        return connection

    async def get_connection(self, ident: str) -> Connection:
        response = await self._request("GET", f"/connections/{quote(ident, safe='')}")
        return self._connection(response)

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
        return self._connection(response)

    async def update_connection(self, ident: str, payload: dict[str, Any]) -> Connection:
        """PUT: the server replaces the whole connection with ``payload``."""
        _refuse_masked(payload)
        response = await self._request("PUT", f"/connections/{quote(ident, safe='')}", json=payload)
        if not response.content:
            return await self.get_connection(ident)
        return self._connection(response)

    async def delete_connection(self, ident: str) -> None:
        await self._request("DELETE", f"/connections/{quote(ident, safe='')}")

    # -- connectors --------------------------------------------------------------

    async def list_connectors(self) -> list[Connector]:
        response = await self._request("GET", "/connectors")
        body = self._json(response)
        if not isinstance(body, list):
            raise MalformedResponse("the connector list is not a JSON array")
        return [self._connector(item) for item in body]

    def _connector(self, data: Any) -> Connector:
        # Schemas nest deeper than connections (properties, oneOf, items ...).
        problem = nesting_problem(data, 2 * self.limits.max_depth) if data else None
        if problem:
            raise MalformedResponse(f"a connector cannot be read: {problem}")
        try:
            return Connector.from_api(data)
        except UnreadableData as exc:
            raise MalformedResponse(str(exc)) from exc

    async def get_connector(self, ident: str) -> Connector:
        try:
            response = await self._request("GET", f"/connectors/{quote(ident, safe='')}")
        except (NotFound, ValidationFailed):
            # GET /connectors/{id} is not documented: fall back to the list.
            for connector in await self.list_connectors():
                if connector.id == ident:
                    return connector
            raise NotFound(f"connector {ident!r}") from None
        return self._connector(self._json(response))


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


def _needs_tls(base_url: str, auth: TokenSource) -> bool:
    token_url = getattr(auth, "token_url", "")
    return base_url.startswith("https:") or str(token_url).startswith("https:")


def _kept_changing(passes: int) -> ApiError:
    # Pages of two moments are never shown: the last complete listing stays on screen.
    return ApiError(
        f"The connection list changed during each of {passes} reads in a row "
        "(connections being created or deleted): nothing half read is shown. "
        "Try again in a moment; the dashboard does at its next refresh."
    )


def _ids(items: list[dict[str, Any]]) -> list[Any]:
    return [item.get("id") if isinstance(item, dict) else None for item in items]
