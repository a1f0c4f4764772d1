"""RFC 8288 ``Link`` headers, as ThingPark APIs page with them (shared by every listing)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["next_page", "parse_link_header"]

_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 8288 ``Link`` header → {rel: url}."""
    links: dict[str, str] = {}
    for url, rels in _LINK.findall(value or ""):
        for rel in rels.split():
            links[rel] = url
    return links


def next_page(
    headers: Mapping[str, str], path: str, params: dict[str, Any] | None
) -> tuple[str, dict[str, Any] | None] | None:
    """Where the page after this answer is, as (path, query), or None on the last page.

    The ``Link`` rel=next (its URL holds the query), else ``X-Next-Page``, else
    ``X-Page`` + 1 while below ``X-Total-Pages``; the query of this page is kept with its
    page moved on, and ``X-Per-Page`` when the server says what a page holds (it may
    hold fewer than asked).
    """
    nxt = parse_link_header(headers.get("link")).get("next")
    if nxt:
        return nxt, None
    try:
        if headers.get("x-next-page"):
            page = int(headers["x-next-page"])
        elif int(headers.get("x-page", "")) < int(headers.get("x-total-pages", "")):
            page = int(headers["x-page"]) + 1
        else:
            return None
    except ValueError:
        return None
    follow: dict[str, Any] = {**(params or {}), "page": page}
    if headers.get("x-per-page"):
        follow["perPage"] = headers["x-per-page"]
    return path, follow
