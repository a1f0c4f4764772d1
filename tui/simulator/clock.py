"""Time sources for the simulator.

Every state change, token expiry and incident schedule is measured on a ``Clock`` so
that tests can drive time by hand (``ManualClock``) and never wait on the wall clock.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "ManualClock", "SystemClock", "DEFAULT_START"]

DEFAULT_START = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
"""Where a ManualClock starts when not told otherwise."""


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current simulated time, timezone-aware (UTC)."""
        ...


def _aware(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("clock times must be timezone-aware")
    return dt.astimezone(UTC)


class SystemClock:
    """Real time, optionally running ``speed`` times faster (for demos)."""

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = float(speed)
        self._anchor_wall = datetime.now(UTC)
        self._anchor_mono = time.monotonic()

    def now(self) -> datetime:
        if self.speed == 1.0:
            return datetime.now(UTC)
        elapsed = (time.monotonic() - self._anchor_mono) * self.speed
        return self._anchor_wall + timedelta(seconds=elapsed)


class ManualClock:
    """A clock that moves only when told to: ``advance(seconds)`` or ``set(dt)``."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _aware(start) if start is not None else DEFAULT_START
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("a ManualClock does not go backwards")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def set(self, dt: datetime) -> datetime:
        dt = _aware(dt)
        with self._lock:
            if dt < self._now:
                raise ValueError("a ManualClock does not go backwards")
            self._now = dt
            return self._now
