"""The metrics half of a dashboard poll (no screen): fetched beside the list, never fatal.

The list is the dashboard's lifeline; metrics are a bonus. They are requested at the same
time as the list (so a poll costs the slower of the two, not their sum) and their failure
never fails the poll: the table keeps its states and the operator is told once, quietly.
A platform that answers 404 or 405 has no metrics endpoint: it is not asked again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from .api.errors import ApiError
from .flow import ConnectionMetrics
from .flow_health import fired_alarm_ids

__all__ = ["MetricsPoll", "MetricsOutcome"]

NOT_THERE = frozenset({404, 405, 501})
EVENT_LOOK_BACK = timedelta(hours=24)
MAX_CONFIRMED = 10
"""At most this many LOW rows are confirmed per check (one events call each)."""


class MetricsOutcome:
    """What one poll's metrics call gave: the metrics (or None) and a sentence to show once."""

    def __init__(self, metrics: list[ConnectionMetrics] | None, note: str | None = None):
        self.metrics = metrics
        self.note = note


class MetricsPoll:
    def __init__(self) -> None:
        self.unavailable = False
        """True once the platform said it has no metrics endpoint (for the session)."""
        self.failing = False
        """True while the last metrics call failed (the note is shown on the first only)."""

    def start(self, client: Any) -> asyncio.Future[list[ConnectionMetrics]] | None:
        """Send the metrics request now (it runs while the list is fetched)."""
        if self.unavailable or not hasattr(client, "metrics"):
            return None
        return asyncio.ensure_future(client.metrics())

    @staticmethod
    def cancel(call: asyncio.Future[Any] | None) -> None:
        if call is not None and not call.done():
            call.cancel()

    async def outcome(self, call: asyncio.Future[list[ConnectionMetrics]] | None) -> MetricsOutcome:
        if call is None:
            return MetricsOutcome(None)
        try:
            metrics = await call
        except ApiError as error:
            return self._failed(error)
        if self.failing:
            self.failing = False
            return MetricsOutcome(metrics, "Metrics are back: uplink figures are live again.")
        return MetricsOutcome(metrics)

    def _failed(self, error: ApiError) -> MetricsOutcome:
        if error.status in NOT_THERE:
            self.unavailable = True
            return MetricsOutcome(
                None,
                "This platform does not report metrics: the table shows states only.",
            )
        first = not self.failing
        self.failing = True
        note = (
            f"Metrics could not be read ({error.user_message}); the table shows states and "
            "tries again on the next refresh."
        )
        return MetricsOutcome(None, note if first else None)


async def fired_alarms(
    events: Callable[..., Awaitable[list[Any]]], now: datetime, idents: list[str]
) -> set[str]:
    """Of ``idents``, those whose latest low-uplink-rate alarm event (last 24 h) fired.

    One call per connection (filtered by the platform): only the few LOW rows are asked.
    """
    fired: set[str] = set()
    for ident in idents[:MAX_CONFIRMED]:
        try:
            recent = await events(since=now - EVENT_LOOK_BACK, connection_id=ident)
        except ApiError:
            continue  # LOW still shows from the metrics; only its confirmation is missing
        recent.sort(key=lambda e: e.time or now, reverse=True)
        fired |= fired_alarm_ids(recent)
    return fired
