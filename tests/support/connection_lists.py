"""Generated connection lists, as a broken or hostile platform could answer them, and a fake
platform that serves one.

Each generated item is built from choices for each field, good or bad, and carries what
it should become, decided from those choices (not from the reader's code): readable or
not, and under which key the dashboard shows it. Good choices include what a later
platform might send (unknown states and fields, numbers for text, control characters,
alarms that are not objects); bad ones are what the reader must refuse one item at a time
(no id, ``active: "yes"``, ``configuration: "oops"``, ``startupTime: 12345``, 100 KB
names, nesting deeper than the limit, an item that is not an object).

    @given(connection_lists())
    def test(generated): items, expected = generated.items, generated.expected()
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hypothesis import strategies as st

from tui.api.limits import DEFAULT_LIMITS
from tui.config import Profile
from tui.connections import Connection


def plain_connection(index: int, state: str, active: bool, started: int | None,
                     now: datetime) -> Connection:
    """A read connection named by its index, started ``started`` seconds before ``now``
    (None: no startupTime), for tests that generate histories rather than items."""
    return Connection(
        id=str(index), connector_id="x", name=str(index), state=state, active=active,
        startup_time=None if started is None else now - timedelta(seconds=started))


KNOWN_STATES = [
    "OPENED", "OPENING", "CLOSED", "UNREACHABLE", "AUTHENTICATING",
    "AUTHENTICATION_FAILED", "DEACTIVATED",
]  # fmt: skip
LONG_TEXT = DEFAULT_LIMITS.max_text + 1
HUGE = 100_000
"""Characters of a huge name: far past what is read (DEFAULT_LIMITS.max_text)."""
MISSING = object()
"""A field left out of the item."""

# text a platform may send: control characters (C0, DEL, C1, ESC sequences) included, and
# a lone surrogate now and then (JSON carries it as "\ud800"; no terminal can print it)
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="(")
_escapes = st.sampled_from(
    ["\x1b]52;c;aWQgIw==\x07", "\x1b[2J", "\x9b31m", "\x7f", "\r\n\t", "\ud800", "\udfff"]
)
short_text = st.one_of(
    st.text(_chars, max_size=24),
    st.tuples(st.text(_chars, max_size=8), _escapes).map("".join),
)


@dataclass(frozen=True)
class Expected:
    """What one item should become on the dashboard."""

    key: str
    """The row's id: the item's id, else ``(item N)`` for an unreadable item without one."""
    readable: bool
    name: str | None = None
    """The name shown (None: not checked)."""


@dataclass
class GeneratedList:
    items: list[Any]
    choices: list[dict[str, Any]] = field(default_factory=list)

    def expected(self) -> dict[str, Expected]:
        """Key → what the row shows; the first item with a key wins (later ones are
        duplicates, shown once and reported)."""
        out: dict[str, Expected] = {}
        for position, (item, good) in enumerate(zip(self.items, self.choices, strict=True), 1):
            key = key_of(item, position, readable=good["readable"])
            if key not in out:
                name = good.get("name")
                out[key] = Expected(key, good["readable"], name)
        return out

    def body(self) -> bytes:
        return json.dumps(self.items).encode()


def key_of(item: Any, position: int, *, readable: bool) -> str:
    ident = item.get("id") if isinstance(item, dict) else None
    if readable:
        return str(ident)
    if isinstance(ident, str) and 0 < len(ident) <= DEFAULT_LIMITS.max_text:
        return ident
    if isinstance(ident, int) and not isinstance(ident, bool):
        return str(ident)
    return f"(item {position})"


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(levels):
        value = {"a": value}
    return value


json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), short_text
)
shallow_json = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(short_text, inner, max_size=3),
    max_leaves=6,
)

FIELDS: dict[str, tuple[Any, Any | None]] = {
    # field → (good values, bad values); MISSING leaves the key out
    "id": (
        st.one_of(
            st.integers(1, 40).map(str),  # a small pool: duplicates happen
            st.integers(1, 40),  # a number for text: read as text
            st.tuples(st.integers(1, 9).map(str), short_text).map("".join),
        ),
        st.sampled_from([MISSING, None, True, [1], {"x": 1}, "i" * LONG_TEXT]),
    ),
    "name": (
        st.one_of(short_text, st.sampled_from([MISSING, None, 12, ["a"]])),
        st.just("n" * HUGE),
    ),
    "connectorId": (
        st.one_of(
            st.sampled_from(["actility-http-iot", "actility-aws-iot", "acme-new-thing"]),
            st.sampled_from([MISSING, None, 7]),
            short_text,
        ),
        st.just("c" * LONG_TEXT),
    ),
    "state": (
        st.one_of(
            st.sampled_from(KNOWN_STATES),
            st.sampled_from(["PAUSED", "opened", "", "MIGRATING", MISSING, None, 3, {"s": 1}]),
        ),
        st.just("S" * LONG_TEXT),
    ),
    "active": (
        st.sampled_from([True, False, MISSING]),
        st.sampled_from(["yes", "true", 1, 0, None]),
    ),
    "startupTime": (
        st.sampled_from(
            ["2024-05-01T10:00:00Z", "2019-09-27T10:08:08.309+02:00", MISSING, None, ""]
        ),
        st.sampled_from([12345, "yesterday", "2024-05-01T10:00:00", [2024]]),
    ),
    "configuration": (
        st.one_of(
            st.dictionaries(short_text, shallow_json, max_size=4),
            st.sampled_from([MISSING, None, {}, [], "", 0]),
        ),
        st.sampled_from(["oops", [1], 5, {"deep": _deep(DEFAULT_LIMITS.max_depth + 4)}]),
    ),
    "alarms": (
        st.one_of(
            st.sampled_from([MISSING, None, []]),
            st.lists(
                st.one_of(st.dictionaries(short_text, shallow_json, max_size=3), json_leaf),
                max_size=2,
            ),
        ),
        st.sampled_from(["x", {}, 5]),
    ),
}


@st.composite
def connection_items(draw: Any) -> tuple[Any, dict[str, Any]]:
    """(item, what it should become) for one generated item: about half are broken in
    one or two fields, a few are not objects at all."""
    if draw(st.integers(0, 30)) == 0:
        return draw(st.sampled_from([None, 5, "a connection", [1, 2]])), {"readable": False}
    broken = set(draw(st.lists(st.sampled_from(list(FIELDS)), max_size=2)))
    item: dict[str, Any] = {}
    name: str | None = None
    for key, (good, bad) in FIELDS.items():
        value = draw(bad if key in broken else good)
        if value is not MISSING:
            item[key] = value
        if key == "name":
            name = value if isinstance(value, str) else None
    for key, value in draw(st.dictionaries(short_text, shallow_json, max_size=2)).items():
        if key not in FIELDS:  # unknown fields: kept, never a reason to refuse
            item[key] = value
    readable = not broken
    return item, {"readable": readable, "name": name if readable else None}


@st.composite
def connection_lists(draw: Any, max_size: int = 25) -> GeneratedList:
    pairs = draw(st.lists(connection_items(), max_size=max_size))
    return GeneratedList([p[0] for p in pairs], [p[1] for p in pairs])


def large_list(count: int = 50_000, seed: int = 7) -> GeneratedList:
    """``count`` items, mostly readable, one in fifty broken in one of the ways above, ids
    unique but for a few duplicates: the size of a large platform."""
    rng = random.Random(seed)
    items: list[Any] = []
    choices: list[dict[str, Any]] = []
    broken: list[tuple[str, Any]] = [
        ("active", "yes"), ("startupTime", 12345), ("configuration", "oops"),
        ("alarms", "x"), ("name", "n" * HUGE), ("id", None),
    ]  # fmt: skip
    for index in range(count):
        ident = str(index + 1) if index % 997 else str(max(1, index - 3))  # some duplicates
        name = f"{rng.choice(['Lyon', 'Oslo', 'Rome'])} {index}\x1b[2J"
        item: dict[str, Any] = {
            "id": ident, "connectorId": "actility-http-iot", "name": name,
            "active": rng.random() < 0.9, "state": rng.choice([*KNOWN_STATES, "PAUSED"]),
            "startupTime": "2024-05-01T10:00:00Z", "configuration": {"u": "https://x"},
        }  # fmt: skip
        readable = True
        if index % 50 == 49:
            key, value = broken[(index // 50) % len(broken)]
            item[key] = value
            readable = False
        items.append(item)
        choices.append({"readable": readable, "name": name if readable else None})
    return GeneratedList(items, choices)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, body: bytes) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def do_POST(self) -> None:  # noqa: N802 - the token endpoint
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._send(json.dumps({"access_token": "tok", "expires_in": 3600}).encode())

    def do_GET(self) -> None:  # noqa: N802 - every list (or anything else) is the list
        self._send(self.server.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    body: bytes = b"[]"


class ListServer:
    """A platform on a loopback port whose connection list is :attr:`body`."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def serve(self, generated: GeneratedList) -> None:
        self._server.body = generated.body()

    def profile(self) -> Profile:
        host, port = self._server.server_address[:2]
        base = f"http://{host}:{port}"
        return Profile(
            name="generated", url=f"{base}/iot-flow/v1",
            token_url=f"{base}/users-auth/protocol/openid-connect/token",
            client_id="demo", client_secret="demo-secret", timeout=30.0,
        )  # fmt: skip

    def __enter__(self) -> ListServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
