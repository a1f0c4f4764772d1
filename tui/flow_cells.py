"""What the data-flow columns say for a row: uplinks/h, failures/h, lag (no screen)."""

from __future__ import annotations

from typing import Any, NamedTuple

from .timefmt import NO_VALUE

__all__ = ["FLOW_COLUMNS", "Cell", "compact_count", "flow_cell"]

FLOW_COLUMNS = frozenset({"uplinks", "failures", "lag"})


class Cell(NamedTuple):
    text: str
    style: str | None
    """A style name (``health``: the row's health colour), or None for plain text."""


def compact_count(value: int) -> str:
    """At most 5 cells: 999, 1.2k, 12k, 123k, 1.2M, 12M."""
    if value < 1000:
        return str(value)
    for limit, unit in ((1_000_000, "k"), (1_000_000_000, "M"), (10**15, "G")):
        scaled = value / (limit / 1000)
        if scaled < 1000:
            return f"{scaled:.1f}{unit}" if scaled < 10 else f"{int(scaled)}{unit}"
    return "huge"


def flow_cell(row: Any, key: str) -> Cell:
    """A flow column: blank-ish without metrics; failures stand out when not zero."""
    m = row.metrics
    if m is None:
        return Cell(NO_VALUE, "muted")
    if key == "uplinks":
        value = m.uplinks_1h
        if value is None:
            return Cell(NO_VALUE, "muted")
        return Cell(compact_count(value), "flag" if row.flow.silent or row.flow.low else None)
    if key == "failures":
        value = m.failures_1h
        if value is None:
            return Cell(NO_VALUE, "muted")
        return Cell(compact_count(value), "flag" if value else "muted")
    # Lag only when messages are waiting: a column of zeros would hide the one that is not.
    value = m.lag
    return Cell(compact_count(value), "flag") if value else Cell("", None)
