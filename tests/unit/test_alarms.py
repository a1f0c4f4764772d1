"""Alarm model: JSON round trip, validation, windows, DST, summaries, draft and dashboard status."""

import copy
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tui.alarms import (
    NON_PLATFORM_KEYS,
    PLATFORM_KEYS,
    Alarm,
    AlarmDraft,
    AlarmInvalid,
    Recurrence,
    alarm_status,
    available_timezones,
    parse_rrule,
)

PARIS = ZoneInfo("Europe/Paris")
NY = ZoneInfo("America/New_York")
EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
DOCUMENTED = {
    "startTime": "2019-01-31T09:00:00+01:00",
    "endTime": "2019-01-31T18:00:00+01:00",
    "timezone": "Europe/Paris",
    "recurrence": [
        {"frequency": "weekly", "byDays": ["monday", "tuesday", "wednesday", "thursday", "friday"]}
    ],
    "uplinkRateMinPerHour": 10,
    "message": "Low rate during business day...",
}


def alarm(start: str, end: str, tz: str, *rules: dict, rate: int = 10) -> Alarm:
    return Alarm.from_json(
        {
            "startTime": start,
            "endTime": end,
            "timezone": tz,
            "recurrence": list(rules),
            "uplinkRateMinPerHour": rate,
        }
    )


WEEKDAYS = {
    "frequency": "weekly",
    "byDays": ["monday", "tuesday", "wednesday", "thursday", "friday"],
}
DAILY = {"frequency": "daily"}


# --- JSON round trip ----------------------------------------------------------------------------


def test_documented_alarm_round_trips_identically() -> None:
    data = json.loads(EXAMPLE.read_text())["alarms"][0]
    assert data == DOCUMENTED
    data = copy.deepcopy(DOCUMENTED)
    out = Alarm.from_json(data).to_json()
    assert out == DOCUMENTED
    assert list(out) == list(DOCUMENTED)
    assert list(out["recurrence"][0]) == ["frequency", "byDays"]
    assert data == DOCUMENTED  # input not mutated


def test_unknown_keys_survive_at_both_levels_in_place() -> None:
    data = {
        "id": "a1",
        **copy.deepcopy(DOCUMENTED),
        "severity": {"level": "MAJOR"},
    }
    data["recurrence"][0] = {"futureKey": [1, 2], **data["recurrence"][0], "x-note": "keep"}
    out = Alarm.from_json(data).to_json()
    assert out == data
    assert list(out) == list(data)
    assert list(out["recurrence"][0]) == ["futureKey", "frequency", "byDays", "x-note"]


def test_unchanged_datetime_keeps_its_string_and_changed_one_is_rewritten() -> None:
    data = {**DOCUMENTED, "startTime": "2019-01-31T08:00:00Z"}
    a = Alarm.from_json(data)
    assert a.to_json()["startTime"] == "2019-01-31T08:00:00Z"
    a.end = datetime(2019, 1, 31, 19, 0, tzinfo=PARIS)
    out = a.to_json()
    assert out["startTime"] == "2019-01-31T08:00:00Z"
    assert out["endTime"] == "2019-01-31T19:00:00+01:00"


def test_platform_keys_and_the_others() -> None:
    """interval, count, until and numbered byDays are the platform's (OpenAPI description);
    month days, months and set positions are not, and are named when a rule writes them."""
    rule = Recurrence(frequency="weekly", by_days=["monday"])
    assert rule.to_json() == {"frequency": "weekly", "byDays": ["monday"]}
    assert rule.non_platform_keys == []
    rule.interval, rule.until = 2, datetime(2026, 12, 31, 23, 59, 59, tzinfo=PARIS)
    assert rule.to_json() == {
        "frequency": "weekly",
        "interval": 2,
        "byDays": ["monday"],
        "until": "2026-12-31T23:59:59+01:00",
    }
    assert rule.non_platform_keys == []
    assert set(PLATFORM_KEYS) == {"frequency", "interval", "count", "until", "byDays"}
    assert set(NON_PLATFORM_KEYS) == {"byMonthDays", "byMonths", "bySetPosition"}
    monthly = Recurrence(frequency="monthly", by_month_days=[15])
    assert monthly.to_json() == {"frequency": "monthly", "byMonthDays": [15]}
    assert monthly.non_platform_keys == ["byMonthDays"]
    first_monday = Recurrence(frequency="monthly", by_days=["1monday"])
    assert first_monday.to_json() == {"frequency": "monthly", "byDays": ["1monday"]}
    assert first_monday.non_platform_keys == []


