"""Sorting the connection table by data flow (no screen, no HTTP)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["flow_sort_key"]

_UNKNOWN = 1 << 62
"""Rows without metrics sort after every row that has them."""


def flow_sort_key(sort: str, id_key: Callable[[str], Any]) -> Callable[[Any], Any]:
    """``uplinks``: fewest uplinks in the last hour first (silent ones on top);
    ``failures``: most failed + lost uplinks in the last hour first. Reversible as usual."""
    if sort == "uplinks":

        def uplinks(row: Any) -> Any:
            m = row.metrics
            value = m.uplinks_1h if m is not None else None
            return (_UNKNOWN if value is None else value, row.name.lower(), id_key(row.id))

        return uplinks
    if sort == "failures":

        def failures(row: Any) -> Any:
            m = row.metrics
            value = m.failures_1h if m is not None else None
            return (_UNKNOWN if value is None else -value, row.name.lower(), id_key(row.id))

        return failures
    raise ValueError(f"unknown sort {sort!r}")
