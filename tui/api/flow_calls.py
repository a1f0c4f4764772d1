"""Client calls for data flow: metrics, events, restart and JSON Merge Patch.

A mixin of :class:`~tui.api.client.IoTFlowClient` (it uses the client's ``_request`` and
``_json``), kept apart so that the transport file stays about transport.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any, overload
from urllib.parse import quote

from ..connections import Connection, UnreadableData
from ..flow import ConnectionMetrics, Event
from ..secrets import MASK, first_masked_path
from .errors import ApiError, MalformedResponse, ValidationFailed
from .links import next_page
from .list_decoding import ItemMemo, NotAnArray, read_items
from .paging import Census

if TYPE_CHECKING:
    import httpx

__all__ = ["FlowCalls", "MERGE_PATCH", "PATCH_FALLBACK_STATUSES"]

MERGE_PATCH = "application/merge-patch+json"
PATCH_FALLBACK_STATUSES = frozenset({404, 405, 415})
"""A platform that answers PATCH with one of these does not support it: use PUT."""
EVENTS_PER_PAGE = 1000
MAX_EVENT_PAGES = 1000


class FlowCalls:
    """Metrics, events, restart and merge-patch on top of the client's transport."""

    patch_supported: bool | None = None
    """None until a PATCH was tried; False once the platform refused it (for the session)."""
    _last_metrics: tuple[bytes, list[ConnectionMetrics]] | None = None
    """(digest of the body, what it read as): platforms aggregate metrics by the minute,
    so most polls get the same bytes again, and reading 1,000 items each time costs CPU."""
    _metrics_memo: ItemMemo | None = None
    """The last answer's items (see list_decoding.read_items): when a few connections'
    figures move, only those items are decoded and read again."""
    _metrics_call: asyncio.Future[list[ConnectionMetrics]] | None = None
    """The last request for every connection's metrics: callers while it is on its way
    share its answer (the dashboard's poll and the listing's census ask at one moment)."""
    _metrics_sent = 0
    _census_misses = 0
    """Listings in a row whose proven ids the metrics did not match: at 2 (not one change
    during a read: metrics that leave connections out) the census is not asked again."""

    if TYPE_CHECKING:

        async def _request(
            self,
            method: str,
            path: str,
            *,
            params: dict[str, Any] | None = None,
            json: Any = None,
            content_type: str | None = None,
        ) -> httpx.Response: ...

        def _json(self, response: httpx.Response) -> Any: ...

    # -- metrics ----------------------------------------------------------------------------
    @overload
    async def metrics(self) -> list[ConnectionMetrics]: ...
    @overload
    async def metrics(self, ident: str) -> ConnectionMetrics: ...

    async def metrics(self, ident: str | None = None) -> Any:
        """Every connection's metrics (one call), or one connection's."""
        if ident is not None:
            response = await self._request("GET", f"/connections/{quote(ident, safe='')}/metrics")
            return _read(ConnectionMetrics.from_api, self._json(response), "metrics")
        return await asyncio.shield(self._metrics_answer())

    def _metrics_answer(self, sent_after: int | None = None) -> asyncio.Future[Any]:
        """The metrics request on its way or, with ``sent_after``, the last one sent after
        that many requests even if answered; else a new one."""
        call = self._metrics_call
        if call is None or (call.done() and (sent_after is None
                                             or self._metrics_sent <= sent_after)):
            call = self._metrics_call = asyncio.ensure_future(self._every_metrics())
            call.add_done_callback(_retrieved)
            self._metrics_sent += 1
        return call

    def metrics_census(self) -> Census | None:
        """Every connection's id from a metrics answer sent from now on (one item per
        connection of the caller: API reference §8), as a check on a paged listing; None
        once the metrics proved not to list every connection."""
        if self._census_misses >= 2:
            return None
        mark = self._metrics_sent

        async def count() -> list[str] | None:
            try:
                metrics = await asyncio.shield(self._metrics_answer(sent_after=mark))
            except ApiError as error:
                if error.status in (404, 405, 501):
                    self._census_misses = 2  # no metrics on this platform: never ask
                return None  # not now: the windows check the pages
            return [m.connection_id for m in metrics]

        def judged(right: bool) -> None:
            self._census_misses = 0 if right else self._census_misses + 1

        return Census(count, judged)

    def _cancel_metrics(self) -> None:
        if self._metrics_call is not None:
            self._metrics_call.cancel()

    async def _every_metrics(self) -> list[ConnectionMetrics]:
        response = await self._request("GET", "/connections/metrics")
        digest = hashlib.blake2b(response.content, digest_size=16).digest()
        if self._last_metrics is not None and self._last_metrics[0] == digest:
            return self._last_metrics[1]  # the same answer: the same (frozen) items
        try:
            # One item at a time: 10,000 decoded dicts never exist at once, and an item
            # that reads as last time is not decoded at all (list_decoding.read_items).
            if self._metrics_memo is None:
                self._metrics_memo = ItemMemo()
            read = read_items(response.content, _read_metrics, self._metrics_memo)
            self._last_metrics = (digest, read)
            return read
        except NotAnArray:
            body = self._json(response)  # its message for bad JSON
        if not isinstance(body, list):
            raise MalformedResponse("the metrics answer is not a JSON array")
        return [_read(ConnectionMetrics.from_api, item, "metrics") for item in body]

    # -- events -----------------------------------------------------------------------------
    async def events(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        connection_id: str | None = None,
        text: str | None = None,
        per_page: int = EVENTS_PER_PAGE,
        limit: int | None = None,
    ) -> list[Event]:
        """Events as the platform orders them, following its paging headers.

        ``limit`` stops after that many events (the detail screen asks for "more" later).
        """
        params: dict[str, Any] = {"page": 1, "perPage": per_page}
        if since is not None:
            params["startTime"] = since.isoformat()
        if until is not None:
            params["endTime"] = until.isoformat()
        if connection_id:
            params["q_connectionId"] = connection_id
        if text:
            params["q"] = text
        out: list[Event] = []
        path: str = "/events"
        query: dict[str, Any] | None = params
        for _ in range(MAX_EVENT_PAGES):
            response = await self._request("GET", path, params=query)
            body = self._json(response)
            if not isinstance(body, list):
                raise MalformedResponse("the event list is not a JSON array")
            out += [_read(Event.from_api, item, "event") for item in body]
            if limit is not None and len(out) >= limit:
                return out[:limit]
            follow = next_page(response.headers, "/events", params)
            if follow is None or not body:
                return out
            path, query = follow
        raise MalformedResponse(f"the event list did not end after {MAX_EVENT_PAGES} pages")

    # -- commands ---------------------------------------------------------------------------
    async def restart(self, ident: str) -> None:
        """Ask the platform to restart a connection (202: accepted, it happens on its own)."""
        await self._request("POST", f"/connections/{quote(ident, safe='')}/restart")

    async def patch(self, ident: str, changes: dict[str, Any]) -> Connection:
        """RFC 7386 merge patch: only ``changes`` are sent (``None`` removes a key)."""
        masked = first_masked_path(changes)
        if masked:
            raise ValidationFailed(
                f"{masked}: still holds the masked placeholder '{MASK}'; type the secret again",
                status=None,
                code=None,
                field=masked,
            )
        response = await self._request(
            "PATCH", f"/connections/{quote(ident, safe='')}", json=changes, content_type=MERGE_PATCH
        )
        self.patch_supported = True
        if not response.content:
            return await self.get_connection(ident)  # type: ignore[attr-defined]
        return _read(Connection.from_api, self._json(response), "connection")

    async def set_active(self, ident: str, active: bool) -> Connection | None:
        """Switch a connection on or off with PATCH, which needs no secrets.

        Returns None when the platform does not support PATCH (404, 405 or 415): the
        caller then sends the whole connection with PUT, asking for the secrets. The
        answer is remembered, so later toggles go straight to PUT.
        """
        if self.patch_supported is False:
            return None
        try:
            return await self.patch(ident, {"active": active})
        except ApiError as error:
            if error.status in PATCH_FALLBACK_STATUSES and self.patch_supported is None:
                self.patch_supported = False
                return None
            raise


def _read(parse: Any, item: Any, what: str) -> Any:
    try:
        return parse(item)
    except UnreadableData as exc:
        raise MalformedResponse(f"unreadable {what}: {exc}") from exc


def _retrieved(call: asyncio.Future[Any]) -> None:
    # A shared answer nobody awaited (its listing ended first) is not an unseen error.
    if not call.cancelled():
        call.exception()


def _read_metrics(item: Any) -> ConnectionMetrics:
    return _read(ConnectionMetrics.from_api, item, "metrics")