def test_weekly_rule_without_days_never_writes_an_empty_list() -> None:
    rule = Recurrence(frequency="weekly")
    assert rule.to_json() == {"frequency": "weekly"}
    # Repeats on the first window's weekday, as RFC 5545 says (a Thursday here).
    a = alarm("2019-01-31T09:00:00+01:00", "2019-01-31T18:00:00+01:00", "Europe/Paris", {})
    a.recurrence = [Recurrence.from_json({"frequency": "weekly", "byDays": []})]
    assert a.validate() == []
    starts = [w.start.weekday() for w in a.next_windows(datetime(2026, 3, 2, tzinfo=UTC), 3)]
    assert starts == [3, 3, 3]
    assert a.to_json()["recurrence"] == [{"frequency": "weekly", "byDays": []}]  # as it came
    a.recurrence[0].interval = 2
    assert a.to_json()["recurrence"] == [{"frequency": "weekly", "interval": 2}]


def test_rrule_text_export() -> None:
    assert Recurrence.from_json(WEEKDAYS).to_rrule_text() == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    first_monday = {"frequency": "monthly", "byDays": ["1monday"]}
    assert Recurrence.from_json(first_monday).to_rrule_text() == "FREQ=MONTHLY;BYDAY=1MO"
    older = {"frequency": "monthly", "byDays": ["monday"], "bySetPosition": [1]}
    assert Recurrence.from_json(older).to_rrule_text() == "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1"
    last_friday = Recurrence.from_json({"frequency": "monthly", "byDays": ["-1friday", "+1MONDAY"]})
    assert last_friday.to_rrule_text() == "FREQ=MONTHLY;BYDAY=-1FR,1MO"
    until = Recurrence(frequency="daily", interval=2, until=date(2026, 12, 31))
    assert until.to_rrule_text() == "FREQ=DAILY;INTERVAL=2;UNTIL=20261231"
    assert parse_rrule("RRULE:" + until.to_rrule_text()) == until


# --- validation ---------------------------------------------------------------------------------


def messages(a: Alarm) -> list[str]:
    return [p.message for p in a.validate()]


