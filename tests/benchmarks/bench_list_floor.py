"""How close any Python program can come to ``curl`` + ``json.load`` for issue 16's
``iotflow list -o json`` goal (at most 1.3x), with each HTTP stack it could use.

Each floor program does the least a listing command can: fetch a token, fetch the list,
decode it, encode it again to stdout, end without the interpreter's shutdown (gc off, as
our entry point). No masking, no derived fields, no error handling, no checks: none of
iotflow's own work. What a floor takes beyond curl + json.load is what its HTTP stack and
interpreter cost before iotflow does anything; a goal below a stack's floor cannot be met
by any code on that stack.

- ``urllib + msgspec``: the standard library's HTTP client.
- ``httpx.Client + msgspec``: httpx without asyncio (httpcore's threads and sockets).
- ``httpx.AsyncClient + msgspec``: httpx under asyncio (httpcore on anyio), the stack of
  iotflow's one client, which the dashboard needs (it must not block Textual's loop).
- ``iotflow list -o json``: the installed command.

The baseline, as in bench_client, is curl + json.load with the token fetched before (its
header reaches curl on stdin, not on its command line). The programs run in turns
(baseline, each floor, iotflow; again, each turn starting one program later), so a
simulator that slows or speeds up over the run moves them all alike. Run:
``python tests/benchmarks/bench_list_floor.py [--connections N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_client  # noqa: E402
from bench_client import BIN, IOT, Sim, children_cpu, curl_and_json_load, listing_env  # noqa: E402

# What every floor starts with: gc off (as tui.cli_start), httpx's command line not
# imported (as tui.api.lean_httpx), the URLs and the credentials from the environment
# iotflow reads too.
PRELUDE = """
import gc; gc.disable()
import os, sys
sys.modules.setdefault("httpx._main", None)
TOKEN_URL, LIST_URL = os.environ["IOTFLOW_TOKEN_URL"], os.environ["IOTFLOW_URL"] + "/connections"
FORM = {"grant_type": "client_credentials", "client_id": os.environ["IOTFLOW_CLIENT_ID"],
        "client_secret": os.environ["IOTFLOW_CLIENT_SECRET"]}
"""
ENDING = """
import msgspec
sys.stdout.buffer.write(msgspec.json.encode(msgspec.json.decode(body)))
sys.stdout.flush()
os._exit(0)
"""
FLOORS = {
    "urllib + msgspec": """
import json, urllib.parse, urllib.request
answer = urllib.request.urlopen(TOKEN_URL, urllib.parse.urlencode(FORM).encode())
token = json.load(answer)["access_token"]
asking = urllib.request.Request(LIST_URL, headers={"Authorization": "Bearer " + token})
body = urllib.request.urlopen(asking).read()
""",
    "httpx.Client + msgspec": """
import httpx
with httpx.Client() as client:
    token = client.post(TOKEN_URL, data=FORM).json()["access_token"]
    body = client.get(LIST_URL, headers={"Authorization": "Bearer " + token}).content
""",
    "httpx.AsyncClient + msgspec (iotflow's stack)": """
import asyncio, httpx
async def fetch():
    async with httpx.AsyncClient() as client:
        token = (await client.post(TOKEN_URL, data=FORM)).json()["access_token"]
        answer = await client.get(LIST_URL, headers={"Authorization": "Bearer " + token})
        return answer.content
body = asyncio.run(fetch())
""",
}
BASELINE = "curl + json.load (token fetched before)"
OURS = "iotflow list -o json"


def measure(connections: int, repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """Name → (seconds, CPU seconds of its processes) of each program's ``repeat`` runs."""
    curl = shutil.which("curl")
    if curl is None:
        raise SystemExit("bench_list_floor needs curl (the goal's baseline)")
    names = [BASELINE, *FLOORS, OURS]
    figures: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in names}
    with Sim(connections, 0) as sim:
        env = listing_env(sim)  # (the floors read the same variables)
        token = sim.token()
        for turn in range(repeat):
            # Each turn starts one program later: none is always the one that follows
            # another's answer while the simulator may still be tidying up after it.
            for name in names[turn % len(names):] + names[:turn % len(names)]:
                used, started = children_cpu(), time.perf_counter()
                if name == BASELINE:
                    count = curl_and_json_load(curl, sim.base + IOT + "/connections", token)
                else:
                    argv = ([str(BIN / "iotflow"), "list", "-o", "json"] if name == OURS
                            else [sys.executable, "-c", PRELUDE + FLOORS[name] + ENDING])
                    done = subprocess.run(argv, env=env, stdout=subprocess.PIPE, check=True)
                    count = len(json.loads(done.stdout))
                figures[name][0].append(time.perf_counter() - started)
                figures[name][1].append(children_cpu() - used)
                assert count == connections, (name, count)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    bench_client.compile_package()
    load = os.getloadavg()[0]
    figures = measure(args.connections, args.repeat)
    base = statistics.median(figures[BASELINE][0])
    print(f"\n## Floors of a listing command, {args.connections:,} connections "
          f"(median of {args.repeat}, in turns)")
    print("| program | seconds | ratio to the baseline | CPU seconds of its processes |")
    print("|---|---|---|---|")
    for name, (took, cpu) in figures.items():
        print(f"| {name} | {bench_client.spread(took)} | "
              f"{statistics.median(took) / base:.2f} | {bench_client.spread(cpu)} |")
    print("goal: iotflow list -o json <= 1.3x the baseline")
    print(f"load average (1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
