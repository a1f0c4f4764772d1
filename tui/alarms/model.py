"""The ThingPark low uplink-rate alarm: JSON round trip, validation and its windows in time."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule as _rr

from .recurrence import DAY_NAMES, FREQUENCIES, Recurrence
from .summary import summarize
from .zones import localize, timezone_message, zone_or_none

_KEYS = ("startTime", "endTime", "timezone", "recurrence", "uplinkRateMinPerHour", "message")

# How far ahead next_window() looks before deciding there is no further window.
SEARCH_YEARS = 50


class AlarmInvalid(ValueError):
    """Raised by window computations on an alarm that does not validate."""

    def __init__(self, problems: list[AlarmProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class AlarmProblem:
    """One validation problem: the field it concerns (JSON key, or ``recurrence[i].key``, or a
    draft field name for drafts) and a plain sentence saying what to do."""

    field: str
    message: str


@dataclass(frozen=True)
class Window:
    """One alarm window: aware ``start``/``end`` in the alarm's zone; ``end`` is exclusive.

    Compare instants with ``<``/``>`` or in UTC: by PEP 495 a time inside a DST fold never
    compares ``==`` to a datetime of another zone."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """Real elapsed time (shorter or longer than the wall-clock span across a DST change)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def contains(self, now: datetime) -> bool:
        return self.start <= now < self.end

    def in_zone(self, tz: str | tzinfo) -> Window:
        """The same window shown in another zone (e.g. the operator's)."""
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        return Window(self.start.astimezone(zone), self.end.astimezone(zone))

    def describe(self, tz: str | tzinfo | None = None) -> str:
        """``"Mon 02 Mar 2026 09:00–18:00 CET"``; the end shows its date when on another day."""
        w = self.in_zone(tz) if tz is not None else self
        head = w.start.strftime("%a %d %b %Y %H:%M")
        if w.end.date() == w.start.date():
            tail = w.end.strftime("%H:%M")
        else:
            tail = w.end.strftime("%a %d %b %H:%M")
        return f"{head}–{tail} {w.start.tzname() or ''}".rstrip()


def _parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def format_datetime(value: datetime) -> str:
    """ISO-8601 with offset, seconds precision, as the documentation writes it."""
    return value.isoformat(timespec="seconds")