def test_documented_alarm_is_valid() -> None:
    assert Alarm.from_json(DOCUMENTED).validate() == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"endTime": "2019-01-31T09:00:00+01:00"},
            "endTime",
            "The window must end after it starts.",
        ),
        (
            {"timezone": "Europe/Pariss"},
            "timezone",
            "'Europe/Pariss' is not a known IANA timezone; e.g. Europe/Paris.",
        ),
        (
            {"uplinkRateMinPerHour": -1},
            "uplinkRateMinPerHour",
            "The minimum rate must be a whole number of uplinks per hour, 0 or more.",
        ),
        (
            {"uplinkRateMinPerHour": 2.5},
            "uplinkRateMinPerHour",
            "The minimum rate must be a whole number of uplinks per hour, 0 or more.",
        ),
        (
            {"uplinkRateMinPerHour": "ten"},
            "uplinkRateMinPerHour",
            "The minimum rate must be a whole number of uplinks per hour, 0 or more.",
        ),
        (
            {"recurrence": [{"frequency": "weekly", "byDays": ["1monday"]}]},
            "recurrence[0].byDays",
            "Numbered days such as '1monday' only work in monthly or yearly rules.",
        ),
        (
            {"recurrence": [{"frequency": "monthly", "byDays": ["6monday"]}]},
            "recurrence[0].byDays",
            "A month has at most five of each weekday: number days 1 to 5 or -1 to -5.",
        ),
        (
            {
                "recurrence": [{"frequency": "hourly", "interval": 2}],
                "endTime": "2019-01-31T12:00:00+01:00",
            },
            "recurrence[0].interval",
            "A 3h 0m window repeated every 2 hours overlaps the next one; make the window "
            "2h 0m or shorter, or repeat less often.",
        ),
        (
            {
                "recurrence": [{"frequency": "secondly", "interval": 5}],
                "endTime": "2019-01-31T09:00:01+01:00",
            },
            "recurrence[0].interval",
            "Repeating every 5 seconds opens 17,280 windows a day; at most 10,000 are allowed, "
            "so repeat every 9 seconds or more.",
        ),
        (
            {"recurrence": [{"frequency": "daily", "count": 3, "until": "2026-12-31"}]},
            "recurrence[0].count",
            "Choose either an end date or a number of occurrences, not both "
            "(RFC 5545 forbids both).",
        ),
        (
            {"recurrence": [{"frequency": "daily", "interval": 0}]},
            "recurrence[0].interval",
            "The interval must be a whole number, 1 or more.",
        ),
        (
            {"recurrence": [{"frequency": "monthly", "byMonthDays": [32]}]},
            "recurrence[0].byMonthDays",
            "Month days must be 1 to 31 (or -1 to -31, counting from the month's end).",
        ),
        (
            {"recurrence": [{"frequency": "yearly", "byMonths": [13]}]},
            "recurrence[0].byMonths",
            "Months must be numbers from 1 (January) to 12 (December).",
        ),
        (
            {"recurrence": [{"frequency": "fortnightly"}]},
            "recurrence[0].frequency",
            "'fortnightly' is not a frequency; choose one of secondly, minutely, hourly, daily, "
            "weekly, monthly, yearly.",
        ),
        (
            {"recurrence": [{"frequency": "weekly", "byDays": ["Lundi"]}]},
            "recurrence[0].byDays",
            "Days must be lowercase English weekday names such as 'monday', optionally "
            "numbered: '1monday' (the first Monday), '-1friday' (the last Friday).",
        ),
        (
            {"startTime": "yesterday"},
            "startTime",
            "startTime 'yesterday' is not a date-time such as 2026-01-31T09:00:00+01:00.",
        ),
    ],
)
def test_invalid_input_gives_a_sentence(change: dict, field: str, message: str) -> None:
    a = Alarm.from_json({**DOCUMENTED, **change})
    assert (field, message) in [(p.field, p.message) for p in a.validate()]
    with pytest.raises(AlarmInvalid):
        a.next_window(datetime(2026, 1, 1, tzinfo=UTC))


def test_invalid_values_are_written_back_unchanged() -> None:
    data = {**DOCUMENTED, "uplinkRateMinPerHour": "ten", "startTime": "yesterday"}
    assert Alarm.from_json(data).to_json() == data


# --- windows ------------------------------------------------------------------------------------


def test_is_open_and_next_windows_for_the_documented_alarm() -> None:
    a = Alarm.from_json(DOCUMENTED)
    monday_10 = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    w = a.is_open(monday_10)
    assert w is not None
    assert (w.start, w.end) == (
        datetime(2026, 3, 2, 9, tzinfo=PARIS),
        datetime(2026, 3, 2, 18, tzinfo=PARIS),
    )
    assert a.is_open(datetime(2026, 3, 2, 18, 0, tzinfo=PARIS)) is None  # end is exclusive
    saturday = datetime(2026, 3, 7, 12, tzinfo=PARIS)
    assert a.is_open(saturday) is None
    nxt = a.next_window(saturday)
    assert nxt is not None and nxt.start == datetime(2026, 3, 9, 9, tzinfo=PARIS)
    starts = [w.start.day for w in a.next_windows(monday_10, 6)]
    assert starts == [3, 4, 5, 6, 9, 10]


