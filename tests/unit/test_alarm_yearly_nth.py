"""Yearly rules with a numbered weekday (``byDays: ["1monday"]``, frequency yearly).

RFC 5545 (and dateutil): without BYMONTH the number counts within the YEAR ("1monday" is the
first Monday of the year, "9monday" the ninth), with months it counts within each month.
The platform's description (API reference §8) has no months, so the editor's "yearly, nth
weekday" with no months is a weekday of the year. The model's windows, the summary, the
editor's default and the preview must all say the same. Checked against dates worked out
here by counting weekdays, on generated rules and first dates.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.alarms import DAY_NAMES, Alarm, AlarmDraft, AlarmInvalid
from tui.alarms.cautions import alarm_cautions
from tui.alarms.draft import nth_weekday_of

PARIS = ZoneInfo("Europe/Paris")
SETTINGS = settings(max_examples=120, derandomize=True, database=None, deadline=None)
DATES = st.dates(date(2001, 1, 1), date(2090, 12, 31))


def nth_weekday(year: int, n: int, weekday: int, month: int | None = None) -> date | None:
    """The ``n``th (``-1`` last) ``weekday`` of ``month`` of ``year``, or of the whole year;
    None when there is no such day. Counted one day at a time, no rrule."""
    if month is None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    else:
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
    days = [first + timedelta(i) for i in range((last - first).days + 1)]
    matching = [d for d in days if d.weekday() == weekday]
    index = n - 1 if n > 0 else n
    return matching[index] if -len(matching) <= index < len(matching) else None


def yearly(rule_days: list[str], months: list[int], start: date = date(2026, 1, 1)) -> Alarm:
    rule: dict = {"frequency": "yearly", "byDays": rule_days}
    if months:
        rule["byMonths"] = months
    begin = datetime(start.year, start.month, start.day, 9, tzinfo=PARIS)
    return Alarm.from_json({
        "startTime": begin.isoformat(), "endTime": (begin + timedelta(hours=1)).isoformat(),
        "timezone": "Europe/Paris", "recurrence": [rule], "uplinkRateMinPerHour": 1,
    })  # fmt: skip


ORDINALS = st.integers(-53, 53).filter(bool)
MONTHS = st.lists(st.integers(1, 12), max_size=2, unique=True).map(sorted)


@SETTINGS
@given(n=ORDINALS, weekday=st.integers(0, 6), months=MONTHS)
def test_windows_are_the_numbered_weekday_of_the_year_or_of_each_month(n, weekday, months):
    """Any numbered weekday, with or without months: either a sentence says why the rule
    cannot be (a month has at most five of a weekday), or the windows of the next ten years
    are exactly the counted days; the summary says "of the year" only without months."""
    alarm = yearly([f"{n}{DAY_NAMES[weekday]}"], months)
    problems = alarm.validate()
    if months and abs(n) > 5:
        assert [p.field for p in problems] == ["recurrence[0].byDays"]
        assert "within each month" in problems[0].message
        with pytest.raises(AlarmInvalid):
            alarm.next_windows(datetime(2026, 1, 1, 10, tzinfo=PARIS), 3)
        return
    assert problems == []
    after = datetime(2026, 1, 1, 10, tzinfo=PARIS)
    until = date(2036, 1, 1)
    expected = sorted(
        d
        for year in range(2026, 2036)
        for month in (months or [None])
        if (d := nth_weekday(year, n, weekday, month)) is not None and d > after.date()
    )
    got = [w.start.astimezone(PARIS).date() for w in alarm.windows_between(after,
           datetime(until.year, 1, 1, tzinfo=PARIS))]  # fmt: skip
    assert got == expected
    summary = alarm.summary()
    assert ("of the year" in summary) == (not months), summary


def test_the_documented_example_first_monday_of_the_year() -> None:
    alarm = yearly(["1monday"], [])
    assert alarm.summary().startswith("Yearly on the first Monday of the year")
    starts = [w.start.date() for w in alarm.next_windows(datetime(2026, 1, 2, tzinfo=PARIS), 3)]
    assert starts == [date(2026, 1, 5), date(2027, 1, 4), date(2028, 1, 3)]


def test_a_ninth_monday_in_march_is_a_sentence_not_a_crash() -> None:
    """dateutil raised IndexError for a number past the month's weekdays once months were
    given; the editor's preview showed "No preview: list index out of range"."""
    alarm = yearly(["9monday"], [3])
    assert [p.message for p in alarm.validate()] == [
        "With months, numbered days count within each month, which has at most five of "
        "each weekday: number days 1 to 5 or -1 to -5 (or leave the months out to count "
        "in the whole year)."
    ]


