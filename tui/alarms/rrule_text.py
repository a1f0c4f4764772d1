"""Reading RFC 5545 RRULE text into a recurrence rule, in the platform's form first.

``parse_rrule("FREQ=MONTHLY;BYDAY=1FR")`` gives ``byDays: ["1friday"]``: numbered weekdays are
the platform's own (OpenAPI ``connectionAlarmRecurrence``), so BYSETPOS is kept only for rules
that cannot be said with them (``BYDAY=MO,TU;BYSETPOS=1``, the first Monday or Tuesday). What the
model cannot express raises :class:`~tui.alarms.recurrence.RecurrenceError` with a sentence.
Writing is :meth:`Recurrence.to_rrule_text`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from .recurrence import DAY_CODES, DAY_NAMES, FREQUENCIES, Recurrence, RecurrenceError, day_entry

_FREQ_LIST = ", ".join(f.upper() for f in FREQUENCIES)


def parse_rrule(text: str) -> Recurrence:
    """Parse an RRULE value (``RRULE:`` prefix optional)."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        raise RecurrenceError(f"The rule is empty; start with FREQ= one of {_FREQ_LIST}.")
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        if not chunk.strip():
            continue
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise RecurrenceError(f"'{chunk}' is not a NAME=VALUE rule part.")
        if name in parts:
            raise RecurrenceError(f"{name} appears twice.")
        parts[name] = value.strip()
    return _from_parts(parts)


def _from_parts(parts: dict[str, str]) -> Recurrence:
    freq = parts.pop("FREQ", None)
    if freq is None:
        raise RecurrenceError(f"FREQ is required ({_FREQ_LIST}).")
    if freq.lower() not in FREQUENCIES:
        raise RecurrenceError(f"FREQ={freq} is not a frequency; use one of {_FREQ_LIST}.")
    rule = Recurrence(frequency=freq.lower())
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if name in parts:
            raise RecurrenceError(
                f"{name} cannot be expressed: the window's time of day comes from the first "
                "window (use FREQ=HOURLY or MINUTELY for windows within a day)."
            )
    for name in ("BYYEARDAY", "BYWEEKNO"):
        if name in parts:
            raise RecurrenceError(f"{name} is not supported by the alarm model.")
    wkst = parts.pop("WKST", "MO").upper()
    if wkst not in DAY_CODES:
        raise RecurrenceError(f"WKST={wkst} is not a weekday such as MO.")
    # WKST only matters for weekly rules with an interval whose days fall on both sides of the
    # week start (RFC 5545's TU,SU example): weeks from Sunday or Monday group MO,WE,FR alike.
    # DTSTART is on the rule (RFC 5545 leaves an unsynchronised one undefined), so it is one of
    # those days and on the same side.
    interval_text = parts.get("INTERVAL", "1").strip()
    codes = [c.strip()[-2:] for c in parts.get("BYDAY", "").upper().split(",") if c.strip()]
    sides = {DAY_CODES.index(c) >= DAY_CODES.index(wkst) for c in codes if c in DAY_CODES}
    if wkst != "MO" and rule.frequency == "weekly" and interval_text != "1" and len(sides) > 1:
        raise RecurrenceError(
            f"WKST={wkst} changes this rule and cannot be expressed: weeks start on Monday "
            "here (WKST=MO)."
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError(
            "Choose either an end date or a number of occurrences, not both "
            "(RFC 5545 forbids both)."
        )
    if "INTERVAL" in parts:
        rule.interval = _int_part("INTERVAL", parts.pop("INTERVAL"), 1)
    if "COUNT" in parts:
        rule.count = _int_part("COUNT", parts.pop("COUNT"), 1)
    if "UNTIL" in parts:
        rule.until = _parse_until_text(parts.pop("UNTIL"))
    if "BYMONTHDAY" in parts:
        rule.by_month_days = _int_list("BYMONTHDAY", parts.pop("BYMONTHDAY"), 31)
    if "BYMONTH" in parts:
        rule.by_months = _int_list("BYMONTH", parts.pop("BYMONTH"), 12, negative=False)
    if "BYSETPOS" in parts:
        rule.by_set_position = _int_list("BYSETPOS", parts.pop("BYSETPOS"), 366)
    if "BYDAY" in parts:
        rule.by_days = _byday(rule, parts.pop("BYDAY"))
    if parts:
        raise RecurrenceError(f"Unknown or unsupported rule part(s): {', '.join(parts)}.")
    return rule


def _parse_until_text(text: str) -> date | datetime:
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?", text.upper())
    if not m:
        raise RecurrenceError(
            f"UNTIL={text} is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSSZ)."
        )
    try:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if m[4] is None:
            return date(y, mo, d)
        tz = UTC if m[7] else None
        return datetime(y, mo, d, int(m[4]), int(m[5]), int(m[6]), tzinfo=tz)
    except ValueError as exc:
        raise RecurrenceError(f"UNTIL={text} is not a valid date ({exc}).") from None


def _int_part(name: str, text: str, minimum: int) -> int:
    if not re.fullmatch(r"[0-9]+", text):
        raise RecurrenceError(f"{name}={text} must be a whole number.")
    value = int(text)
    if value < minimum:
        raise RecurrenceError(f"{name} must be {minimum} or more.")
    return value


def _int_list(name: str, text: str, limit: int, negative: bool = True) -> list[int]:
    values = []
    for item in text.split(","):
        if not re.fullmatch(r"[+-]?[0-9]+", item.strip()):
            raise RecurrenceError(f"{name}: '{item}' is not a whole number.")
        value = int(item)
        low = -limit if negative else 1
        if value == 0 or not low <= value <= limit:
            span = f"1 to {limit}" + (f" or -1 to -{limit}" if negative else "")
            raise RecurrenceError(f"{name}: {value} is out of range ({span}).")
        values.append(value)
    return values


def _byday(rule: Recurrence, text: str) -> list[str]:
    """BYDAY as the platform's ``byDays``: ``1MO,-1FR`` → ``["1monday", "-1friday"]``."""
    days: list[str] = []
    numbered = False
    for item in text.upper().split(","):
        m = re.fullmatch(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)", item.strip())
        if not m:
            raise RecurrenceError(f"BYDAY: '{item}' is not a weekday such as MO or 1FR.")
        weekday = DAY_CODES.index(m[2])
        ordinal = int(m[1]) if m[1] is not None else None
        if ordinal is not None:
            numbered = True
            if ordinal == 0 or abs(ordinal) > 53:
                raise RecurrenceError(
                    "BYDAY: the number before a weekday must be 1 to 53 or -1 to -53."
                )
        entry = day_entry(weekday, ordinal)
        if entry not in days:
            days.append(entry)
    if numbered and rule.frequency not in ("monthly", "yearly"):
        raise RecurrenceError(
            "Numbered weekdays (e.g. 1MO) only make sense in monthly or yearly rules (RFC 5545)."
        )
    assert all(d.lstrip("+-0123456789") in DAY_NAMES for d in days)
    return days