def test_window_crossing_midnight_open_since_yesterday() -> None:
    a = alarm("2026-01-05T22:00:00-05:00", "2026-01-06T06:00:00-05:00", "America/New_York", DAILY)
    now = datetime(2026, 2, 10, 3, 0, tzinfo=NY)
    w = a.is_open(now)
    assert w is not None
    assert w.start == datetime(2026, 2, 9, 22, tzinfo=NY)
    assert w.end == datetime(2026, 2, 10, 6, tzinfo=NY)
    assert a.summary() == (
        "Every day 22:00–06:00 (next day) America/New_York, alert below 10 uplinks/h"
    )


def test_monday_night_window_is_open_tuesday_morning_only() -> None:
    monday = {"frequency": "weekly", "byDays": ["monday"]}
    a = alarm("2026-01-05T22:00:00+01:00", "2026-01-06T06:00:00+01:00", "Europe/Paris", monday)
    assert a.is_open(datetime(2026, 3, 3, 3, tzinfo=PARIS)) is not None
    assert a.is_open(datetime(2026, 3, 4, 3, tzinfo=PARIS)) is None


def test_no_recurrence_is_the_single_first_window() -> None:
    a = alarm("2026-05-01T09:00:00+02:00", "2026-05-01T12:00:00+02:00", "Europe/Paris")
    before = datetime(2026, 4, 1, tzinfo=UTC)
    assert [w.start for w in a.next_windows(before, 5)] == [datetime(2026, 5, 1, 9, tzinfo=PARIS)]
    assert a.next_window(datetime(2026, 5, 1, 10, tzinfo=PARIS)) is None
    assert a.is_open(datetime(2026, 5, 1, 10, tzinfo=PARIS)) is not None


def test_several_rules_are_a_deduplicated_union() -> None:
    a = alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T10:00:00+01:00",
        "Europe/Paris",
        {"frequency": "weekly", "byDays": ["monday", "wednesday"]},
        {"frequency": "weekly", "byDays": ["wednesday", "friday"]},
    )
    days = [w.start.strftime("%a") for w in a.next_windows(datetime(2026, 3, 1, tzinfo=UTC), 6)]
    assert days == ["Mon", "Wed", "Fri", "Mon", "Wed", "Fri"]


def test_rule_that_never_fires_again_ends() -> None:
    a = alarm(
        "2026-03-02T09:00:00+01:00",
        "2026-03-02T10:00:00+01:00",
        "Europe/Paris",
        {"frequency": "daily", "count": 3},
    )
    assert len(a.next_windows(datetime(2026, 3, 1, tzinfo=UTC), 10)) == 3
    assert a.next_window(datetime(2027, 1, 1, tzinfo=UTC)) is None
    impossible = alarm(
        "2026-02-28T09:00:00+01:00",
        "2026-02-28T10:00:00+01:00",
        "Europe/Paris",
        {"frequency": "yearly", "byMonths": [2], "byMonthDays": [30]},
    )
    assert impossible.next_window(datetime(2026, 3, 1, tzinfo=UTC)) is None


def test_until_date_includes_that_whole_local_day() -> None:
    rule = {"frequency": "daily", "until": "2026-03-04"}
    a = alarm("2026-03-02T22:00:00+01:00", "2026-03-03T02:00:00+01:00", "Europe/Paris", rule)
    starts = [w.start.day for w in a.next_windows(datetime(2026, 3, 1, tzinfo=UTC), 10)]
    assert starts == [2, 3, 4]


def test_window_in_operator_zone() -> None:
    w = Alarm.from_json(DOCUMENTED).next_window(datetime(2026, 3, 1, tzinfo=UTC))
    assert w is not None
    ny = w.in_zone("America/New_York")
    assert ny.start == w.start and ny.start.hour == 3
    assert w.describe() == "Mon 02 Mar 2026 09:00–18:00 CET"
    assert w.describe(NY) == "Mon 02 Mar 2026 03:00–12:00 EST"


