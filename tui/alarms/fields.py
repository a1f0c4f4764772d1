"""The alarm editor's fields without a screen: how each one's text is read and where it shows.

One table, :data:`FIELDS`, says for every draft attribute which widget edits it, which note
beside it carries its hint or error, how typed text becomes a value and what to say when it
cannot. The card widget walks this table instead of a branch per input, and tests can read every
field's text handling here without a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from .draft import AlarmDraft
from .model import Alarm

DATE_HINT = "Use YYYY-MM-DD, e.g. 2026-03-02."
TIME_HINT = "Use HH:MM (24-hour), e.g. 09:00."
WHOLE_HINT = "Use a whole number, 1 or more."
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
REPEATING = ("secondly", "minutely", "hourly", "daily", "weekly", "monthly", "yearly")
"""Frequencies of the editor that repeat (the others are "none" and "custom")."""

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- reading typed text ---------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    m = _TIME.match(text.strip())
    if not m:
        return None
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s)


def format_time(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else None


def parse_months(text: str) -> set[int] | None:
    out: set[int] = set()
    for token in re.split(r"[\s,]+", text.strip().lower()):
        if not token:
            continue
        if re.fullmatch(r"[0-9]+", token):  # ASCII only: "²".isdigit() is True, int() fails
            out.add(int(token))  # out-of-range numbers are the draft's to explain
        elif len(token) >= 3 and token[:3] in MONTH_NAMES:
            out.add(MONTH_NAMES.index(token[:3]) + 1)
        else:
            return None
    return out


def format_months(months: set[int]) -> str:
    return ", ".join(MONTH_NAMES[m - 1].title() if 1 <= m <= 12 else str(m) for m in sorted(months))


def format_rate(rate: Any) -> str:
    return "" if rate is None else str(rate)


def format_optional_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_optional_int(value: int | None) -> str:
    return str(value) if value is not None else ""


def _stripped(text: str) -> str:
    return text.strip()


def _kept(text: str) -> str:
    return text


# --- the table ------------------------------------------------------------------------------


def _always(_: AlarmDraft) -> bool:
    return True


@dataclass(frozen=True)
class FieldSpec:
    """One editor field: the draft attribute it edits (also :attr:`AlarmProblem.field`), its
    widget and note ids, and for text inputs how text is read (``parse`` returns None for text
    that cannot be read, which ``hint`` then explains), shown (``show``), and whether a typing
    mistake in it matters with the current choices (``relevant``)."""

    name: str
    widget: str
    note: str
    parse: Callable[[str], Any] | None = None
    show: Callable[[Any], str] = str
    hint: str = ""
    relevant: Callable[[AlarmDraft], bool] = _always

    @property
    def is_text(self) -> bool:
        return self.parse is not None

    def read(self, text: str) -> tuple[Any, str | None]:
        """``(value, None)`` for readable text, ``(None, hint)`` otherwise."""
        assert self.parse is not None
        value = self.parse(text)
        return (value, None) if value is not None else (None, self.hint)


def _repeats(d: AlarmDraft) -> bool:
    return d.frequency in REPEATING


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("first_date", "f-date", "m-date", parse_date, date.isoformat, DATE_HINT),
    FieldSpec("start_time", "f-start", "m-time", parse_time, format_time, TIME_HINT),
    FieldSpec("end_time", "f-end", "m-time", parse_time, format_time, TIME_HINT),
    FieldSpec("timezone", "f-tz", "m-tz", _stripped),
    FieldSpec("frequency", "f-freq", "m-freq"),
    FieldSpec("interval", "f-interval", "m-freq", parse_int, str, WHOLE_HINT, _repeats),
    FieldSpec("weekdays", "day-0", "m-days"),
    FieldSpec("monthly_mode", "f-monthly-mode", "m-month"),
    FieldSpec(
        "month_day",
        "f-month-day",
        "m-month",
        parse_int,
        str,
        "Use a day number, 1 to 31 (-1 = last day).",
        lambda d: d.frequency == "monthly" and d.monthly_mode == "day",
    ),
    FieldSpec("nth", "f-nth", "m-month"),
    FieldSpec("nth_weekday", "f-nth-weekday", "m-month"),
    FieldSpec(
        "months",
        "f-months",
        "m-months",
        parse_months,
        format_months,
        "Use month names or numbers, e.g. Jan, Jul.",
        lambda d: d.frequency == "yearly",
    ),
    FieldSpec("ends", "f-ends", "m-ends"),
    FieldSpec(
        "until",
        "f-until",
        "m-ends",
        parse_date,
        format_optional_date,
        DATE_HINT,
        lambda d: _repeats(d) and d.ends == "until",
    ),
    FieldSpec(
        "count",
        "f-count",
        "m-ends",
        parse_int,
        format_optional_int,
        WHOLE_HINT,
        lambda d: _repeats(d) and d.ends == "count",
    ),
    FieldSpec(
        "rate",
        "f-rate",
        "m-rate",
        parse_int,
        format_rate,
        "Use a whole number of uplinks per hour, e.g. 10.",
    ),
    FieldSpec("message", "f-message", "m-rrule", _kept),
    FieldSpec("rrule", "f-rrule", "m-rrule"),
    FieldSpec("custom_rule", "f-rrule", "m-rrule"),
)

BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
TEXT_INPUTS: dict[str, FieldSpec] = {spec.widget: spec for spec in FIELDS if spec.is_text}
"""Text inputs by widget id: the card reads every ``Input.Changed`` through this."""


def base_field(name: str) -> str:
    """``other_rules[0].frequency`` → ``rrule``: further rules are only shown as RRULE text."""
    return "rrule" if name.startswith("other_rules") else name


def spec_of(problem_field: str) -> FieldSpec:
    """The field a problem belongs to (unknown ones are shown with the RRULE text)."""
    return BY_NAME.get(base_field(problem_field), BY_NAME["rrule"])


def draft_from_json(raw: Any) -> tuple[AlarmDraft, str]:
    """A draft for a stored alarm and a note when it could not be read fully."""
    if not isinstance(raw, dict):
        return AlarmDraft(), "This alarm is not a JSON object; it is kept as is unless edited."
    try:
        return AlarmDraft.from_alarm(Alarm.from_json(raw)), ""
    except Exception as exc:  # best effort: the raw alarm is kept until edited
        return (
            AlarmDraft(),
            f"This alarm could not be read ({exc}); it is kept as is unless edited.",
        )
