"""Monthly (and yearly) "on" fields start on the first window's day: picking "monthly" on a
weekly alarm never moves its windows off the first one nor writes keys the platform does not
describe (a newcomer's report: the 23 November 2026 alarm turned into BYMONTHDAY=1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.alarms import Alarm, AlarmDraft
from tui.alarms.cautions import alarm_cautions
from tui.alarms.draft import nth_weekday_of

PARIS = ZoneInfo("Europe/Paris")
SETTINGS = settings(max_examples=80, derandomize=True, database=None, deadline=None)
DATES = st.dates(date(2000, 1, 1), date(2099, 12, 31))


def weekly_alarm(first: date) -> Alarm:
    """A stored weekly alarm whose first window is on ``first`` (Paris, 09:00–18:00)."""
    start = datetime(first.year, first.month, first.day, 9, tzinfo=PARIS)
    return Alarm.from_json(
        {
            "startTime": start.isoformat(),
            "endTime": (start + timedelta(hours=9)).isoformat(),
            "timezone": "Europe/Paris",
            "recurrence": [{"frequency": "weekly", "byDays": ["monday"]}],
            "uplinkRateMinPerHour": 10,
        }
    )


def monthly(first: date, mode: str) -> AlarmDraft:
    """The weekly alarm loaded and switched to monthly as the editor does."""
    d = AlarmDraft.from_alarm(weekly_alarm(first))
    d.set_field("frequency", "monthly")
    d.set_field("monthly_mode", mode)
    return d


def test_the_reported_alarm_same_day_and_fourth_monday() -> None:
    d = monthly(date(2026, 11, 23), "day")
    assert d.month_day == 23
    assert d.rrule_text() == "FREQ=MONTHLY"
    assert d.to_alarm().to_json()["recurrence"] == [{"frequency": "monthly"}]
    assert alarm_cautions(d.to_alarm()) == []
    d.set_field("monthly_mode", "nth")
    assert (d.nth, d.nth_weekday) == (4, 0)
    assert d.to_alarm().to_json()["recurrence"] == [{"frequency": "monthly", "byDays": ["4monday"]}]
    assert alarm_cautions(d.to_alarm()) == []
    assert d.summary().startswith("Monthly on the fourth Monday 09:00–18:00 Europe/Paris")


def test_a_fifth_weekday_is_the_last() -> None:
    assert nth_weekday_of(date(2026, 3, 30)) == (-1, 0)  # the fifth Monday of March 2026
    assert nth_weekday_of(date(2026, 3, 1)) == (1, 6)
    assert nth_weekday_of(date(2026, 3, 28)) == (4, 5)


@SETTINGS
@given(first=DATES, mode=st.sampled_from(["day", "nth"]))
def test_monthly_defaults_keep_the_first_window_on_the_rule(first: date, mode: str) -> None:
    """Any first date: the default monthly rule is in the platform's own form (no
    byMonthDays) and its first occurrence is the first window; the next windows agree."""
    d = monthly(first, mode)
    assert d.validate() == []
    alarm = d.to_alarm()
    rule = alarm.to_json()["recurrence"][0]
    assert "byMonthDays" not in rule and "bySetPosition" not in rule
    assert alarm_cautions(alarm) == []
    assert not alarm.first_window_is_extra
    start = datetime(first.year, first.month, first.day, 9, tzinfo=PARIS)
    nxt = alarm.next_windows(start, 2)
    for window in nxt:
        local = window.start.astimezone(PARIS)
        if mode == "nth":
            assert local.weekday() == first.weekday()
            nth, _ = nth_weekday_of(first)
            if nth > 0:
                assert (local.day - 1) // 7 + 1 == nth
            else:  # the last one of its month
                assert (local + timedelta(days=7)).month != local.month
        else:
            assert local.day == first.day  # months without that day are skipped


@SETTINGS
@given(first=DATES, moved=DATES)
def test_untouched_on_fields_follow_the_first_date(first: date, moved: date) -> None:
    """A new first date carries the month day and the numbered weekday nobody chose."""
    d = AlarmDraft.from_alarm(weekly_alarm(first))
    d.set_field("first_date", moved)
    assert d.month_day == moved.day
    assert (d.nth, d.nth_weekday) == nth_weekday_of(moved)


@SETTINGS
@given(first=DATES, moved=DATES, day=st.integers(1, 28), nth=st.sampled_from([1, 2, -1]))
def test_chosen_on_fields_stay_when_the_first_date_moves(
    first: date, moved: date, day: int, nth: int
) -> None:
    d = monthly(first, "day")
    d.set_field("month_day", day)
    d.set_field("nth", nth)
    d.set_field("nth_weekday", 4)
    d.set_field("first_date", moved)
    assert (d.month_day, d.nth, d.nth_weekday) == (day, nth, 4)


def test_a_stored_monthly_rule_keeps_its_own_day() -> None:
    """Loaded "on" fields are the rule's: moving the first date does not rewrite them; a
    rule without a day of its own (the start's day) follows the first date."""
    own = Alarm.from_json(
        {
            "startTime": "2026-03-02T09:00:00+01:00",
            "endTime": "2026-03-02T18:00:00+01:00",
            "timezone": "Europe/Paris",
            "recurrence": [{"frequency": "monthly", "byDays": ["1monday"]}],
            "uplinkRateMinPerHour": 10,
        }
    )
    d = AlarmDraft.from_alarm(own)
    d.set_field("first_date", date(2026, 3, 9))
    assert (d.monthly_mode, d.nth, d.nth_weekday) == ("nth", 1, 0)
    plain = Alarm.from_json({**own.to_json(), "recurrence": [{"frequency": "monthly"}]})
    d = AlarmDraft.from_alarm(plain)
    assert (d.monthly_mode, d.month_day) == ("day", 2)
    d.set_field("first_date", date(2026, 3, 17))
    assert d.month_day == 17 and d.to_alarm().to_json()["recurrence"] == [{"frequency": "monthly"}]
