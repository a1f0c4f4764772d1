"""Dashboard performance, measured against the issue's goals; prints a table for the README.

Run: ``python tests/benchmarks/bench_dashboard.py`` (about two minutes). Figures:

1. process start → first data painted: the real app (``make_app(...).run()``) in its own
   process on a pseudo-terminal (160×50), against the simulator serving 5,000 connections
   over HTTP from another process; the clock stops when the terminal receives the frame
   that shows the rows. Median of several starts with a state-history file present, the
   package's bytecode compiled as an installation has it.
2. one refresh with 1 % of the simulator's 5,000 connections changed (50 new states),
   against clearing and rebuilding the same table from the same poll, in the same run, both
   through Textual's compositor (only the lines each path invalidated are repainted): end
   to end (diff the poll / re-derive every row, update the table, repaint) and for the
   table alone.
3. filter keystroke latency with 10,000 rows: from the key event entering the app to the
   frame that shows the filtered rows (no test-harness waits in the figure).
4. idle CPU with 1,000 rows and nothing changing: the real app on a pseudo-terminal, its
   poll loop at the default 5 s against the simulator in another process, CPU time of the
   app's process (all threads) over one minute.
5. API calls per minute at the default interval, over that same minute: list calls and
   HTTP requests the app made, and the cadence of the list calls' start times.

``python tests/benchmarks/bench_dashboard.py gil`` prints one figure alone: the launcher's
work on the answer (the first board of 5,000 connections, twice) while the app is imported
in a thread, as ``tui.launch`` does at the start, at Python's 5 ms switch interval and at
``launch.START_SWITCH_INTERVAL``; each in a fresh interpreter (a cold import), alternating.
"""

from __future__ import annotations

import asyncio
import compileall
import fcntl
import os
import pty
import random
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.board import Board  # noqa: E402
from tui.config import Profile  # noqa: E402
from tui.connections import Connection  # noqa: E402

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


class Terminal:
    """The real app in a child process on a pseudo-terminal; its output is read as it comes."""

    def __init__(self, url: str, history: Path, extra: str = "", size: tuple[int, int] = (160, 50)):
        code = (
            textwrap.dedent(
                f"""
            from pathlib import Path
            from tui.app import make_app
            from tui.config import Profile
            profile = Profile(name="bench", url={url!r}, client_id="demo",
                              client_secret="demo-secret")
            app = make_app(profile, history_path=Path({str(history)!r}))
            """
            )
            + textwrap.dedent(extra)
            + "\napp.run()\n"
        )
        self.master, slave = pty.openpty()
        width, height = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def wait_for(self, *markers: bytes, timeout: float = 30.0) -> float:
        """Seconds from process start until the output holds every marker."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                self.output += os.read(self.master, 1 << 16)
                if all(marker in self.output for marker in markers):
                    return time.perf_counter() - self.started
        raise TimeoutError(f"no {markers} on the terminal: {self.output[-500:]!r}")

    def drain(self, stop: threading.Event) -> None:
        while not stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    os.read(self.master, 1 << 16)
                except OSError:
                    return

    def close(self) -> None:
        try:
            os.write(self.master, b"q")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        os.close(self.master)


# -- 1. start to first paint ----------------------------------------------------------


def start_to_first_paint(url: str, runs: int = 7) -> tuple[float, float, list[float]]:
    """(cold start without a history file, median with one, every warm start)."""
    # As installed (pip writes bytecode at install time): this checkout may run with
    # PYTHONDONTWRITEBYTECODE set, which would recompile every module at every start.
    compileall.compile_dir(ROOT / "tui", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        history = Path(folder) / "history.json"
        times = []
        for _ in range(runs + 1):
            terminal = Terminal(url, history)
            try:
                # The poll's handler fills the table and the header's count together:
                # the count on the terminal comes in the frame that paints the rows.
                times.append(terminal.wait_for(b"5000/5000 shown"))
            finally:
                terminal.close()
    return times[0], statistics.median(times[1:]), times[1:]


# -- 2. refresh vs rebuild ------------------------------------------------------------


async def listed(url: str) -> list[Connection]:
    """The simulator's connections as the app reads them (configuration, alarms and all)."""
    from tui.config import make_client

    client = make_client(_profile(url), retries=0)
    try:
        return await client.list_connections()
    finally:
        await client.aclose()


