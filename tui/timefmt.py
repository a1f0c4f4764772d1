"""Short human durations and timestamps for tables and command-line output."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo


def format_duration(delta: timedelta | float | None) -> str:
    """``3d 4h``, ``2h 05m``, ``12m 05s``, ``42s``; the two largest units only."""
    if delta is None:
        return "-"
    seconds = int(delta.total_seconds() if isinstance(delta, timedelta) else delta)
    if seconds < 0:
        seconds = 0
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def format_local(
    moment: datetime | None, zone: tzinfo | None = None, *, seconds: bool = True
) -> str:
    """A timestamp in the operator's zone (or ``zone``), ``2026-11-28 10:08:08``."""
    if moment is None:
        return "-"
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
