"""A longer schemathesis run against the simulator than the test suite's (which keeps a few
examples per operation): every operation of both descriptions, N examples each in positive
mode (requests as described) and N in negative mode (requests that break the description,
which must be refused with a 4xx), over a real loopback socket, with the same checks and
set-up as tests/unit/test_simulator_contract.py (tests/support/contract.py).

    python tests/benchmarks/contract_fuzz.py              # 200 examples per operation and mode
    python tests/benchmarks/contract_fuzz.py --quick      # 25, about a minute
    python tests/benchmarks/contract_fuzz.py --examples 1000 --seed 3

Prints one line per operation and mode (the statuses seen) and a summary; exits 1 if
anything failed. Bounded by the example count and a per-request timeout; it talks only to
127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.contract import fuzz, operations, served_simulator  # noqa: E402
from tui.simulator.app import API_PREFIXES  # noqa: E402

QUICK_EXAMPLES = 25


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="per operation and mode")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EXAMPLES} examples")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    examples = QUICK_EXAMPLES if args.quick else args.examples
    failures = 0
    total_calls = 0
    started = time.perf_counter()
    with served_simulator(seed=args.seed, connections=40) as served:
        for prefix in API_PREFIXES:
            for operation in operations(served, prefix):
                for mode in GenerationMode:
                    t0 = time.perf_counter()
                    try:
                        statuses = fuzz(
                            operation, served, prefix, examples, seed=args.seed, mode=mode
                        )
                        calls = sum(statuses.values())
                        status = " ".join(f"{code}x{n}" for code, n in sorted(statuses.items()))
                    except FailureGroup as exc:
                        calls, status = 0, f"FAILED\n{exc}"
                        failures += 1
                    total_calls += calls
                    took = time.perf_counter() - t0
                    print(
                        f"{prefix:32} {operation.label:32} {mode.value:8} {calls:5} calls "
                        f"{took:6.1f} s  {status}",
                        flush=True,
                    )
    elapsed = time.perf_counter() - started
    print(f"{total_calls} generated requests in {elapsed:.1f} s; {failures} runs failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
