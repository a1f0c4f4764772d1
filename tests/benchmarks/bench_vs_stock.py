"""iotflow against a stock Textual app, measured in the same run on the same simulator.

Run: ``python tests/benchmarks/bench_vs_stock.py`` (about 6 minutes) or ``--quick``
(about 2 minutes, fewer repeats and shorter windows). Both programs run as real processes on a
pseudo-terminal (80x24, TERM=xterm-256color), ``iotflow`` as the installed command, against
``iotflow sim`` in its own process on its real clock (so polls change as they would on a
platform), behind a proxy that counts every HTTP request (token requests and retries
included). Every state directory is fresh, so the history file is new on every start. Our
modules' bytecode is compiled first, as an installed copy has it (``compile_package``).

Figures, each the median of the repeats with the range beside it (starts of the two programs
are taken in turns, so the machine's load moves both alike):

1. start → first rows painted, at 100, 1,000 and 5,000 connections: from process start to
   the first pty output that contains a connection name from the simulator.
2. idle, 1,000 connections: bytes written to the pty per second and CPU per cent of a core
   (the program's own process, all its threads, from /proc in nanoseconds), from 5 s after
   the first rows (polls every 5 s keep running), in windows of two polls (10 s) each:
   median and range over every window of the runs, with the load average beside them
   (other processes slow ours down: a figure from a loaded machine reads higher).
3. RSS of the process after a run of polls with 10,000 connections (``--soak MINUTES`` for
   the 30-minute soak of issue 16; RSS is sampled every 30 s to show whether it stays flat).
4. DX Core, 1,000 connections: first rows, and HTTP requests per poll per page.
5. The client's goals (``bench_client.py``), against a plain baseline of the same run rather
   than the stock app: one DX Core poll of 10,000 connections at 50 ms latency against one
   sequential pass, ``iotflow list -o json`` against curl + ``json.load``, and which heavy
   modules ``iotflow --help`` and ``iotflow info`` import.

Each goal of issue 16 is printed as a ratio (iotflow / stock) or a bound, with "met" or "NOT met".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_client  # noqa: E402
from counting_proxy import CountingProxy  # noqa: E402
from pty_run import PtyProgram  # noqa: E402

OIDC_TOKEN = "/users-auth/protocol/openid-connect/token"
DX_TOKEN = "/thingpark/dx/admin/latest/api/oauth/token"
IOT_FLOW = "/iot-flow/v1"
DX_CORE = "/thingpark/dx/core/latest/api"


@dataclass
class Simulator:
    process: subprocess.Popen[str]
    port: int
    names: list[str]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def start_simulator(connections: int) -> Simulator:
    iotflow = shutil.which("iotflow") or sys.exit("install the project first: pip install -e .")
    process = subprocess.Popen(
        [iotflow, "sim", "--port", "0", "--connections", str(connections)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
    if not match:
        process.kill()
        sys.exit(f"the simulator did not say where it listens: {first!r}")
    port = int(match.group(1))
    base = f"http://127.0.0.1:{port}"
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": "demo", "client_secret": "demo-secret"}
    ).encode()
    token = json.load(urllib.request.urlopen(base + OIDC_TOKEN, form))["access_token"]
    request = urllib.request.Request(
        base + IOT_FLOW + "/connections", headers={"Authorization": f"Bearer {token}"}
    )
    names = [item["name"] for item in json.load(urllib.request.urlopen(request))]
    return Simulator(process, port, names)


def rows_marker(names: list[str]) -> re.Pattern[bytes]:
    """Any connection name (its first 14 characters, as narrow columns still show them)."""
    prefixes = sorted({name[:14] for name in names if len(name) >= 6})
    return re.compile(b"|".join(re.escape(p.encode()) for p in prefixes))


def environment(state_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IOTFLOW_", "NO_COLOR"))}
    env.update(
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        IOTFLOW_CONFIG=str(Path(state_dir) / "none.toml"),
        IOTFLOW_STATE_DIR=state_dir,
        IOTFLOW_CLIENT_SECRET="demo-secret",
        IOTFLOW_CLIENT_ID="demo",
    )
    return env


def iotflow_argv(port: int, flavour: str) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    if flavour == "iot-flow":
        url, token, auth = base + IOT_FLOW, base + OIDC_TOKEN, "oidc"
    else:
        url, token, auth = base + DX_CORE, base + DX_TOKEN, "dx-admin"
    return [
        shutil.which("iotflow") or "iotflow",
        "--url", url, "--token-url", token, "--flavour", flavour, "--auth", auth,
    ]  # fmt: skip


def stock_argv(port: int, flavour: str) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    url, token = (
        (base + IOT_FLOW, base + OIDC_TOKEN)
        if flavour == "iot-flow"
        else (
            base + DX_CORE,
            base + DX_TOKEN,
        )
    )
    return [sys.executable, str(HERE / "stock_app.py"), url, token, flavour]


@dataclass
class Run:
    first_rows: float
    idle_windows: list[tuple[float, float]] | None = None
    """(bytes written per second, CPU % of a core) of each idle window."""
    rss_mib: float | None = None
    rss_samples: list[tuple[float, float]] | None = None
    """(seconds after the first rows, RSS MiB) every 30 s of the memory run."""
    requests: dict[str, int] | None = None


def run_once(
    argv: list[str],
    marker: re.Pattern[bytes],
    proxy: CountingProxy,
    idle_window: float = 0.0,
    rss_after: float = 0.0,
) -> Run:
    with tempfile.TemporaryDirectory() as state:
        proxy.reset()
        env = environment(state)
        if SOURCE and argv[0] != sys.executable:  # iotflow, not the stock app
            env["PYTHONPATH"] = SOURCE
        program = PtyProgram(argv, env)
        try:
            result = Run(first_rows=program.wait_for(marker, timeout=120))
            if idle_window:
                time.sleep(5)  # let the first poll's repaint and the history write settle
                result.idle_windows = idle_windows(program, idle_window)
            if rss_after:
                began, result.rss_samples = time.perf_counter(), []
                while (left := rss_after - (time.perf_counter() - began)) > 0:
                    time.sleep(min(30.0, left))
                    result.rss_samples.append((time.perf_counter() - began, program.rss_mib()))
                result.rss_mib = result.rss_samples[-1][1]
            result.requests = dict(proxy.requests)
            return result
        finally:
            program.stop()


SOURCE: str | None = None
"""``--source DIR``: the iotflow runs import the package from this checkout (an A/B
against another commit's worktree: ``git worktree add /tmp/before COMMIT``)."""

IDLE_WINDOW = 10.0
"""Seconds of one idle window: two polls at the default 5 s interval, so each window holds
as many polls as the next (a window with one poll more would read 20 % higher)."""


def idle_windows(program: PtyProgram, seconds: float) -> list[tuple[float, float]]:
    """(bytes/s, CPU %) of each IDLE_WINDOW in ``seconds``, measured back to back."""
    windows = []
    start, cpu0 = time.perf_counter(), program.cpu_seconds()
    for _ in range(max(1, round(seconds / IDLE_WINDOW))):
        time.sleep(max(0.0, start + IDLE_WINDOW - time.perf_counter()))
        end, cpu1 = time.perf_counter(), program.cpu_seconds()
        windows.append(
            (program.bytes_between(start, end) / (end - start), 100 * (cpu1 - cpu0) / (end - start))
        )
        start, cpu0 = end, cpu1
    return windows


def summary(values: list[float], unit: str, scale: float = 1.0) -> str:
    med = statistics.median(values) * scale
    return f"{med:.2f} {unit} ({min(values) * scale:.2f}–{max(values) * scale:.2f})"


class Report:
    """The printed table: one line per figure, goals as ratios or bounds."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str, str, str]] = []

    def compare(
        self, label: str, ours: list[float], stock: list[float], unit: str, goal: float | None
    ) -> None:
        ratio = statistics.median(ours) / max(statistics.median(stock), 1e-9)
        verdict = "" if goal is None else ("met" if ratio <= goal else "NOT met")
        goal_text = "" if goal is None else f"≤ {goal:.2f}× {verdict}"
        self.lines.append(
            (label, summary(ours, unit), summary(stock, unit), f"{ratio:.2f}×", goal_text)
        )

    def bound(self, label: str, value: float, limit: float, unit: str) -> None:
        verdict = "met" if value <= limit else "NOT met"
        self.lines.append((f"  goal: {label}", f"{value:.2f} {unit}", "", "", verdict))

    def note(self, label: str, value: str, extra: str = "") -> None:
        self.lines.append((f"  {label}", value, "", extra, ""))

    def print(self, repeats: int) -> None:
        rows = [HEADER, *self.lines]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        for row in [HEADER, tuple("-" * w for w in widths), *self.lines]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        print(
            f"\n{repeats} repeats after a warm-up, iotflow and stock in turns; median (range). "
            f"Machine: {os.cpu_count()} "
            f"cores, load average {os.getloadavg()[0]:.1f} at the end."
            + (f" iotflow from {SOURCE}." if SOURCE else "")
        )


def both(
    proxy: CountingProxy, marker: re.Pattern[bytes], flavour: str, times: int, **measure: float
) -> tuple[list[Run], list[Run]]:
    """The same measurement for iotflow and for the stock app, through the same proxy,
    taken in turns (iotflow, stock, iotflow, ...) after one warm-up each: the other
    engineers' load moves within a minute, and a block of one program's starts followed
    by a block of the other's would give the ratio that drift."""
    programs = (iotflow_argv(proxy.port, flavour), stock_argv(proxy.port, flavour))
    for argv in programs:
        run_once(argv, marker, proxy, **measure)  # warm-up: bytecode compiled, page cache warm
    ours: list[Run] = []
    stock: list[Run] = []
    for _ in range(times):
        for argv, runs in zip(programs, (ours, stock), strict=True):
            runs.append(run_once(argv, marker, proxy, **measure))
    return ours, stock


def measure_start(report: Report, count: int, goal: float | None, repeats: int) -> None:
    sim = start_simulator(count)
    try:
        with CountingProxy(sim.port) as proxy:
            ours, stock = both(proxy, rows_marker(sim.names), "iot-flow", repeats)
        report.compare(
            f"start → first rows, {count:,}",
            [r.first_rows for r in ours], [r.first_rows for r in stock], "s", goal,
        )  # fmt: skip
    finally:
        sim.stop()


def idle_runs(
    proxy: CountingProxy, marker: re.Pattern[bytes], argv: list[str], runs: int, window: float
) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """Every idle window of ``runs`` runs (after a warm-up start), and the 1-minute load
    average before and after them."""
    run_once(argv, marker, proxy)  # warm-up: bytecode compiled, page cache warm
    load_before = os.getloadavg()[0]
    windows: list[tuple[float, float]] = []
    for _ in range(runs):
        windows += run_once(argv, marker, proxy, idle_window=window).idle_windows or []
    return windows, (load_before, os.getloadavg()[0])


def measure_idle_and_dx_core(
    report: Report, repeats: int, idle_window: float, idle_runs_each: int
) -> None:
    count = 1000
    sim = start_simulator(count)
    try:
        marker = rows_marker(sim.names)
        with CountingProxy(sim.port) as proxy:
            ours, our_load = idle_runs(proxy, marker, iotflow_argv(proxy.port, "iot-flow"),
                                       idle_runs_each, idle_window)
            stock, stock_load = idle_runs(proxy, marker, stock_argv(proxy.port, "iot-flow"),
                                          idle_runs_each, idle_window)
        out, cpu = [w[0] for w in ours], [w[1] for w in ours]
        report.compare("idle output, 1,000", out, [w[0] for w in stock], "B/s", None)
        report.bound("iotflow idle output ≤ 2,048 B/s", statistics.median(out), 2048, "B/s")
        report.compare("idle CPU, 1,000", cpu, [w[1] for w in stock], "%", None)
        report.bound("iotflow idle CPU ≤ 1 % of a core", statistics.median(cpu), 1.0, "%")
        report.note(
            f"idle: {len(ours)} + {len(stock)} windows of {IDLE_WINDOW:g} s",
            f"load {our_load[0]:.1f}→{our_load[1]:.1f}",
            f"stock's {stock_load[0]:.1f}→{stock_load[1]:.1f}",
        )
        with CountingProxy(sim.port) as proxy:
            ours, stock = both(proxy, marker, "dx-core", repeats)
        report.compare(
            "DX Core start → first rows, 1,000",
            [r.first_rows for r in ours], [r.first_rows for r in stock], "s", None,
        )  # fmt: skip
        pages = count // 100 + 1  # pages of 100, the last one empty
        reads = statistics.median((r.requests or {}).get("GET connections", 0) for r in ours)
        stock_reads = statistics.median((r.requests or {}).get("GET connections", 0) for r in stock)
        report.note(
            f"DX Core list reads by first rows ({pages} pages)",
            f"{reads:.0f} (stock {stock_reads:.0f})",
            f"{reads / pages:.2f}/page",
        )
    finally:
        sim.stop()


def measure_memory(report: Report, window: float) -> None:
    sim = start_simulator(10000)
    try:
        marker = rows_marker(sim.names)
        # A soak of the stock app would only double the run: it gets at most 5 minutes.
        stock_window = min(window, 300.0)
        with CountingProxy(sim.port) as proxy:
            ours = [run_once(iotflow_argv(proxy.port, "iot-flow"), marker, proxy,
                             rss_after=window)]
            stock = [run_once(stock_argv(proxy.port, "iot-flow"), marker, proxy,
                              rss_after=stock_window)]
        rss = [r.rss_mib or 0.0 for r in ours]
        label = f"RSS after {window / 60:.0f} min of polls, 10,000"
        if stock_window < window:
            label += f" (stock: {stock_window / 60:.0f} min)"
        report.compare(label, rss, [r.rss_mib or 0.0 for r in stock], "MiB", None)
        report.bound("iotflow RSS ≤ 130 MiB", statistics.median(rss), 130, "MiB")
        samples = ours[0].rss_samples or []
        late = [mib for at, mib in samples if at >= min(window / 2, 300)]
        if late:
            report.note(
                "iotflow RSS over the second half / after 5 min",
                f"{min(late):.1f}–{max(late):.1f} MiB",
                f"{max(late) - min(late):.1f} MiB spread",
            )
    finally:
        sim.stop()


def measure_client(report: Report, repeats: int) -> None:
    paging = bench_client.paging_figures(10_000, repeats)
    pages = paging.pages
    for label, seconds, calls in (("first", paging.first, paging.first_requests),
                                  ("steady", paging.steady, paging.steady_requests)):
        report.compare(f"DX Core {label} poll, 10,000 @ 50 ms (vs sequential pass)",
                       seconds, paging.sequential, "s", 0.5)
        report.bound(f"{label} poll ≤ 1.1 requests per page ({calls} for {pages})",
                     calls / pages, 1.1, "req/page")
    ours, curl = bench_client.list_json_figures(10_000, repeats)
    if curl:
        report.compare("list -o json, 10,000 (vs curl + json.load)", ours, curl, "s", 1.3)
    for argv in (["--help"], ["info"]):
        _took, heavy = bench_client.heavy_imports(argv)
        report.note(f"iotflow {' '.join(argv)} imports Textual/httpx/Rich",
                    ", ".join(heavy) or "none", "met" if not heavy else "NOT met")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter windows")
    parser.add_argument("--soak", type=float, metavar="MINUTES",
                        help="the memory run lasts this long (issue 16: 30)")
    parser.add_argument("--only", choices=["start", "idle", "memory", "client"],
                        help="one group of figures")
    parser.add_argument("--source", metavar="DIR",
                        help="the pty runs take iotflow from this checkout (PYTHONPATH)")
    args = parser.parse_args()
    global SOURCE
    SOURCE = args.source
    bench_client.compile_package()
    repeats = 3 if args.quick else 5
    report = Report()
    if args.only in (None, "start"):
        for count, goal in ((100, 0.8), (1000, None), (5000, 0.6)):
            measure_start(report, count, goal, repeats)
    if args.only in (None, "idle"):
        measure_idle_and_dx_core(report, repeats, idle_window=20.0 if args.quick else 60.0,
                                 idle_runs_each=1 if args.quick else 2)
    if args.only in (None, "client"):
        measure_client(report, repeats)
    if args.only in (None, "memory"):
        window = 60 * args.soak if args.soak else 60.0 if args.quick else 300.0
        measure_memory(report, window=window)
    report.print(repeats)


HEADER = ("measure", "iotflow", "stock Textual app", "ratio", "goal")

if __name__ == "__main__":
    main()