def year_draft(first: date, months: set[int] | None = None) -> AlarmDraft:
    """A new alarm on ``first`` switched to yearly, nth weekday, as the editor does."""
    d = AlarmDraft(first_date=first, timezone="Europe/Paris")
    d.set_field("frequency", "yearly")
    d.set_field("monthly_mode", "nth")
    if months is not None:
        d.set_field("months", months)
    return d


def test_the_report_2_march_2026_is_the_ninth_monday_of_the_year() -> None:
    d = year_draft(date(2026, 3, 2))
    assert (d.nth, d.nth_weekday) == (9, 0)
    assert d.to_alarm().to_json()["recurrence"] == [{"frequency": "yearly", "byDays": ["9monday"]}]
    assert d.summary().startswith("Yearly on the 9th Monday of the year 09:00–18:00")
    windows = d.preview(3, after=datetime(2026, 3, 1, tzinfo=PARIS))
    assert [w.start.date() for w in windows] == [date(2026, 3, 2), date(2027, 3, 1),
                                                 date(2028, 2, 28)]  # fmt: skip
    assert not d.to_alarm().first_window_is_extra
    # with its month typed, the number counts in March: the first Monday of March
    d.set_field("months", {3})
    assert (d.nth, d.nth_weekday) == (1, 0)
    assert d.summary().startswith("Yearly in March on the first Monday 09:00–18:00")
    assert not d.to_alarm().first_window_is_extra


@SETTINGS
@given(first=DATES, with_month=st.booleans())
def test_yearly_nth_weekday_starts_on_the_first_window(first: date, with_month: bool) -> None:
    """Any first date: the default numbered weekday is the first window's own, in the year
    (no months, the platform's form, no caution) or in its month (months typed), so the
    first window is on the rule and the next one is a year later on the same weekday."""
    d = year_draft(first, {first.month} if with_month else None)
    assert d.validate() == []
    alarm = d.to_alarm()
    assert not alarm.first_window_is_extra
    if not with_month:
        assert alarm_cautions(alarm) == []
        assert list(alarm.to_json()["recurrence"][0]) == ["frequency", "byDays"]
    start = datetime(first.year, first.month, first.day, 9, tzinfo=PARIS)
    (following,) = alarm.next_windows(start + timedelta(hours=1), 1)
    local = following.start.astimezone(PARIS).date()
    assert local.weekday() == first.weekday()
    assert local.year == first.year + 1
    assert local == nth_weekday(local.year, d.nth, d.nth_weekday,
                                first.month if with_month else None)  # fmt: skip


@SETTINGS
@given(first=DATES)
def test_the_year_ordinal_of_a_date_names_it(first: date) -> None:
    n, weekday = nth_weekday_of(first, in_year=True)
    assert weekday == first.weekday()
    assert nth_weekday(first.year, n, weekday) == first
    assert n == -1 or 1 <= n <= 52


def test_a_stored_ninth_monday_of_the_year_loads_into_the_fields() -> None:
    alarm = yearly(["9monday"], [], start=date(2026, 3, 2))
    d = AlarmDraft.from_alarm(alarm)
    assert (d.frequency, d.monthly_mode, d.nth, d.nth_weekday) == ("yearly", "nth", 9, 0)
    assert d.to_alarm().to_json() == alarm.to_json()


def test_months_typed_after_a_chosen_year_ordinal_take_the_first_windows_again() -> None:
    """A 20th Monday chosen for the year cannot be counted in May: typing months moves the
    number back to the first window's own in its month rather than leave a rule that
    never fires."""
    d = year_draft(date(2026, 5, 18))
    d.set_field("nth", 20)
    assert d.rrule_text() == "FREQ=YEARLY;BYDAY=20MO"
    d.set_field("months", {5})
    assert d.validate() == []
    assert (d.nth, d.nth_weekday) == (3, 0)
    assert d.rrule_text() == "FREQ=YEARLY;BYDAY=3MO;BYMONTH=5"
