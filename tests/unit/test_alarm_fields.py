"""The alarm editor's field table and text readers (no screen)."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.alarms import AlarmDraft
from tui.alarms.fields import (
    BY_NAME,
    FIELDS,
    TEXT_INPUTS,
    base_field,
    draft_from_json,
    format_months,
    parse_date,
    parse_int,
    parse_months,
    parse_time,
    spec_of,
)


def test_every_field_names_a_draft_attribute_and_a_unique_text_widget() -> None:
    draft = AlarmDraft()
    for spec in FIELDS:
        if spec.name not in ("rrule", "custom_rule"):
            assert hasattr(draft, spec.name), spec.name
    widgets = [s.widget for s in FIELDS if s.is_text]
    assert len(widgets) == len(set(widgets)) == len(TEXT_INPUTS)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("first_date", " 2026-03-02 ", date(2026, 3, 2)),
        ("first_date", "2026-02-30", None),
        ("first_date", "02/03/2026", None),
        ("start_time", "9:05", time(9, 5)),
        ("start_time", "09:00:30", time(9, 0, 30)),
        ("end_time", "24:00", None),
        ("interval", "+3", 3),
        ("interval", "two", None),
        ("months", "Jan, jul 12", {1, 7, 12}),
        ("months", "Janvier", {1}),
        ("months", "xyz", None),
        ("rate", "10", 10),
        ("timezone", " Europe/Paris ", "Europe/Paris"),
        ("message", " kept as typed ", " kept as typed "),
    ],
)
def test_text_is_read_or_explained(name: str, text: str, value: object) -> None:
    got, error = BY_NAME[name].read(text)
    assert got == value
    assert (error is None) == (value is not None)
    if value is None:
        assert error and error.endswith(".")


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_read_back(d: date) -> None:
    spec = BY_NAME["first_date"]
    assert spec.read(spec.show(d)) == (d, None)


@given(st.times().map(lambda t: t.replace(microsecond=0)))
def test_times_read_back(t: time) -> None:
    spec = BY_NAME["start_time"]
    assert spec.read(spec.show(t)) == (t, None)


@given(st.sets(st.integers(1, 12)))
def test_months_read_back(months: set[int]) -> None:
    assert parse_months(format_months(months)) == months


@given(st.text(max_size=20))
def test_readers_never_raise(text: str) -> None:
    for reader in (parse_date, parse_time, parse_int, parse_months):
        reader(text)


def test_relevance_follows_the_choices() -> None:
    d = AlarmDraft(frequency="weekly", ends="never")
    assert not BY_NAME["until"].relevant(d) and not BY_NAME["count"].relevant(d)
    d.ends = "count"
    assert BY_NAME["count"].relevant(d)
    d.frequency = "none"
    assert not BY_NAME["count"].relevant(d) and not BY_NAME["interval"].relevant(d)
    assert BY_NAME["month_day"].relevant(AlarmDraft(frequency="monthly", monthly_mode="day"))
    assert not BY_NAME["month_day"].relevant(AlarmDraft(frequency="monthly", monthly_mode="nth"))


def test_problems_of_further_rules_show_with_the_rrule_text() -> None:
    assert base_field("other_rules[1].byDays") == "rrule"
    assert spec_of("other_rules[0].frequency").widget == "f-rrule"
    assert spec_of("until").widget == "f-until" and spec_of("until").note == "m-ends"


def test_unreadable_stored_alarm_gets_a_note() -> None:
    draft, note = draft_from_json(["not", "an", "object"])
    assert isinstance(draft, AlarmDraft) and "kept as is" in note
    assert draft_from_json({"timezone": "Europe/Paris"})[1] == ""
