"""Form engine timings (a script, not a test): ``python tests/benchmarks/bench_forms.py``.

Prints, for every shipped connector schema (the largest marked):
* build: ``build_form(schema)`` — goal < 50 ms;
* keystroke: ``set_text`` on one field + whole-form ``validate()`` — goal < 5 ms;
medians over repeats. Then the 2.2 MB, 4,000-property schema of issue 10
(``tests/support/schemas.py:large_schema``): measuring it, building it (time and peak
memory), a keystroke as a screen should run it (``set_text``: that field alone), the
whole-form ``validate()`` a submit runs, a draft, the lazy outline and the JSON-editor form.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.forms import fill_valid  # noqa: E402
from tests.support.schemas import large_schema  # noqa: E402
from tui.forms import ScalarField, build_form, measure_schema  # noqa: E402

CONNECTORS = sorted((ROOT / "tui/simulator/connectors").glob("*.json"))
BUILD_GOAL_MS = 50.0
KEYSTROKE_GOAL_MS = 5.0
LARGE_BUILD_GOAL_MS = 1000.0
LARGE_KEYSTROKE_GOAL_MS = 5.0
LARGE_VALIDATE_GOAL_MS = 250.0


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
    ok_large = bench_large()
    return 0 if ok_build and ok_stroke and ok_large else 1


def bench_large(repeats: int = 7) -> bool:
    schema = large_schema()
    size = measure_schema(schema)
    measure = median_ms(lambda: measure_schema(schema), repeats)
    t0 = time.perf_counter()
    tree = build_form(schema)
    first_build = (time.perf_counter() - t0) * 1000
    build = median_ms(lambda: build_form(schema), repeats)
    tracemalloc.start()
    build_form(schema)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    fill_valid(tree.root)  # every field holds a value: validation has them all to check
    fields = [n for n in tree.walk() if isinstance(n, ScalarField)]
    target = next(n for n in fields if n.kind == "string")
    state = {"i": 0}

    def keystroke() -> None:
        state["i"] += 1
        target.set_text("abc"[: 1 + state["i"] % 3])

    stroke = median_ms(keystroke, 200)
    validate = median_ms(tree.validate, repeats)
    draft = median_ms(tree.draft, repeats)
    outline = median_ms(lambda: list(tree.outline(set())), repeats)
    as_json = median_ms(lambda: build_form(schema, as_json=True), repeats)
    print()
    print(
        f"large schema: {size.schema_bytes / 1e6:.2f} MB, {size.fields} fields, "
        f"{sum(1 for _ in tree.walk())} nodes (large={size.large}, "
        f"json editor={size.needs_json_editor}); median of {repeats}"
    )
    rows = [
        ("measure_schema", measure, None),
        ("build (first, cold)", first_build, None),
        ("build", build, LARGE_BUILD_GOAL_MS),
        ("keystroke (set_text)", stroke, LARGE_KEYSTROKE_GOAL_MS),
        ("validate (all filled)", validate, LARGE_VALIDATE_GOAL_MS),
        ("draft", draft, None),
        ("outline, groups closed", outline, None),
        ("build as JSON editor", as_json, None),
    ]
    ok = True
    for name, ms, goal in rows:
        verdict = ""
        if goal is not None:
            verdict = f"(goal < {goal:.0f} ms)  {'OK' if ms < goal else 'SLOW'}"
            ok = ok and ms < goal
        print(f"  {name:24} {ms:10.3f} ms  {verdict}")
    print(f"  {'build peak memory':24} {peak / 1e6:10.1f} MB")
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
