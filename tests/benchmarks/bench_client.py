"""The client's figures from issue 16, each against a plain baseline measured in the same run.

1. One DX Core poll of N connections (default 10,000) at 50 ms latency: iotflow's client
   (4 requests at a time; a first poll in overlapping windows, a steady poll in aligned pages
   checked at their boundaries) against one plain
   sequential pass (pageIndex 1, 2, ... until a short page, httpx, nothing else), with
   requests per page, and the fewest requests any first poll can prove its read with.
2. ``iotflow list -o json`` (the installed command, token included) against
   ``curl`` + ``json.load`` of the same list with a token fetched beforehand.
3. Which heavy modules ``iotflow --help`` and ``iotflow info`` import.

The simulator runs as ``iotflow sim`` in its own process (real clock), so it does not
share this process's interpreter. Each figure is the median of ``--repeat`` runs, with
the range. Run: ``python tests/benchmarks/bench_client.py [--connections N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.window_cover import fewest_overlapping, fewest_with_second_reads  # noqa: E402
from tui.config import Profile, make_client  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DX = "/thingpark/dx/core/latest/api"
IOT = "/iot-flow/v1"
OIDC = "/users-auth/protocol/openid-connect/token"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sim:
    """``iotflow sim`` in a subprocess, stopped on exit."""

    def __init__(self, connections: int, latency_ms: float):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BIN / "iotflow"), "sim", "--port", str(self.port), "--connections",
             str(connections), "--latency", str(latency_ms)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "listening" in line:
                break
        # The simulator integrates each connection's traffic since its start at the first
        # metrics request (1.6 s for 10,000, then 0.11 s a call); a platform serves them
        # from its store. Paid here, it does not land on whichever poll asks first.
        httpx.get(self.base + DX + "/connections/metrics", timeout=60,
                  headers={"Authorization": f"Bearer {self.token()}"})

    def token(self) -> str:
        answer = httpx.post(self.base + OIDC, data={
            "grant_type": "client_credentials", "client_id": "demo",
            "client_secret": "demo-secret"})
        return answer.json()["access_token"]

    def __enter__(self) -> Sim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


async def sequential_pass(sim: Sim, token: str) -> tuple[float, int, int]:
    """(seconds, requests, items) of one plain pass over the pages, one after another."""
    started = time.perf_counter()
    requests = items = 0
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        index = 1
        while True:
            page = (await http.get(sim.base + DX + "/connections",
                                   params={"pageIndex": index})).json()
            requests += 1
            items += len(page)
            if len(page) < 100:
                break
            index += 1
    return time.perf_counter() - started, requests, items


async def iotflow_polls(sim: Sim) -> tuple[float, int, float, int, int]:
    """(first poll s, its requests, steady poll s, its requests, items)."""
    profile = Profile(name="bench", url=sim.base + DX, flavour="dx-core", auth="oidc",
                      token_url=sim.base + OIDC, client_id="demo",
                      client_secret="demo-secret", timeout=30)
    async with make_client(profile, retries=0) as client:
        await client.authenticate()
        started = time.perf_counter()
        await client.list_connections()
        first, first_calls = time.perf_counter() - started, client.calls
        started = time.perf_counter()
        rows = await client.list_connections()
        steady = time.perf_counter() - started
        return first, first_calls, steady, client.calls - first_calls, len(rows)


@dataclass
class PagingFigures:
    sequential: list[float]
    sequential_requests: int
    first: list[float]
    first_requests: int
    steady: list[float]
    steady_requests: int

    @property
    def pages(self) -> int:
        return self.sequential_requests


def paging_figures(connections: int, repeat: int) -> PagingFigures:
    """A plain sequential pass and iotflow's two kinds of poll, alternately, ``repeat`` times."""
    with Sim(connections, 50) as sim:
        token = sim.token()
        seq, first, steady = [], [], []
        for _ in range(repeat):
            seconds, seq_requests, items = asyncio.run(sequential_pass(sim, token))
            seq.append(seconds)
            f, f_calls, s, s_calls, rows = asyncio.run(iotflow_polls(sim))
            first.append(f)
            steady.append(s)
            assert rows == items == connections, (rows, items)
    return PagingFigures(seq, seq_requests, first, f_calls, steady, s_calls)


