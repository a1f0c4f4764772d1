"""Poll cost with metrics: the list alone against the list and the metrics together.

Run: ``python tests/benchmarks/bench_flow_poll.py`` (about a minute). The simulator runs in
its own process (``python -m tui.simulator``, real clock) serving 1,000 connections with
100 ms added to every answer; the client is the dashboard's (``make_client``), and
"list + metrics" is the dashboard's own poll path (``MetricsPoll`` starts the metrics call,
the list is read, then the metrics are awaited). Polls are 5 s apart, the dashboard's
default interval: the simulator re-aggregates its figures once a minute (per-minute counters),
so about one poll in twelve pays for computing every connection's metrics. Goal (issue 13):
list + metrics under 1.3x the list alone. Prints the median wall time, its range and HTTP
requests per poll (tokens not counted).
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.config import Profile, make_client  # noqa: E402
from tui.flow_poll import MetricsPoll  # noqa: E402

CONNECTIONS = 1000
LATENCY_MS = 100
RUNS = 8
INTERVAL = 5.0
GOAL = 1.3


async def measure(profile: Profile) -> dict[str, tuple[float, float, float, float]]:
    client = make_client(profile, retries=0)
    try:
        await client.authenticate()
        await client.list_connections()  # warm: connection pool, first decode
        # ...and the simulator's first aggregation of every connection's traffic, a
        # one-off a platform that keeps its counters never pays on a poll.
        await client.metrics()
        results: dict[str, tuple[float, float, float, float]] = {}

        async def list_only() -> None:
            await client.list_connections()

        async def list_and_metrics() -> None:
            poll = MetricsPoll()
            call = poll.start(client)
            await client.list_connections()
            outcome = await poll.outcome(call)
            assert outcome.metrics is not None and len(outcome.metrics) == CONNECTIONS

        async def one_after_the_other() -> None:
            await client.list_connections()
            await client.metrics()

        for name, step in (
            ("list alone", list_only),
            ("list + metrics (dashboard poll)", list_and_metrics),
            ("list then metrics (sequential, for scale)", one_after_the_other),
        ):
            times, calls = [], []
            for _ in range(RUNS):
                before = client.calls
                started = time.perf_counter()
                await step()
                times.append(time.perf_counter() - started)
                await asyncio.sleep(max(0.0, INTERVAL - times[-1]))
                calls.append(client.calls - before)
            middle, requests = statistics.median(times), statistics.mean(calls)
            results[name] = (middle, requests, min(times), max(times))
        return results
    finally:
        await client.aclose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    port = free_port()
    command = [sys.executable, "-m", "tui.simulator", "--port", str(port), "--connections",
               str(CONNECTIONS), "--latency-ms", str(LATENCY_MS)]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if b"listening" in line:
                break
        profile = Profile(
            name="bench",
            url=f"http://127.0.0.1:{port}",
            client_id="demo",
            client_secret="demo-secret",
            timeout=30.0,
        )
        results = asyncio.run(measure(profile))
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = results["list alone"][0]
    print(f"{CONNECTIONS} connections, {LATENCY_MS} ms latency, median of {RUNS} polls 5 s apart")
    print(f"{'poll':<44} {'wall ms':>8} {'range ms':>11} {'requests':>9} {'vs list':>8}")
    for name, (wall, calls, low, high) in results.items():
        span = f"{low * 1000:.0f}-{high * 1000:.0f}"
        print(f"{name:<44} {wall * 1000:>8.0f} {span:>11} {calls:>9.0f} {wall / base:>7.2f}x")
    ratio = results["list + metrics (dashboard poll)"][0] / base
    verdict = "meets" if ratio < GOAL else "MISSES"
    print(f"list + metrics = {ratio:.2f}x the list alone: {verdict} the goal (< {GOAL}x)")
    return 0 if ratio < GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
