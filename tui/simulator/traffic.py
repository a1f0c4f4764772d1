"""Simulated data flow: uplinks, downlinks, failures, losses and Kafka lag per connection.

Nothing is simulated message by message. Each connection has a seeded *traffic profile*
(a peak rate, a handful of devices, a local-time offset for its daily curve, maybe
weekday-only) and the counters of a time range are integrals of that rate over the
connection's state history, split at every hour, state change, failure burst and silence.
So the figures are deterministic for a seed and move only with the simulator's clock.

What happens to an uplink depends on the state when it arrives:

- OPENED: delivered (``uplinks``), except inside a seeded *failure burst*, where a share
  fails (``Failed``, kept on Kafka and retried) or is dropped (``Lost``);
  inside a *silence* the devices send nothing at all (OPENED with 0 uplinks/h).
- UNREACHABLE, AUTHENTICATION_FAILED: every delivery fails; most uplinks wait on the
  connection's Kafka topic (``lag``), a seeded share is lost.
- OPENING, AUTHENTICATING, CLOSING, CLOSED while active: uplinks wait on Kafka, nothing fails.
- DEACTIVATED (or inactive): the flow is stopped, nothing is counted.

While OPENED the lag drains at several times the peak rate, and what drains is counted as
delivered. Lag older than a day is dropped (Kafka retention), so it stays bounded.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.alarms import DAY_NAMES, Alarm

from .states import AUTHENTICATION_FAILED, DEACTIVATED, OPENED, UNREACHABLE
from .world import World

__all__ = ["METRIC_FIELDS", "TrafficProfile", "Traffic"]

HOUR = 3600.0
DAY = 86400.0
WINDOW = timedelta(hours=24)
FAILING_STATES = frozenset({UNREACHABLE, AUTHENTICATION_FAILED})
DRAIN_FACTOR = 6.0
"""While OPENED, the lag drains this many times faster than the peak uplink rate."""
LOW_ALARM_MINIMUM = 30
METRICS_TICK = 60.0
"""Figures are aggregated: recomputed at most once a minute of simulator time
(and at once after a state change), as a platform serving them from per-minute counters would."""
BURST_CHANCE = 0.25
"""Chance that a connection has one short failure burst on a given day."""

# Share of the peak rate by local hour: quiet at night, busy in the working day.
DAILY_CURVE = (
    0.15, 0.12, 0.10, 0.10, 0.12, 0.2, 0.35, 0.6, 0.85, 1.0, 1.0, 0.95,
    0.9, 0.95, 1.0, 1.0, 0.9, 0.8, 0.65, 0.5, 0.4, 0.3, 0.25, 0.2,
)  # fmt: skip

METRIC_FIELDS = tuple(
    f"{direction}Last{span}{suffix}"
    for direction in ("uplinks", "downlinks")
    for span in ("1h", "24h")
    for suffix in ("", "Failed", "Lost")
)


@dataclass
class TrafficProfile:
    """How much one connection's devices send, and its seeded incidents of data flow."""

    peak_per_hour: float
    devices: int
    utc_offset_hours: int
    weekday_only: bool
    downlink_share: float
    loss_share: float
    silences: list[tuple[datetime, datetime]]
    forced_bursts: list[tuple[datetime, datetime, float]]
    seeded: bool


@dataclass
class _Totals:
    ok: float = 0.0
    failed: float = 0.0
    lost: float = 0.0
    down_ok: float = 0.0
    down_failed: float = 0.0
    down_lost: float = 0.0
    seen: float = 0.0

    def counts(self) -> tuple[int, int, int, int, int, int]:
        return (
            int(self.ok),
            int(self.failed),
            int(self.lost),
            int(self.down_ok),
            int(self.down_failed),
            int(self.down_lost),
        )


