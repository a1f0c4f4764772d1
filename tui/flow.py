"""Data flow as the API reports it: per-connection metrics and the event log (no HTTP here).

Both models keep every key they do not know (``extra``) and tolerate missing ones: a
platform that omits ``lag`` or adds a field tomorrow is still read. Counters that are
missing read as None ("not reported"), never as 0, so a missing figure is not mistaken
for a silent connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .connections import UnreadableData, parse_time

__all__ = ["ConnectionMetrics", "Event", "EVENT_LEVELS", "level_rank"]

EVENT_LEVELS = ("debug", "info", "warn", "error")


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


@dataclass(frozen=True)
class ConnectionMetrics:
    """One ``connectionMetrics`` object (API reference §8); counters None when not reported."""

    connection_id: str
    active_things_1h: int | None = None
    active_things_24h: int | None = None
    uplinks_1h: int | None = None
    uplinks_24h: int | None = None
    uplinks_failed_1h: int | None = None
    uplinks_failed_24h: int | None = None
    uplinks_lost_1h: int | None = None
    uplinks_lost_24h: int | None = None
    downlinks_1h: int | None = None
    downlinks_24h: int | None = None
    downlinks_failed_1h: int | None = None
    downlinks_failed_24h: int | None = None
    downlinks_lost_1h: int | None = None
    downlinks_lost_24h: int | None = None
    lag: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> ConnectionMetrics:
        if not isinstance(data, dict):
            raise UnreadableData("a metrics item is not an object")
        ident = data.get("connectionId")
        if ident is None or isinstance(ident, bool | dict | list):
            raise UnreadableData("a metrics item has no connectionId")
        # connectionId is an integer in the description, a string on connections: compare as text.
        ident = str(ident)
        values = {_FIELD_OF[k]: _count(v) for k, v in data.items() if k in _FIELD_OF}
        extra = {k: v for k, v in data.items() if k not in _FIELD_OF and k != "connectionId"}
        return cls(connection_id=ident, extra=extra, **values)

    @property
    def failures_1h(self) -> int | None:
        """Failed plus lost uplinks in the last hour (None when neither is reported)."""
        if self.uplinks_failed_1h is None and self.uplinks_lost_1h is None:
            return None
        return (self.uplinks_failed_1h or 0) + (self.uplinks_lost_1h or 0)

    @property
    def failures_24h(self) -> int | None:
        if self.uplinks_failed_24h is None and self.uplinks_lost_24h is None:
            return None
        return (self.uplinks_failed_24h or 0) + (self.uplinks_lost_24h or 0)

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"connectionId": self.connection_id}
        for api_name, attr in _FIELD_OF.items():
            value = getattr(self, attr)
            if value is not None:
                out[api_name] = value
        out.update(self.extra)
        return out


_FIELD_OF = {
    "activeThingsLast1h": "active_things_1h",
    "activeThingsLast24h": "active_things_24h",
    "uplinksLast1h": "uplinks_1h",
    "uplinksLast24h": "uplinks_24h",
    "uplinksLast1hFailed": "uplinks_failed_1h",
    "uplinksLast24hFailed": "uplinks_failed_24h",
    "uplinksLast1hLost": "uplinks_lost_1h",
    "uplinksLast24hLost": "uplinks_lost_24h",
    "downlinksLast1h": "downlinks_1h",
    "downlinksLast24h": "downlinks_24h",
    "downlinksLast1hFailed": "downlinks_failed_1h",
    "downlinksLast24hFailed": "downlinks_failed_24h",
    "downlinksLast1hLost": "downlinks_lost_1h",
    "downlinksLast24hLost": "downlinks_lost_24h",
    "lag": "lag",
}


def level_rank(level: str) -> int:
    """debug 0 < info 1 < warn 2 < error 3; an unknown level ranks as info."""
    lowered = level.lower()
    if lowered in ("warning",):
        lowered = "warn"
    return EVENT_LEVELS.index(lowered) if lowered in EVENT_LEVELS else 1


@dataclass(frozen=True)
class Event:
    """One event of ``GET /events``: when, how bad, a ``{module}-{number}`` code, a sentence."""

    time: datetime | None
    level: str
    code: str
    message: str
    connection_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Event:
        if not isinstance(data, dict):
            raise UnreadableData("an event is not an object")
        payload = data.get("data") if isinstance(data.get("data"), dict) else {}
        ident = data.get("connectionId", payload.get("connectionId"))
        try:
            time = parse_time(data.get("eventTime"))
        except (UnreadableData, ValueError):
            time = None  # shown as "?" rather than dropping what the platform said
        known = {"eventTime", "level", "code", "message", "data", "connectionId"}
        return cls(
            time=time,
            level=str(data.get("level") or "info"),
            code=str(data.get("code") or ""),
            message=str(data.get("message") or ""),
            connection_id=None if ident is None else str(ident),
            data=dict(payload),
            extra={k: v for k, v in data.items() if k not in known},
        )

    @property
    def rank(self) -> int:
        return level_rank(self.level)

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "eventTime": self.time.isoformat() if self.time else None,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }
        if self.data or self.connection_id is not None:
            out["data"] = dict(self.data)
            if self.connection_id is not None:
                out["data"].setdefault("connectionId", self.connection_id)
        out.update(self.extra)
        return out
