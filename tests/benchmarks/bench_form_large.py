"""How the connection form behaves with large schemas, in a real terminal.

    python tests/benchmarks/bench_form_large.py [--quick]

For flat schemas of 100, 200 and 400 settings (400 = LARGE_FORM_FIELDS, the most shown as
fields) and for the 2.2 MB schema of 4,000 properties (one JSON editor, tui/forms/large.py),
the form runs in its own process on a pseudo-terminal (80x24, as over SSH) and the script
measures what a person would notice:

- shown: from Enter on the connector to the frame that shows the first setting;
- keystroke: from a character written to the terminal to the frame that shows it typed in
  the first setting (median and worst of 10 keys, typed one after the other), before and
  after the form was checked once (PgDn; from then on each keystroke checks it again);
- memory: the process's resident size once the form is shown;
- idle CPU: CPU time of the process (all threads) over 10 s with nothing happening.

``--quick`` measures 400 fields only. The child process is this script with ``--app``.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.pty_run import PtyProgram  # noqa: E402
from tui.forms.size import LARGE_FORM_FIELDS, measure_schema  # noqa: E402

IDLE_SECONDS = 10.0
KEYS = "kq123456789"
"""Typed into the first setting; each frame is recognised by the last three typed."""
KEYS_CHECKED = "xyzwvutsrp"
"""Typed there after the check."""


def schema_of(count: int, description: int = 40) -> dict:
    """``count`` flat settings, a mix of text, numbers, switches and choices."""
    props: dict[str, dict] = {}
    for i in range(count):
        kind = i % 4
        if kind == 0:
            prop: dict = {"type": "string", "maxLength": 64}
        elif kind == 1:
            prop = {"type": "integer", "minimum": 0, "maximum": 1000, "default": 5}
        elif kind == 2:
            prop = {"type": "boolean", "default": False}
        else:
            prop = {"type": "string", "enum": [f"o{j}" for j in range(8)]}
        prop["title"] = f"Setting {i}"
        prop["description"] = "d" * description
        props[f"s{i}"] = prop
    return {"type": "object", "properties": props}


def run_app(which: str) -> None:
    """The child: the form screen on the terminal, for ``which`` (a count or "large")."""
    from datetime import UTC, datetime

    from tests.support.form_screens import FormHost, SchemaClient, make_screen
    from tests.support.schemas import large_schema

    class Clock:
        def now(self) -> datetime:
            return datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    schema = large_schema() if which == "large" else schema_of(int(which))
    with tempfile.TemporaryDirectory() as folder:
        screen = make_screen(SchemaClient({"big": schema}), Path(folder), Clock())
        FormHost(screen).run()


class Form(PtyProgram):
    """The form on a pty, watched for one marker at a time."""

    def expect(self, marker: bytes, send: bytes = b"", timeout: float = 120.0) -> float:
        """Seconds from sending ``send`` until the output written since contains ``marker``."""
        with self._lock:
            self._text.clear()
            self._keep_text = True
            self._seen.clear()
            self._marker = re.compile(re.escape(marker))
            start = time.perf_counter()
            self.send(send)
        if not self._seen.wait(timeout):
            raise TimeoutError(f"{marker!r} not seen in {timeout} s")
        assert self.seen_at is not None
        return self.seen_at - start

    def settle(self, quiet: float = 0.5) -> None:
        """Wait until the process has used (almost) no CPU for ``quiet`` seconds."""
        last, calm = self.cpu_seconds(), 0.0
        while calm < quiet:
            time.sleep(0.1)
            now = self.cpu_seconds()
            calm = calm + 0.1 if now - last < 0.02 else 0.0
            last = now


def measure(which: str) -> dict[str, float]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    env.pop("NO_COLOR", None)
    form = Form([sys.executable, __file__, "--app", which], env=env, size=(80, 24))
    try:
        form.expect(b"big (test)")  # the connector list is on screen
        form.settle()
        first = b"Value" if which == "large" else b"Setting 0"
        shown = form.expect(first, send=b"\r")
        form.settle()  # anything still being mounted is done before typing
        # name → active → (the first section's title →) the first setting, or the JSON text
        sectioned = which != "large" and measure_schema(schema_of(int(which))).sectioned
        tabs = b"\t\t\t" if sectioned else b"\t\t"
        form.send(tabs)
        form.settle()
        keys = []
        typed = ""
        for char in KEYS:
            typed += char
            keys.append(form.expect(typed[-3:].encode(), send=char.encode()))
        form.settle()  # past the draft write the last key asked for
        # PgDn checks the whole form (the name is missing: the cursor goes there); from
        # then on every keystroke in a setting checks the form again
        form.send(b"\x1b[6~")
        form.settle()
        form.send(tabs)
        form.settle()
        checked = []
        for char in KEYS_CHECKED:
            typed += char
            checked.append(form.expect(typed[-3:].encode(), send=char.encode()))
        form.settle()
        rss = form.rss_mib()
        cpu, wall = form.cpu_seconds(), time.perf_counter()
        time.sleep(IDLE_SECONDS)
        idle = (form.cpu_seconds() - cpu) / (time.perf_counter() - wall)
    finally:
        form.stop()
    return {
        "shown": shown,
        "key_median": statistics.median(keys),
        "key_worst": max(keys),
        "checked_median": statistics.median(checked),
        "checked_worst": max(checked),
        "rss": rss,
        "idle": idle,
    }


def main() -> int:
    if sys.argv[1:2] == ["--app"]:
        run_app(sys.argv[2])
        return 0
    cases = ["400"] if "--quick" in sys.argv else ["100", "200", str(LARGE_FORM_FIELDS), "large"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(
        f"{'schema':<34} {'shown':>8} {'key (median/worst)':>20} {'after a check':>15} "
        f"{'memory':>9} {'idle CPU':>9}"
    )
    for which in cases:
        label = "4,000 properties, 2.2 MB (JSON)" if which == "large" else f"{which} settings"
        m = measure(which)
        print(
            f"{label:<34} {m['shown']:>6.2f} s {m['key_median'] * 1000:>9.0f} / "
            f"{m['key_worst'] * 1000:>4.0f} ms {m['checked_median'] * 1000:>6.0f} / "
            f"{m['checked_worst'] * 1000:>4.0f} ms {m['rss']:>5.0f} MiB {m['idle'] * 100:>7.1f} %"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