async def refresh_vs_rebuild(base: list[Connection]) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from tui.widgets.connection_table import ConnectionTable

    clock = [T0]

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield ConnectionTable(clock=lambda: clock[0], display_tz=UTC)
            yield DataTable()

        CSS = "ConnectionTable { height: 49; } DataTable { height: 49; }"

    keys = ("inc", "rebuild", "e2e_inc", "e2e_re", "lines_inc", "lines_re")
    results: dict[str, list[float]] = {key: [] for key in keys}
    results.update({"dt_inc": [], "dt_rebuild": []})
    app = Bench()
    async with app.run_test(size=(160, 100)) as pilot:
        table = app.query_one(ConnectionTable)
        grid = app.query_one(DataTable)
        board = Board()
        board.apply(base, T0)
        table.set_rows(board.rows)
        await pilot.pause()
        screen = app.screen
        lines = [0]
        render_line = table.render_line

        def counted(y: int):
            lines[0] += 1
            return render_line(y)

        table.render_line = counted  # type: ignore[method-assign]

        def paint() -> int:
            """What Textual does on its next frame: repaint the invalidated regions."""
            for widget in (table, grid):
                if widget._repaint_required:
                    widget._repaint_required = False
                    screen._dirty_widgets.add(widget)
            lines[0] = 0
            screen._on_timer_update()
            return lines[0]

        paint()
        rng = random.Random(1)
        polls: list[tuple[datetime, list[Connection]]] = []
        for round_ in range(15):
            # A new poll: new objects (as parsed from JSON), 1 % of them in another state.
            polled = [replace(c) for c in base]
            for index in rng.sample(range(len(polled)), len(polled) // 100):
                state = rng.choice([s for s in STATES if s != polled[index].state])
                polled[index] = replace(polled[index], state=state)
            polls.append((T0 + timedelta(seconds=5 * (round_ + 1)), polled))
            base = polled
        # Each way in its own steady state, over the same polls: first the refreshes the
        # app makes, then clearing and rebuilding the table from each of those polls.
        for now, polled in polls:
            clock[0] = now
            # The 1 Hz tick repaints the durations that moved on, whatever the poll brings.
            board.reflag(now)
            table.refresh_durations()
            paint()
            started = time.perf_counter()
            delta = board.apply(polled, now)
            mid = time.perf_counter()
            table.apply_delta(board.rows, delta, flash=False)
            results["lines_inc"].append(paint())
            ended = time.perf_counter()
            results["inc"].append(ended - mid)
            results["e2e_inc"].append(ended - started)
        for now, polled in polls:
            clock[0] = now
            table.refresh_durations()
            paint()
            # the same poll, the naive way: re-derive every row, clear and refill the table
            started = time.perf_counter()
            fresh = Board(board.history, board.thresholds)
            fresh.apply(polled, now)
            mid = time.perf_counter()
            table.set_rows({})
            table.set_rows(fresh.rows)
            results["lines_re"].append(paint())
            ended = time.perf_counter()
            results["rebuild"].append(ended - mid)
            results["e2e_re"].append(ended - started)
        table.set_rows(board.rows)
        paint()

        # Textual's stock DataTable, same data, for reference.
        columns = ["state", "name", "connector", "id", "startup"]
        for column in columns:
            grid.add_column(column, key=column)

        def cells(c: Connection) -> list[str]:
            return [c.state or "", c.name, c.connector_id, c.id, str(c.startup_time)]

        for c in base:
            grid.add_row(*cells(c), key=c.id)
        paint()
        for _ in range(3):
            changed = rng.sample(base, 50)
            started = time.perf_counter()
            for c in changed:
                grid.update_cell(c.id, "state", "CLOSING")
            paint()
            results["dt_inc"].append(time.perf_counter() - started)
            started = time.perf_counter()
            grid.clear()
            for c in base:
                grid.add_row(*cells(c), key=c.id)
            paint()
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


async def filter_latency() -> list[float]:
    """Key event in → the frame that shows the filtered rows, for every keystroke."""
    from textual import events

    from tui.app import make_app

    client = ListClient(connections(10_000))
    app = make_app(_profile("http://x"), client=client, poll=False, history_path=None)
    app.history.path = None
    latencies: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await app.refresh_now()
        await pilot.press("slash")
        await pilot.pause()
        table = app.dashboard.table
        painted = asyncio.Event()
        expected = [""]
        display = app._display

        def on_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is not None and table.filter_text == expected[0]:
                painted.set()

        app._display = on_display  # type: ignore[method-assign]

        async def key(name: str, char: str | None, query: str) -> None:
            expected[0] = query
            painted.clear()
            started = time.perf_counter()
            app._driver.send_message(events.Key(name, char))  # type: ignore[union-attr]
            await asyncio.wait_for(painted.wait(), 10)
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.03)

        for word in ("paris", "sensor 12", "opening", "mqtt", "lyon 9"):
            for end in range(1, len(word) + 1):
                char = word[end - 1]
                await key("space" if char == " " else char, char, word[:end])
            for end in range(len(word) - 1, -1, -1):
                await key("backspace", None, word[:end])
        assert len(table.order) == 10_000
    return latencies


