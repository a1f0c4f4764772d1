"""Alarms in the platform's recurrence form (OpenAPI connectionAlarmRecurrence): numbered days,
until as a date-time, sub-daily windows, and what the preview warns about."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.alarms import Alarm, AlarmDraft, parse_day, parse_rrule
from tui.alarms.cautions import alarm_cautions

PARIS = ZoneInfo("Europe/Paris")


def paris_alarm(start: str, end: str, *rules: dict) -> Alarm:
    return Alarm.from_json(
        {
            "startTime": start,
            "endTime": end,
            "timezone": "Europe/Paris",
            "recurrence": list(rules),
            "uplinkRateMinPerHour": 10,
        }
    )


def test_first_monday_of_every_month_saves_in_the_platform_form() -> None:
    """The issue's "done when": first Monday of every month, 09:00–18:00 Europe/Paris."""
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="Europe/Paris", frequency="monthly")
    d.monthly_mode, d.nth, d.nth_weekday = "nth", 1, 0
    out = d.to_alarm().to_json()
    assert out["recurrence"] == [{"frequency": "monthly", "byDays": ["1monday"]}]
    assert out["startTime"] == "2026-03-02T09:00:00+01:00"
    assert out["endTime"] == "2026-03-02T18:00:00+01:00"
    assert alarm_cautions(d.to_alarm()) == []
    starts = [w.start for w in d.to_alarm().next_windows(datetime(2026, 3, 3, tzinfo=UTC), 3)]
    assert starts == [
        datetime(2026, 4, 6, 9, tzinfo=PARIS),
        datetime(2026, 5, 4, 9, tzinfo=PARIS),
        datetime(2026, 6, 1, 9, tzinfo=PARIS),
    ]
    assert d.summary().startswith("Monthly on the first Monday 09:00–18:00 Europe/Paris")


@pytest.mark.parametrize(
    ("nth", "entry"),
    [(2, "2friday"), (3, "3friday"), (4, "4friday"), (-1, "-1friday"), (-2, "-2friday")],
)
def test_every_ordinal_choice_is_a_numbered_day(nth: int, entry: str) -> None:
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="Europe/Paris", frequency="monthly")
    d.monthly_mode, d.nth, d.nth_weekday = "nth", nth, 4
    rule = d.to_alarm().to_json()["recurrence"][0]
    assert rule == {"frequency": "monthly", "byDays": [entry]}
    again = AlarmDraft.from_alarm(Alarm.from_json(d.to_alarm().to_json()))
    assert (again.frequency, again.monthly_mode, again.nth, again.nth_weekday) == (
        "monthly",
        "nth",
        nth,
        4,
    )


def test_yearly_numbered_day_without_months_is_the_platform_form() -> None:
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="Europe/Paris", frequency="yearly")
    d.monthly_mode, d.nth, d.nth_weekday = "nth", -1, 0
    assert d.to_alarm().to_json()["recurrence"] == [{"frequency": "yearly", "byDays": ["-1monday"]}]
    d.months = {5}
    assert d.to_alarm().to_json()["recurrence"] == [
        {"frequency": "yearly", "byDays": ["-1monday"], "byMonths": [5]}
    ]
    cautions = alarm_cautions(d.to_alarm())
    assert cautions[0] == (
        "byMonths is not in the platform's description of a recurrence: the platform may "
        "ignore it or refuse the alarm."
    )
    # The last Monday of May 2026 is the 25th.
    assert d.to_alarm().next_window(datetime(2026, 3, 3, tzinfo=UTC)).start == datetime(
        2026, 5, 25, 9, tzinfo=PARIS
    )


@pytest.mark.parametrize(
    ("entry", "parsed"),
    [
        ("monday", (None, 0)),
        ("1monday", (1, 0)),
        ("+1monday", (1, 0)),
        ("-1friday", (-1, 4)),
        ("20MONDAY", (20, 0)),
        ("-53sunday", (-53, 6)),
        ("0monday", None),
        ("54monday", None),
        ("+monday", None),
        ("lundi", None),
        (3, None),
    ],
)
def test_day_entries(entry: object, parsed: object) -> None:
    assert parse_day(entry) == parsed


def test_plus_ordinal_is_read_and_kept_until_edited() -> None:
    a = paris_alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T18:00:00+01:00",
        {"frequency": "monthly", "byDays": ["+1monday"]},
    )
    assert a.validate() == []
    assert a.to_json()["recurrence"] == [{"frequency": "monthly", "byDays": ["+1monday"]}]
    assert a.recurrence[0].to_rrule_text() == "FREQ=MONTHLY;BYDAY=1MO"


def test_rrule_import_prefers_numbered_days_over_set_positions() -> None:
    assert parse_rrule("FREQ=MONTHLY;BYDAY=1FR").to_json() == {
        "frequency": "monthly",
        "byDays": ["1friday"],
    }
    assert parse_rrule("FREQ=MONTHLY;BYDAY=1MO,-1FR").to_json()["byDays"] == ["1monday", "-1friday"]
    # "The first Monday or Tuesday of the month" has no numbered-day form.
    assert parse_rrule("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1").to_json() == {
        "frequency": "monthly",
        "byDays": ["monday", "tuesday"],
        "bySetPosition": [1],
    }


