"""The generated-schema form test, longer: N schemas through the form screen (Pilot).

    python tests/benchmarks/bench_form_generated.py [N]

Prints how many were sent (and validated), how many stopped on errors in sentences, and
the time per schema. Any crash or unexplained refusal raises with the schema.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.schemas import connector_schemas  # noqa: E402
from tests.ui import test_form_screens_generated as generated  # noqa: E402


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    outcomes = {"sent": 0, "errors": 0}
    times: list[float] = []
    real_run = generated.run_form

    async def counting(schema, folder):
        client, app, screen = await real_run(schema, folder)
        outcomes["sent" if client.sent else "errors"] += 1
        return client, app, screen

    generated.run_form = counting

    @settings(max_examples=count, deadline=None, suppress_health_check=list(HealthCheck))
    @given(connector_schemas())
    def run(schema):
        start = time.perf_counter()
        generated.check(schema)
        times.append(time.perf_counter() - start)

    run()
    times.sort()
    print(
        f"{len(times)} schemas: {outcomes['sent']} sent and valid, "
        f"{outcomes['errors']} stopped on errors in sentences"
    )
    print(f"per schema: median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
