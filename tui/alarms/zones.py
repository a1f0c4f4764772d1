"""Time zones of alarm windows: looking a zone up safely and placing wall-clock times in it."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from zoneinfo import available_timezones as _zones


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """Attach ``zone`` to a wall-clock time the way RFC 5545 §3.3.5 does.

    An ambiguous time (autumn, hour repeated) takes its first occurrence (``fold=0``); a
    nonexistent time (spring, hour skipped) is read with the offset in force before the gap, so
    02:30 on a spring-forward night becomes 03:30 summer time. The result is normalised so its
    wall-clock fields show the real local time."""
    aware = naive.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone)


@lru_cache(maxsize=1)
def available_timezones() -> list[str]:
    """Sorted IANA zone names, for completion in the editor."""
    return sorted(z for z in _zones() if "/" in z or z == "UTC")


def zone_or_none(name: Any) -> ZoneInfo | None:
    if not isinstance(name, str) or not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_completion(text: str) -> str | None:
    """The zone the editor's completion offers for ``text`` (the first known zone it begins,
    ignoring case, as Textual's ``SuggestFromList`` picks it); None for nothing or a zone
    typed whole."""
    typed = text.casefold()
    if not typed:
        return None
    for zone in available_timezones():
        if zone.casefold().startswith(typed):
            return None if zone == text else zone
    return None


def timezone_message(name: Any) -> str:
    if isinstance(name, str) and not name.strip():
        return "Type the window's IANA timezone, e.g. Europe/Paris."
    return f"'{name}' is not a known IANA timezone; e.g. Europe/Paris."