# -- 4 and 5. idle CPU and API calls per minute ---------------------------------------

_COUNTING = """
import time
log = open({log!r}, "a", buffering=1)
client = app.client
list_connections, send = client.list_connections, client._send_once
async def counted_list():
    log.write(f"list {{time.monotonic()}}\\n")
    return await list_connections()
async def counted_send(*args, **kwargs):
    log.write(f"http {{time.monotonic()}}\\n")
    return await send(*args, **kwargs)
client.list_connections, client._send_once = counted_list, counted_send
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(url: str, seconds: float = 60.0) -> dict[str, float]:
    """CPU share of the real app's process and its API calls over ``seconds``, idle."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "calls.log"
        terminal = Terminal(url, Path(folder) / "history.json", _COUNTING.format(log=str(log)))
        stop = threading.Event()
        try:
            terminal.wait_for(b"1000/1000 shown")
            drain = threading.Thread(target=terminal.drain, args=(stop,), daemon=True)
            drain.start()
            time.sleep(12)  # past the first history write and the highlight timers
            cpu, wall, start = (
                _cpu_seconds(terminal.process.pid),
                time.perf_counter(),
                time.monotonic(),
            )
            time.sleep(seconds)
            cpu = _cpu_seconds(terminal.process.pid) - cpu
            wall, end = time.perf_counter() - wall, time.monotonic()
        finally:
            stop.set()
            terminal.close()
        events = [line.split() for line in log.read_text().splitlines()]
    lists = [float(t) for kind, t in events if kind == "list" and start <= float(t) < end]
    https = [float(t) for kind, t in events if kind == "http" and start <= float(t) < end]
    gaps = [b - a for a, b in zip(lists, lists[1:], strict=False)]
    return {
        "cpu": cpu / wall,
        "lists": len(lists),
        "http": len(https),
        "wall": wall,
        "per_minute": 60 * len(gaps) / sum(gaps) if gaps else 0.0,
        "gap_min": min(gaps, default=0.0),
        "gap_max": max(gaps, default=0.0),
    }


GIL_PROBE = textwrap.dedent(
    """
    import gc, sys, tempfile, threading, time
    from datetime import UTC, datetime
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import bench_dashboard
    from tui import launch
    from tui.board import Board
    from tui.config import Profile
    from tui.health import HistoryStore
    gc.disable()  # (as the launcher has it until the app runs)
    population = bench_dashboard.connections(5000)
    profile = Profile(name="bench", url="http://127.0.0.1:9/iot-flow/v1")
    sys.setswitchinterval(float(sys.argv[2]))

    def board_twice():
        began = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            for _ in range(2):  # what run_dashboard does with the answer before drawing
                history = HistoryStore(Path(scratch) / "h.json")
                Board(history, profile.thresholds).apply(population, datetime.now(UTC))
        return time.perf_counter() - began

    alone = board_twice()
    importer = threading.Thread(target=launch._make_app_factory)
    began = time.perf_counter()
    importer.start()
    time.sleep(0.02)  # the import under way, as when the answer arrives
    during = board_twice()
    importer.join()
    print(alone, during, time.perf_counter() - began)
    """
)


