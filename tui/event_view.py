"""What the events view and the detail timeline show (no screen): merge, filter, rows.

Events come newest first; the same event read twice (a later poll, an overlapping page)
is kept once. At most :data:`MAX_KEPT` are kept, the newest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from rich.cells import cell_len

from .columns import fit
from .flow import Event, level_rank
from .terminal_text import terminal_safe

__all__ = [
    "LEVEL_FILTERS",
    "TimelineItem",
    "merge_timeline",
    "MAX_KEPT",
    "EventColumns",
    "EventFilter",
    "event_columns",
    "event_key",
    "event_row",
    "merge_events",
    "EventKeys",
    "RowsChange",
    "rows_change",
]

MAX_KEPT = 5000
CONNECTION_CELLS = 20
NARROW_CONNECTION_CELLS = 11
WIDE_FROM = 100
"""Screen width from which every column shows in full. Narrower (80 columns over SSH), the
date, the code and most of the connection's name make room for the message, which is what
says what happened: "Connection state changed to AUTHENTICATION_FAILED" (49 characters)
reads whole at 80 columns. The line under the table still shows all of the selected event."""
LEVEL_LETTERS = {"error": "E", "warn": "W", "info": "I", "debug": "D"}
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


class EventKeys:
    """``event_key`` of each event kept, worked out once: the view compares thousands of
    events at every refresh, and a key is a digest."""

    def __init__(self) -> None:
        self._keys: dict[int, tuple[Event, str]] = {}
        """id(event) → (the event, so that its id is not reused while kept; its key)."""

    def __call__(self, event: Event) -> str:
        known = self._keys.get(id(event))
        if known is not None and known[0] is event:
            return known[1]
        key = event_key(event)
        self._keys[id(event)] = (event, key)
        return key

    def keep_only(self, events: Iterable[Event]) -> None:
        """Forget the keys of events no longer kept (bounded like the events)."""
        self._keys = {id(event): (event, self(event)) for event in events}


def merge_events(
    known: Sequence[Event],
    fresh: Iterable[Event],
    key_of: Callable[[Event], str] = event_key,
) -> list[Event]:
    """Known and fresh events, newest first, each once, at most MAX_KEPT."""
    seen = {key_of(e) for e in known}
    added = []
    for event in fresh:
        key = key_of(event)
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

    def apply(
        self,
        events: Iterable[Event],
        names: dict[str, str],
        key_of: Callable[[Event], str] = event_key,
    ) -> list[tuple[str, Event]]:
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
            out.append((key_of(event), event))
        return out


@dataclass(frozen=True)
class RowsChange:
    """How a table showing some rows comes to show others without being built again."""

    removed: list[str]
    added: list[str]
    """In the order they are shown."""
    reorder: bool
    """The rows kept followed by the added ones are not yet in the order shown (new
    events go on top, a table adds rows at the bottom)."""


REBUILD_SHARE = 0.5
"""When more than this share of the rows is removed or added, build the table again."""


def rows_change(before: Sequence[str], after: Sequence[str]) -> RowsChange | None:
    """The rows to remove and to add to turn ``before`` into ``after`` (keys, top to
    bottom); None when most rows differ (a filter changed): then a rebuild costs less."""
    kept_keys = set(after)
    removed = [key for key in before if key not in kept_keys]
    old_keys = set(before)
    added = [key for key in after if key not in old_keys]
    if len(removed) + len(added) > REBUILD_SHARE * max(len(before), len(after)):
        return None
    kept = [key for key in before if key in kept_keys]
    return RowsChange(removed, added, reorder=[*kept, *added] != list(after))


@dataclass(frozen=True)
class EventColumns:
    """The events table's columns for a screen width."""

    headers: tuple[str, ...]
    narrow: bool


WIDE_COLUMNS = EventColumns(("TIME", "LEVEL", "CODE", "CONNECTION", "MESSAGE"), narrow=False)
NARROW_COLUMNS = EventColumns(("TIME", "L", "CONNECTION", "MESSAGE"), narrow=True)


def event_columns(width: int) -> EventColumns:
    """Every column from :data:`WIDE_FROM` cells; below, the message's room first."""
    return WIDE_COLUMNS if width >= WIDE_FROM else NARROW_COLUMNS


def _who(event: Event, names: dict[str, str], cells: int) -> str:
    """Id and name, safe, cut to ``cells`` terminal cells (after the stand-ins for control
    characters, counting wide characters as two)."""
    ident = event.connection_id or ""
    who = terminal_safe(f"{ident} {names.get(ident, '')}".strip() or "—")
    return who if cell_len(who) <= cells else fit(who, cells).rstrip(" ")


def event_row(
    event: Event, names: dict[str, str], tz: tzinfo | None, *, narrow: bool = False
) -> tuple[str, ...]:
    """TIME, LEVEL, CODE, CONNECTION, MESSAGE, safe to print; ``narrow`` (the columns of
    :data:`NARROW_COLUMNS`): the time of day, the level's letter, the connection's id and
    the start of its name, the message."""
    level = event.level.upper()
    message = terminal_safe(event.message)
    if narrow:
        when = event.time.astimezone(tz).strftime("%H:%M:%S") if event.time else "?"
        letter = LEVEL_LETTERS.get(event.level.lower(), level[:1] or "?")
        who = _who(event, names, NARROW_CONNECTION_CELLS)
        return (when, letter, who, message)
    when = event.time.astimezone(tz).strftime("%m-%d %H:%M:%S") if event.time else "?"
    who = _who(event, names, CONNECTION_CELLS)
    return (when, level, terminal_safe(event.code), who, message)


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
