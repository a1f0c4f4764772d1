"""RFC 8288 ``Link`` headers, as ThingPark APIs page with them (shared by every listing)."""

from __future__ import annotations

import re

__all__ = ["parse_link_header"]

_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 8288 ``Link`` header → {rel: url}."""
    links: dict[str, str] = {}
    for url, rels in _LINK.findall(value or ""):
        for rel in rels.split():
            links[rel] = url
    return links
