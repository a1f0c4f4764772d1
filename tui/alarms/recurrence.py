"""One ThingPark recurrence rule ⇄ dateutil ``rrule`` ⇄ RFC 5545 RRULE text.

The documented ThingPark form is ``{"frequency": "weekly", "byDays": ["monday", ...]}``. Everything
else (other frequencies and the keys in :data:`EXTENSION_KEYS`) is our extension, named after the
RRULE part it mirrors; the platform may ignore it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from dateutil import rrule as _rr

FREQUENCIES: tuple[str, ...] = ("daily", "weekly", "monthly", "yearly")
"""Frequencies the model understands. Only ``weekly`` is documented by ThingPark."""

EXTENSION_FREQUENCIES: tuple[str, ...] = ("daily", "monthly", "yearly")
"""Frequencies beyond the documented ``weekly``: an extension the platform may not honour."""

EXTENSION_KEYS: tuple[str, ...] = (
    "interval",
    "count",
    "until",
    "byMonthDays",
    "byMonths",
    "bySetPosition",
)
"""Recurrence keys beyond the documented ``frequency``/``byDays``, written only when used.

``interval`` (int ≥ 1, RRULE INTERVAL), ``count`` (int ≥ 1, COUNT), ``until`` (ISO date
``"2026-12-31"``, inclusive local day, or ISO date-time with offset, UNTIL), ``byMonthDays``
(list of 1..31 or -31..-1, BYMONTHDAY), ``byMonths`` (list of 1..12, BYMONTH), ``bySetPosition``
(list of ±1..±366, BYSETPOS; with one ``byDays`` entry in a monthly rule it means "nth weekday").
"""

DAY_NAMES: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_DAY_CODES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RR_DAYS = (_rr.MO, _rr.TU, _rr.WE, _rr.TH, _rr.FR, _rr.SA, _rr.SU)
_RR_FREQ = {"daily": _rr.DAILY, "weekly": _rr.WEEKLY, "monthly": _rr.MONTHLY, "yearly": _rr.YEARLY}

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
        """Known keys to write: frequency always, others when used (or present in the source)."""
        src = self.source or {}
        values: dict[str, Any] = {"frequency": self.frequency}
        for key, attr in _KEYS[1:]:
            value = getattr(self, attr)
            unused = value is None or value == [] or (key == "interval" and value == 1)
            if unused and key not in src:
                continue
            if value is None:
                continue
            values[key] = value
        if self.frequency == "weekly" and "byDays" not in values:
            values["byDays"] = _listed(self.by_days) if isinstance(self.by_days, list) else []
        return values

    @property
    def uses_extensions(self) -> bool:
        """True when this rule goes beyond the documented weekly/byDays form."""
        return self.frequency != "weekly" or any(k in EXTENSION_KEYS for k in self._json_values())

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
        days = [_RR_DAYS[day_index(d)] for d in self.by_days]
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
        """RFC 5545 RRULE value, e.g. ``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``.

        A date ``until`` is written ``UNTIL=YYYYMMDD`` and read back as "through that local day"."""
        parts = [f"FREQ={str(self.frequency).upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={_until_text(self.until)}")
        codes = [_DAY_CODES[day_index(d)] for d in self.by_days]
        nth_form = (
            self.frequency == "monthly"
            and len(codes) == 1
            and len(self.by_set_position) == 1
            and not self.by_month_days
        )
        if nth_form:
            parts.append(f"BYDAY={self.by_set_position[0]}{codes[0]}")
        elif codes:
            parts.append("BYDAY=" + ",".join(codes))
        if self.by_month_days:
            parts.append("BYMONTHDAY=" + ",".join(str(v) for v in self.by_month_days))
        if self.by_months:
            parts.append("BYMONTH=" + ",".join(str(v) for v in self.by_months))
        if self.by_set_position and not nth_form:
            parts.append("BYSETPOS=" + ",".join(str(v) for v in self.by_set_position))
        return ";".join(parts)

    @classmethod
    def from_rrule_text(cls, text: str) -> Recurrence:
        """Parse an RRULE value (``RRULE:`` prefix optional). Raises :class:`RecurrenceError`
        with a sentence for parts the model cannot express."""
        body = text.strip()
        if body.upper().startswith("RRULE:"):
            body = body[6:]
        if not body:
            raise RecurrenceError(
                "The rule is empty; start with FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."
            )
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
        return cls._from_parts(parts)

    @classmethod
    def _from_parts(cls, parts: dict[str, str]) -> Recurrence:
        freq = parts.pop("FREQ", None)
        if freq is None:
            raise RecurrenceError("FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY).")
        if freq.upper() in ("SECONDLY", "MINUTELY", "HOURLY"):
            raise RecurrenceError(
                f"FREQ={freq.upper()} cannot be expressed: an alarm window repeats at most daily; "
                "its time of day comes from the first window."
            )
        if freq.lower() not in FREQUENCIES:
            raise RecurrenceError(
                f"FREQ={freq} is not a frequency; use DAILY, WEEKLY, MONTHLY or YEARLY."
            )
        rule = cls(frequency=freq.lower())
        for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            if name in parts:
                raise RecurrenceError(
                    f"{name} cannot be expressed: the window's time of day comes from the first "
                    "window."
                )
        for name in ("BYYEARDAY", "BYWEEKNO"):
            if name in parts:
                raise RecurrenceError(f"{name} is not supported by the alarm model.")
        wkst = parts.pop("WKST", "MO").upper()
        if wkst not in _DAY_CODES:
            raise RecurrenceError(f"WKST={wkst} is not a weekday such as MO.")
        # WKST only matters for weekly rules with an interval and several days (RFC 5545).
        interval_text = parts.get("INTERVAL", "1").strip()
        if (
            wkst != "MO"
            and rule.frequency == "weekly"
            and interval_text != "1"
            and "BYDAY" in parts
        ):
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
            _apply_byday(rule, parts.pop("BYDAY"))
        if parts:
            raise RecurrenceError(f"Unknown or unsupported rule part(s): {', '.join(parts)}.")
        return rule


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
    try:
        value = int(text)
    except ValueError:
        raise RecurrenceError(f"{name}={text} must be a whole number.") from None
    if value < minimum:
        raise RecurrenceError(f"{name} must be {minimum} or more.")
    return value


def _int_list(name: str, text: str, limit: int, negative: bool = True) -> list[int]:
    values = []
    for item in text.split(","):
        try:
            value = int(item)
        except ValueError:
            raise RecurrenceError(f"{name}: '{item}' is not a whole number.") from None
        low = -limit if negative else 1
        if value == 0 or not low <= value <= limit:
            span = f"1 to {limit}" + (f" or -1 to -{limit}" if negative else "")
            raise RecurrenceError(f"{name}: {value} is out of range ({span}).")
        values.append(value)
    return values


def _apply_byday(rule: Recurrence, text: str) -> None:
    days: list[str] = []
    ordinals: list[int] = []
    for item in text.upper().split(","):
        m = re.fullmatch(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", item.strip())
        if not m:
            raise RecurrenceError(f"BYDAY: '{item}' is not a weekday such as MO or 1FR.")
        name = DAY_NAMES[_DAY_CODES.index(m[2])]
        if m[1] is not None:
            ordinals.append(int(m[1]))
        if name not in days:
            days.append(name)
    if ordinals:
        if len(ordinals) != len(text.split(",")):
            raise RecurrenceError("BYDAY cannot mix plain weekdays with numbered ones (e.g. 1MO).")
        if len(days) > 1:
            raise RecurrenceError(
                "BYDAY with numbered days of different weekdays (e.g. 1MO,2FR) cannot be "
                "expressed; use one weekday with numbers (1MO,-1MO) or BYSETPOS."
            )
        if rule.frequency not in ("monthly", "yearly"):
            raise RecurrenceError(
                "Numbered weekdays (e.g. 1MO) only make sense in monthly or yearly rules."
            )
        if rule.by_set_position:
            raise RecurrenceError("BYDAY with numbered weekdays cannot be combined with BYSETPOS.")
        if rule.frequency == "yearly" and len(rule.by_months) > 1:
            raise RecurrenceError(
                "Numbered weekdays with several BYMONTH values cannot be expressed; write one "
                "rule per month."
            )
        if any(o == 0 or abs(o) > 53 for o in ordinals):
            raise RecurrenceError(
                "BYDAY: the number before a weekday must be 1 to 53 or -1 to -53."
            )
        # One weekday numbered n within the month (or year) is the nth of that weekday's set.
        rule.by_set_position = ordinals
    rule.by_days = days


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