class Traffic:
    """Metrics of every connection of a ``World``, computed on demand from its history.

    Connections present when this is built (the seeded population) get a few scripted
    cases that make the demo tell its story at the clock's start: some OPENED ones are
    silent for over an hour, one is losing data, and an alarmed one inside an open window
    sends fewer uplinks than its alarm's minimum.
    """

    def __init__(self, world: World, *, seed: int | None = None) -> None:
        self.world = world
        self.seed = world.seed if seed is None else seed
        self.t0 = world.clock.now()
        self._profiles: dict[int, TrafficProfile] = {}
        self._seeded: set[int] = set()
        self._integrals: dict[tuple, Callable[[float, float], float]] = {}
        self._metrics_cache: dict[int, tuple[tuple, dict[str, int]]] = {}
        self._burst_cache: dict[tuple[int, int], tuple[float, float, float] | None] = {}
        with world.lock:
            conns = world.connections()
            self._seeded = {c.id for c in conns}
            self._script(conns)

    # -- profiles ---------------------------------------------------------------------------
    def profile(self, cid: int) -> TrafficProfile:
        known = self._profiles.get(cid)
        if known is None:
            known = self._profiles[cid] = self._new_profile(cid)
        return known

    def _new_profile(self, cid: int) -> TrafficProfile:
        rng = random.Random(f"traffic:{self.seed}:{cid}")
        return TrafficProfile(
            peak_per_hour=rng.choice((30, 60, 120, 240, 480, 900)) * rng.uniform(0.8, 1.25),
            devices=rng.randint(3, 40),
            utc_offset_hours=rng.choice((-5, 0, 1, 1, 2, 8)),
            weekday_only=rng.random() < 0.08,
            downlink_share=rng.choice((0.0, 0.02, 0.05, 0.1)),
            loss_share=rng.uniform(0.05, 0.3),
            silences=[],
            forced_bursts=[],
            seeded=cid in self._seeded,
        )

    def _script(self, conns: list[Any]) -> None:
        rng = random.Random(f"traffic-script:{self.seed}")
        t0 = self.t0
        plain = [c for c in conns if c.state == OPENED and c.mode is None and c.active]
        quiet = [c for c in plain if not c.alarms]
        rng.shuffle(quiet)
        silent_count, loss_count = max(1, len(conns) // 25), max(1, len(conns) // 40)
        scripted = silent_count + loss_count
        for conn in quiet[:silent_count]:
            prof = self.profile(conn.id)
            prof.weekday_only = False
            start = t0 - timedelta(minutes=rng.uniform(70, 110))
            prof.silences.append((start, t0 + timedelta(hours=rng.uniform(1, 3))))
        for conn in quiet[silent_count:scripted]:
            prof = self.profile(conn.id)
            prof.weekday_only = False
            start = t0 - timedelta(minutes=rng.uniform(15, 40))
            prof.forced_bursts.append((start, t0 + timedelta(minutes=50), 0.6))
        low_done = False
        for conn in plain:
            if not conn.alarms:
                continue
            prof = self.profile(conn.id)
            prof.weekday_only = False
            minimum = max(_alarm_minimum(a) for a in conn.alarms)
            if not low_done and minimum >= 2 and _any_open(conn.alarms, t0):
                # Below the alarm's minimum even at the busiest hour.
                prof.peak_per_hour = minimum * 0.5
                low_done = True
            else:
                # Comfortably above the minimum, even at night.
                prof.peak_per_hour = max(prof.peak_per_hour, minimum * 12)
        spare = [c for c in quiet[scripted:] if not c.alarms]
        if not low_done and spare:
            # No seeded alarm is open at the start: give one quiet connection an alarm whose
            # daily window is open now, and too few uplinks for it.
            conn = spare[-1]
            conn.alarms = [_open_alarm(t0)]
            self.profile(conn.id).peak_per_hour = LOW_ALARM_MINIMUM * 0.4
            self.profile(conn.id).weekday_only = False

    # -- the rate ---------------------------------------------------------------------------
    # Integration runs on POSIX timestamps (floats): the metrics of 1,000 connections are
    # asked on every dashboard poll, next to the list, and must cost little more than it.
    def rate_at(self, prof: TrafficProfile, t: datetime) -> float:
        """Uplinks per hour the devices send at ``t`` (constant within a clock hour)."""
        return self._rate(prof, t.timestamp())

    @staticmethod
    def _rate(prof: TrafficProfile, ts: float) -> float:
        hour = int((ts + prof.utc_offset_hours * HOUR) // HOUR)
        # 1970-01-01 was a Thursday (weekday 3).
        if prof.weekday_only and (hour // 24 + 3) % 7 >= 5:
            return 0.0
        if prof.silences:
            for start, end in prof.silences:
                if start.timestamp() <= ts < end.timestamp():
                    return 0.0
        return prof.peak_per_hour * DAILY_CURVE[hour % 24]

    def _integral(self, prof: TrafficProfile) -> Callable[[float, float], float]:
        """``sent(a, b)``: uplinks the devices send between two timestamps, in O(1).

        The rate is constant within each local hour of the week, so a prefix sum over the
        168 hours of a week integrates any span without walking it hour by hour.
        """
        key = (prof.peak_per_hour, prof.utc_offset_hours, prof.weekday_only)
        known = self._integrals.get(key)
        if known is not None:
            return known
        rates = []
        for h in range(168):
            weekend = h // 24 >= 5
            rates.append(
                0.0 if prof.weekday_only and weekend else prof.peak_per_hour * DAILY_CURVE[h % 24]
            )
        prefix = [0.0]
        for r in rates:
            prefix.append(prefix[-1] + r)
        week = 168 * HOUR
        # Local time shifted so that 0 is a Monday 00:00 (1970-01-01 was a Thursday).
        shift = prof.utc_offset_hours * HOUR + 3 * DAY

        def cumulative(ts: float) -> float:
            u = ts + shift
            weeks = math.floor(u / week)
            rest = u - weeks * week
            h = min(167, int(rest // HOUR))
            return weeks * prefix[168] + prefix[h] + rates[h] * (rest - h * HOUR) / HOUR

        def sent(a: float, b: float) -> float:
            return cumulative(b) - cumulative(a)

        if len(self._integrals) > 10_000:
            self._integrals.clear()
        self._integrals[key] = sent
        return sent

    def bursts(
        self, cid: int, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime, float]]:
        """Seeded failure bursts (start, end, failing share) that overlap [start, end)."""
        tz = start.tzinfo
        return [
            (datetime.fromtimestamp(a, tz), datetime.fromtimestamp(b, tz), share)
            for a, b, share in self._bursts(cid, start.timestamp(), end.timestamp())
        ]

    def _bursts(self, cid: int, start: float, end: float) -> list[tuple[float, float, float]]:
        prof = self.profile(cid)
        out = [
            (a.timestamp(), b.timestamp(), share)
            for a, b, share in prof.forced_bursts
            if a.timestamp() < end and b.timestamp() > start
        ]
        for day in range(math.floor(start / DAY) - 1, math.floor(end / DAY) + 1):
            burst = self._day_burst(cid, day)
            if burst is not None and burst[0] < end and burst[1] > start:
                out.append(burst)
        out.sort()
        return out

    def _day_burst(self, cid: int, day: int) -> tuple[float, float, float] | None:
        key = (cid, day)
        if key not in self._burst_cache:
            if len(self._burst_cache) > 200_000:
                self._burst_cache.clear()
            rng = random.Random(f"burst:{self.seed}:{cid}:{day}")
            burst = None
            if rng.random() < BURST_CHANCE:
                b_start = day * DAY + rng.uniform(0, DAY)
                burst = (b_start, b_start + rng.uniform(5, 25) * 60, rng.uniform(0.3, 0.9))
            self._burst_cache[key] = burst
        return self._burst_cache[key]

    # -- state history ----------------------------------------------------------------------
    def _segments(self, cid: int, start: float, end: float) -> list[tuple[float, str]]:
        """(from, state) pieces covering [start, end); "" before the connection existed."""
        history = self.world._history.get(cid) or []
        times = [t.timestamp() for t, _ in history]
        i = bisect_right(times, start) - 1
        if i >= 0:
            pieces = [(start, history[i][1])]
        elif cid in self._seeded and history:
            # A seeded connection was running before its first recorded state.
            pieces = [(start, OPENED)]
        else:
            pieces = [(start, "")]
        for k in range(i + 1, len(history)):
            if times[k] >= end:
                break
            pieces.append((times[k], history[k][1]))
        return pieces

    def state_at(self, cid: int, t: datetime) -> str:
        ts = t.timestamp()
        return self._segments(cid, ts, ts + 1e-6)[0][1]

    # -- integration ------------------------------------------------------------------------
    def _walk(self, cid: int, start: datetime, end: datetime, split: datetime | None) -> tuple:
        """Integrate [start, end): totals before and after ``split``, and the final lag."""
        prof = self.profile(cid)
        conn = self.world._conns.get(cid)
        active = conn.active if conn is not None else False
        t_start, t_end = start.timestamp(), end.timestamp()
        t_split = split.timestamp() if split is not None else None
        states = self._segments(cid, t_start, t_end)
        bursts = self._bursts(cid, t_start, t_end)
        marks = {t_start, t_end, *(t for t, _ in states)}
        if t_split is not None:
            marks.add(t_split)
        for b_start, b_end, _ in bursts:
            marks.add(max(b_start, t_start))
            marks.add(min(b_end, t_end))
        for s_start, s_end in prof.silences:
            for t in (s_start.timestamp(), s_end.timestamp()):
                if t_start < t < t_end:
                    marks.add(t)
        points = sorted(marks)
        state_times = [t for t, _ in states]
        before, after = _Totals(), _Totals()
        lag = 0.0
        drain_per_s = prof.peak_per_hour * DRAIN_FACTOR / HOUR
        cap = prof.peak_per_hour * 24
        sent_between = self._integral(prof)
        silences = [(a.timestamp(), b.timestamp()) for a, b in prof.silences]
        for a, b in zip(points, points[1:], strict=False):
            seconds = b - a
            if seconds <= 0:
                continue
            state = states[bisect_right(state_times, a) - 1][1]
            if state in ("", DEACTIVATED) or (not active and state != OPENED and conn is not None):
                continue
            totals = after if t_split is not None and a >= t_split else before
            silent = False
            for s_start, s_end in silences:
                if s_start <= a < s_end:
                    silent = True
                    break
            sent = 0.0 if silent else sent_between(a, b)
            totals.seen += sent
            if state == OPENED:
                share = 0.0
                for bs, be, f in bursts:
                    if bs <= a < be:
                        share = f
                        break
                failed = sent * share * (1 - prof.loss_share)
                lost = sent * share * prof.loss_share
                drained = min(lag, drain_per_s * seconds)
                lag = lag - drained + failed
                totals.ok += sent - failed - lost + drained
                totals.failed += failed
                totals.lost += lost
                down = sent * prof.downlink_share
                totals.down_failed += down * share * 0.5
                totals.down_lost += down * share * 0.1
                totals.down_ok += down * (1 - share * 0.6)
            elif state in FAILING_STATES:
                totals.failed += sent * (1 - prof.loss_share)
                totals.lost += sent * prof.loss_share
                lag += sent * (1 - prof.loss_share)
            else:
                lag += sent
            lag = min(lag, cap)
        return before, after, lag

    def metrics(self, cid: int, now: datetime | None = None) -> dict[str, int]:
        """One ``connectionMetrics`` object: every §8 field, integers."""
        with self.world.lock:
            self.world.advance()
            now = now or self.world.clock.now()
            history = self.world._history.get(cid) or ()
            conn = self.world._conns.get(cid)
            key = (
                math.floor(now.timestamp() / METRICS_TICK),
                len(history),
                history[-1][0] if history else None,
                conn.active if conn is not None else None,
            )
            cached = self._metrics_cache.get(cid)
            if cached is not None and cached[0] == key:
                return dict(cached[1])
            day_part, hour_part, lag = self._walk(cid, now - WINDOW, now, now - timedelta(hours=1))
            out = self._figures(cid, day_part, hour_part, lag)
            self._metrics_cache[cid] = (key, out)
            return dict(out)

    def _figures(self, cid: int, day_part: _Totals, hour_part: _Totals, lag: float) -> dict:
        prof = self.profile(cid)
        day = _Totals(
            *(getattr(day_part, f) + getattr(hour_part, f) for f in _Totals.__dataclass_fields__)
        )
        out: dict[str, int] = {"connectionId": cid}
        for span, totals in (("1h", hour_part), ("24h", day)):
            active = min(prof.devices, math.ceil(totals.seen)) if totals.seen >= 1 else 0
            out[f"activeThingsLast{span}"] = active
        for span, totals in (("1h", hour_part), ("24h", day)):
            ok, failed, lost, d_ok, d_failed, d_lost = totals.counts()
            out[f"uplinksLast{span}"] = ok
            out[f"uplinksLast{span}Failed"] = failed
            out[f"uplinksLast{span}Lost"] = lost
            out[f"downlinksLast{span}"] = d_ok
            out[f"downlinksLast{span}Failed"] = d_failed
            out[f"downlinksLast{span}Lost"] = d_lost
        out["lag"] = int(lag)
        return out

    def delivered(self, cid: int, start: datetime, end: datetime) -> int:
        """Uplinks delivered in [start, end) (what a low-uplink-rate alarm counts)."""
        totals, _, _ = self._walk(cid, start, end, None)
        return int(totals.ok)

    def all_metrics(self, now: datetime | None = None) -> list[dict[str, int]]:
        with self.world.lock:
            now = now or self.world.clock.now()
            return [self.metrics(c.id, now) for c in self.world.connections()]


def _open_alarm(now: datetime) -> dict[str, Any]:
    """A daily low-uplink-rate alarm (every day of the week) whose window is open at ``now``."""
    start = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
    start -= timedelta(days=7)
    return {
        "startTime": start.isoformat(),
        "endTime": (start + timedelta(hours=10)).isoformat(),
        "timezone": "UTC",
        "recurrence": [{"frequency": "weekly", "byDays": list(DAY_NAMES)}],
        "uplinkRateMinPerHour": LOW_ALARM_MINIMUM,
        "message": "Low rate: the site sends fewer uplinks than expected",
    }


def _any_open(alarms: list[Any], now: datetime) -> bool:
    for raw in alarms:
        try:
            if Alarm.from_json(raw).is_open(now) is not None:
                return True
        except (TypeError, ValueError):
            continue
    return False


def _alarm_minimum(raw: Any) -> float:
    value = raw.get("uplinkRateMinPerHour") if isinstance(raw, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