@dataclass(eq=False)
class Alarm:
    """One alarm. ``start``/``end`` are the first window (aware; naive values are read as wall
    time in ``timezone``). Values that could not be parsed stay as they came, for validation."""

    start: datetime | None
    end: datetime | None
    timezone: str = "UTC"
    recurrence: list[Recurrence] = field(default_factory=list)
    uplink_rate_min_per_hour: Any = 0
    message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] | None = field(default=None, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Alarm):
            return NotImplemented
        return self.to_json() == other.to_json()

    # --- JSON ----------------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Alarm:
        """Parse one element of a connection's ``alarms``. Never raises for bad values (they are
        reported by :meth:`validate`); raises ``TypeError`` only if ``data`` is not an object."""
        if not isinstance(data, dict):
            raise TypeError("an alarm must be a JSON object")
        rules_raw = data.get("recurrence") or []
        rules: list[Any] = []
        if isinstance(rules_raw, list):
            for r in rules_raw:
                rules.append(Recurrence.from_json(r) if isinstance(r, dict) else r)
        else:
            rules = rules_raw
        return cls(
            start=_parse_datetime(data.get("startTime")),
            end=_parse_datetime(data.get("endTime")),
            timezone=data.get("timezone"),
            recurrence=rules,
            uplink_rate_min_per_hour=data.get("uplinkRateMinPerHour"),
            message=data.get("message"),
            extra={k: v for k, v in data.items() if k not in _KEYS},
            source=dict(data),
        )

    def to_json(self) -> dict[str, Any]:
        """The alarm as ThingPark JSON: the source's key order, unknown keys and datetime strings
        are kept for everything that did not change."""
        src = self.source or {}
        current: dict[str, Any] = {}
        for key, value in (("startTime", self.start), ("endTime", self.end)):
            if value is not None:
                current[key] = value
            elif key in src:
                current[key] = src[key]
        if self.timezone is not None or "timezone" in src:
            current["timezone"] = self.timezone
        if self.recurrence or "recurrence" in src:
            current["recurrence"] = self.recurrence
        if self.uplink_rate_min_per_hour is not None or "uplinkRateMinPerHour" in src:
            current["uplinkRateMinPerHour"] = self.uplink_rate_min_per_hour
        if self.message is not None or "message" in src:
            current["message"] = self.message
        out: dict[str, Any] = {}
        for key, original in src.items():
            if key in current:
                out[key] = self._dump(key, original, current[key])
            elif key in self.extra:
                out[key] = self.extra[key]
        for key, value in current.items():
            if key not in out:
                out[key] = self._dump(key, None, value)
        for key, value in self.extra.items():
            if key not in out:
                out[key] = value
        return out

    def _dump(self, key: str, original: Any, value: Any) -> Any:
        if key in ("startTime", "endTime"):
            if isinstance(value, datetime):
                parsed = _parse_datetime(original)
                if parsed == value and (parsed.tzinfo is None) == (value.tzinfo is None):
                    if parsed.utcoffset() == value.utcoffset():
                        return original
                return format_datetime(value)
            return value
        if key == "recurrence" and value == [] and not original:
            return original  # an empty or null recurrence is written back as it came
        if key == "recurrence" and isinstance(value, list):
            return [r.to_json() if isinstance(r, Recurrence) else r for r in value]
        return value

    # --- validation ----------------------------------------------------------------------------

    def validate(self) -> list[AlarmProblem]:
        """Every problem, as plain sentences; empty when the alarm is usable."""
        problems: list[AlarmProblem] = []
        src = self.source or {}
        zone = zone_or_none(self.timezone)
        if zone is None:
            msg = (
                "Choose a timezone, e.g. Europe/Paris."
                if self.timezone is None
                else timezone_message(self.timezone)
            )
            problems.append(AlarmProblem("timezone", msg))
        for key, value in (("startTime", self.start), ("endTime", self.end)):
            if value is None:
                raw = src.get(key)
                msg = (
                    f"{key} is missing."
                    if raw is None
                    else f"{key} '{raw}' is not a date-time such as 2026-01-31T09:00:00+01:00."
                )
                problems.append(AlarmProblem(key, msg))
        if self.start is not None and self.end is not None:
            try:
                if self._aware(self.end, zone) <= self._aware(self.start, zone):
                    problems.append(AlarmProblem("endTime", "The window must end after it starts."))
            except TypeError:
                problems.append(AlarmProblem("endTime", "The window must end after it starts."))
        problems.extend(rate_problems(self.uplink_rate_min_per_hour))
        if self.message is not None and not isinstance(self.message, str):
            problems.append(AlarmProblem("message", "The message must be text."))
        if not isinstance(self.recurrence, list):
            problems.append(AlarmProblem("recurrence", "The recurrence must be a list of rules."))
        else:
            for i, rule in enumerate(self.recurrence):
                problems.extend(rule_problems(rule, f"recurrence[{i}]"))
        return problems

    @property
    def is_valid(self) -> bool:
        return not self.validate()

    @staticmethod
    def _aware(value: datetime, zone: tzinfo | None) -> datetime:
        if value.tzinfo is None:
            return localize(value, zone or UTC)
        return value

    # --- windows -------------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        zone = zone_or_none(self.timezone)
        if zone is None:
            raise AlarmInvalid([AlarmProblem("timezone", timezone_message(self.timezone))])
        return zone

    def _first_local(self) -> tuple[datetime, timedelta]:
        """Naive wall-clock start of the first window and the wall-clock span of every window."""
        problems = self.validate()
        if problems:
            raise AlarmInvalid(problems)
        assert self.start is not None and self.end is not None
        zone = self.zone
        start = self._aware(self.start, zone).astimezone(zone)
        end = self._aware(self.end, zone).astimezone(zone)
        start_naive = start.replace(tzinfo=None)
        return start_naive, end.replace(tzinfo=None) - start_naive

    @property
    def first_window(self) -> Window:
        start, span = self._first_local()
        return self._window_at(start, span)

    def rruleset(self) -> _rr.rruleset:
        """All window starts as naive wall-clock times: the union of the rules plus the first
        window (always a window, as DTSTART is in RFC 5545), de-duplicated."""
        start, _ = self._first_local()
        rset = _rr.rruleset()
        rset.rdate(start)
        for rule in self.recurrence:
            rset.rrule(rule.to_rrule(start, self.zone))
        return rset

    def _window_at(self, start_naive: datetime, span: timedelta) -> Window:
        zone = self.zone
        start = localize(start_naive, zone)
        end = localize(start_naive + span, zone)
        if end <= start:
            # Both ends fell in the same DST gap (e.g. 02:30–03:00 on a spring-forward night):
            # keep the window's real length rather than make it empty.
            end = (start + span).astimezone(zone)
        return Window(start, end)

    def _starts(self, horizon: datetime) -> Iterator[datetime]:
        """Naive wall-clock window starts up to ``horizon``, in order, de-duplicated."""
        start, _ = self._first_local()
        streams: list[Iterable[datetime]] = [[start]]
        for rule in self.recurrence:
            occ = rule.to_rrule(start, self.zone, horizon=horizon)
            streams.append(islice(occ, int(rule.count)) if rule.count is not None else occ)
        last: datetime | None = None
        for occ in heapq.merge(*streams):
            if occ != last:
                last = occ
                yield occ

    def windows_between(self, start: datetime, end: datetime) -> list[Window]:
        """Windows overlapping ``[start, end)`` (aware instants), in order."""
        _, span = self._first_local()
        zone = self.zone
        lo = start.astimezone(zone).replace(tzinfo=None) - span - timedelta(days=1)
        hi = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
        found = []
        for occ in self._starts(hi):
            if occ < lo:
                continue
            w = self._window_at(occ, span)
            if w.end > start and w.start < end:
                found.append(w)
        return found

    def is_open(self, now: datetime) -> Window | None:
        """The window containing ``now`` (aware), including one that began the day before."""
        for w in self.windows_between(now, now + timedelta(microseconds=1)):
            if w.contains(now):
                return w
        return None

    def iter_windows(self, after: datetime) -> Iterator[Window]:
        """Windows starting strictly after ``after`` (aware), in order, looking at most
        :data:`SEARCH_YEARS` years ahead (so a rule that can never fire ends quickly)."""
        _, span = self._first_local()
        local = after.astimezone(self.zone).replace(tzinfo=None)
        lo = local - timedelta(days=1)
        horizon = local.replace(year=min(local.year + SEARCH_YEARS, 9998), day=min(local.day, 28))
        for occ in self._starts(horizon):
            if occ < lo:
                continue
            w = self._window_at(occ, span)
            if w.start > after:
                yield w

    def next_window(self, after: datetime) -> Window | None:
        """The first window starting strictly after ``after``, or None if there is none."""
        return next(self.iter_windows(after), None)

    def next_windows(self, after: datetime, n: int) -> list[Window]:
        out: list[Window] = []
        for w in self.iter_windows(after):
            if len(out) >= n:
                break
            out.append(w)
        return out

    def summary(self) -> str:
        return summarize(self)


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
            f"'{rule.frequency}' is not a frequency; choose daily, weekly, monthly or yearly.",
        )
    days = rule.by_days
    if not isinstance(days, list) or any(d not in DAY_NAMES for d in days):
        add("byDays", "Days must be lowercase English weekday names such as 'monday'.")
    elif rule.frequency == "weekly" and not days:
        add("byDays", "Pick at least one weekday for a weekly rule.")
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


def validate_alarm(data: Any) -> list[AlarmProblem]:
    """Problems of one alarm given as JSON (an object is required)."""
    if not isinstance(data, dict):
        return [AlarmProblem("", "An alarm must be a JSON object.")]
    return Alarm.from_json(data).validate()
