"""Short human durations and timestamps for tables and command-line output."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from dateutil.tz import tzlocal

NO_VALUE = "—"
"""What a table shows where there is nothing to show."""


def format_duration(delta: timedelta | float | None) -> str:
    """Two units at most, largest first: ``45s``, ``12m 5s``, ``3h 4m``, ``3d 4h``, ``420d``."""
    if delta is None:
        return NO_VALUE
    seconds = max(0, int(delta.total_seconds() if isinstance(delta, timedelta) else delta))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days >= 100:
        return f"{days}d"
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {secs}s"
    return f"{secs}s"


def format_local(
    moment: datetime | None,
    zone: tzinfo | None = None,
    *,
    seconds: bool = True,
    offset: bool = False,
) -> str:
    """A timestamp in the operator's zone (or ``zone``): ``2026-11-28 10:08:08``.

    ``seconds=False`` for a table cell (``2026-11-28 10:08``); ``offset=True`` adds the
    zone's offset (``+0100``) where the reader must not guess which zone it is.
    """
    if moment is None:
        return NO_VALUE
    pattern = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return moment.astimezone(zone).strftime(pattern + (" %z" if offset else ""))


LOCAL_ZONE: tzinfo = tzlocal()
"""The operator's zone, daylight saving included (dateutil follows the system's rules)."""
