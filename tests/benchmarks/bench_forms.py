"""Form engine timings (a script, not a test): ``python tests/benchmarks/bench_forms.py``.

Prints, for the largest shipped connector schema (and the mean over all of them):
* build: ``build_form(schema)`` — goal < 50 ms;
* keystroke: ``set_text`` on one field + whole-form ``validate()`` — goal < 5 ms;
medians over repeats.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.forms import fill_valid  # noqa: E402
from tui.forms import ScalarField, build_form  # noqa: E402

CONNECTORS = sorted((ROOT / "tui/simulator/connectors").glob("*.json"))
BUILD_GOAL_MS = 50.0
KEYSTROKE_GOAL_MS = 5.0


def median_ms(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def bench(path: Path, repeats: int) -> tuple[str, int, int, float, float]:
    schema = json.loads(path.read_text())["connection"]["configurationSchema"]
    build = median_ms(lambda: build_form(schema), repeats)
    tree = build_form(schema)
    fill_valid(tree.root)
    target = next(
        n for n in tree.walk() if isinstance(n, ScalarField) and n.kind in ("string", "integer")
    )
    texts = ["1", "12", "123"] if target.kind == "integer" else ["a", "ab", "abc"]
    original = target.text
    state = {"i": 0}

    def keystroke() -> None:
        state["i"] += 1
        target.set_text(
            original + texts[state["i"] % 3] if target.kind == "string" else texts[state["i"] % 3]
        )
        tree.validate()

    stroke = median_ms(keystroke, repeats)
    nodes = sum(1 for _ in tree.walk())
    return path.stem, len(json.dumps(schema)), nodes, build, stroke


def main() -> int:
    repeats = 200
    rows = [bench(p, repeats) for p in CONNECTORS]
    largest = max(rows, key=lambda r: r[1])
    print(f"form engine benchmark, median of {repeats} runs")
    print(f"{'schema':34} {'bytes':>6} {'nodes':>6} {'build ms':>9} {'keystroke ms':>13}")
    for name, size, nodes, build, stroke in rows:
        mark = "  <- largest" if name == largest[0] else ""
        print(f"{name:34} {size:6} {nodes:6} {build:9.3f} {stroke:13.3f}{mark}")
    print()
    ok_build = largest[3] < BUILD_GOAL_MS
    ok_stroke = largest[4] < KEYSTROKE_GOAL_MS
    print(
        f"largest schema build     {largest[3]:8.3f} ms  (goal < {BUILD_GOAL_MS:.0f} ms)  "
        f"{'OK' if ok_build else 'SLOW'}"
    )
    print(
        f"largest schema keystroke {largest[4]:8.3f} ms  (goal < {KEYSTROKE_GOAL_MS:.0f} ms)  "
        f"{'OK' if ok_stroke else 'SLOW'}"
    )
    return 0 if ok_build and ok_stroke else 1


if __name__ == "__main__":
    raise SystemExit(main())
