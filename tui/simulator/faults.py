"""Fault injection: latency, random 500s, and hanging requests, settable at runtime."""

from __future__ import annotations

import asyncio
import random
import threading

__all__ = ["Faults"]


class Faults:
    """Runtime-settable faults, shared by the HTTP app (server thread) and tests (any thread).

    - ``latency_ms``: every answer (API and token endpoints) is delayed by this much.
    - ``error_rate``: this fraction (0..1) of API answers becomes 500 com-5000 (seeded rng);
      token endpoints are not affected.
    - ``hang``: while True, requests are accepted but not answered; setting it back to False
      (or calling ``release()``) lets every waiting request proceed.
    """

    def __init__(self, *, latency_ms: float = 0.0, error_rate: float = 0.0, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(f"faults:{seed}")
        self._hang = False
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.latency_ms = latency_ms
        self.error_rate = error_rate

    # -- settings ---------------------------------------------------------------------------
    @property
    def latency_ms(self) -> float:
        return self._latency_ms

    @latency_ms.setter
    def latency_ms(self, value: float) -> None:
        if value < 0:
            raise ValueError("latency_ms must be >= 0")
        self._latency_ms = float(value)

    @property
    def error_rate(self) -> float:
        return self._error_rate

    @error_rate.setter
    def error_rate(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")
        self._error_rate = float(value)

    @property
    def hang(self) -> bool:
        return self._hang

    @hang.setter
    def hang(self, value: bool) -> None:
        with self._lock:
            self._hang = bool(value)
            if not value:
                self._wake_all()

    def release(self) -> None:
        """Stop hanging and answer every request that was held."""
        self.hang = False

    @property
    def hung_requests(self) -> int:
        """How many requests are currently held by ``hang``."""
        with self._lock:
            return len(self._waiters)

    def reset(self) -> None:
        self.latency_ms = 0.0
        self.error_rate = 0.0
        self.hang = False

    # -- used by the app --------------------------------------------------------------------
    async def delay(self) -> None:
        if self._latency_ms > 0:
            await asyncio.sleep(self._latency_ms / 1000.0)

    async def wait_while_hung(self) -> None:
        with self._lock:
            if not self._hang:
                return
            entry = (asyncio.get_running_loop(), asyncio.Event())
            self._waiters.add(entry)
        try:
            await entry[1].wait()
        finally:
            with self._lock:
                self._waiters.discard(entry)

    def roll_error(self) -> bool:
        with self._lock:
            if self._error_rate <= 0.0:
                return False
            return self._rng.random() < self._error_rate

    def wake_waiters(self) -> None:
        """Let held requests go without clearing ``hang`` (used when the server stops)."""
        with self._lock:
            self._wake_all()

    def _wake_all(self) -> None:
        for loop, event in list(self._waiters):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # loop already closed
                pass
