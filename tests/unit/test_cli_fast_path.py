"""What makes ``iotflow list -o json`` fast must not change what it prints or how it ends.

- ``write_json_lines`` (one C encoder, lines written in batches) prints exactly the
  documented format: ``[``, one ``json.dumps`` of each connection per line, ``]``;
- the installed ``iotflow`` command ends a headless command without the interpreter's
  shutdown (``end_process``): its output is whole, its exit code is the command's, and a
  reader that went away leaves the exit code as it was (0), without a traceback;
- httpx works without its command-line module, which is never loaded.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import EXIT_ERROR
from tui.cli_report import JSON_BATCH, write_json_lines

IOTFLOW = Path(sys.executable).parent / "iotflow"
ROOT = Path(__file__).resolve().parents[2]

# What a decoded answer can hold: any text (non-ASCII, control characters, lone
# surrogates), integers beyond 64 bits, floats, nesting.
TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(TEXT, VALUES, max_size=5), max_size=6)


def reference(records: list[dict[str, Any]]) -> str:
    """The format the README documents, written the plain way."""
    lines = [json.dumps(record, ensure_ascii=True) for record in records]
    body = "".join(f"  {line},\n" for line in lines[:-1])
    if lines:
        body += f"  {lines[-1]}\n"
    return f"[\n{body}]\n"


def written(records: list[dict[str, Any]]) -> tuple[str, list[str]]:
    out = io.StringIO()
    pieces: list[str] = []

    def write(text: str) -> None:
        pieces.append(text)
        out.write(text)

    write_json_lines(iter(records), write)
    return out.getvalue(), pieces


@settings(max_examples=200, deadline=None)
@given(RECORDS)
def test_json_lines_are_the_documented_format(records: list[dict[str, Any]]) -> None:
    text, _ = written(records)
    assert text == reference(records)
    assert json.loads(text) == json.loads(json.dumps(records))  # (NaN-free: == holds)
    assert text.isascii()


@pytest.mark.parametrize("count", [0, 1, JSON_BATCH - 1, JSON_BATCH, JSON_BATCH + 1,
                                   3 * JSON_BATCH])
def test_batch_boundaries_keep_one_connection_per_line(count: int) -> None:
    records = [{"id": str(n), "name": f"caf\u00e9 {n}", "x": [n, {"y": None}]}
               for n in range(count)]
    text, pieces = written(records)
    assert text == reference(records)
    # written as it goes: a batch at a time, never the whole text at once
    assert len(pieces) == 2 + -(-count // JSON_BATCH)


def _command(args: list[str], stdout: Any) -> subprocess.CompletedProcess[bytes]:
    # Buffered output as an operator's shell gives it (PYTHONUNBUFFERED would write every
    # line at once and hide an output that end_process failed to flush).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([str(IOTFLOW), *args], stdout=stdout, stderr=subprocess.PIPE,
                          env=env, timeout=60)


def test_the_command_writes_the_whole_listing_and_ends(cli_env: None, tmp_path: Path) -> None:
    target = tmp_path / "list.json"
    with target.open("wb") as out:  # a file: fully buffered, only end_process flushes it
        done = _command(["list", "-o", "json"], out)
    assert done.returncode == 0, done.stderr
    data = json.loads(target.read_text())
    assert len(data) == 25 and all(isinstance(c["health"], str) for c in data)
    assert target.read_text().endswith("\n]\n")


def test_the_command_keeps_the_exit_code_of_status(cli_env: None) -> None:
    done = _command(["status"], subprocess.PIPE)
    assert done.returncode == EXIT_ERROR  # the seeded world holds UNREACHABLE connections
    assert done.stdout.decode().splitlines()[-1].startswith("25 connections")


def test_the_command_cut_off_by_a_closed_pipe_exits_as_it_would(cli_env: None) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        done = _command(["list", "-o", "json"], write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr


def test_httpx_works_without_its_command_line() -> None:
    """tui/api/lean_httpx.py keeps ``httpx._main`` (click, rich, pygments) unloaded."""
    code = (
        "import json, sys\n"
        "import tui.api.client\n"
        "import httpx\n"
        "answer = httpx.Client(transport=httpx.MockTransport(\n"
        "    lambda request: httpx.Response(200, json={'seen': request.url.path}))\n"
        ").get('http://platform.test/iot-flow/v1/connections').json()\n"
        "print(json.dumps({'answer': answer, 'main': sys.modules.get('httpx._main', 0),\n"
        "                  'click': 'click' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report == {"answer": {"seen": "/iot-flow/v1/connections"}, "main": None,
                      "click": False}
