"""The listing as ``list`` and ``status`` fetch it.

Headless (no Textual). The metrics are asked for beside the list, as the dashboard's poll
does (tui/flow_poll.py). Only what asking needs is imported here: ``list`` sends its
requests before it imports what prints the answer (tui/cli.py). The board over the
listing is cli_report.dashboard_board.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, NamedTuple

from .api.errors import ApiError
from .config import Profile, make_client
from .connections import Connection

if TYPE_CHECKING:
    from .api.client import IoTFlowClient
    from .flow import ConnectionMetrics
    from .flow_poll import MetricsPoll

__all__ = ["Listing", "fetch_listing"]


class Listing(NamedTuple):
    """One listing as the commands print it, with the metrics fetched beside it."""

    connections: list[Connection]
    notes: list[str]
    sent: list[dict[str, Any] | None]
    """Each item as the server sent it (None for an unreadable one)."""
    metrics: list[ConnectionMetrics] | None = None
    """None when not asked for, or when the platform could not give them (see metrics_note)."""
    metrics_note: str | None = None


async def fetch_listing(profile: Profile, client: IoTFlowClient | None = None, *,
                        metrics: bool = False) -> Listing:
    """The listing and, with ``metrics``, the metrics requested at the same time (the run
    costs the slower of the two, not their sum). Metrics that cannot be read never fail
    the listing: they come back None with a sentence saying why."""
    async with client or make_client(profile) as client:
        call = _metrics_poll().start(client) if metrics else None
        try:
            connections = await client.list_connections()
        except BaseException:
            if call is not None:
                call.cancel()  # (a call already done is left as it is)
                await asyncio.gather(call, return_exceptions=True)
            raise
        got, note = None, None
        if call is not None:
            try:
                got = await call
            except ApiError as error:
                note = (f"Metrics could not be read ({error.user_message}): FLAGS shows the "
                        "state flags only (STUCK, FLAP, ALARM), without SILENT, LOSS or LOW.")
        return Listing(connections, client.notes, [client.as_sent(c) for c in connections],
                       got, note)


def _metrics_poll() -> MetricsPoll:
    # Imported only when the metrics are asked for (-o wide, --flags, status): a plain
    # ``list`` sends its request without the flow rules' import.
    from .flow_poll import MetricsPoll

    return MetricsPoll()
