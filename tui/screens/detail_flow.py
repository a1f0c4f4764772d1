"""The detail screen's events: read for one connection, merged with observed states.

No widgets here: the screen draws what this keeps (see ``widgets/flow_detail``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from ..api.errors import ApiError
from ..event_view import TimelineItem, merge_events, merge_timeline
from ..flow import Event

__all__ = ["ConnectionFlow", "EventsSource", "PAGE"]

EventsSource = Callable[..., Awaitable[list[Event]]]
LOOK_BACK = timedelta(hours=24)
PAGE = 30
"""Timeline lines shown at first, and added by each ``m``."""


class ConnectionFlow:
    """One connection's events of the last 24 hours, read again on each poll."""

    def __init__(self, connection_id: str, source: EventsSource | None) -> None:
        self.connection_id = connection_id
        self.source = source
        self.events: list[Event] = []
        self.shown = PAGE
        self.note = "" if source is not None else "events not available"

    async def read_events(self, now: datetime) -> bool:
        """Ask for what is new (all of the last 24 h the first time); True if it changed."""
        if self.source is None:
            return False
        since = self.events[0].time if self.events and self.events[0].time else now - LOOK_BACK
        try:
            fresh = await self.source(since=since, connection_id=self.connection_id)
        except ApiError as error:
            note = f"events could not be read: {error.user_message}"
            changed, self.note = note != self.note, note
            return changed
        merged = merge_events(self.events, fresh)
        changed = len(merged) != len(self.events) or bool(self.note)
        self.events, self.note = merged, ""
        return changed

    def timeline(self, states: list[tuple[Any, timedelta]], now: datetime) -> list[TimelineItem]:
        return merge_timeline(self.events, states, now - LOOK_BACK)

    def show_more(self) -> None:
        self.shown += PAGE
