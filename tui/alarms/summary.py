"""Human sentences for alarms: "Weekdays 09:00–18:00 Europe/Paris, alert below 10 uplinks/h"."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from ..timefmt import format_duration
from .recurrence import DAY_NAMES, SUB_DAILY, Recurrence
from .zones import zone_or_none


class Summarized(Protocol):
    """What a summary reads of an alarm (:class:`tui.alarms.model.Alarm` has it); declared here
    so the model can offer ``alarm.summary()`` without the two modules importing each other."""

    start: datetime | None
    end: datetime | None
    timezone: Any
    recurrence: Any
    uplink_rate_min_per_hour: Any


_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PLURAL = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SUB_DAILY_UNITS = {"secondly": "second", "minutely": "minute", "hourly": "hour"}
_ORDINAL_WORDS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second to last",
}


def join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def ordinal(n: int) -> str:
    """1 → 1st, 22 → 22nd, -1 → last, -2 → 2nd to last."""
    if n < 0:
        return "last" if n == -1 else f"{ordinal(-n)} to last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(value: date | datetime) -> str:
    return f"{value.day} {value.strftime('%b %Y')}"


def _every(interval: int, unit: str) -> str:
    return f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"


def _days_phrase(idx: list[int]) -> str | None:
    s = set(idx)
    if s == set(range(7)):
        return "every day"
    if s == set(range(5)):
        return "weekdays"
    if s == {5, 6}:
        return "weekends"
    return None


def rule_phrase(rule: Recurrence, first: date | None = None) -> str:
    """The repeating part of one rule, e.g. "Every 2 weeks on Mon and Wed"."""
    try:
        days = rule.days
    except (ValueError, TypeError):
        days = []
    idx = sorted({w for n, w in days if n is None})
    numbered = [(n, w) for n, w in days if n is not None]
    interval = rule.interval if isinstance(rule.interval, int) else 1
    freq = rule.frequency
    if freq in SUB_DAILY:
        text = _every(interval, SUB_DAILY_UNITS[freq])
        if idx and set(idx) != set(range(7)):
            named = _days_phrase(idx)
            text += f" on {named}" if named else " on " + join_words([_SHORT[i] for i in idx])
    elif freq == "daily":
        text = _every(interval, "day")
        if idx and set(idx) != set(range(7)):
            named = _days_phrase(idx)
            text += f" on {named}" if named else " on " + join_words([_SHORT[i] for i in idx])
    elif freq == "weekly":
        named = _days_phrase(idx)
        if interval == 1:
            if named:
                text = named.capitalize()
            elif len(idx) == 1:
                text = f"Every {DAY_NAMES[idx[0]].capitalize()}"
            else:
                text = "Every " + join_words([_SHORT[i] for i in idx])
        else:
            text = (
                _every(interval, "week")
                + " on "
                + (
                    named
                    if named and named != "every day"
                    else "every day"
                    if named
                    else join_words([_SHORT[i] for i in idx])
                )
            )
    elif freq in ("monthly", "yearly"):
        text = (
            ("Monthly" if interval == 1 else _every(interval, "month"))
            if freq == "monthly"
            else ("Yearly" if interval == 1 else _every(interval, "year"))
        )
        if freq == "yearly" and rule.by_months:
            text += " in " + join_words(
                [_MONTHS[m - 1] for m in rule.by_months if isinstance(m, int) and 1 <= m <= 12]
            )
        on = _on_phrase(rule, idx, first, freq, numbered)
        if on:
            text += " on " + on
    else:
        text = f"Repeats {freq}"
    return text


def _on_phrase(
    rule: Recurrence,
    idx: list[int],
    first: date | None,
    freq: str,
    numbered: list[tuple[int, int]] | None = None,
) -> str:
    if numbered:
        scope = " of the year" if freq == "yearly" and not rule.by_months else ""
        words = [
            f"the {_ORDINAL_WORDS.get(n, ordinal(n))} {DAY_NAMES[w].capitalize()}"
            for n, w in numbered
        ]
        return join_words(words) + scope
    if idx and rule.by_set_position:
        which = join_words([_ORDINAL_WORDS.get(p, ordinal(p)) for p in rule.by_set_position])
        named = _days_phrase(idx)
        days = {"weekdays": "weekday", "weekends": "weekend day", "every day": "day"}.get(
            named or "", join_words([DAY_NAMES[i].capitalize() for i in idx])
        )
        return f"the {which} {days}"
    if idx:
        return join_words([_PLURAL[i] for i in idx])
    if rule.by_month_days:
        return "the " + join_words([ordinal(d) for d in rule.by_month_days if isinstance(d, int)])
    if first is not None and freq == "monthly":
        return f"the {ordinal(first.day)}"
    if first is not None and freq == "yearly" and not rule.by_months:
        return f"{first.day} {_MONTHS[first.month - 1]}"
    if first is not None and freq == "yearly":
        return f"the {ordinal(first.day)}"
    return ""


def end_phrase(rule: Recurrence, zone: tzinfo | None = None) -> str:
    if rule.count is not None:
        return "once" if rule.count == 1 else f"{rule.count} times"
    if isinstance(rule.until, date):
        until = rule.until
        if isinstance(until, datetime) and zone is not None and until.tzinfo is not None:
            until = until.astimezone(zone)
        return f"until {format_date(until)}"
    return ""


def time_span(start: datetime, end: datetime) -> str:
    """ "09:00–18:00", "22:00–06:00 (next day)", "09:00–09:00 (+2 days)"."""
    text = f"{start:%H:%M}–{end:%H:%M}"
    days = (end.date() - start.date()).days
    if days == 1:
        text += " (next day)"
    elif days > 1:
        text += f" (+{days} days)"
    return text


def summarize(alarm: Summarized) -> str:
    """A one-line description; degrades gracefully on an alarm that does not validate."""
    try:
        return _summarize(alarm)
    except Exception:  # malformed values: a summary must never break a screen
        return "Alarm with invalid settings"


def _summarize(alarm: Summarized) -> str:
    rate = alarm.uplink_rate_min_per_hour
    tail = f"alert below {rate} uplink{'s' if rate != 1 else ''}/h"
    if alarm.start is None or alarm.end is None:
        return f"Incomplete alarm, {tail}"
    zone = zone_or_none(alarm.timezone)
    start, end = alarm.start, alarm.end
    if zone is not None:
        start = start.astimezone(zone) if start.tzinfo else start
        end = end.astimezone(zone) if end.tzinfo else end
    if end.tzinfo is not None and start.tzinfo is not None:
        span = time_span(start, start + _wall_span(start, end))
    else:
        span = time_span(start, end)
    rules = (
        [r for r in alarm.recurrence if isinstance(r, Recurrence)]
        if isinstance(alarm.recurrence, list)
        else []
    )
    if not rules:
        return f"Once on {start:%a} {format_date(start)} {span} {alarm.timezone}, {tail}"
    if len(rules) == 1:
        rule = rules[0]
        ends = end_phrase(rule, zone)
        if rule.frequency in SUB_DAILY:
            length = format_duration(_wall_span(start, end) if end.tzinfo else end - start)
            span = f"for {length} from {start:%H:%M}"
        head = f"{rule_phrase(rule, start.date())} {span} {alarm.timezone}"
        return f"{head}, {ends}, {tail}" if ends else f"{head}, {tail}"
    parts = []
    for rule in rules:
        ends = end_phrase(rule, zone)
        phrase = rule_phrase(rule, start.date())
        parts.append(f"{phrase} ({ends})" if ends else phrase)
    joined = parts[0] + "".join(f" + {p[0].lower()}{p[1:]}" for p in parts[1:])
    return f"{joined} {span} {alarm.timezone}, {tail}"


def _wall_span(start: datetime, end: datetime) -> timedelta:
    return end.replace(tzinfo=None) - start.replace(tzinfo=None)
