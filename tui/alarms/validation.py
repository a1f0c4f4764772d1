"""Sentences for what is wrong with an alarm's parts: its rate, each recurrence rule, and a
sub-daily rule's windows against its repeat interval. The model and the editor's draft both ask
here, so a mistake reads the same wherever it is found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..timefmt import format_duration
from .recurrence import FREQUENCIES, SUB_DAILY, Recurrence, parse_day

MAX_WINDOWS_PER_DAY = 10_000
"""A sub-daily rule opening more windows a day than this is refused."""


@dataclass(frozen=True)
class AlarmProblem:
    """One validation problem: the field it concerns (JSON key, or ``recurrence[i].key``, or a
    draft field name for drafts) and a plain sentence saying what to do."""

    field: str
    message: str


def rate_problems(rate: Any, field_name: str = "uplinkRateMinPerHour") -> list[AlarmProblem]:
    if (
        isinstance(rate, bool)
        or not isinstance(rate, int | float)
        or rate < 0
        or (isinstance(rate, float) and not rate.is_integer())
    ):
        return [
            AlarmProblem(
                field_name,
                "The minimum rate must be a whole number of uplinks per hour, 0 or more.",
            )
        ]
    return []


def _counts_in_months(rule: Recurrence, parsed: list[Any]) -> bool:
    """A yearly rule with months whose numbered days go past a month's five."""
    months = rule.by_months
    return bool(isinstance(months, list) and months) and any(
        p is not None and p[0] is not None and abs(p[0]) > 5 for p in parsed
    )


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def rule_problems(rule: Any, prefix: str) -> list[AlarmProblem]:
    """Problems of one recurrence rule; fields are ``prefix.jsonKey``."""
    if not isinstance(rule, Recurrence):
        return [AlarmProblem(prefix, "Each recurrence rule must be a JSON object.")]
    out: list[AlarmProblem] = []

    def add(key: str, msg: str) -> None:
        out.append(AlarmProblem(f"{prefix}.{key}", msg))

    if rule.frequency not in FREQUENCIES:
        add(
            "frequency",
            f"'{rule.frequency}' is not a frequency; choose one of {', '.join(FREQUENCIES)}.",
        )
    days = rule.by_days
    parsed = [parse_day(d) for d in days] if isinstance(days, list) else [None]
    if any(p is None for p in parsed):
        add(
            "byDays",
            "Days must be lowercase English weekday names such as 'monday', optionally "
            "numbered: '1monday' (the first Monday), '-1friday' (the last Friday).",
        )
    elif any(p[0] is not None for p in parsed if p is not None):
        if rule.frequency not in ("monthly", "yearly"):
            add(
                "byDays",
                "Numbered days such as '1monday' only work in monthly or yearly rules.",
            )
        elif rule.frequency == "monthly" and any(
            p is not None and p[0] is not None and abs(p[0]) > 5 for p in parsed
        ):
            add(
                "byDays",
                "A month has at most five of each weekday: number days 1 to 5 or -1 to -5.",
            )
        elif rule.frequency == "yearly" and _counts_in_months(rule, parsed):
            # RFC 5545: with BYMONTH the number counts within each month (dateutil fails on
            # a ninth Monday of March instead of finding none).
            add(
                "byDays",
                "With months, numbered days count within each month, which has at most five "
                "of each weekday: number days 1 to 5 or -1 to -5 (or leave the months out to "
                "count in the whole year).",
            )
    if not _is_int(rule.interval) or rule.interval < 1:
        add("interval", "The interval must be a whole number, 1 or more.")
    if rule.count is not None and rule.until is not None:
        add(
            "count",
            "Choose either an end date or a number of occurrences, not both "
            "(RFC 5545 forbids both).",
        )
    if rule.count is not None and (not _is_int(rule.count) or rule.count < 1):
        add("count", "The number of occurrences must be a whole number, 1 or more.")
    if rule.until is not None and not isinstance(rule.until, date):
        add("until", f"'{rule.until}' is not a date such as 2026-12-31.")
    md = rule.by_month_days
    if not isinstance(md, list) or any(not _is_int(v) or v == 0 or not -31 <= v <= 31 for v in md):
        add(
            "byMonthDays",
            "Month days must be 1 to 31 (or -1 to -31, counting from the month's end).",
        )
    months = rule.by_months
    if not isinstance(months, list) or any(not _is_int(v) or not 1 <= v <= 12 for v in months):
        add("byMonths", "Months must be numbers from 1 (January) to 12 (December).")
    pos = rule.by_set_position
    if not isinstance(pos, list) or any(
        not _is_int(v) or v == 0 or not -366 <= v <= 366 for v in pos
    ):
        add(
            "bySetPosition",
            "Positions must be 1 or more (first, second…) or -1 or less (last, second to last…).",
        )
    elif pos and not days:
        add("bySetPosition", "A position (first, last…) needs a weekday to count.")
    return out


def repeat_problems(rule: Any, span: timedelta, field_name: str) -> list[AlarmProblem]:
    """Sentences for a sub-daily rule whose windows cannot work: one longer than the time
    between two starts overlaps the next; more than :data:`MAX_WINDOWS_PER_DAY` a day is
    refused (the platform would evaluate an alarm every few seconds)."""
    if not isinstance(rule, Recurrence) or rule.frequency not in SUB_DAILY:
        return []
    if not _is_int(rule.interval) or rule.interval < 1:
        return []  # rule_problems explains the interval
    unit = rule.frequency.removesuffix("ly").replace("dai", "day")
    every_seconds = SUB_DAILY[rule.frequency] * rule.interval
    every = f"every {unit}" if rule.interval == 1 else f"every {rule.interval} {unit}s"
    out = []
    per_day = 86_400 // every_seconds
    if per_day > MAX_WINDOWS_PER_DAY:
        least = -(-86_400 // MAX_WINDOWS_PER_DAY)
        out.append(
            AlarmProblem(
                f"{field_name}.interval",
                f"Repeating {every} opens {per_day:,} windows a day; at most "
                f"{MAX_WINDOWS_PER_DAY:,} are allowed, so repeat every {least} seconds or more.",
            )
        )
    if span > timedelta(seconds=every_seconds):
        out.append(
            AlarmProblem(
                f"{field_name}.interval",
                f"A {format_duration(span)} window repeated {every} overlaps the next one; "
                f"make the window {format_duration(every_seconds)} or shorter, or repeat less "
                "often.",
            )
        )
    return out
