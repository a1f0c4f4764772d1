"""iCalendar export: read back with icalendar, expanded with recurring_ical_events, the windows
are iotflow's own for a year across both daylight-saving changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from tui.alarms import Alarm
from tui.alarms.ics import alarms_calendar

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
STAMP = datetime(2026, 3, 2, 9, tzinfo=UTC)
# 2026 in Paris: summer time from 29 March, winter time from 25 October; New York: 8 March and
# 1 November. A year from 1 January covers both changes in both zones.
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def _alarm(start: str, end: str, tz: str, rule: dict, message: str = "m") -> dict:
    return {
        "startTime": start,
        "endTime": end,
        "timezone": tz,
        "recurrence": [rule],
        "uplinkRateMinPerHour": 10,
        "message": message,
    }


RULES = {
    "weekly": json.loads(EXAMPLE.read_text())["alarms"][0],
    "monthly first monday": _alarm(
        "2026-01-05T09:00:00+01:00",
        "2026-01-05T18:00:00+01:00",
        "Europe/Paris",
        {"frequency": "monthly", "byDays": ["1monday"]},
    ),
    "monthly last friday and second to last monday": _alarm(
        "2025-12-26T08:30:00-05:00",
        "2025-12-26T10:00:00-05:00",
        "America/New_York",
        {"frequency": "monthly", "byDays": ["-1friday", "-2monday"]},
    ),
    "daily with count": _alarm(
        "2026-03-20T22:00:00+01:00",
        "2026-03-20T23:30:00+01:00",
        "Europe/Paris",
        {"frequency": "daily", "count": 250},
    ),
    "hourly": _alarm(
        "2026-01-01T00:15:00+01:00",
        "2026-01-01T00:45:00+01:00",
        "Europe/Paris",
        {"frequency": "hourly"},
    ),
    "every 3 hours until": _alarm(
        "2026-01-01T01:00:00-05:00",
        "2026-01-01T01:20:00-05:00",
        "America/New_York",
        {"frequency": "hourly", "interval": 3, "until": "2026-11-30T23:59:59-05:00"},
    ),
}


def _read_back(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


@pytest.mark.parametrize("name", list(RULES))
def test_calendar_windows_equal_iotflows_for_a_year(name: str) -> None:
    raw = RULES[name]
    result = alarms_calendar([raw], connection_id="7", name="Plant", stamp=STAMP)
    assert result.events == 1 and result.skipped == []
    cal = _read_back(result.data)
    theirs = {
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in recurring_ical_events.of(cal).between(*YEAR)
    }
    ours = {
        (w.start.astimezone(UTC), w.end.astimezone(UTC))
        for w in Alarm.from_json(raw).windows_between(*YEAR)
    }
    assert len(ours) > 3
    assert theirs == ours
    # Both changes of the year are inside the compared windows.
    offsets = {w[0].astimezone(ZoneInfo(raw["timezone"])).utcoffset() for w in ours}
    assert len(offsets) == 2


def test_event_fields() -> None:
    raw = RULES["monthly first monday"]
    cal = _read_back(alarms_calendar([raw], connection_id="7", name="Plant", stamp=STAMP).data)
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt == datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Europe/Paris"))
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1MO"
    assert str(event["SUMMARY"]) == "m"
    assert str(event["UID"]) == "connection-7-alarm-1@iotflow"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_until_is_written_in_utc_for_a_zoned_start() -> None:
    """RFC 5545: with a TZID start, UNTIL is UTC. A bare date from the platform is the whole
    local day."""
    raw = _alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T18:00:00+01:00",
        "Europe/Paris",
        {"frequency": "daily", "until": "2026-07-14"},
    )
    cal = _read_back(alarms_calendar([raw], connection_id="7", name="Plant", stamp=STAMP).data)
    (event,) = cal.walk("VEVENT")
    assert event["RRULE"].to_ical() == b"FREQ=DAILY;UNTIL=20260714T215959Z"
    last = max(e["DTSTART"].dt for e in recurring_ical_events.of(cal).between(*YEAR))
    assert last == datetime(2026, 7, 14, 9, tzinfo=ZoneInfo("Europe/Paris"))


def test_invalid_alarms_are_left_out_with_a_sentence() -> None:
    broken = {**RULES["hourly"], "timezone": "Mars/Olympus"}
    result = alarms_calendar(
        [broken, "junk", RULES["weekly"]], connection_id="7", name="Plant", stamp=STAMP
    )
    assert result.events == 1
    assert result.skipped == [
        "Alarm 1 left out: 'Mars/Olympus' is not a known IANA timezone; e.g. Europe/Paris.",
        "Alarm 2 is not a JSON object; left out.",
    ]
    (event,) = _read_back(result.data).walk("VEVENT")
    assert str(event["UID"]) == "connection-7-alarm-3@iotflow"


def test_same_alarms_give_the_same_file() -> None:
    a = alarms_calendar(list(RULES.values()), connection_id="7", name="Plant", stamp=STAMP)
    b = alarms_calendar(list(RULES.values()), connection_id="7", name="Plant", stamp=STAMP)
    assert a.data == b.data and a.events == len(RULES)
    assert a.data.startswith(b"BEGIN:VCALENDAR\r\n")
