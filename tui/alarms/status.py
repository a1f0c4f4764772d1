"""What the dashboard shows about a connection's alarms right now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .model import Alarm, Window
from .validation import AlarmProblem


@dataclass(frozen=True)
class AlarmStatus:
    """Alarm state of one connection at ``now``.

    ``open_window``/``open_alarm``: the open window ending last (so ``open_until`` is when the
    connection stops being watched, as far as the open windows go) and the index of its alarm.
    ``next_window``/``next_alarm``: the earliest window starting after ``now``.
    ``invalid``: ``(index, problems)`` for alarms that could not be evaluated; they never raise.
    """

    now: datetime
    open_window: Window | None = None
    open_alarm: int | None = None
    next_window: Window | None = None
    next_alarm: int | None = None
    invalid: list[tuple[int, list[AlarmProblem]]] = field(default_factory=list)
    count: int = 0

    @property
    def is_open(self) -> bool:
        return self.open_window is not None

    @property
    def open_until(self) -> datetime | None:
        return self.open_window.end if self.open_window else None

    @property
    def next_start(self) -> datetime | None:
        return self.next_window.start if self.next_window else None

    def describe(self, tz: Any = None) -> str:
        """ "Watching until 18:00", "Next window Mon 09:00", "No alarm", plus invalid count."""
        if self.count == 0:
            return "No alarm"
        if self.open_window is not None:
            end = self.open_window.in_zone(tz).end if tz else self.open_window.end
            fmt = "%H:%M" if end.date() == self.now.astimezone(end.tzinfo).date() else "%a %H:%M"
            text = f"Watching until {end.strftime(fmt)}"
        elif self.next_window is not None:
            start = self.next_window.in_zone(tz).start if tz else self.next_window.start
            text = f"Next window {start.strftime('%a %d %b %H:%M')}"
        else:
            text = "No upcoming window"
        if self.invalid:
            text += f" ({len(self.invalid)} invalid)"
        return text


def alarm_status(alarms: Any, now: datetime) -> AlarmStatus:
    """Evaluate a connection's ``alarms`` JSON list at the aware instant ``now``; never raises."""
    if not isinstance(alarms, list):
        alarms = [] if alarms is None else [alarms]
    open_w: Window | None = None
    open_i: int | None = None
    next_w: Window | None = None
    next_i: int | None = None
    invalid: list[tuple[int, list[AlarmProblem]]] = []
    for i, raw in enumerate(alarms):
        try:
            alarm = raw if isinstance(raw, Alarm) else Alarm.from_json(raw)
            problems = alarm.validate()
            if problems:
                invalid.append((i, problems))
                continue
            w = alarm.is_open(now)
            if w is not None and (open_w is None or w.end > open_w.end):
                open_w, open_i = w, i
            n = alarm.next_window(now)
            if n is not None and (next_w is None or n.start < next_w.start):
                next_w, next_i = n, i
        except Exception as exc:  # a malformed alarm must never break the dashboard
            invalid.append((i, [AlarmProblem("", f"This alarm cannot be evaluated ({exc}).")]))
    return AlarmStatus(now, open_w, open_i, next_w, next_i, invalid, len(alarms))
