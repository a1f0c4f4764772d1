"""One alarm recurrence rule ⇄ dateutil ``rrule`` ⇄ RFC 5545 RRULE text (written here, read in
:mod:`tui.alarms.rrule_text`).

The platform's form (OpenAPI ``connectionAlarmRecurrence``) is ``frequency`` (secondly … yearly),
``interval``, ``count``, ``until`` (a date-time) and ``byDays`` (``"monday"``, ``"1monday"``
the first Monday, ``"-1friday"`` the last Friday). :data:`NON_PLATFORM_KEYS` are not described
by the platform: they are read and kept, and written only for rules that need them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from dateutil import rrule as _rr

FREQUENCIES: tuple[str, ...] = (
    "secondly",
    "minutely",
    "hourly",
    "daily",
    "weekly",
    "monthly",
    "yearly",
)
"""The platform's frequencies, shortest first."""

SUB_DAILY: dict[str, int] = {"secondly": 1, "minutely": 60, "hourly": 3600}
"""Frequencies that repeat the window within a day, with the seconds in one unit."""

PLATFORM_KEYS: tuple[str, ...] = ("frequency", "interval", "count", "until", "byDays")
"""What the platform's OpenAPI description says a rule may hold."""

NON_PLATFORM_KEYS: tuple[str, ...] = ("byMonthDays", "byMonths", "bySetPosition")
"""Keys the platform does not describe (RRULE BYMONTHDAY, BYMONTH, BYSETPOS): the platform may
ignore them or refuse the alarm, so they are written only when a rule cannot be said without."""

DAY_NAMES: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
DAY_CODES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RR_DAYS = (_rr.MO, _rr.TU, _rr.WE, _rr.TH, _rr.FR, _rr.SA, _rr.SU)
_RR_FREQ = {
    "secondly": _rr.SECONDLY,
    "minutely": _rr.MINUTELY,
    "hourly": _rr.HOURLY,
    "daily": _rr.DAILY,
    "weekly": _rr.WEEKLY,
    "monthly": _rr.MONTHLY,
    "yearly": _rr.YEARLY,
}
_DAY_ENTRY = re.compile(r"([+-]?[0-9]{1,2})?([a-z]+)")

# JSON key → attribute, in the order a new rule is written.
_KEYS: tuple[tuple[str, str], ...] = (
    ("frequency", "frequency"),
    ("interval", "interval"),
    ("byDays", "by_days"),
    ("byMonthDays", "by_month_days"),
    ("byMonths", "by_months"),
    ("bySetPosition", "by_set_position"),
    ("count", "count"),
    ("until", "until"),
)
_LIST_KEYS = {"byDays", "byMonthDays", "byMonths", "bySetPosition"}


class RecurrenceError(ValueError):
    """RRULE text the model cannot express; the message is a sentence for the user."""


def parse_until(value: Any) -> date | datetime | Any:
    """``"2026-12-31"`` → date; ISO date-time → datetime; anything else is returned unchanged."""
    if isinstance(value, str):
        try:
            if "T" not in value and len(value) == 10:
                return date.fromisoformat(value)
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def format_until(value: date | datetime) -> str:
    if isinstance(value, datetime):
        text = value.isoformat()
        return text.replace("+00:00", "Z") if value.utcoffset() is not None else text
    return value.isoformat()


