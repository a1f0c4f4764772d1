"""How long the connection form takes with a large schema, through the real screen.

    python tests/benchmarks/bench_form_large.py

For the 2.2 MB schema of 4,000 properties (one JSON text, tui/forms/large.py) and
for one at the limit of fields (LARGE_FORM_FIELDS), prints the time from picking the connector
to the settings step shown, a keystroke (type a character and see it handled), and the
check that runs on ctrl+g. Headless Pilot at 80x24; run it on a quiet machine.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.clock import T0  # noqa: E402
from tests.support.form_screens import FormHost, SchemaClient, make_screen, settle  # noqa: E402
from tests.support.schemas import large_schema  # noqa: E402
from tui.forms.size import LARGE_FORM_FIELDS  # noqa: E402


class Clock:
    def now(self):
        return T0


def schema_of(count: int, description: int) -> dict:
    props = {}
    for i in range(count):
        kind = i % 4
        if kind == 0:
            props[f"s{i}"] = {"type": "string", "maxLength": 64}
        elif kind == 1:
            props[f"s{i}"] = {"type": "integer", "minimum": 0, "maximum": 1000, "default": 5}
        elif kind == 2:
            props[f"s{i}"] = {"type": "boolean", "default": False}
        else:
            props[f"s{i}"] = {"type": "string", "enum": [f"o{j}" for j in range(8)]}
        props[f"s{i}"]["description"] = "d" * description
    return {"type": "object", "properties": props}


async def measure(schema: dict) -> tuple[float, float, float, str]:
    with tempfile.TemporaryDirectory() as folder:
        screen = make_screen(SchemaClient({"big": schema}), Path(folder), Clock())
        async with FormHost(screen).run_test(size=(80, 24)) as pilot:
            await settle(pilot, screen)
            start = time.perf_counter()
            await screen._choose("big")
            await settle(pilot, screen)
            shown = time.perf_counter() - start
            first = screen.form.query("Input, TextArea").first()
            first.focus()
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("7")
            await settle(pilot, screen)
            key = time.perf_counter() - start
            start = time.perf_counter()
            screen.settings.show_errors(screen.form_tree, screen._errors())
            await pilot.pause()
            check = time.perf_counter() - start
            kind = type(screen.form_tree.root).__name__
    return shown, key, check, kind


def main() -> int:
    for label, schema in (
        ("the 4,000-property schema (tests/support/schemas.py)", large_schema()),
        (
            f"{LARGE_FORM_FIELDS} properties (the most shown as fields)",
            schema_of(LARGE_FORM_FIELDS, 40),
        ),
    ):
        size = len(json.dumps(schema)) / 1e6
        shown, key, check, kind = asyncio.run(measure(schema))
        print(
            f"{label} ({size:.1f} MB, {kind}): settings shown in {shown:.2f} s, "
            f"a keystroke {key * 1000:.0f} ms, the full check {check * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