def gil_figures(runs: int = 5) -> None:
    """The board built alone and during the app's import, at two switch intervals."""
    from tui.launch import START_SWITCH_INTERVAL

    results: dict[float, list[list[float]]] = {0.005: [], START_SWITCH_INTERVAL: []}
    for _ in range(runs):
        for interval, seen in results.items():
            out = subprocess.run(
                [sys.executable, "-c", GIL_PROBE, str(Path(__file__).parent), str(interval)],
                capture_output=True, text=True, check=True, cwd=ROOT,
            ).stdout
            seen.append([float(x) for x in out.split()])
    print(f"first board of 5,000 twice, {runs} fresh interpreters each, alternating "
          f"(load {os.getloadavg()[0]:.1f})")
    for interval, seen in results.items():
        alone, during, imported = (statistics.median(column) for column in zip(*seen, strict=True))
        print(f"  switch interval {interval * 1000:g} ms: alone {ms(alone)}, during the import "
              f"{ms(during)} ({during / alone:.2f}x), import done after {ms(imported)}")


def main() -> None:
    if sys.argv[1:] == ["gil"]:
        gil_figures()
        return
    rows: list[tuple[str, str, str, str]] = []

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    sim, url = _serve_simulator(5000)
    try:
        cold, first, warm = start_to_first_paint(url)
        population = asyncio.run(listed(url))
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait()
    rows.append(
        ("start → first data painted, 5,000 rows", f"{first:.2f} s", "≤ 1 s", verdict(first <= 1))
    )
    rows.append(
        (
            "  median of 7 starts; range / cold start",
            f"{min(warm):.2f}–{max(warm):.2f} s / {cold:.2f} s",
            "",
            "",
        )
    )

    timing = asyncio.run(refresh_vs_rebuild(population))
    ratio = timing["e2e_re"] / timing["e2e_inc"]
    ratio_table = timing["rebuild"] / timing["inc"]
    rows.append(("refresh, 1 % of 5,000 changed", ms(timing["e2e_inc"]), "", ""))
    rows.append(("clear + rebuild, same poll", ms(timing["e2e_re"]), "", ""))
    rows.append(("  → refresh is cheaper by", f"{ratio:.0f}×", "≥ 10×", verdict(ratio >= 10)))
    rows.append(
        (
            "  table alone: refresh / rebuild",
            f"{ms(timing['inc'])} / {ms(timing['rebuild'])} ({ratio_table:.0f}×)",
            "≥ 10×",
            verdict(ratio_table >= 10),
        )
    )
    rows.append(
        (
            "  lines repainted: refresh / rebuild",
            f"{timing['lines_inc']:.0f} / {timing['lines_re']:.0f}",
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

    latencies = sorted(asyncio.run(filter_latency()))
    median = statistics.median(latencies)
    p90 = latencies[int(len(latencies) * 0.9)]
    rows.append(
        ("filter keystroke → frame, 10,000 rows", ms(median), "< 100 ms", verdict(median < 0.1))
    )
    rows.append(
        (
            f"  90th percentile / worst of {len(latencies)} keys",
            f"{ms(p90)} / {ms(latencies[-1])}",
            "< 100 ms",
            verdict(latencies[-1] < 0.1),
        )
    )

    sim, url = _serve_simulator(1000)
    try:
        idle = idle_cpu(url)
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait()
    rows.append(
        (
            "idle CPU, 1,000 rows, nothing changing",
            f"{idle['cpu'] * 100:.2f} % of a core",
            "< 2 %",
            verdict(idle["cpu"] < 0.02),
        )
    )
    rows.append(
        (
            "API list calls per minute (default 5 s)",
            f"{idle['per_minute']:.1f}",
            "12",
            verdict(abs(idle["per_minute"] - 12) < 0.1),
        )
    )
    rows.append(
        (
            f"  in {idle['wall']:.0f} s: list calls / HTTP requests",
            f"{idle['lists']:.0f} / {idle['http']:.0f}"
            f" (every {idle['gap_min']:.2f}–{idle['gap_max']:.2f} s)",
            "1 request per list",
            verdict(idle["lists"] == idle["http"]),
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
