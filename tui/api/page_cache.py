"""The pages of the last connection listing, so that a page that reads byte for byte as
last time is not decoded again (most DX Core pages of a steady poll).

Only a digest of each page's bytes is kept, not the bytes (6.5 MB for 10,000
connections), and only the pages the last listing asked for. When a listing ends,
``finish`` points each page at the items the client remembers (the previous poll's
object for a connection that did not change), so that the decoded copy of an unchanged
connection does not outlive the poll: one copy of each connection, not two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any


def _digest(content: bytes) -> bytes:
    # A keyed-free 128-bit hash: equal digests mean equal bytes for any practical purpose
    # (about 5 ms for 6.5 MB); Python's hash() is 64 bits and salted per process.
    return hashlib.blake2b(content, digest_size=16).digest()


class PageCache:
    """Request URL → (digest of the body, decoded list) for the pages of one listing."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        """False for a client that lists once (``iotflow list``): no page is digested
        (5 ms for 6.5 MB) for a next listing that never comes."""
        self._last: dict[str, tuple[bytes, list[Any]]] = {}
        self._now: dict[str, tuple[bytes, list[Any]]] = {}
        self._missed: tuple[bytes, bytes] | None = None
        """(body, digest) of the last page ``get`` did not know: ``put`` reuses the digest."""

    def begin(self) -> None:
        """A listing starts: pages it reads replace those of the last one."""
        self._now = {}
        self._missed = None

    def get(self, url: str, content: bytes) -> list[Any] | None:
        """The decoded page when ``content`` reads as it did (shared: never change it)."""
        known = self._now.get(url) or self._last.get(url)
        if known is None:
            return None
        digest = _digest(content)
        if known[0] != digest:
            self._missed = (content, digest)  # put, which follows a miss, needs it again
            return None
        self._now[url] = known
        return known[1]

    def put(self, url: str, content: bytes, body: list[Any]) -> None:
        if not self.keep:
            return
        missed, self._missed = self._missed, None
        digest = missed[1] if missed is not None and missed[0] is content else _digest(content)
        self._now[url] = (digest, body)

    def finish(self, remembered: Mapping[Any, tuple[Any, Any]] | None) -> None:
        """The listing is read: keep its pages, holding the ``remembered`` items (id →
        (item, model)) in place of equal ones decoded this time. None: the client
        remembered nothing before this listing, so it remembers the very items of these
        pages and there is nothing to replace (a walk of 10,000 items saved on every
        first listing, such as ``iotflow list``'s only one)."""
        seen: set[Any] = set()
        for _, body in self._now.values() if remembered is not None else ():
            for n, item in enumerate(body):
                ident = item.get("id") if type(item) is dict else None
                if type(ident) is not str:
                    continue  # (a list as id, say: unreadable, and not hashable)
                known = remembered.get(ident)
                if known is None or ident in seen:
                    continue  # not remembered (unreadable), or a duplicate: kept as sent
                seen.add(ident)
                if known[0] is not item:
                    body[n] = known[0]  # equal: the listing reused it for this id
        self._last, self._now = self._now, {}
        self._missed = None  # (never the bytes of a page past its listing)