def bench_paging(connections: int, repeat: int) -> None:
    print(f"\n## DX Core poll, {connections:,} connections, 50 ms latency (median of {repeat})")
    figures = paging_figures(connections, repeat)
    pages, seq = figures.pages, figures.sequential
    print("| measure | seconds | requests | requests/page | ratio to sequential |")
    print("|---|---|---|---|---|")
    base = statistics.median(seq)
    print(f"| one sequential pass (plain httpx) | {spread(seq)} | {pages} | 1.00 | 1.00 |")
    rows = (("first", "first poll (pages checked on the metrics census)", figures.first,
             figures.first_requests),
            ("steady", "steady poll (boundary check)", figures.steady, figures.steady_requests))
    for _label, title, seconds, calls in rows:
        print(f"| iotflow, {title} | {spread(seconds)} | {calls} | "
              f"{calls / pages:.2f} | {statistics.median(seconds) / base:.2f} |")
    for label, _title, seconds, calls in rows:
        ratio, per_page = statistics.median(seconds) / base, calls / pages
        verdict = "met" if ratio <= 0.5 and per_page <= 1.1 else "NOT met"
        print(f"goal: {label} poll <= 0.5x one sequential pass ({ratio:.2f}x) and <= 1.1 "
              f"requests per page ({per_page:.2f}): {verdict}")
    bench_window_minimum(sorted({1000, connections}))


def bench_window_minimum(counts: list[int]) -> None:
    """The fewest requests any first poll needs to prove its pages consistent (no counts,
    tags or links in DX Core answers: see tui/api/paging.py), by exhaustive search."""
    print("\n## Without a census: fewest aligned windows (pageSize <= 100) that read a list "
          "consistently")
    print("| connections | pages of 100 | 1.1 x pages | fewest, overlaps | "
          "fewest, overlaps or second reads | requests/page at best |")
    print("|---|---|---|---|---|---|")
    for count in counts:
        pages = count // 100 + 1
        overlaps = fewest_overlapping(count + 1)
        second = fewest_with_second_reads(count + 1)
        print(f"| {count:,} | {pages} | {1.1 * pages:.1f} | {overlaps} | {second} | "
              f"{min(overlaps, second) / pages:.2f} |")


def listing_env(sim: Sim) -> dict[str, str]:
    """The environment of ``iotflow list`` against ``sim``: its URLs and the demo client,
    no config file, a state directory that does not exist (no dashboard history)."""
    return dict(os.environ, IOTFLOW_URL=sim.base + IOT, IOTFLOW_TOKEN_URL=sim.base + OIDC,
                IOTFLOW_CLIENT_ID="demo", IOTFLOW_CLIENT_SECRET="demo-secret",
                IOTFLOW_CONFIG=os.devnull, IOTFLOW_STATE_DIR="/nonexistent-bench")


