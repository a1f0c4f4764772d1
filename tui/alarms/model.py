"""The ThingPark low uplink-rate alarm: JSON round trip, validation and its windows in time."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from .recurrence import SUB_DAILY, Recurrence
from .summary import summarize
from .validation import AlarmProblem, rate_problems, repeat_problems, rule_problems
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
            span = self._span_or_none(zone)
            for i, rule in enumerate(self.recurrence):
                problems.extend(rule_problems(rule, f"recurrence[{i}]"))
                if span is not None:
                    problems.extend(repeat_problems(rule, span, f"recurrence[{i}]"))
        return problems

    def _span_or_none(self, zone: tzinfo | None) -> timedelta | None:
        """The first window's wall-clock span, when both ends can be read."""
        if self.start is None or self.end is None or zone is None:
            return None
        try:
            start = self._aware(self.start, zone).astimezone(zone).replace(tzinfo=None)
            return self._aware(self.end, zone).astimezone(zone).replace(tzinfo=None) - start
        except (TypeError, ValueError, OverflowError):
            return None

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

    def _window_at(self, start_naive: datetime, span: timedelta) -> Window:
        zone = self.zone
        start = localize(start_naive, zone)
        end = localize(start_naive + span, zone)
        if end <= start:
            # Both ends fell in the same DST gap (e.g. 02:30–03:00 on a spring-forward night):
            # keep the window's real length rather than make it empty.
            end = (start + span).astimezone(zone)
        return Window(start, end)

    @property
    def first_window_is_extra(self) -> bool:
        """True when the first window is not one of its rules' own (a monthly "first Monday"
        rule starting on a Tuesday): it is still a window, as DTSTART is in RFC 5545."""
        start, _ = self._first_local()
        rules = [r for r in self.recurrence if isinstance(r, Recurrence)]
        return bool(rules) and not any(_rule_starts_at(r, start, self.zone) for r in rules)

    def _starts(self, horizon: datetime, lo: datetime | None = None) -> Iterator[datetime]:
        """Naive wall-clock window starts up to ``horizon``, in order, de-duplicated; with
        ``lo`` a rule may skip starts before it (sub-daily rules jump ahead instead of walking
        every hour or minute since the first window)."""
        start, _ = self._first_local()
        streams: list[Iterable[datetime]] = [[start]]
        for rule in self.recurrence:
            streams.append(_rule_starts(rule, start, self.zone, horizon, lo))
        last: datetime | None = None
        for occ in heapq.merge(*streams):
            if occ != last:
                last = occ
                yield occ

    def _windows(self, starts: Iterable[datetime], span: timedelta) -> Iterator[Window]:
        """Windows at these starts, once per instant: two wall-clock starts can name the same
        instant on a spring-forward night (02:30 is read as 03:30), and RFC 5545 counts a
        duplicate once."""
        last: datetime | None = None
        for occ in starts:
            w = self._window_at(occ, span)
            if last is not None and w.start == last:
                continue
            last = w.start
            yield w

    def windows_between(self, start: datetime, end: datetime) -> list[Window]:
        """Windows overlapping ``[start, end)`` (aware instants), in order."""
        _, span = self._first_local()
        zone = self.zone
        lo = start.astimezone(zone).replace(tzinfo=None) - span - timedelta(days=1)
        hi = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
        found = []
        for w in self._windows((o for o in self._starts(hi, lo) if o >= lo), span):
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
        for w in self._windows((o for o in self._starts(horizon, lo) if o >= lo), span):
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


def validate_alarm(data: Any) -> list[AlarmProblem]:
    """Problems of one alarm given as JSON (an object is required)."""
    if not isinstance(data, dict):
        return [AlarmProblem("", "An alarm must be a JSON object.")]
    return Alarm.from_json(data).validate()


def _rule_starts_at(rule: Recurrence, start: datetime, zone: tzinfo) -> bool:
    """Whether ``rule``'s own first occurrence is the first window's start."""
    return next(iter(rule.to_rrule(start, zone, horizon=start)), None) == start


def _rule_starts(
    rule: Recurrence, start: datetime, zone: tzinfo, horizon: datetime, lo: datetime | None
) -> Iterator[datetime]:
    """One rule's naive starts. ``count`` counts the first window as the first occurrence, as
    the platform describes it, so a first window that is not on the rule uses one of them.
    A sub-daily rule without ``count`` starts at its last step before ``lo``: its starts are
    ``start + k × interval`` whatever the days, so nothing is skipped that matters."""
    step = SUB_DAILY.get(rule.frequency)
    if rule.count is None and step is not None and lo is not None and lo > start:
        every = timedelta(seconds=step * int(rule.interval))
        ahead = start + ((lo - start) // every) * every
        return iter(rule.to_rrule(ahead, zone, horizon=horizon))
    occ = iter(rule.to_rrule(start, zone, horizon=horizon))
    if rule.count is None:
        return occ
    count = int(rule.count)
    if not _rule_starts_at(rule, start, zone):
        count -= 1
    return islice(occ, max(count, 0))