@dataclass(eq=False)
class Recurrence:
    """One recurrence rule. Field values come straight from JSON when they cannot be converted,
    so :func:`tui.alarms.validate_alarm` can explain them; ``extra`` holds unknown keys."""

    frequency: str = "weekly"
    by_days: list[str] = field(default_factory=list)
    interval: int = 1
    by_month_days: list[int] = field(default_factory=list)
    by_months: list[int] = field(default_factory=list)
    by_set_position: list[int] = field(default_factory=list)
    count: int | None = None
    until: date | datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] | None = field(default=None, repr=False)

    def _key(self) -> tuple:
        return (
            self.frequency,
            _listed(self.by_days),
            self.interval,
            _listed(self.by_month_days),
            _listed(self.by_months),
            _listed(self.by_set_position),
            self.count,
            self.until,
            self.extra,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Recurrence) and self._key() == other._key()

    # --- ThingPark JSON -------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recurrence:
        """Parse a ThingPark rule; unknown keys go to ``extra`` and are written back."""
        if not isinstance(data, dict):
            raise TypeError("a recurrence rule must be a JSON object")
        known = {k for k, _ in _KEYS}
        rule = cls(source=dict(data), extra={k: v for k, v in data.items() if k not in known})
        freq = data.get("frequency", "weekly")
        rule.frequency = freq.lower() if isinstance(freq, str) else freq
        for key, attr in _KEYS[1:]:
            if key not in data:
                continue
            value = data[key]
            if key == "byDays" and isinstance(value, list):
                value = [d.lower() if isinstance(d, str) else d for d in value]
            elif key in _LIST_KEYS and isinstance(value, list):
                value = list(value)
            elif key == "until":
                value = parse_until(value)
            setattr(rule, attr, value)
        return rule

    def to_json(self) -> dict[str, Any]:
        """Write the rule; original key order and spellings are kept for unchanged values."""
        src = self.source or {}
        if self.source is not None and self._unchanged():
            return dict(self.source)  # untouched: exactly what came in, even if incomplete
        out: dict[str, Any] = {}
        current = self._json_values()
        # Keys of the source first, in their order (known ones refreshed, unknown ones kept).
        for key, value in src.items():
            if key in current:
                if _same(key, value, current[key]):
                    out[key] = value
                else:
                    out[key] = _dump(key, current[key])
            elif key in self.extra:
                out[key] = self.extra[key]
        for key, value in current.items():
            if key not in out:
                out[key] = _dump(key, value)
        for key, value in self.extra.items():
            if key not in out:
                out[key] = value
        return out

    def _unchanged(self) -> bool:
        """True when the rule still says what its source said (malformed values included)."""
        try:
            return self == Recurrence.from_json(self.source or {})
        except TypeError:  # a malformed value that cannot be compared: write it field by field
            return False

    def _json_values(self) -> dict[str, Any]:
        """Known keys to write: frequency always, others when used (or present in the source).
        An empty ``byDays`` is never written: a weekly rule without days repeats on the first
        window's weekday (RFC 5545), which the platform reads the same way."""
        src = self.source or {}
        values: dict[str, Any] = {"frequency": self.frequency}
        for key, attr in _KEYS[1:]:
            value = getattr(self, attr)
            unused = value is None or value == [] or (key == "interval" and value == 1)
            if (unused and key not in src) or value is None or (key in _LIST_KEYS and value == []):
                continue
            values[key] = value
        return values

    @property
    def non_platform_keys(self) -> list[str]:
        """The keys of :data:`NON_PLATFORM_KEYS` this rule writes."""
        return [k for k in self._json_values() if k in NON_PLATFORM_KEYS]

    @property
    def days(self) -> list[tuple[int | None, int]]:
        """``byDays`` as ``(ordinal or None, weekday 0=Monday)``; ValueError on a bad entry."""
        out = []
        for entry in self.by_days:
            parsed = parse_day(entry)
            if parsed is None:
                raise ValueError(f"{entry!r} is not a day such as 'monday' or '1monday'")
            out.append(parsed)
        return out

    # --- dateutil -------------------------------------------------------------------------------

    def to_rrule(
        self, dtstart: datetime, tz: tzinfo | None = None, horizon: datetime | None = None
    ) -> _rr.rrule:
        """A dateutil rrule on *naive* local wall-clock time starting at ``dtstart`` (naive).

        ``tz`` converts an aware ``until`` into local wall-clock time. With ``horizon`` (naive) the
        rule stops there and ``count`` is left to the caller (dateutil would otherwise search up to
        year 9999 for a rule that never fires). Raises ``ValueError`` for an invalid rule."""
        if self.frequency not in _RR_FREQ:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        kwargs: dict[str, Any] = {
            "dtstart": dtstart,
            "interval": int(self.interval),
            "wkst": _rr.MO,
        }
        days = [_RR_DAYS[w](n) if n is not None else _RR_DAYS[w] for n, w in self.days]
        if days:
            kwargs["byweekday"] = days
        if self.by_month_days:
            kwargs["bymonthday"] = [int(v) for v in self.by_month_days]
        if self.by_months:
            kwargs["bymonth"] = [int(v) for v in self.by_months]
        if self.by_set_position:
            kwargs["bysetpos"] = [int(v) for v in self.by_set_position]
        if self.count is not None and horizon is None:
            kwargs["count"] = int(self.count)
        if self.until is not None:
            kwargs["until"] = local_until(self.until, tz)
        if horizon is not None:
            kwargs["until"] = min(kwargs.get("until", horizon), horizon)
        return _rr.rrule(_RR_FREQ[self.frequency], **kwargs)

    # --- RFC 5545 text --------------------------------------------------------------------------

    def to_rrule_text(self) -> str:
        """RFC 5545 RRULE value, e.g. ``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR`` or
        ``FREQ=MONTHLY;BYDAY=1MO``. A date ``until`` is written ``UNTIL=YYYYMMDD`` and read back
        as "through that local day"; a date-time one in UTC."""
        parts = [f"FREQ={str(self.frequency).upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={_until_text(self.until)}")
        if self.by_days:
            codes = [f"{'' if n is None else n}{DAY_CODES[w]}" for n, w in self.days]
            parts.append("BYDAY=" + ",".join(codes))
        if self.by_month_days:
            parts.append("BYMONTHDAY=" + ",".join(str(v) for v in self.by_month_days))
        if self.by_months:
            parts.append("BYMONTH=" + ",".join(str(v) for v in self.by_months))
        if self.by_set_position:
            parts.append("BYSETPOS=" + ",".join(str(v) for v in self.by_set_position))
        return ";".join(parts)