# --- DST ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "before", "after", "offsets"),
    [
        ("Europe/Paris", date(2026, 3, 27), date(2026, 3, 30), (1, 2)),
        ("Europe/Paris", date(2026, 10, 23), date(2026, 10, 26), (2, 1)),
        ("America/New_York", date(2026, 3, 6), date(2026, 3, 9), (-5, -4)),
        ("America/New_York", date(2026, 10, 30), date(2026, 11, 2), (-4, -5)),
    ],
)
def test_business_hours_stay_local_across_dst(
    tz: str, before: date, after: date, offsets: tuple[int, int]
) -> None:
    zone = ZoneInfo(tz)
    first = datetime(2026, 1, 5, 9, tzinfo=zone)
    a = Alarm(first, first.replace(hour=18), tz, [Recurrence.from_json(WEEKDAYS)], 10)
    w1, w2 = a.next_windows(datetime.combine(before, time(0), zone), 2)
    assert (w1.start.date(), w2.start.date()) == (before, after)
    for w, hours in ((w1, offsets[0]), (w2, offsets[1])):
        assert (w.start.hour, w.start.minute, w.end.hour) == (9, 0, 18)
        assert w.start.utcoffset() == timedelta(hours=hours) == w.end.utcoffset()
        assert w.duration == timedelta(hours=9)
    assert w2.start.astimezone(UTC).hour == 9 - offsets[1]


@pytest.mark.parametrize(
    ("tz", "night", "hours"),
    [
        ("Europe/Paris", date(2026, 3, 28), 7),
        ("Europe/Paris", date(2026, 10, 24), 9),
        ("America/New_York", date(2026, 3, 7), 7),
        ("America/New_York", date(2026, 10, 31), 9),
    ],
)
def test_night_window_over_a_dst_change_has_the_real_duration(
    tz: str, night: date, hours: int
) -> None:
    zone = ZoneInfo(tz)
    first = datetime(2026, 1, 5, 22, tzinfo=zone)
    a = Alarm(first, datetime(2026, 1, 6, 6, tzinfo=zone), tz, [Recurrence(frequency="daily")], 1)
    w = a.next_window(datetime.combine(night, time(21), zone))
    assert w is not None
    assert (w.start.date(), w.start.hour, w.end.hour) == (night, 22, 6)
    assert w.duration == timedelta(hours=hours)
    assert a.is_open(datetime.combine(night + timedelta(days=1), time(5, 59), zone)) == w


def test_nonexistent_and_ambiguous_local_times() -> None:
    first = datetime(2026, 1, 5, 2, 30, tzinfo=PARIS)
    a = Alarm(
        first, first.replace(hour=3, minute=0), "Europe/Paris", [Recurrence(frequency="daily")], 1
    )
    # 02:30 does not exist on 2026-03-29: read with the winter offset, i.e. 03:30 summer time.
    spring = a.next_window(datetime(2026, 3, 29, 0, tzinfo=PARIS))
    assert spring is not None
    assert spring.start.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (spring.start.hour, spring.start.minute) == (3, 30)
    assert spring.duration == timedelta(minutes=30)
    # 02:30 happens twice on 2026-10-25: the first one (summer time) is taken.
    autumn = a.next_window(datetime(2026, 10, 25, 0, tzinfo=PARIS))
    assert autumn is not None
    # (Compare in UTC: PEP 495 makes times in a fold unequal to any other zone's.)
    assert autumn.start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert autumn.start.utcoffset() == timedelta(hours=2)