def test_older_set_position_alarm_is_rewritten_in_the_platform_form_once_its_rule_changes() -> None:
    stored = {"frequency": "monthly", "byDays": ["monday"], "bySetPosition": [1]}
    a = paris_alarm("2026-03-02T09:00:00+01:00", "2026-03-02T18:00:00+01:00", stored)
    d = AlarmDraft.from_alarm(a)
    assert (d.monthly_mode, d.nth, d.nth_weekday) == ("nth", 1, 0)
    assert d.to_alarm().to_json()["recurrence"] == [stored]  # untouched: as it came
    d.nth = 2
    d.nth = 1
    d.rate = 5
    assert d.to_alarm().to_json()["recurrence"] == [stored]  # same meaning: its words are kept
    d.nth = -1
    assert d.to_alarm().to_json()["recurrence"] == [
        {"frequency": "monthly", "byDays": ["-1monday"]}
    ]


def test_until_typed_as_a_date_is_written_as_the_end_of_that_local_day() -> None:
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="Europe/Paris", frequency="daily")
    d.ends, d.until = "until", date(2026, 7, 14)
    rule = d.to_alarm().to_json()["recurrence"][0]
    assert rule == {"frequency": "daily", "until": "2026-07-14T23:59:59+02:00"}
    again = AlarmDraft.from_alarm(Alarm.from_json(d.to_alarm().to_json()))
    assert (again.ends, again.until) == ("until", date(2026, 7, 14))
    windows = d.to_alarm().windows_between(
        datetime(2026, 7, 13, tzinfo=UTC), datetime(2026, 7, 20, tzinfo=UTC)
    )
    assert [w.start.day for w in windows] == [13, 14]


def test_bare_date_until_from_the_platform_is_still_read() -> None:
    a = paris_alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T18:00:00+01:00",
        {"frequency": "daily", "until": "2026-03-04"},
    )
    assert a.validate() == []
    assert a.to_json()["recurrence"][0]["until"] == "2026-03-04"
    assert [w.start.day for w in a.next_windows(datetime(2026, 3, 1, tzinfo=UTC), 9)] == [2, 3, 4]
    d = AlarmDraft.from_alarm(a)
    assert (d.ends, d.until) == ("until", date(2026, 3, 4))


def test_hourly_window_is_open_for_the_first_half_of_every_hour() -> None:
    a = paris_alarm(
        "2026-03-02T09:00:00+01:00", "2026-03-02T09:30:00+01:00", {"frequency": "hourly"}
    )
    assert a.validate() == []
    assert a.is_open(datetime(2026, 3, 5, 14, 10, tzinfo=PARIS)) is not None
    assert a.is_open(datetime(2026, 3, 5, 14, 40, tzinfo=PARIS)) is None
    nxt = a.next_windows(datetime(2026, 3, 5, 14, 10, tzinfo=PARIS), 2)
    assert [(w.start.hour, w.start.minute, w.end.minute) for w in nxt] == [(15, 0, 30), (16, 0, 30)]
    assert a.summary().startswith("Every hour for 30m 0s from 09:00 Europe/Paris")


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(
    st.sampled_from([("hourly", 1), ("hourly", 5), ("minutely", 45), ("secondly", 3600)]),
    st.datetimes(datetime(2026, 3, 3), datetime(2029, 12, 31)),
)
def test_sub_daily_rules_jump_ahead_without_losing_a_window(
    rule: tuple[str, int], moment: datetime
) -> None:
    """Far from the first window the rule jumps ahead; the windows are the ones walking every
    step from the first window gives."""
    freq, interval = rule
    a = paris_alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T09:05:00+01:00",
        {"frequency": freq, "interval": interval},
    )
    now = moment.replace(tzinfo=PARIS)
    step = timedelta(seconds={"hourly": 3600, "minutely": 60, "secondly": 1}[freq] * interval)
    first = datetime(2026, 3, 2, 9)
    local = now.replace(tzinfo=None)
    k = (local - first) // step
    walked = []
    for i in range(k - 2, k + 6):  # naive wall-clock steps, as RFC 5545 counts them
        start = first + i * step
        w = a._window_at(start, timedelta(minutes=5))
        if w.start > now and (not walked or w.start != walked[-1]):
            walked.append(w.start)
    got = [w.start for w in a.next_windows(now, 3)]
    assert [t.astimezone(UTC) for t in got] == [t.astimezone(UTC) for t in walked[:3]]


def test_weekly_without_days_reads_as_the_first_windows_day() -> None:
    a = paris_alarm(
        "2026-03-03T09:00:00+01:00", "2026-03-03T18:00:00+01:00", {"frequency": "weekly"}
    )
    assert a.validate() == []
    assert {w.start.weekday() for w in a.next_windows(datetime(2026, 3, 4, tzinfo=UTC), 4)} == {1}


def test_first_window_off_the_rule_is_an_extra_one_and_counts_as_the_first() -> None:
    # A "first Monday" rule whose first window is Tuesday 3 March 2026.
    a = paris_alarm(
        "2026-03-03T09:00:00+01:00",
        "2026-03-03T18:00:00+01:00",
        {"frequency": "monthly", "byDays": ["1monday"], "count": 3},
    )
    assert a.validate() == []
    assert a.first_window_is_extra
    assert alarm_cautions(a) == [
        "The first window (Tue 03 Mar 2026 09:00–18:00 CET) is not on the rule: it is an extra "
        "window before the rule's own."
    ]
    starts = [w.start.date() for w in a.next_windows(datetime(2026, 3, 1, tzinfo=UTC), 9)]
    # count includes the first window, as the platform describes it: three in all.
    assert starts == [date(2026, 3, 3), date(2026, 4, 6), date(2026, 5, 4)]
    on_rule = paris_alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T18:00:00+01:00",
        {"frequency": "monthly", "byDays": ["1monday"], "count": 3},
    )
    assert not on_rule.first_window_is_extra
    assert len(on_rule.next_windows(datetime(2026, 3, 1, tzinfo=UTC), 9)) == 3
