"""Dashboard performance, measured against the issue's goals; prints a table for the README.

Run: ``python tests/benchmarks/bench_dashboard.py`` (about a minute). Figures:

1. process start → first data painted, 5,000 connections served by the simulator over HTTP;
2. one refresh with 1 % of 5,000 rows changed, against clearing and rebuilding the same
   table in the same run (and, for reference, Textual's stock DataTable doing both);
3. filter keystroke latency with 10,000 rows (through Pilot, key press to repaint);
4. idle CPU with 1,000 rows and nothing changing (simulator in another process);
5. API calls per minute at the default interval.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.api.models import Connection  # noqa: E402
from tui.board import Board  # noqa: E402
from tui.config import Profile  # noqa: E402

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
STATES = ["OPENED"] * 8 + ["OPENING", "UNREACHABLE", "CLOSED", "AUTHENTICATING"]
CONNECTORS = ["actility-aws-iot", "actility-mqtt-iot", "actility-azure-iot", "actility-http-iot"]


def connections(count: int, seed: int = 0) -> list[Connection]:
    rng = random.Random(seed)
    return [
        Connection(
            id=str(index),
            connector_id=rng.choice(CONNECTORS),
            name=f"{rng.choice(['Paris', 'Lyon', 'Berlin', 'Oslo', 'Rome'])} sensor {index}",
            state=rng.choice(STATES),
            startup_time=T0 - timedelta(seconds=rng.randint(0, 10**6)),
        )
        for index in range(1, count + 1)
    ]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _serve_simulator(count: int) -> tuple[subprocess.Popen[str], str]:
    """A simulator with a frozen clock, in its own process (so its CPU is not counted)."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from datetime import datetime, UTC
        from tui.simulator import ManualClock, Simulator, SimulatorServer
        sim = Simulator(connections={count}, seed=0,
                        clock=ManualClock(datetime(2024, 5, 1, 12, tzinfo=UTC)))
        server = SimulatorServer(sim).start()
        print(server.base_url, flush=True)
        sys.stdin.read()
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _profile(url: str) -> Profile:
    return Profile(name="bench", url=url, client_id="demo", client_secret="demo-secret")


# -- 1. start to first paint ----------------------------------------------------------


def start_to_first_paint(url: str) -> float:
    child = textwrap.dedent(
        f"""
        import asyncio, sys, time
        from tui.app import make_app
        from tui.config import Profile
        async def main():
            profile = Profile(name="bench", url={url!r}, client_id="demo",
                              client_secret="demo-secret")
            app = make_app(profile, history_path=None, poll=False)
            app.history.path = None
            async with app.run_test(size=(160, 50)) as pilot:
                await app.refresh_now()
                await pilot.pause()
                assert len(app.dashboard.table.order) == 5000
                print(time.time(), flush=True)
        asyncio.run(main())
        """
    )
    runs = []
    for _ in range(3):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]) - started)
    return statistics.median(runs)


# -- 2. refresh vs rebuild ------------------------------------------------------------


async def refresh_vs_rebuild() -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from tui.widgets.connection_table import ConnectionTable

    base = connections(5000)
    clock = [T0]

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield ConnectionTable(clock=lambda: clock[0], display_tz=UTC)
            yield DataTable()

        CSS = "ConnectionTable { height: 48; } DataTable { height: 48; }"

    results: dict[str, list[float]] = {k: [] for k in ("inc", "rebuild", "e2e_inc", "e2e_re")}
    results.update({"dt_inc": [], "dt_rebuild": []})
    app = Bench()
    async with app.run_test(size=(160, 100)):
        table = app.query_one(ConnectionTable)
        board = Board()
        board.apply(base, T0)
        table.set_rows(board.rows)
        height = 48

        def paint() -> None:
            for y in range(height):
                table.render_line(y)

        rng = random.Random(1)
        for round_ in range(7):
            clock[0] = T0 + timedelta(seconds=5 * (round_ + 1))
            polled = [replace(c) for c in base]
            for connection in rng.sample(polled, 50):
                connection.state = rng.choice(STATES)
            # incremental: diff + update the 50 rows + paint
            started = time.perf_counter()
            delta = board.apply(polled, clock[0])
            mid = time.perf_counter()
            table.apply_delta(board.rows, delta, flash=False)
            paint()
            ended = time.perf_counter()
            results["inc"].append(ended - mid)
            results["e2e_inc"].append(ended - started)
            # clear and rebuild the same table from the same poll
            started = time.perf_counter()
            fresh = Board()
            fresh.apply(polled, clock[0])
            mid = time.perf_counter()
            table.set_rows({})
            table.set_rows(fresh.rows)
            paint()
            ended = time.perf_counter()
            results["rebuild"].append(ended - mid)
            results["e2e_re"].append(ended - started)
            table.set_rows(board.rows)
            base = polled

        # Textual's stock DataTable, same data, for reference.
        grid = app.query_one(DataTable)
        columns = ["state", "name", "connector", "id", "startup"]
        for column in columns:
            grid.add_column(column, key=column)

        def cells(c: Connection) -> list[str]:
            return [c.state or "", c.name, c.connector_id, c.id, str(c.startup_time)]

        grid.add_rows(
            [cells(c) for c in base],
        )
        grid.clear()
        for c in base:
            grid.add_row(*cells(c), key=c.id)
        for _ in range(3):
            changed = rng.sample(base, 50)
            started = time.perf_counter()
            for c in changed:
                grid.update_cell(c.id, "state", "CLOSING")
            for y in range(height):
                grid.render_line(y)
            results["dt_inc"].append(time.perf_counter() - started)
            started = time.perf_counter()
            grid.clear()
            for c in base:
                grid.add_row(*cells(c), key=c.id)
            for y in range(height):
                grid.render_line(y)
            results["dt_rebuild"].append(time.perf_counter() - started)
    return {key: statistics.median(values) for key, values in results.items()}


