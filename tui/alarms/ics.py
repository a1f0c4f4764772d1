"""A connection's alarms as an iCalendar file (RFC 5545), so an operator sees the windows in a
calendar: one VEVENT per alarm with DTSTART/DTEND in the alarm's zone (TZID), its rules as RRULE,
the alarm's message as SUMMARY, and a VTIMEZONE for each zone.

Built with the ``icalendar`` library rather than by hand: line folding, escaping, TZID
parameters and VTIMEZONE generation from the zone database are its job and easy to get wrong.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, vRecur

from .model import Alarm
from .recurrence import Recurrence, local_until
from .zones import localize

PRODUCT_ID = "-//iotflow//low uplink-rate alarms//EN"


@dataclass(frozen=True)
class AlarmsCalendar:
    """The calendar's bytes and, per alarm left out, a sentence saying why."""

    data: bytes
    events: int
    skipped: list[str]


def rrule_for_calendar(rule: Recurrence, alarm: Alarm) -> vRecur:
    """The rule as an RRULE value for a DTSTART with TZID: RFC 5545 wants UNTIL in UTC then, so
    a bare date (the whole local day) or a local date-time becomes its instant in UTC."""
    fixed = copy.copy(rule)
    if rule.until is not None:
        zone = alarm.zone
        local = local_until(rule.until, zone)
        if isinstance(rule.until, date) and not isinstance(rule.until, datetime):
            local = datetime.combine(rule.until, time(23, 59, 59))
        fixed.until = localize(local, zone).astimezone(UTC).replace(microsecond=0)
    return vRecur.from_ical(fixed.to_rrule_text())


def alarm_event(alarm: Alarm, uid: str, stamp: datetime, number: int) -> Event:
    """One VEVENT for a valid alarm."""
    first = alarm.first_window
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", first.start)
    event.add("dtend", first.end)
    for rule in alarm.recurrence:
        event.add("rrule", rrule_for_calendar(rule, alarm))
    summary = alarm.message or f"Low uplink-rate alarm {number}"
    event.add("summary", summary)
    event.add("description", alarm.summary())
    return event


def alarms_calendar(
    alarms: list[Any] | None, *, connection_id: str, name: str, stamp: datetime
) -> AlarmsCalendar:
    """The calendar for a connection's ``alarms`` JSON list. ``stamp`` is DTSTAMP (pass the
    clock's time, so a test's file is always the same). Alarms that do not validate are left
    out, each with a sentence in ``skipped``; never raises for bad alarm values."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{name} alarms")
    skipped: list[str] = []
    events = 0
    for number, raw in enumerate(alarms or [], 1):
        try:
            alarm = Alarm.from_json(raw)
            problems = alarm.validate()
        except TypeError:
            skipped.append(f"Alarm {number} is not a JSON object; left out.")
            continue
        if problems:
            reasons = " ".join(p.message for p in problems)
            skipped.append(f"Alarm {number} left out: {reasons}")
            continue
        uid = f"connection-{connection_id}-alarm-{number}@iotflow"
        cal.add_component(alarm_event(alarm, uid, stamp, number))
        events += 1
    cal.add_missing_timezones()
    return AlarmsCalendar(cal.to_ical(), events, skipped)


def write_calendar_file(
    alarms: list[Any] | None, *, connection_id: str, name: str, stamp: datetime, directory: Path
) -> tuple[Path, AlarmsCalendar]:
    """Write ``iotflow-alarms-<id>.ics`` into ``directory`` (the detail screen's export key);
    raises ``OSError`` when it cannot be written."""
    calendar = alarms_calendar(alarms, connection_id=connection_id, name=name, stamp=stamp)
    safe_id = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in connection_id)
    path = directory / f"iotflow-alarms-{safe_id}.ics"
    path.write_bytes(calendar.data)
    return path, calendar
