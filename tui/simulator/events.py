"""The simulator's event log (``GET /events``), generated from the same world as the states.

Events are produced lazily: every read first *catches up* from the last time it looked to
the clock's now, in time order, from

- the state history of every connection (``info``; ``warn`` for UNREACHABLE, ``error``
  for AUTHENTICATION_FAILED);
- the seeded failure bursts of the traffic model (``warn`` when they start, ``info`` when
  deliveries recover);
- low uplink-rate alarms, evaluated every 5 minutes: inside one of a connection's alarm
  windows (computed by ``tui.alarms``) with fewer delivered uplinks over the last hour than
  ``uplinkRateMinPerHour``, a ``warn`` carrying the alarm's ``message``; an ``info`` when the
  rate recovers or the window closes;

plus what the API itself records as it happens (restarts, configuration changes,
activation, creation, deletion). The log keeps at most 7 days and 100,000 events.

Codes follow the platform's ``{module}-{number}`` pattern; ours are listed in
:data:`CODES` and in the simulator's README.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.alarms import Alarm

from .states import AUTHENTICATION_FAILED, UNREACHABLE
from .traffic import Traffic
from .world import Connection, World

__all__ = ["CODES", "Event", "EventLog", "RETENTION", "MAX_EVENTS"]

RETENTION = timedelta(days=7)
MAX_EVENTS = 100_000
ALARM_TICK = timedelta(minutes=5)
FIRST_LOOK_BACK = timedelta(hours=24)
"""On the first read, events are generated for this far back (the seeded past)."""

CODES: dict[str, str] = {
    "cnx-1001": "the connection changed state",
    "cnx-1002": "a restart was requested",
    "cnx-1003": "the configuration was changed",
    "cnx-1004": "the connection was activated or deactivated",
    "cnx-1005": "the connection was created",
    "cnx-1006": "the connection was deleted",
    "dlv-2001": "uplink deliveries are failing",
    "dlv-2002": "uplink deliveries recovered",
    "alm-3001": "low uplink rate: a connection's alarm fired",
    "alm-3002": "the uplink rate recovered, or the alarm window closed",
}


@dataclass(order=True)
class Event:
    time: datetime
    seq: int
    level: str = field(compare=False)
    code: str = field(compare=False)
    message: str = field(compare=False)
    connection_id: int | None = field(compare=False, default=None)
    data: dict[str, Any] = field(compare=False, default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.data)
        if self.connection_id is not None:
            data.setdefault("connectionId", str(self.connection_id))
        return {
            "eventTime": self.time.isoformat(timespec="milliseconds"),
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "data": data,
        }

    def matches(self, text: str) -> bool:
        """``q``: case-insensitive text in the message, the code or a data value."""
        text = text.lower()
        if text in self.message.lower() or text in self.code.lower():
            return True
        return any(text in str(v).lower() for v in self.data.values())


def state_level(state: str) -> str:
    if state == AUTHENTICATION_FAILED:
        return "error"
    if state == UNREACHABLE:
        return "warn"
    return "info"


class EventLog:
    """Every event of the world, oldest first, bounded by RETENTION and MAX_EVENTS."""

    def __init__(self, world: World, traffic: Traffic) -> None:
        self.world = world
        self.traffic = traffic
        self._events: deque[Event] = deque()
        self._seq = 0
        self._cursor: datetime | None = None
        self._fired: dict[tuple[int, int], bool] = {}
        self._names: dict[int, str] = {}
        self._recorded: list[Event] = []

    # -- recording --------------------------------------------------------------------------
    def _make(
        self, when: datetime, level: str, code: str, message: str, cid: int | None, **data: Any
    ) -> Event:
        self._seq += 1
        # Alarm windows are in the alarm's zone; the log speaks UTC like the rest of the API.
        return Event(when.astimezone(UTC), self._seq, level, code, message, cid, data)

    def record(
        self, conn: Connection, code: str, message: str, level: str = "info", **data: Any
    ) -> None:
        """An event the API causes now (restart, configuration change, ...).

        Kept aside and merged in order by the next read: recording costs nothing, so a
        PUT or a restart never waits for the log to catch up.
        """
        with self.world.lock:
            self._names[conn.id] = conn.name
            now = self.world.clock.now()
            self._recorded.append(self._make(now, level, code, message, conn.id, **data))

    def _append(self, events: list[Event]) -> None:
        events.sort()
        self._events.extend(events)
        horizon = self.world.clock.now() - RETENTION
        while self._events and (self._events[0].time < horizon or len(self._events) > MAX_EVENTS):
            self._events.popleft()

    # -- generation -------------------------------------------------------------------------
    def catch_up(self) -> None:
        """Generate everything that happened between the last look and now."""
        with self.world.lock:
            self.world.advance()
            now = self.world.clock.now()
            start = self._cursor if self._cursor is not None else now - FIRST_LOOK_BACK
            events, self._recorded = self._recorded, []
            if start >= now:
                self._append(events)
                return
            for conn in self.world.connections():
                self._names[conn.id] = conn.name
                events += self._state_events(conn, start, now)
                events += self._burst_events(conn, start, now)
                if conn.alarms:
                    events += self._alarm_events(conn, start, now)
            self._cursor = now
            self._append(events)

    def _state_events(self, conn: Connection, start: datetime, end: datetime) -> list[Event]:
        out = []
        for when, state in self.world._history.get(conn.id, ()):
            if start < when <= end or (self._cursor is None and when == start):
                out.append(
                    self._make(
                        when,
                        state_level(state),
                        "cnx-1001",
                        f"Connection state changed to {state}",
                        conn.id,
                        state=state,
                    )
                )
        return out

    def _burst_events(self, conn: Connection, start: datetime, end: datetime) -> list[Event]:
        out = []
        for b_start, b_end, share in self.traffic.bursts(conn.id, start, end):
            if start < b_start <= end and self.traffic.state_at(conn.id, b_start) == "OPENED":
                percent = round(share * 100)
                out.append(
                    self._make(
                        b_start,
                        "warn",
                        "dlv-2001",
                        f"The remote platform rejects uplinks ({percent}% failing)",
                        conn.id,
                        failingPercent=percent,
                    )
                )
            if start < b_end <= end and self.traffic.state_at(conn.id, b_end) == "OPENED":
                out.append(
                    self._make(
                        b_end,
                        "info",
                        "dlv-2002",
                        "Uplink deliveries recovered",
                        conn.id,
                    )
                )
        return out

    def _alarm_events(self, conn: Connection, start: datetime, end: datetime) -> list[Event]:
        out = []
        first_tick = _ceil(start, ALARM_TICK)
        for index, raw in enumerate(conn.alarms or ()):
            if not isinstance(raw, dict):
                continue
            try:
                alarm = Alarm.from_json(raw)
                # A window opening exactly now counts: ask a little past the end.
                windows = alarm.windows_between(start - timedelta(days=1), end + ALARM_TICK)
            except (TypeError, ValueError):
                continue  # an alarm the platform would have refused never fires
            minimum = raw.get("uplinkRateMinPerHour")
            if not isinstance(minimum, int | float) or isinstance(minimum, bool):
                continue
            key = (conn.id, index)
            tick = first_tick
            while tick <= end:
                window = next((w for w in windows if w.start <= tick < w.end), None)
                fired = self._fired.get(key, False)
                if window is None:
                    if fired:
                        self._fired[key] = False
                        out.append(
                            self._alarm_event(
                                conn, tick, "alm-3002", "info", raw, "Alarm window closed"
                            )
                        )
                    tick = _next_window_tick(windows, tick, end)
                    continue
                rate = self.traffic.delivered(conn.id, tick - timedelta(hours=1), tick)
                if not fired and rate < minimum:
                    self._fired[key] = True
                    message = str(raw.get("message") or "Low uplink rate")
                    out.append(
                        self._alarm_event(conn, tick, "alm-3001", "warn", raw, message, rate)
                    )
                elif fired and rate >= minimum:
                    self._fired[key] = False
                    out.append(
                        self._alarm_event(
                            conn, tick, "alm-3002", "info", raw, "Uplink rate recovered", rate
                        )
                    )
                tick += ALARM_TICK
        return out

    def _alarm_event(
        self,
        conn: Connection,
        when: datetime,
        code: str,
        level: str,
        raw: dict,
        text: str,
        rate: int | None = None,
    ) -> Event:
        data: dict[str, Any] = {"uplinkRateMinPerHour": raw.get("uplinkRateMinPerHour")}
        if rate is not None:
            data["uplinksLastHour"] = rate
        return self._make(when, level, code, text, conn.id, **data)

    # -- reading ----------------------------------------------------------------------------
    def query(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        connection_id: str | None = None,
        text: str | None = None,
    ) -> list[Event]:
        """Matching events, newest first (``start`` inclusive, ``end`` exclusive)."""
        with self.world.lock:
            self.catch_up()
            out = []
            for event in reversed(self._events):
                if end is not None and event.time >= end:
                    continue
                if start is not None and event.time < start:
                    break
                if connection_id is not None and str(event.connection_id) != connection_id:
                    continue
                if text and not event.matches(text):
                    continue
                out.append(event)
            return out

    def __len__(self) -> int:
        return len(self._events)


def _ceil(t: datetime, step: timedelta) -> datetime:
    seconds = step.total_seconds()
    stamp = t.timestamp()
    rounded = -(-stamp // seconds) * seconds
    return datetime.fromtimestamp(rounded, tz=t.tzinfo)


def _next_window_tick(windows: list[Any], tick: datetime, end: datetime) -> datetime:
    """The first tick inside the next window after ``tick`` (or just past ``end``)."""
    for window in windows:
        if window.end > tick:
            return max(tick + ALARM_TICK, _ceil(window.start, ALARM_TICK))
    return end + ALARM_TICK