def parse_day(entry: Any) -> tuple[int | None, int] | None:
    """``"monday"`` → ``(None, 0)``, ``"1monday"``/``"+1monday"`` → ``(1, 0)``, ``"-1friday"`` →
    ``(-1, 4)``; None for anything else (ordinals are 1 to 53 either way, as RFC 5545 says)."""
    if not isinstance(entry, str):
        return None
    m = _DAY_ENTRY.fullmatch(entry.strip().lower())
    if not m or m[2] not in DAY_NAMES:
        return None
    ordinal = int(m[1]) if m[1] is not None else None
    if ordinal is not None and not 1 <= abs(ordinal) <= 53:
        return None
    return ordinal, DAY_NAMES.index(m[2])


def day_entry(weekday: int, ordinal: int | None = None) -> str:
    """The platform's spelling: ``day_entry(0)`` → ``"monday"``, ``day_entry(4, -1)`` →
    ``"-1friday"`` (no ``+`` for positive ordinals, as the platform's examples write them)."""
    return f"{'' if ordinal is None else ordinal}{DAY_NAMES[weekday]}"


def day_index(name: Any) -> int:
    """``"monday"`` → 0 … ``"sunday"`` → 6; ValueError otherwise."""
    if isinstance(name, str) and name.lower() in DAY_NAMES:
        return DAY_NAMES.index(name.lower())
    raise ValueError(f"{name!r} is not a day name")


def local_until(until: date | datetime, tz: tzinfo | None) -> datetime:
    """``until`` as naive local wall-clock time: a date means the whole day is included."""
    if isinstance(until, datetime):
        if until.tzinfo is not None and tz is not None:
            return until.astimezone(tz).replace(tzinfo=None)
        return until.replace(tzinfo=None)
    if isinstance(until, date):
        return datetime.combine(until, time.max)
    raise ValueError(f"{until!r} is not a date")


def _until_text(until: date | datetime) -> str:
    if isinstance(until, datetime):
        if until.tzinfo is not None:
            return until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return until.strftime("%Y%m%dT%H%M%S")
    return until.strftime("%Y%m%d")


def _listed(value: Any) -> Any:
    """A copy of a list value; anything else (a malformed value kept as it came) as is."""
    return list(value) if isinstance(value, list | tuple) else value


def _same(key: str, source_value: Any, current: Any) -> bool:
    if key == "until":
        return parse_until(source_value) == current and type(parse_until(source_value)) is type(
            current
        )
    if key == "byDays" and isinstance(source_value, list):
        return [d.lower() if isinstance(d, str) else d for d in source_value] == current
    if key == "frequency" and isinstance(source_value, str):
        return source_value.lower() == current
    return source_value == current and type(source_value) is type(current)


def _dump(key: str, value: Any) -> Any:
    if key == "until" and isinstance(value, date):
        return format_until(value)
    if key in _LIST_KEYS and isinstance(value, list):
        return list(value)
    return value