# --- summaries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (WEEKDAYS, "Weekdays 09:00–18:00 Europe/Paris, alert below 10 uplinks/h"),
        (
            {"frequency": "weekly", "byDays": ["saturday", "sunday"]},
            "Weekends 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        ),
        (
            {
                "frequency": "weekly",
                "byDays": list(Recurrence.from_json(WEEKDAYS).by_days) + ["saturday", "sunday"],
            },
            "Every day 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        ),
        (
            {"frequency": "weekly", "interval": 2, "byDays": ["monday", "wednesday"]},
            "Every 2 weeks on Mon and Wed 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        ),
        (
            {"frequency": "weekly", "byDays": ["monday"]},
            "Every Monday 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        ),
        (
            {"frequency": "monthly", "byDays": ["monday"], "bySetPosition": [1]},
            "Monthly on the first Monday 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        ),
        (
            {"frequency": "monthly", "byDays": ["friday"], "bySetPosition": [-1]},
            "Monthly on the last Friday 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        ),
        (
            {"frequency": "monthly", "byMonthDays": [2, 15], "count": 10},
            "Monthly on the 2nd and 15th 09:00–18:00 Europe/Paris, 10 times, "
            "alert below 10 uplinks/h",
        ),
        (
            {"frequency": "daily", "interval": 3, "until": "2026-12-31"},
            "Every 3 days 09:00–18:00 Europe/Paris, until 31 Dec 2026, alert below 10 uplinks/h",
        ),
        (
            {"frequency": "yearly", "byMonths": [6, 7]},
            "Yearly in June and July on the 31st 09:00–18:00 Europe/Paris, "
            "alert below 10 uplinks/h",
        ),
    ],
)
def test_summary(rule: dict, expected: str) -> None:
    a = Alarm.from_json({**DOCUMENTED, "recurrence": [rule]})
    assert a.summary() == expected


def test_summary_of_a_single_window_and_an_invalid_alarm() -> None:
    a = Alarm.from_json({**DOCUMENTED, "recurrence": []})
    assert a.summary() == (
        "Once on Thu 31 Jan 2019 09:00–18:00 Europe/Paris, alert below 10 uplinks/h"
    )
    assert Alarm.from_json({"timezone": "Nowhere"}).summary().startswith("Incomplete alarm")


# --- draft --------------------------------------------------------------------------------------

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def test_draft_round_trip_keeps_the_documented_alarm() -> None:
    data = {**copy.deepcopy(DOCUMENTED), "extraTop": 1}
    data["recurrence"][0]["extraRule"] = True
    d = AlarmDraft.from_alarm(Alarm.from_json(data))
    assert d.frequency == "weekly" and d.weekdays == {0, 1, 2, 3, 4}
    assert (d.start_time, d.end_time, d.first_date) == (time(9), time(18), date(2019, 1, 31))
    assert d.validate() == []
    assert d.to_alarm().to_json() == data
    assert d.rrule_text() == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def test_draft_edit_monthly_nth_and_preview() -> None:
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="Europe/Paris")
    d.frequency, d.monthly_mode, d.nth, d.nth_weekday = "monthly", "nth", 1, 0
    d.ends, d.count = "count", 3
    assert d.validate() == []
    assert d.rrule_text() == "FREQ=MONTHLY;COUNT=3;BYDAY=1MO"
    assert d.summary() == (
        "Monthly on the first Monday 09:00–18:00 Europe/Paris, 3 times, alert below 10 uplinks/h"
    )
    starts = [w.start.date() for w in d.preview(5, after=datetime(2026, 3, 1, tzinfo=UTC))]
    assert starts == [date(2026, 3, 2), date(2026, 4, 6), date(2026, 5, 4)]
    rule = d.to_alarm().to_json()["recurrence"][0]
    assert rule == {"frequency": "monthly", "byDays": ["1monday"], "count": 3}


def test_draft_night_window_and_validation_sentences() -> None:
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="America/New_York", frequency="daily")
    d.start_time, d.end_time = time(22), time(6)
    assert d.summary().startswith("Every day 22:00–06:00 (next day) America/New_York")
    a = d.to_alarm()
    assert a.to_json()["endTime"] == "2026-03-03T06:00:00-05:00"
    preview = d.preview(2, after=datetime(2026, 3, 10, 4, tzinfo=NY))
    assert preview[0].start == datetime(2026, 3, 9, 22, tzinfo=NY)  # open now
    d.end_time = time(22)
    d.timezone = "Europe/Pariss"
    d.frequency, d.weekdays = "weekly", set()
    d.rate = -3
    problems = {p.field: p.message for p in d.validate()}
    assert problems == {
        "end_time": "The window must end after it starts.",
        "timezone": "'Europe/Pariss' is not a known IANA timezone; e.g. Europe/Paris.",
        "rate": "The minimum rate must be a whole number of uplinks per hour, 0 or more.",
    }
    assert d.preview(3, after=NOW) == []


def test_draft_rrule_text_import_simple_and_custom() -> None:
    d = AlarmDraft(first_date=date(2026, 3, 2), timezone="Europe/Paris")
    d.set_rrule_text("FREQ=MONTHLY;BYMONTHDAY=15;INTERVAL=2")
    assert (d.frequency, d.monthly_mode, d.month_day, d.interval) == ("monthly", "day", 15, 2)
    d.set_rrule_text("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")
    assert d.frequency == "custom" and d.custom_rule is not None
    assert d.summary().startswith("Monthly on the last weekday 09:00–18:00")
    assert d.rrule_text() == "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
    d.set_rrule_text("FREQ=WEEKLY")
    assert d.weekdays == {0}  # RFC 5545: the first window's weekday
    d.set_rrule_text("")
    assert d.frequency == "none" and d.to_alarm().recurrence == []


def test_draft_keeps_other_rules_and_long_windows() -> None:
    data = {
        **DOCUMENTED,
        "endTime": "2019-02-02T18:00:00+01:00",
        "recurrence": [WEEKDAYS, {"frequency": "daily", "byMonths": [12]}],
    }
    d = AlarmDraft.from_alarm(Alarm.from_json(data))
    assert d.end_day_offset == 2 and len(d.other_rules) == 1
    assert d.to_alarm().to_json() == data


def test_available_timezones() -> None:
    zones = available_timezones()
    assert zones == sorted(zones)
    assert {"Europe/Paris", "America/New_York", "UTC"} <= set(zones)


# --- dashboard status ---------------------------------------------------------------------------


def test_alarm_status_open_next_and_invalid() -> None:
    night = {
        "startTime": "2026-01-05T22:00:00+01:00",
        "endTime": "2026-01-06T06:00:00+01:00",
        "timezone": "Europe/Paris",
        "recurrence": [DAILY],
        "uplinkRateMinPerHour": 1,
    }
    alarms = [DOCUMENTED, night, {"timezone": "Mars/Olympus"}, "junk", {"recurrence": 5}]
    status = alarm_status(alarms, datetime(2026, 3, 4, 10, tzinfo=PARIS))
    assert status.is_open and status.open_alarm == 0
    assert status.open_until == datetime(2026, 3, 4, 18, tzinfo=PARIS)
    assert status.next_alarm == 1 and status.next_start == datetime(2026, 3, 4, 22, tzinfo=PARIS)
    assert [i for i, _ in status.invalid] == [2, 3, 4]
    assert status.describe() == "Watching until 18:00 (3 invalid)"

    closed = alarm_status([DOCUMENTED], datetime(2026, 3, 7, 10, tzinfo=PARIS))
    assert not closed.is_open
    assert closed.describe() == "Next window Mon 09 Mar 09:00"
    assert alarm_status([], NOW).describe() == "No alarm"
    assert alarm_status(None, NOW).count == 0


def test_alarm_modules_import_no_cycle() -> None:
    """No alarm module reaches back to one that imports it, counting imports inside functions
    and under TYPE_CHECKING (grimp sees both)."""
    import grimp

    graph = grimp.build_graph("tui", cache_dir=None)
    modules = sorted(m for m in graph.modules if m.startswith("tui.alarms."))
    assert "tui.alarms.summary" in modules and "tui.alarms.model" in modules
    for a in modules:
        for b in graph.find_modules_directly_imported_by(a):
            if b.startswith("tui.alarms."):
                assert graph.find_shortest_chain(b, a) is None, f"{a} ⇄ {b}"
