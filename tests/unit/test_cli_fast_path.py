"""What makes ``iotflow list -o json`` fast must not change what it prints or how it ends.

- ``write_json_lines`` (msgspec, lines written in batches) prints exactly the documented
  format: ``[``, each connection as compact ASCII JSON on its own line, ``]``, whatever
  a decoded answer holds (what msgspec refuses goes through json in the same form);
- the installed ``iotflow`` command ends a headless command without the interpreter's
  shutdown (``end_process``): its output is whole, its exit code is the command's, and a
  reader that went away leaves the exit code as it was (0), without a traceback;
- httpx works without its command-line module, which is never loaded.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import EXIT_ERROR
from tui.cli_json import JSON_BATCH, binary_writer, encode_line, write_json_lines

IOTFLOW = Path(sys.executable).parent / "iotflow"
ROOT = Path(__file__).resolve().parents[2]


def fresh_interpreter(code: str) -> Any:
    """What ``code``, run in a new interpreter from the project's root, printed last (JSON)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    return json.loads(done.stdout.splitlines()[-1])

# What a decoded answer can hold: any text (non-ASCII, control characters, lone
# surrogates), integers beyond 64 bits, floats (NaN and infinities too: Python's decoder
# accepts them from a server), nesting.
TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(TEXT, VALUES, max_size=5), max_size=6)


def as_written(value: Any) -> Any:
    """What the output says of ``value``: NaN and the infinities as null (not JSON)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_written(item) for item in value]
    return value


def reference(records: list[dict[str, Any]]) -> str:
    """The format the README documents, written the plain way (json's compact ASCII
    form; msgspec spells a few floats differently, e.g. 0.00001 for 1e-05, so lines are
    compared as values)."""
    lines = [json.dumps(as_written(record), ensure_ascii=True, separators=(",", ":"))
             for record in records]
    body = "".join(f"  {line},\n" for line in lines[:-1])
    if lines:
        body += f"  {lines[-1]}\n"
    return f"[\n{body}]\n"


def written(records: list[dict[str, Any]]) -> tuple[str, list[bytes]]:
    out = io.BytesIO()
    pieces: list[bytes] = []

    def write(data: bytes) -> None:
        pieces.append(data)
        out.write(data)

    write_json_lines(iter(records), write)
    return out.getvalue().decode("ascii"), pieces


def has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_float(item) for item in value.values())
    if isinstance(value, list):
        return any(has_float(item) for item in value)
    return isinstance(value, float)


def same_lines(text: str, records: list[dict[str, Any]]) -> None:
    """Line for line as the reference: the same layout, each line the same JSON value,
    and the very same text for a record without a float."""
    ours, theirs = text.split("\n"), reference(records).split("\n")
    assert len(ours) == len(theirs) == len(records) + 3
    assert ours[0] == "[" and ours[-2:] == ["]", ""]
    for n, (mine, expected, record) in enumerate(
            zip(ours[1:-2], theirs[1:-2], records, strict=True), start=1):
        assert mine.startswith("  {") and mine.endswith("}," if n < len(records) else "}")
        assert json.loads(mine.rstrip(",")) == json.loads(expected.rstrip(","))
        if not has_float(record):
            assert mine == expected


@settings(max_examples=300, deadline=None)
@given(RECORDS)
def test_json_lines_are_the_documented_format(records: list[dict[str, Any]]) -> None:
    text, _ = written(records)
    same_lines(text, records)
    # nothing a terminal would act on: no control character, DEL or raw non-ASCII byte
    assert all(" " <= ch <= "~" for ch in text.replace("\n", ""))


@pytest.mark.parametrize("value, line", [
    ("caf\u00e9 \u009b31m \u202e", '"caf\\u00e9 \\u009b31m \\u202e"'),  # C1, bidi override
    ("\x1b[2J\x7f", '"\\u001b[2J\\u007f"'),  # ESC and DEL
    ("\U0001f600", '"\\ud83d\\ude00"'),  # beyond the BMP: a surrogate pair, as JSON spells it
    ("\ud800", '"\\ud800"'),  # a lone surrogate (msgspec refuses it; json writes it)
    (2**70, str(2**70)),  # beyond 64 bits (the same)
    ([float("nan"), float("inf"), 1.5], "[null,null,1.5]"),
    ({"n": 2**70, "x": float("-inf")}, f'{{"n":{2**70},"x":null}}'),
])
def test_a_line_is_ascii_json_a_terminal_shows_as_text(value: Any, line: str) -> None:
    assert encode_line(value).decode("ascii") == line


@pytest.mark.parametrize("moment, text", [
    (datetime(2026, 3, 1, 12, 0, tzinfo=UTC), "2026-03-01T12:00:00Z"),
    (datetime(2026, 3, 1, 12, 0, 0, 1234, tzinfo=UTC), "2026-03-01T12:00:00.001234Z"),
    (datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))),
     "2026-03-01T12:00:00-05:00"),
])
def test_dates_are_iso_8601_with_z_for_utc(moment: datetime, text: str) -> None:
    assert json.loads(encode_line({"at": moment})) == {"at": text}
    assert datetime.fromisoformat(text) == moment
    # and the same through json, when msgspec refuses something else in the record
    assert json.loads(encode_line({"at": moment, "s": "\ud800"})) == {
        "at": text, "s": "\ud800"}


def test_binary_writer_writes_through_a_text_stream() -> None:
    text = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    text.write("before ")  # text written first comes first
    binary_writer(text)(b"[]\n")
    text.flush()
    assert text.buffer.getvalue() == b"before []\n"  # type: ignore[attr-defined]
    plain = io.StringIO()
    binary_writer(plain)(b"[]\n")
    assert plain.getvalue() == "[]\n"


@pytest.mark.parametrize("count", [0, 1, JSON_BATCH - 1, JSON_BATCH, JSON_BATCH + 1,
                                   3 * JSON_BATCH])
def test_batch_boundaries_keep_one_connection_per_line(count: int) -> None:
    records = [{"id": str(n), "name": f"caf\u00e9 {n}", "x": [n, {"y": None}]}
               for n in range(count)]
    text, pieces = written(records)
    assert text == reference(records)  # (no float here: the very text)
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
    report = fresh_interpreter(code)
    assert report == {"answer": {"seen": "/iot-flow/v1/connections"}, "main": None,
                      "click": False}


def test_the_list_request_goes_out_before_the_printing_side_is_imported(cli_env: None) -> None:
    """``list`` imports what prints the answer (board, tables, JSON encoder) while the
    platform computes it: none of it is loaded when the list request has been sent. Nor
    is what this listing never needs to ask: the health rules and history store, the
    metrics poll, tomllib without a config file, platformdirs when the environment
    names the config file and the state directory."""
    code = (
        "import contextlib, io, json, sys\n"
        "import tui.api.client as client_module\n"
        "loaded = []\n"
        "original = client_module.trace_until_out\n"
        "def watching(callback):\n"
        "    def out():\n"
        "        if not loaded:\n"
        "            loaded.append(sorted(m for m in ('tui.board', 'tui.cli_json',\n"
        "                'tui.cli_report', 'tui.cli_list', 'msgspec', 'tui.health',\n"
        "                'tui.flow_poll', 'tomllib', 'platformdirs') if m in sys.modules))\n"
        "        callback()\n"
        "    return original(out)\n"
        "client_module.trace_until_out = watching\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as printed:\n"
        "    rc = main(['list', '-o', 'json'])\n"
        "print(json.dumps({'rc': rc, 'loaded': loaded, 'listed': len(json.loads(\n"
        "    printed.getvalue()))}))\n"
    )
    assert fresh_interpreter(code) == {"rc": 0, "loaded": [[]], "listed": 25}


def test_the_history_is_read_while_the_answer_is_awaited(
        cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``list`` reads the dashboard's history once, after its request is out and before
    the answer is decoded, and prints from that reading (its decoder is built by then)."""
    import tui.api.list_decoding as decoding
    import tui.cli_list as cli_list
    from tui.cli import main

    steps: list[str] = []
    read, decode = cli_list.read_history, decoding.PageItemMemos.decode

    def reading(profile: Any) -> Any:
        steps.append("history read")
        return read(profile)

    def decoding_answer(self: Any, *args: Any) -> Any:
        built = decoding.shallow_decoder.cache_info().currsize
        steps.append(f"answer decoded (decoder built: {built})")
        return decode(self, *args)

    decoding.shallow_decoder.cache_clear()  # (an earlier test of this process built it)
    monkeypatch.setattr(cli_list, "read_history", reading)
    monkeypatch.setattr(decoding.PageItemMemos, "decode", decoding_answer)
    assert main(["list", "-o", "json"]) == 0
    assert steps == ["history read", "answer decoded (decoder built: 1)"]
    assert len(json.loads(capsys.readouterr().out)) == 25


