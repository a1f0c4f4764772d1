"""Property tests (derandomized, small): RRULE text and JSON round trips, dateutil agreement."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.alarms import (
    DAY_NAMES,
    FREQUENCIES,
    SUB_DAILY,
    Alarm,
    AlarmDraft,
    Recurrence,
    alarm_status,
    parse_rrule,
)

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
NY = ZoneInfo("America/New_York")


def _nonzero(limit: int) -> st.SearchStrategy[int]:
    return st.integers(-limit, limit).filter(lambda v: v != 0)


@st.composite
def rules(draw: st.DrawFn, finite_until: bool = False, searchable: bool = False) -> Recurrence:
    """Rules in the platform's form and beyond it: every frequency (sub-daily ones only hourly
    or every 15+ minutes when ``searchable``, so a year stays a few thousand windows), plain or
    numbered days ("1monday", "-2friday") where RFC 5545 allows them, and the non-platform
    month days, months and set positions."""
    choices = [f for f in FREQUENCIES if not searchable or f != "secondly"]
    freq = draw(st.sampled_from(choices))
    days = draw(st.lists(st.sampled_from(DAY_NAMES), max_size=4, unique=True))
    month_days: list[int] = []
    months: list[int] = []
    positions: list[int] = []
    if freq in ("monthly", "yearly"):
        month_days = draw(st.lists(_nonzero(28 if searchable else 31), max_size=3, unique=True))
        months = draw(st.lists(st.integers(1, 12), max_size=3, unique=True))
        if days and draw(st.booleans()):
            # Numbered weekdays, the platform's way of saying "the first Monday".
            limit = 4 if freq == "monthly" or months else 53
            numbers = draw(st.lists(_nonzero(limit), min_size=len(days), max_size=len(days)))
            days = [f"{n}{d}" for n, d in zip(numbers, days, strict=True)]
            month_days = [] if searchable else month_days
        elif days and not (searchable and month_days):
            positions = draw(st.lists(_nonzero(4 if searchable else 53), max_size=2, unique=True))
    interval = draw(st.integers(1, 4))
    if freq == "minutely":
        interval = draw(st.integers(15, 180))
    elif freq == "secondly":
        interval = draw(st.integers(9, 3600))
    end = draw(st.sampled_from(["never", "count", "until"]))
    rule = Recurrence(
        frequency=freq,
        by_days=days,
        interval=interval,
        by_month_days=month_days,
        by_months=months,
        by_set_position=positions,
    )
    if end == "count":
        rule.count = draw(st.integers(1, 30))
    elif end == "until":
        day = draw(st.dates(date(1997, 9, 3), date(2001, 12, 31)))
        if finite_until:
            rule.until = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        else:
            rule.until = draw(
                st.sampled_from([day, datetime(day.year, day.month, day.day, 17, 30, tzinfo=UTC)])
            )
    return rule


@SETTINGS
@given(rules())
def test_rrule_text_round_trip(rule: Recurrence) -> None:
    assert parse_rrule(rule.to_rrule_text()) == rule


@SETTINGS
@given(rules())
def test_json_round_trip(rule: Recurrence) -> None:
    data = rule.to_json()
    again = Recurrence.from_json(data)
    assert again == rule
    assert again.to_json() == data


def _span(rule: Recurrence, longest: timedelta) -> timedelta:
    """A window that fits between two starts of a sub-daily rule (a longer one is refused)."""
    step = SUB_DAILY.get(rule.frequency)
    return longest if step is None else min(longest, timedelta(seconds=step * rule.interval))


@SETTINGS
@given(rules(finite_until=True, searchable=True))
def test_model_occurrences_agree_with_dateutil(rule: Recurrence) -> None:
    start = datetime(1997, 9, 2, 9, tzinfo=NY)
    days = 20 if rule.frequency in SUB_DAILY else 2 * 366
    cutoff = start + timedelta(days=days)
    alarm = Alarm(start, start + _span(rule, timedelta(hours=2)), "America/New_York", [rule], 1)
    assert alarm.validate() == []
    ours = {w.start.astimezone(UTC) for w in alarm.windows_between(start, cutoff)}
    ours = {t for t in ours if t < cutoff}
    occurrences = list(rrulestr(rule.to_rrule_text(), dtstart=start).between(start, cutoff, True))
    if rule.count is not None and start not in occurrences:
        # The platform counts the first window as the first occurrence (RFC 5545 too: "the
        # DTSTART property value always counts as the first occurrence"); dateutil does not
        # when DTSTART is off the rule, so its last occurrence is one too many.
        occurrences = occurrences[: rule.count - 1]
    # Compared as instants: on a spring-forward night 02:30 and 03:30 are the same instant.
    expected = {t.astimezone(UTC) for t in occurrences} - {cutoff}
    # The first window is always a window, even when it does not match the rule.
    assert ours - {start} == expected - {start}
    assert start in ours


@SETTINGS
@given(rules())
def test_draft_round_trip_keeps_the_alarm(rule: Recurrence) -> None:
    start = datetime(1997, 9, 2, 9, tzinfo=NY)
    end = start + _span(rule, timedelta(hours=9))
    alarm = Alarm(start, end, "America/New_York", [rule], 3, "m")
    data = alarm.to_json()
    loaded = Alarm.from_json(data)
    assert AlarmDraft.from_alarm(loaded).to_alarm().to_json() == data


_junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 40)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "monday", "weekly", "monthly", "2026-12-31", "Europe/Paris", "x"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
_rule_junk = st.fixed_dictionaries(
    {},
    optional={
        "frequency": _junk | st.sampled_from(FREQUENCIES),
        "byDays": _junk | st.lists(st.sampled_from(DAY_NAMES), max_size=3),
        "interval": _junk,
        "count": _junk,
        "until": _junk,
        "byMonthDays": _junk,
        "byMonths": _junk,
        "bySetPosition": _junk,
    },
)
_alarm_junk = st.fixed_dictionaries(
    {},
    optional={
        "startTime": _junk | st.just("2026-03-02T09:00:00+01:00"),
        "endTime": _junk | st.just("2026-03-02T18:00:00+01:00"),
        "timezone": _junk,
        "recurrence": _junk | st.lists(_rule_junk, max_size=2),
        "uplinkRateMinPerHour": _junk,
        "message": _junk,
    },
)


@SETTINGS
@given(st.lists(_alarm_junk | _junk, max_size=3))
def test_malformed_alarms_never_raise(alarms: list) -> None:
    now = datetime(2026, 3, 4, 10, tzinfo=UTC)
    status = alarm_status(alarms, now)
    assert status.count == len(alarms)
    status.describe()
    for raw in alarms:
        if isinstance(raw, dict):
            a = Alarm.from_json(raw)
            a.validate()
            a.summary()
            assert a.to_json() == raw  # even invalid values are written back unchanged
            AlarmDraft.from_alarm(a).validate()
