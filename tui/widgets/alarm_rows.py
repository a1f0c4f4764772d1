"""The rows of an alarm card: which widget edits which draft field, laid out for 80 columns.

Ids follow :data:`tui.alarms.fields.FIELDS`; the card finds its widgets by them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet, Static

from ..alarms import DAY_NAMES, AlarmDraft
from ..alarms.fields import BY_NAME
from ..alarms.summary import ordinal
from ..alarms.zones import available_timezones
from .alarm_toggles import TextCheckbox, TextRadioButton
from .form_fields.dropdown import Dropdown
from .ordered_keys import OrderedInput

DAY_SHORT = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
FREQUENCY_OPTIONS = [
    ("does not repeat", "none"),
    ("secondly", "secondly"),
    ("minutely", "minutely"),
    ("hourly", "hourly"),
    ("daily", "daily"),
    ("weekly", "weekly"),
    ("monthly", "monthly"),
    ("yearly", "yearly"),
    ("custom (RRULE)", "custom"),
]
"""Every frequency the platform describes, then "custom" for RRULE text."""
UNITS = {
    "secondly": "second(s)",
    "minutely": "minute(s)",
    "hourly": "hour(s)",
    "daily": "day(s)",
    "weekly": "week(s)",
    "monthly": "month(s)",
    "yearly": "year(s)",
}
RULE_TEXT_FIELDS = ("interval", "month_day", "months", "until", "count")
"""Text fields that RRULE text can replace."""
MODE_OPTIONS = [("same day", "day"), ("nth weekday", "nth")]
"""Monthly and yearly: on the first window's day (or a month day), or on a numbered weekday."""
_NTH_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last", -2: "2nd to last"}


def nth_options(choices: tuple[int, ...]) -> list[tuple[str, int]]:
    """The numbered-weekday picker's options: first … fourth, last, 2nd to last in a month;
    in a yearly rule without months also 5th … 52nd (counted in the year)."""
    return [(_NTH_WORDS.get(n) or ordinal(n), n) for n in choices]


def row(label: str, *children: Widget, classes: str = "") -> Horizontal:
    """A label and its widgets on one line."""
    return Horizontal(
        Label(label, classes="alarm-label"), *children, classes=f"alarm-row {classes}"
    )


def text_input(draft: AlarmDraft, name: str, **kw: Any) -> Input:
    """The input of a text field of :data:`~tui.alarms.fields.FIELDS`, showing the draft."""
    spec = BY_NAME[name]
    return OrderedInput(spec.show(getattr(draft, name)), id=spec.widget, compact=True, **kw)


def field_rows(d: AlarmDraft) -> Iterator[Widget]:
    """Every row of the card's fields, filled from the draft."""
    yield row(
        "First date",
        text_input(d, "first_date", placeholder="YYYY-MM-DD"),
        Static("", id="m-date", classes="alarm-note"),
    )
    yield row(
        "Window",
        text_input(d, "start_time", placeholder="HH:MM"),
        Label("to", classes="alarm-word"),
        text_input(d, "end_time", placeholder="HH:MM"),
        Static("", id="m-time", classes="alarm-note"),
    )
    yield row(
        "Timezone",
        text_input(
            d,
            "timezone",
            # "e.g.": a bare "Europe/Paris" read as a value in a plain or NO_COLOR terminal
            placeholder="e.g. Europe/Paris",
            suggester=SuggestFromList(available_timezones(), case_sensitive=False),
        ),
        Static("", id="m-tz", classes="alarm-note"),
    )
    yield row(
        "Repeats",
        Dropdown(
            FREQUENCY_OPTIONS,
            value=d.frequency,
            allow_blank=False,
            id="f-freq",
            compact=True,
        ),
        Label("every", classes="alarm-word interval-part"),
        text_input(d, "interval", classes="interval-part"),
        Label(UNITS.get(d.frequency, ""), id="unit", classes="alarm-word interval-part"),
        Static("", id="m-freq", classes="alarm-note"),
    )
    yield row(
        "On",
        *[
            TextCheckbox(DAY_SHORT[i], i in d.weekdays, id=f"day-{i}", compact=True)
            for i in range(7)
        ],
        Static("", id="m-days", classes="alarm-note"),
        classes="row-weekly",
    )
    yield row(
        "On the",
        Dropdown(
            MODE_OPTIONS,
            value=d.monthly_mode,
            allow_blank=False,
            id="f-monthly-mode",
            compact=True,
        ),
        text_input(d, "month_day", classes="mode-day"),
        Dropdown(
            nth_options(d.nth_choices()),
            value=d.nth if d.nth in d.nth_choices() else 1,
            allow_blank=False,
            id="f-nth",
            compact=True,
            classes="mode-nth",
        ),
        Dropdown(
            [(name.title(), i) for i, name in enumerate(DAY_NAMES)],
            value=d.nth_weekday % 7,
            allow_blank=False,
            id="f-nth-weekday",
            compact=True,
            classes="mode-nth",
        ),
        Static("", id="m-month", classes="alarm-note"),
        classes="row-monthly",
    )
    yield row(
        "Months",
        text_input(d, "months", placeholder="e.g. Jan, Jul"),
        Static("", id="m-months", classes="alarm-note"),
        classes="row-yearly",
    )
    ends = RadioSet(
        TextRadioButton("never", d.ends == "never", id="ends-never"),
        TextRadioButton("on date", d.ends == "until", id="ends-until"),
        TextRadioButton("after", d.ends == "count", id="ends-count"),
        id="f-ends",
        compact=True,
    )
    yield row(
        "Ends",
        ends,
        text_input(d, "until", placeholder="YYYY-MM-DD"),
        text_input(d, "count", placeholder="N"),
        Label("times", id="count-word", classes="alarm-word"),
        Static("", id="m-ends", classes="alarm-note"),
        classes="row-ends",
    )
    yield row(
        "Min rate",
        text_input(d, "rate", placeholder="10"),
        Label("uplinks/hour", classes="alarm-word"),
        Static("", id="m-rate", classes="alarm-note"),
    )
    yield row(
        "Message",
        text_input(d, "message", placeholder="shown in the alarm event"),
    )
    yield row(
        "RRULE",
        OrderedInput(
            d.rrule_text(),
            placeholder="FREQ=WEEKLY;BYDAY=MO (enter applies)",
            id="f-rrule",
            compact=True,
        ),
        classes="alarm-rrule-row",
    )
    yield Static("", id="m-rrule", classes="alarm-note -empty")
