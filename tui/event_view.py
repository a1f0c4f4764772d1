"""What the events view and the detail timeline show (no screen): merge, filter, rows.

Events come newest first; the same event read twice (a later poll, an overlapping page)
is kept once. At most :data:`MAX_KEPT` are kept, the newest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from .flow import Event, level_rank
from .terminal_text import terminal_safe

__all__ = [
    "LEVEL_FILTERS",
    "TimelineItem",
    "merge_timeline",
    "MAX_KEPT",
    "EventFilter",
    "event_key",
    "event_row",
    "merge_events",
]

MAX_KEPT = 5000
CONNECTION_CELLS = 20
STATE_MATCH_SECONDS = 90
"""An observed state this close to a reported state event is the same change."""
LEVEL_FILTERS: tuple[tuple[str, int], ...] = (
    ("all", 0),
    ("info and worse", 1),
    ("warn and worse", 2),
    ("errors", 3),
)
_OLDEST = datetime.min.replace(tzinfo=UTC)


def event_key(event: Event) -> str:
    """A stable key for one event (the API gives events no id)."""
    text = f"{event.time and event.time.isoformat()}|{event.code}|{event.connection_id}|"
    return hashlib.blake2b((text + event.message).encode(), digest_size=8).hexdigest()


def merge_events(known: Sequence[Event], fresh: Iterable[Event]) -> list[Event]:
    """Known and fresh events, newest first, each once, at most MAX_KEPT."""
    seen = {event_key(e) for e in known}
    added = []
    for event in fresh:
        key = event_key(event)
        if key not in seen:
            seen.add(key)
            added.append(event)
    merged = sorted([*added, *known], key=lambda e: e.time or _OLDEST, reverse=True)
    return merged[:MAX_KEPT]


@dataclass(frozen=True)
class EventFilter:
    level: int = 0
    """Index into LEVEL_FILTERS."""
    connection_id: str | None = None
    text: str = ""

    @property
    def level_label(self) -> str:
        return LEVEL_FILTERS[self.level][0]

    def next_level(self) -> EventFilter:
        return replace(self, level=(self.level + 1) % len(LEVEL_FILTERS))

    def with_text(self, text: str) -> EventFilter:
        return replace(self, text=text)

    def with_connection(self, ident: str | None) -> EventFilter:
        return replace(self, connection_id=ident)

    def apply(self, events: Iterable[Event], names: dict[str, str]) -> list[tuple[str, Event]]:
        floor = LEVEL_FILTERS[self.level][1]
        needle = self.text.lower()
        out = []
        for event in events:
            if level_rank(event.level) < floor:
                continue
            if self.connection_id and event.connection_id != self.connection_id:
                continue
            if needle:
                hay = " ".join((event.message, event.code, event.connection_id or "",
                                names.get(event.connection_id or "", ""))).lower()  # fmt: skip
                if needle not in hay:
                    continue
            out.append((event_key(event), event))
        return out


def event_row(event: Event, names: dict[str, str], tz: tzinfo | None) -> tuple[str, ...]:
    """TIME, LEVEL, CODE, CONNECTION, MESSAGE, safe to print."""
    # Short enough that the message still shows at 80 columns.
    when = event.time.astimezone(tz).strftime("%m-%d %H:%M:%S") if event.time else "?"
    ident = event.connection_id or ""
    who = f"{ident} {names.get(ident, '')}".strip() or "—"
    if len(who) > CONNECTION_CELLS:
        who = who[: CONNECTION_CELLS - 1] + "…"
    return (
        when,
        event.level.upper(),
        terminal_safe(event.code),
        terminal_safe(who),
        terminal_safe(event.message),
    )


@dataclass(frozen=True)
class TimelineItem:
    """One line of a connection's timeline: a platform event or an observed state."""

    time: datetime
    level: str
    code: str
    text: str
    lasted: timedelta | None = None
    """For an observed state: how long it lasted (the current one: until now)."""


def merge_timeline(
    events: Iterable[Event],
    states: Iterable[tuple[Any, timedelta]],
    since: datetime,
) -> list[TimelineItem]:
    """Events and observed state changes since ``since``, newest first.

    A state change the platform also reported as an event (the same state within
    STATE_MATCH_SECONDS) is shown once, as the platform's event.
    """
    items: list[TimelineItem] = []
    reported: list[tuple[datetime, str]] = []
    for event in events:
        if event.time is None or event.time < since:
            continue
        state = event.data.get("state") if isinstance(event.data, dict) else None
        if isinstance(state, str):
            reported.append((event.time, state))
        items.append(TimelineItem(event.time, event.level.lower(), event.code, event.message))
    for change, lasted in states:
        if change.at < since:
            continue
        twin = next(
            (i for i, (t, s) in enumerate(reported) if s == change.state
             and abs((t - change.at).total_seconds()) <= STATE_MATCH_SECONDS),
            None,
        )  # fmt: skip
        if twin is not None:
            continue
        items.append(TimelineItem(change.at, "info", "observed", f"state {change.state}", lasted))
    items.sort(key=lambda item: item.time, reverse=True)
    return items
