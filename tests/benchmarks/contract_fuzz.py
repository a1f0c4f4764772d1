"""A longer schemathesis run against the simulator than the test suite's (which keeps a few
examples per operation): every operation of both descriptions, N examples each, over a real
loopback socket, with the same checks (conformance, no 5xx, authentication enforced).

    python tests/benchmarks/contract_fuzz.py            # 200 examples per operation
    python tests/benchmarks/contract_fuzz.py --examples 1000 --seed 3

Prints one line per operation and a summary; exits 1 if anything failed. Bounded by the
example count and a per-request timeout; it talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
import time

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tui.simulator import ManualClock, Simulator, SimulatorServer
from tui.simulator.app import API_PREFIXES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]


def fuzz(operation, base_url: str, token: str, examples: int, seed: int) -> int:
    calls = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        nonlocal calls
        calls += 1
        case.call_and_validate(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            checks=CHECKS,
            timeout=10,
        )

    # A seeded run: the same failures come back on the same seed.
    hypothesis_seed(seed)(run)()
    return calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sim = Simulator(clock=ManualClock(), seed=args.seed, connections=40)
    failures = 0
    total_calls = 0
    started = time.perf_counter()
    with SimulatorServer(sim) as server:
        token = sim.issue_token(ttl=10**8)
        for prefix in API_PREFIXES:
            schema = schemathesis.openapi.from_url(f"{server.base_url}{prefix}/openapi.json")
            for result in schema.get_all_operations():
                operation = result.ok()
                t0 = time.perf_counter()
                try:
                    calls = fuzz(
                        operation, server.base_url + prefix, token, args.examples, args.seed
                    )
                    status = "ok"
                except FailureGroup as exc:
                    calls, status = 0, f"FAILED\n{exc}"
                    failures += 1
                total_calls += calls
                took = time.perf_counter() - t0
                print(f"{prefix:32} {operation.label:28} {calls:5} calls {took:6.1f} s  {status}")
    elapsed = time.perf_counter() - started
    print(f"{total_calls} generated requests in {elapsed:.1f} s; {failures} operations failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