# -- 3. filter keystroke latency ------------------------------------------------------


class ListClient:
    """An in-memory client: the same list on every call (nothing changes)."""

    def __init__(self, items: list[Connection]):
        self.items = items
        self.calls = 0
        self.read_only = False

    async def list_connections(self) -> list[Connection]:
        self.calls += 1
        return self.items

    async def aclose(self) -> None:
        pass


async def filter_latency() -> tuple[float, float]:
    from tui.app import make_app

    client = ListClient(connections(10_000))
    app = make_app(_profile("http://x"), client=client, poll=False, history_path=None)
    app.history.path = None
    app.board.history.path = None
    latencies: list[float] = []
    direct: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await app.refresh_now()
        await pilot.press("slash")
        for word in ("paris", "sensor 12", "opening", "mqtt"):
            for char in word:
                started = time.perf_counter()
                await pilot.press(char)
                latencies.append(time.perf_counter() - started)
            await pilot.press(*["backspace"] * len(word))
        table = app.dashboard.table
        for query in ("p", "pa", "par", "pari", "paris", "sensor 1", ""):
            started = time.perf_counter()
            table.set_view(query=query)
            for y in range(48):
                table.render_line(y)
            direct.append(time.perf_counter() - started)
    return statistics.median(latencies), max(direct)


# -- 4 and 5. idle CPU and API calls per minute ---------------------------------------


async def idle_cpu(url: str, seconds: float = 30.0) -> tuple[float, float, int, int]:
    from tui.app import make_app
    from tui.config import make_client

    profile = _profile(url)
    client = make_client(profile, retries=0)
    app = make_app(profile, client=client, poll=True, history_path=None)
    app.history.path = None
    async with app.run_test(size=(160, 50)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        assert len(app.board.rows) == 1000
        calls, polls = client.calls, app.dashboard.polls
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        calls, polls = client.calls - calls, app.dashboard.polls - polls
    await client.aclose()
    return cpu / wall, calls / wall * 60, calls, polls


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []
    sim, url = _serve_simulator(5000)
    try:
        first = start_to_first_paint(url)
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait()
    rows.append(
        (
            "start → first data painted, 5,000 rows",
            f"{first:.2f} s",
            "≤ 1 s",
            "ok" if first <= 1 else "MISSED",
        )
    )

    timing = asyncio.run(refresh_vs_rebuild())
    ratio = timing["rebuild"] / timing["inc"]
    ratio_e2e = timing["e2e_re"] / timing["e2e_inc"]
    rows.append(("refresh, 1 % of 5,000 changed (table)", ms(timing["inc"]), "", ""))
    rows.append(("clear + rebuild same table", ms(timing["rebuild"]), "", ""))
    rows.append(
        ("  → refresh is cheaper by", f"{ratio:.0f}×", "≥ 10×", "ok" if ratio >= 10 else "MISSED")
    )
    rows.append(
        (
            "  incl. diffing the poll: refresh / rebuild",
            f"{ms(timing['e2e_inc'])} / {ms(timing['e2e_re'])} ({ratio_e2e:.1f}×)",
            "",
            "",
        )
    )
    rows.append(
        (
            "  stock DataTable: update_cell ×50 / rebuild",
            f"{ms(timing['dt_inc'])} / {ms(timing['dt_rebuild'])}",
            "(reference)",
            "",
        )
    )

    keystroke, direct = asyncio.run(filter_latency())
    rows.append(
        (
            "filter keystroke, 10,000 rows (Pilot, median)",
            ms(keystroke),
            "< 100 ms",
            "ok" if keystroke < 0.1 else "MISSED",
        )
    )
    rows.append(
        (
            "  filter + repaint, worst of 7 queries",
            ms(direct),
            "< 100 ms",
            "ok" if direct < 0.1 else "MISSED",
        )
    )

    sim, url = _serve_simulator(1000)
    try:
        cpu, per_minute, calls, polls = asyncio.run(idle_cpu(url))
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait()
    rows.append(
        (
            "idle CPU, 1,000 rows, nothing changing",
            f"{cpu * 100:.2f} % of a core",
            "< 2 %",
            "ok" if cpu < 0.02 else "MISSED",
        )
    )
    rows.append(
        (
            "API calls per minute (default 5 s)",
            f"{per_minute:.1f} ({calls} calls, {polls} polls)",
            "12 = one list call per interval",
            "ok" if calls == polls else "MISSED",
        )
    )

    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("measure", "figure", "goal", "")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
