"""Low uplink-rate alarms (API reference §6): model, recurrence, windows, summaries, status.

No Textual here (a test checks it): the editor and the dashboard build on this API.

JSON ⇄ model
    ``Alarm.from_json(d) -> Alarm`` never raises on bad values (``TypeError`` only if ``d`` is not
    an object); ``alarm.validate() -> list[AlarmProblem]`` explains them in sentences
    (``AlarmProblem(field, message)``, field = JSON key or ``recurrence[i].key``).
    ``alarm.to_json()`` writes unknown keys back (top level and per rule), in the source's key
    order, with the original datetime strings when unchanged: a documented alarm round-trips to
    an identical dict. ``Recurrence.from_json / to_json`` do the same for one rule.

Recurrence (ThingPark rule ⇄ dateutil ⇄ RFC 5545)
    Documented: ``{"frequency": "weekly", "byDays": ["monday", ...]}`` (lowercase English days),
    written exactly so. Our extension (the platform may ignore it; say so in the UI/README):
    frequencies ``daily``/``monthly``/``yearly`` (:data:`EXTENSION_FREQUENCIES`) and the keys in
    :data:`EXTENSION_KEYS` — ``interval``, ``count``, ``until`` (``"2026-12-31"``, the whole local
    day included, or an ISO date-time with offset), ``byMonthDays``, ``byMonths`` and
    ``bySetPosition`` (``{"frequency": "monthly", "byDays": ["monday"], "bySetPosition": [1]}`` =
    the first Monday). They are written only when used.
    ``rule.to_rrule_text()`` → ``"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"``;
    ``Recurrence.from_rrule_text(text)`` raises :class:`RecurrenceError` (a ``ValueError`` whose
    message is a sentence) for what the model cannot express (HOURLY, BYHOUR, 1MO,2FR ...).

Windows
    Occurrences are computed on naive wall-clock times in the alarm's zone, then localised, so
    09:00–18:00 stays 09:00–18:00 local across DST. Every window spans the first window's
    wall-clock span (end earlier than start in the day = ends the next day), so its real duration
    changes on DST nights. Localising follows RFC 5545 §3.3.5: an ambiguous time takes its first
    occurrence; a nonexistent one is read with the offset before the gap (02:30 → 03:30).
    The first window is always a window; several rules form an rruleset (union, de-duplicated).
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

Editor
    :class:`AlarmDraft` — mutable fields (first_date, start_time, end_time, end_day_offset,
    timezone, frequency "none|daily|weekly|monthly|yearly|custom", interval, weekdays {0..6},
    monthly_mode "day|nth", month_day, nth (1..4, -1), nth_weekday, months (yearly), ends
    "never|until|count", until, count, rate, message, extra, rule_extra, other_rules,
    custom_rule). ``AlarmDraft.from_alarm(a)``, ``.to_alarm()``, ``.validate()`` (fields are the
    draft's attribute names), ``.summary()``, ``.rrule_text()``, ``.set_rrule_text(text)``,
    ``.preview(n=5, after=None)``. ``available_timezones() -> list[str]`` (sorted).

Dashboard
    ``alarm_status(alarms_json_list, now) -> AlarmStatus`` with ``is_open``, ``open_window``,
    ``open_until``, ``next_window``, ``next_start``, ``open_alarm``/``next_alarm`` (indexes),
    ``invalid`` ([(index, problems)]), ``count``, ``describe(tz=None)``. Never raises.
"""

from .draft import FREQUENCY_CHOICES, NTH_CHOICES, AlarmDraft
from .model import Alarm, AlarmInvalid, AlarmProblem, Window, validate_alarm
from .recurrence import (
    DAY_NAMES,
    EXTENSION_FREQUENCIES,
    EXTENSION_KEYS,
    FREQUENCIES,
    Recurrence,
    RecurrenceError,
)
from .status import AlarmStatus, alarm_status
from .summary import summarize
from .zones import available_timezones, localize

__all__ = [
    "DAY_NAMES",
    "EXTENSION_FREQUENCIES",
    "EXTENSION_KEYS",
    "FREQUENCIES",
    "FREQUENCY_CHOICES",
    "NTH_CHOICES",
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
    "localize",
    "summarize",
    "validate_alarm",
]
