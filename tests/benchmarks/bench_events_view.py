"""The events view (E) left open: bytes written to the terminal and CPU while it refreshes.

Run: ``python tests/benchmarks/bench_events_view.py`` (about 3 minutes; ``--repeats``,
``--window``). ``iotflow`` runs as the installed command on a pseudo-terminal (80x24,
xterm-256color) against ``iotflow sim`` with 1,000 connections on its real clock, which
logs about 50 events every 5 s. Once the first rows are painted the benchmark presses
``E`` and lets the view load the last 24 hours, then measures over a window while the
view fetches what is newer every 5 s:

- level "all": every new event is shown, on top, so the visible rows do change;
- level "errors" (``l`` three times): few new events match, so a refresh mostly finds
  nothing new to show.

``--source DIR`` runs the command from another checkout (``PYTHONPATH=DIR``), e.g. a
``git worktree`` of an older commit, to print before/after figures in the same way.
Each figure is the median of the repeats with the range beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_vs_stock import environment, iotflow_argv, rows_marker, start_simulator  # noqa: E402
from pty_run import PtyProgram  # noqa: E402

LOAD_SECONDS = 8.0
"""After E: the view reads the last 24 hours and draws them (and the first refresh)."""


def measure(port: int, marker, levels: int, window: float, source: str | None):
    with tempfile.TemporaryDirectory() as state:
        env = environment(state)
        if source:
            env["PYTHONPATH"] = source
        program = PtyProgram(iotflow_argv(port, "iot-flow"), env)
        try:
            program.wait_for(marker, timeout=120)
            time.sleep(2)
            program.send(b"E")
            time.sleep(LOAD_SECONDS)
            for _ in range(levels):
                program.send(b"l")
                time.sleep(0.3)
            time.sleep(1)
            start, cpu0 = time.perf_counter(), program.cpu_seconds()
            time.sleep(window)
            end, cpu1 = time.perf_counter(), program.cpu_seconds()
            return (
                program.bytes_between(start, end) / (end - start),
                100 * (cpu1 - cpu0) / (end - start),
            )
        finally:
            program.stop()


def summary(values: list[float], unit: str) -> str:
    return (
        f"{statistics.median(values):.2f} {unit} ({min(values):.2f}–{max(values):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--window", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--source", help="run iotflow from this checkout (PYTHONPATH)")
    args = parser.parse_args()
    sim = start_simulator(1000)
    try:
        marker = rows_marker(sim.names)
        rows = []
        for label, levels in (("all", 0), ("errors", 3)):
            figures = [
                measure(sim.port, marker, levels, args.window, args.source)
                for _ in range(args.repeats)
            ]
            rows.append((label, [f[0] for f in figures], [f[1] for f in figures]))
    finally:
        sim.stop()
    print(f"events view open, 1,000 connections, {args.window:.0f} s windows, "
          f"{args.repeats} repeats, source {args.source or 'installed'}")
    print(f"{'level shown':<12} {'bytes to the terminal':<32} {'CPU of a core':<26}")
    for label, out, cpu in rows:
        print(f"{label:<12} {summary(out, 'B/s'):<32} {summary(cpu, '%'):<26}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
