"""Low uplink-rate alarms (API reference §6): model, recurrence, windows, summaries, status.

No Textual here (a test checks it): the editor and the dashboard build on this API.

JSON ⇄ model
    ``Alarm.from_json(d) -> Alarm`` never raises on bad values (``TypeError`` only if ``d`` is not
    an object); ``alarm.validate() -> list[AlarmProblem]`` explains them in sentences
    (``AlarmProblem(field, message)``, field = JSON key or ``recurrence[i].key``).
    ``alarm.to_json()`` writes unknown keys back (top level and per rule), in the source's key
    order, with the original datetime strings when unchanged: a documented alarm round-trips to
    an identical dict. ``Recurrence.from_json / to_json`` do the same for one rule.

Recurrence (the platform's rule ⇄ dateutil ⇄ RFC 5545)
    The platform's form (IoT Flow OpenAPI ``connectionAlarmRecurrence``, :data:`PLATFORM_KEYS`):
    ``frequency`` (:data:`FREQUENCIES`, secondly … yearly), ``interval``, ``count`` (the first
    window counts as the first occurrence), ``until`` (a date-time with offset, inclusive; a
    bare date is read as the whole local day) and ``byDays`` (``"monday"``; numbered in monthly
    and yearly rules: ``"1monday"`` the first Monday, ``"-1friday"`` the last Friday, ``"+1monday"``
    read too). :data:`NON_PLATFORM_KEYS` (``byMonthDays``, ``byMonths``, ``bySetPosition``) are
    read and kept but written only when a rule needs them; :mod:`.cautions` says so. A weekly
    rule without days repeats on the first window's weekday and never writes ``byDays: []``.
    ``rule.to_rrule_text()`` → ``"FREQ=MONTHLY;BYDAY=1MO"``; :func:`parse_rrule` reads RRULE
    text, numbered days first, and raises :class:`RecurrenceError` (a sentence) for what the
    model cannot express (BYHOUR, BYWEEKNO ...). Sub-daily rules are checked in sentences: a
    window longer than the repeat overlaps the next; more than 10,000 windows a day is refused.

Windows
    Occurrences are computed on naive wall-clock times in the alarm's zone, then localised, so
    09:00–18:00 stays 09:00–18:00 local across DST. Every window spans the first window's
    wall-clock span (end earlier than start in the day = ends the next day), so its real duration
    changes on DST nights. Localising follows RFC 5545 §3.3.5: an ambiguous time takes its first
    occurrence; a nonexistent one is read with the offset before the gap (02:30 → 03:30).
    The first window is always a window (``alarm.first_window_is_extra`` when it is not on its
    rules); several rules form a union, de-duplicated by instant.
    ``alarm.is_open(now) -> Window | None``, ``alarm.next_window(after) -> Window | None``,
    ``alarm.next_windows(after, n) -> list[Window]``, ``alarm.windows_between(a, b)``,
    ``alarm.first_window``. They raise :class:`AlarmInvalid` on an alarm that does not validate.
    All instants are aware; pass ``now`` explicitly. ``next_window(s)`` look at most
    ``model.SEARCH_YEARS`` (50) years ahead, so a rule that can never fire returns None quickly.
    ``Window(start, end)`` (aware, in the alarm's zone, end exclusive): ``.duration`` (real),
    ``.contains(t)``, ``.in_zone(tz) -> Window`` (show in the operator's zone),
    ``.describe(tz=None) -> "Mon 02 Mar 2026 09:00–18:00 CET"``.

Sentences
    ``alarm.summary()`` → "Weekdays 09:00–18:00 Europe/Paris, alert below 10 uplinks/h".

Calendar
    :func:`tui.alarms.ics.alarms_calendar` writes one VEVENT per alarm (``iotflow alarms ID
    --ics``).

Editor
    :class:`AlarmDraft` — mutable fields (first_date, start_time, end_time, end_day_offset,
    timezone, frequency "none", one of FREQUENCIES or "custom", interval, weekdays {0..6},
    monthly_mode "day|nth" (monthly and yearly), month_day, nth (``.nth_choices()``: 1..4, -1,
    -2 in a month; 1..52, -1, -2 in a yearly rule without months), nth_weekday,
    months (yearly), ends
    "never|until|count", until, count, rate, message, extra, rule_extra, other_rules,
    custom_rule). ``AlarmDraft.from_alarm(a)``, ``.to_alarm()``, ``.validate()`` (fields are the
    draft's attribute names), ``.summary()``, ``.rrule_text()``, ``.set_rrule_text(text)``,
    ``.preview(n=5, after=None)``, ``.set_field(name, value)`` (as the editor sets a field:
    month_day, nth and nth_weekday nobody chose are the first window's and follow first_date).
    ``available_timezones() -> list[str]`` (sorted).

Dashboard
    ``alarm_status(alarms_json_list, now) -> AlarmStatus`` with ``is_open``, ``open_window``,
    ``open_until``, ``next_window``, ``next_start``, ``open_alarm``/``next_alarm`` (indexes),
    ``invalid`` ([(index, problems)]), ``count``, ``describe(tz=None)``. Never raises.
"""

from .draft import FREQUENCY_CHOICES, NTH_CHOICES, AlarmDraft
from .model import Alarm, AlarmInvalid, Window, validate_alarm
from .recurrence import (
    DAY_NAMES,
    FREQUENCIES,
    NON_PLATFORM_KEYS,
    PLATFORM_KEYS,
    SUB_DAILY,
    Recurrence,
    RecurrenceError,
    day_entry,
    parse_day,
)
from .rrule_text import parse_rrule
from .status import AlarmStatus, alarm_status
from .summary import summarize
from .validation import AlarmProblem
from .zones import available_timezones, localize

__all__ = [
    "DAY_NAMES",
    "FREQUENCIES",
    "FREQUENCY_CHOICES",
    "NON_PLATFORM_KEYS",
    "NTH_CHOICES",
    "PLATFORM_KEYS",
    "SUB_DAILY",
    "Alarm",
    "AlarmDraft",
    "AlarmInvalid",
    "AlarmProblem",
    "AlarmStatus",
    "Recurrence",
    "RecurrenceError",
    "Window",
    "alarm_status",
    "available_timezones",
    "day_entry",
    "localize",
    "parse_day",
    "parse_rrule",
    "summarize",
    "validate_alarm",
]