def curl_and_json_load(curl: str, url: str, token: str) -> int:
    """The goal's baseline, once: curl fetches ``url``, ``json.load`` reads what it writes;
    the number of items read. The header reaches curl in a config on its stdin: a token
    stays off any command line."""
    fetch = subprocess.Popen([curl, "-s", "-K", "-", url], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    assert fetch.stdin is not None
    fetch.stdin.write(f'header = "Authorization: Bearer {token}"\n'.encode())
    fetch.stdin.close()
    count = "import json, sys; print(len(json.load(sys.stdin)))"
    load = subprocess.run([sys.executable, "-c", count], stdin=fetch.stdout,
                          capture_output=True, text=True, check=True)
    fetch.wait()
    return int(load.stdout)


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


# The command's steps one after the other in a fresh interpreter, each timed: the same
# functions ``iotflow list -o json`` calls, in its order, with the two imports it makes
# (the printing side once the list request is out, here after the answer).
PHASES_SCRIPT = """
import json, os, sys, time
mark = time.perf_counter
t = [mark()]
import asyncio
from tui.cli import build_parser
from tui.config import load_profile, make_client
t.append(mark())
from tui.api.listing import read_connections

async def run():
    client = make_client(load_profile({}), once=True)
    await client.authenticate()
    t.append(mark())
    response = await client._request("GET", "/connections")
    t.append(mark())
    items = client._array(response)
    t.append(mark())
    connections, listed, _ = read_connections(items, {}, client.limits,
                                              client._item_memos.depth_checked)
    sent = [listed[c.id][0] for c in connections]
    t.append(mark())
    await client.aclose()
    return connections, sent

from tui.connections import gc_paused
with gc_paused():
    connections, sent = asyncio.run(run())
    from tui.cli_list import print_listing  # noqa: F401  (what _list imports meanwhile)
    from tui.cli_json import JsonRecords, write_json_lines
    from tui.cli_report import dashboard_looks
    from datetime import UTC, datetime
    t.append(mark())
    now = datetime.now(UTC)
    looks = dashboard_looks(load_profile({}), connections, now)
    t.append(mark())
    record = JsonRecords(looks, now)
    out = open(os.devnull, "wb")
    write_json_lines((record(c, s) for c, s in zip(connections, sent)), out.write)
    t.append(mark())
print(json.dumps([b - a for a, b in zip(t, t[1:])]))
"""
PHASES = ("imports to send (asyncio, httpx, config, the command line)",
          "client and token (with the first request's imports: httpcore, anyio)",
          "list request: sent, computed by the platform, received",
          "decoding the answer", "reading items into connections",
          "imports to print (board, tables, JSON; overlapped in the command)",
          "time in state, STUCK and FLAP (the board's first look)",
          "records, masking, encoding, writing")


# The command itself (its installed entry point, tui.cli_start.run), timed at the three
# moments that split its run: the list request out (the platform works from then on), the
# answer in hand (its decoding starts), the output written (the process ends). The parent
# passes the moment it started the process; the hooks only note the time and call through.
CRITICAL_SCRIPT = """
import os, sys, time
started = float(os.environ["BENCH_STARTED"])
marks = {}
import tui.api.list_decoding as decoding
import tui.api.request_out as request_out
import tui.cli_exit as cli_exit
traced, end = request_out.trace_until_out, cli_exit.end_process
decode = decoding.PageItemMemos.decode
def trace_until_out(callback):
    def out():
        marks.setdefault("out", time.time())
        callback()
    return traced(out)
def decoding_answer(self, *args):
    marks.setdefault("answer", time.time())
    return decode(self, *args)
def ending(code):
    sys.stderr.write("CRITICAL %f %f %f\\n" % (marks["out"] - started,
                     marks["answer"] - marks["out"], time.time() - marks["answer"]))
    end(code)
request_out.trace_until_out = trace_until_out
decoding.PageItemMemos.decode = decoding_answer
cli_exit.end_process = ending
sys.argv = ["iotflow", "list", "-o", "json"]
from tui.cli_start import run
run()
"""
CRITICAL = ("start → list request out (Python, imports, client, token: ours)",
            "request out → answer in hand (the platform computes and sends it)",
            "answer → output written, process ended (ours)")


def list_json_critical(env: dict[str, str], repeat: int) -> list[list[float]]:
    """Seconds of each of CRITICAL in ``repeat`` runs of the command itself."""
    runs = []
    for _ in range(repeat):
        timed = dict(env, BENCH_STARTED=repr(time.time()))
        done = subprocess.run([sys.executable, "-c", CRITICAL_SCRIPT], env=timed, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              check=True)
        line = next(x for x in done.stderr.splitlines() if x.startswith("CRITICAL "))
        runs.append([float(x) for x in line.split()[1:]])
    return runs


def list_json_phases(sim: Sim, env: dict[str, str], repeat: int) -> list[list[float]]:
    """Seconds of each of PHASES, ``repeat`` times, and the interpreter's own start."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        bare = time.perf_counter() - started
        out = subprocess.run([sys.executable, "-c", PHASES_SCRIPT], env=env, cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        runs.append([bare, *json.loads(out.splitlines()[-1])])
    return runs



def list_json_figures(connections: int, repeat: int,
                      cpu: dict[str, list[float]] | None = None,
                      phases: list[list[float]] | None = None,
                      critical: list[list[float]] | None = None,
                      ) -> tuple[list[float], list[float]]:
    """(iotflow list -o json seconds, curl + json.load seconds; empty without curl).

    ``cpu``, when given, gets the CPU seconds of each run's processes under "ours" and
    "theirs" (user + system, of the processes alone: the simulator is not counted), a
    figure a loaded machine disturbs less than the wall clock. ``phases``, when given,
    gets list_json_phases' runs against the same simulator, ``critical`` those of
    list_json_critical.
    """
    curl = shutil.which("curl")
    spent: dict[str, list[float]] = {"ours": [], "theirs": []} if cpu is None else cpu
    spent.setdefault("ours", [])
    spent.setdefault("theirs", [])
    with Sim(connections, 0) as sim:
        env = listing_env(sim)
        token = sim.token()
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(repeat):
            used = children_cpu()
            started = time.perf_counter()
            done = subprocess.run([str(BIN / "iotflow"), "list", "-o", "json"], env=env,
                                  stdout=subprocess.PIPE, check=True)
            ours.append(time.perf_counter() - started)
            spent["ours"].append(children_cpu() - used)
            assert len(json.loads(done.stdout)) == connections
            if curl:
                used = children_cpu()
                started = time.perf_counter()
                curl_and_json_load(curl, sim.base + IOT + "/connections", token)
                theirs.append(time.perf_counter() - started)
                spent["theirs"].append(children_cpu() - used)
        if phases is not None:
            phases.extend(list_json_phases(sim, env, repeat))
        if critical is not None:
            critical.extend(list_json_critical(env, repeat))
    return ours, theirs


def bench_list_json(connections: int, repeat: int) -> None:
    print(f"\n## iotflow list -o json, {connections:,} connections (median of {repeat})")
    load = os.getloadavg()[0]
    cpu: dict[str, list[float]] = {}
    phases: list[list[float]] = []
    critical: list[list[float]] = []
    ours, theirs = list_json_figures(connections, repeat, cpu, phases, critical)
    print("| measure | seconds | ratio | CPU seconds of its processes |")
    print("|---|---|---|---|")
    if theirs:
        base = statistics.median(theirs)
        print(f"| curl + json.load (token fetched before) | {spread(theirs)} | 1.00 | "
              f"{spread(cpu['theirs'])} |")
        print(f"| iotflow list -o json (token included) | {spread(ours)} | "
              f"{statistics.median(ours) / base:.2f} | {spread(cpu['ours'])} |")
    else:
        print(f"| iotflow list -o json | {spread(ours)} | (no curl here) | "
              f"{spread(cpu['ours'])} |")
    print("goal: <= 1.3x curl + json.load")
    print(f"load average (1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("\nWhere the time goes: the command's steps one after the other, each timed "
          f"(median of {repeat}; the command overlaps the printing imports with the wait)")
    print("| step | milliseconds |")
    print("|---|---|")
    for n, title in enumerate(("Python's own start (python -c pass)", *PHASES)):
        took = [1000 * run[n] for run in phases]
        print(f"| {title} | {statistics.median(took):.0f} ({min(took):.0f}-{max(took):.0f}) |")
    print(f"\nThe command itself, split where the platform's part begins and ends (median of "
          f"{repeat}; 1.3x leaves the first and last stretches together 0.3 x the platform's "
          "part plus 1.3 x what curl + json.load take beyond it)")
    print("| stretch | milliseconds |")
    print("|---|---|")
    for n, title in enumerate(CRITICAL):
        took = [1000 * run[n] for run in critical]
        print(f"| {title} | {statistics.median(took):.0f} ({min(took):.0f}-{max(took):.0f}) |")


def heavy_imports(argv: list[str]) -> tuple[float, list[str]]:
    """(seconds, which of Textual, httpx, httpcore, Rich) ``iotflow ARGV`` imports."""
    probe = ("import sys\nfrom tui.cli import main\ntry:\n    main(sys.argv[1:])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in ('textual', 'httpx', 'httpcore', 'rich') "
             "if sys.modules.get(m) is not None))")
    env = dict(os.environ, IOTFLOW_CONFIG=os.devnull, IOTFLOW_URL="https://iot.example.com",
               IOTFLOW_CLIENT_ID="x", IOTFLOW_CLIENT_SECRET="y")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe, *argv], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, json.loads(out.splitlines()[-1].replace("'", '"'))


def bench_imports() -> None:
    print("\n## Heavy modules imported by the headless commands")
    for argv in (["--help"], ["info"]):
        took, heavy = heavy_imports(argv)
        print(f"iotflow {' '.join(argv):<7} {took:.2f} s, imports {heavy}")


def compile_package() -> None:
    """Our modules' bytecode written once, as ``pip install`` leaves it: with
    PYTHONDONTWRITEBYTECODE set (this machine sets it) an editable install would compile
    every changed module again at every start, which no installed copy does (the stock
    app's libraries come compiled from their wheels)."""
    compileall.compile_dir(ROOT / "tui", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["paging", "json", "imports"])
    args = parser.parse_args()
    compile_package()
    if args.only in (None, "paging"):
        bench_paging(args.connections, args.repeat)
    if args.only in (None, "json"):
        bench_list_json(args.connections, args.repeat)
    if args.only in (None, "imports"):
        bench_imports()


if __name__ == "__main__":
    main()
