"""Alarm text for the dashboard's alarm column and the detail screen (no Textual).

``alarm_cell(alarms, state, now, tz) -> (text, level)``: at most 16 characters for 80-column
tables; ``level`` is one of :data:`CELL_LEVELS` so the table can pick a style.
``alarm_detail_lines(alarms, now, tz, n=3) -> list[str]``: each alarm's summary and its next
windows (the open one first), for the detail screen.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from .model import Alarm
from .status import alarm_status

NO_VALUE = "—"
CELL_LEVELS = ("open", "open-not-opened", "next", "none", "invalid")
"""``open``: inside a window now; ``open-not-opened``: inside a window but the connection is
not OPENED (worth a look); ``next``: a window is coming; ``none``: no alarm or no window
ahead; ``invalid``: no alarm can be evaluated."""


def _in(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment.astimezone(tz) if tz is not None else moment


def alarm_cell(
    alarms: list[dict[str, Any]] | None, state: str | None, now: datetime, tz: tzinfo | None
) -> tuple[str, str]:
    """The alarm column for one connection at the aware instant ``now``, shown in ``tz`` (None:
    each window's own zone). ``state`` None (unknown) is never flagged. Never raises."""
    if not alarms:
        return NO_VALUE, "none"
    status = alarm_status(alarms, now)
    if len(status.invalid) == status.count:
        return "invalid", "invalid"
    if status.open_window is not None:
        end = _in(status.open_window.end, tz)
        same_day = end.date() == _in(now, end.tzinfo).date()
        text = "open→" + end.strftime("%H:%M" if same_day else "%a %H:%M")
        if state is not None and state != "OPENED":
            return "⚠ " + text, "open-not-opened"
        return text, "open"
    if status.next_window is not None:
        start = _in(status.next_window.start, tz)
        if start - _in(now, start.tzinfo) < timedelta(days=6):
            return "next " + start.strftime("%a %H:%M"), "next"
        return "next " + start.strftime("%d %b %Y"), "next"
    return "no more windows", "none"


def alarm_detail_lines(
    alarms: list[dict[str, Any]] | None, now: datetime, tz: tzinfo | None, n: int = 3
) -> list[str]:
    """Per alarm: ``"Alarm 1: <summary>"`` then up to ``n`` windows, the open one marked
    ``now``, in ``tz`` (None: the alarm's zone). Invalid alarms say why. Never raises."""
    if not alarms:
        return ["No alarms."]
    lines: list[str] = []
    for i, raw in enumerate(alarms, 1):
        try:
            alarm = Alarm.from_json(raw)
            problems = alarm.validate()
        except Exception as exc:  # a malformed alarm must never break the detail screen
            lines.append(f"Alarm {i}: cannot be read ({exc}).")
            continue
        if problems:
            lines.append(f"Alarm {i}: invalid — " + " ".join(p.message for p in problems))
            continue
        lines.append(f"Alarm {i}: {alarm.summary()}")
        if alarm.message:
            lines.append(f"  message: {alarm.message}")
        try:
            current = alarm.is_open(now)
            windows = alarm.next_windows(now, n - (1 if current else 0))
        except Exception as exc:  # noqa: BLE001 - shown, not raised
            lines.append(f"  windows cannot be computed ({exc}).")
            continue
        if current is not None:
            lines.append(f"  now   {current.describe(tz)}")
        for w in windows:
            lines.append(f"  next  {w.describe(tz)}")
        if current is None and not windows:
            lines.append("  no window ahead.")
    return lines
