"""Metrics on the board: each poll's ``connectionMetrics`` onto the rows, and their flags.

Kept beside ``board.py`` (which owns rows, states and history) so the state logic and the
data-flow logic can change apart. No screen here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .board import Board, Delta, Row
from .flow import ConnectionMetrics
from .flow_health import NO_FLAGS, alarm_minimum_until, flow_flags
from .health import Health

__all__ = ["FleetFlow", "apply_metrics", "clear_metrics", "fleet_flow"]


@dataclass(frozen=True)
class FleetFlow:
    """The fleet's uplinks and failures (failed + lost) in the last hour, for the header."""

    uplinks_per_hour: int
    failures_per_hour: int
    flagged: int = 0
    """ACTIVE connections with a data-flow flag (SILENT, LOSS, LOW): the health counts
    show them as healthy, so the header says them apart (ERROR ones are counted already)."""


def apply_metrics(
    board: Board,
    metrics: Iterable[ConnectionMetrics],
    now: datetime,
    *,
    loss_threshold: int = 0,
    fired: set[str] | frozenset[str] = frozenset(),
) -> Delta:
    """Put each connection's metrics on its row and re-evaluate SILENT, LOSS and LOW.

    ``fired``: ids whose latest alarm event is a fired low-uplink-rate alarm (LOW confirmed).
    Rows whose metrics and flags read the same as before are not touched.
    """
    delta = Delta()
    by_id = {m.connection_id: m for m in metrics}
    get = by_id.get
    for ident, row in board.rows.items():
        m = get(ident)
        minimum = _open_minimum(row, now) if row.alarms else None
        inputs = (row.state, minimum, ident in fired, loss_threshold)
        # The client hands back the very same (frozen) metrics for an item that did not
        # change: with the same other inputs the flags read as they did, skip the row.
        if m is row.metrics and inputs == row.flow_inputs:
            continue
        flags = flow_flags(
            row.state, m, minimum=minimum, fired=inputs[2], loss_threshold=loss_threshold
        )
        row.flow_inputs = inputs
        if m == row.metrics and flags == row.flow:
            row.metrics = m  # (equal: the next poll compares by identity)
            continue
        row.metrics, row.flow = m, flags
        row.version += 1
        delta.changed.setdefault(ident, set()).add("metrics")
    return delta


def _open_minimum(row: Row, now: datetime) -> float | None:
    """The open window's uplink minimum, kept on the row until the next window boundary:
    walking every row's recurrences at every poll cost 100 ms a poll at 1,000 rows."""
    memo = row.minimum_memo
    if memo is None or memo[0] is not row.alarms or not memo[3] <= now < memo[2]:
        minimum, until = alarm_minimum_until(row.alarms, now)
        memo = row.minimum_memo = (row.alarms, minimum, until, now)
    return memo[1]


def clear_metrics(board: Board) -> Delta:
    """Metrics became unavailable: rows show no figures and no data-flow flags."""
    delta = Delta()
    for ident, row in board.rows.items():
        if row.metrics is not None or row.flow is not NO_FLAGS:
            row.metrics, row.flow, row.flow_inputs = None, NO_FLAGS, None
            row.version += 1
            delta.changed.setdefault(ident, set()).add("metrics")
    return delta


def fleet_flow(board: Board) -> FleetFlow | None:
    """Sum over the rows that have metrics; None when no row has any."""
    up = failed = flagged = 0
    seen = False
    active = Health.ACTIVE
    for row in board.rows.values():
        m = row.metrics
        if m is None:
            continue
        seen = True
        up += m.uplinks_1h or 0
        failed += m.failures_1h or 0
        if row.health is active:
            flagged += row.flow.any
    return FleetFlow(up, failed, flagged) if seen else None