async def test_each_api_request_is_reported_once_it_is_out(sim_client: Any) -> None:
    """``on_request_out`` hears of every API request once its body is written (of the
    list and of a connection; the token's is not one of them)."""
    out: list[int] = []
    sim_client.on_request_out = lambda: out.append(sim_client.calls)
    connections = await sim_client.list_connections()
    await sim_client.get_connection(connections[0].id)
    assert out == [1, 2]


def test_requests_do_not_search_for_sniffio_again_and_again() -> None:
    """Without sniffio installed, httpcore's ``import sniffio`` (several per request)
    fails at once instead of searching ``sys.path`` each time, and httpcore still runs
    on asyncio: real requests through httpx's pool to a local HTTP server."""
    code = (
        "import asyncio, json, sys, threading\n"
        "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer\n"
        "from importlib.machinery import PathFinder\n"
        "import tui.api.client\n"
        "import httpx, httpcore._synchronization as sync\n"
        "class Answer(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200); self.send_header('Content-Length', '2')\n"
        "        self.end_headers(); self.wfile.write(b'[]')\n"
        "    def log_message(self, *args): pass\n"
        "server = ThreadingHTTPServer(('127.0.0.1', 0), Answer)\n"
        "threading.Thread(target=server.serve_forever, daemon=True).start()\n"
        "searched = []\n"
        "find = PathFinder.find_spec\n"
        "def counting(name, *args, **kwargs):\n"
        "    searched.append(name)\n"
        "    return find(name, *args, **kwargs)\n"
        "PathFinder.find_spec = counting\n"
        "async def main():\n"
        "    async with httpx.AsyncClient() as client:\n"
        "        bodies = [(await client.get(f'http://127.0.0.1:{server.server_port}/')).text\n"
        "                  for _ in range(5)]\n"
        "        return bodies, sync.current_async_library()\n"
        "bodies, library = asyncio.run(main())\n"
        "print(json.dumps({'bodies': bodies, 'library': library,\n"
        "                  'sniffio searches': searched.count('sniffio')}))\n"
    )
    report = fresh_interpreter(code)
    assert report == {"bodies": ["[]"] * 5, "library": "asyncio", "sniffio searches": 0}
