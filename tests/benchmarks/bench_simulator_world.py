"""Simulator world timings (a script, not a test).

Run: ``python tests/benchmarks/bench_simulator_world.py``. It prints how long building
a world of 10,000 connections takes and how long one hour of simulated time then takes
to process (goals: < 3 s and < 2 s). Moved out of the unit tests: a timing assertion
fails whenever the machine is busy, whatever the code does. The world's contents (every
state present, most connections OPENED) are still checked here, so a fast but wrong
world does not pass for a good one.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tui.simulator import ALL_STATES, ManualClock, Simulator  # noqa: E402

CONNECTIONS = 10_000
BUILD_GOAL_S = 3.0
HOUR_GOAL_S = 2.0


def main() -> int:
    started = time.perf_counter()
    sim = Simulator(clock=ManualClock(), connections=CONNECTIONS, seed=4)
    build = time.perf_counter() - started
    counts = Counter(sim.world.states().values())
    if len(sim.world) != CONNECTIONS or set(counts) != set(ALL_STATES) or counts["OPENED"] <= 5000:
        print(f"unexpected world: {len(sim.world)} connections, {dict(counts)}")
        return 1
    started = time.perf_counter()
    sim.clock.advance(3600)
    sim.world.advance()
    hour = time.perf_counter() - started
    print(f"build {CONNECTIONS:,} connections: {build:.2f} s (goal < {BUILD_GOAL_S:.0f} s)")
    print(f"advance one simulated hour:   {hour:.2f} s (goal < {HOUR_GOAL_S:.0f} s)")
    return 0 if build < BUILD_GOAL_S and hour < HOUR_GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
