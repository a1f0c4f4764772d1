"""A fake IoT Flow platform that answers badly on purpose, one way per ``case``.

Tests of the client, the board, the dashboard and the CLI point a profile at it::

    with HostileServer("trickle") as server:
        profile = server.profile(timeout=0.3)

It is a plain ``http.server`` on a loopback port in a thread, so it can do what a real
server library would not: trickle a body, drop a connection before answering, send a
body nested 100,000 deep. The token endpoint (users-auth path) always works unless the
case says otherwise; every request is recorded in ``requests`` as (method, path).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tui.config import Profile

TOKEN_PATH = "/users-auth/protocol/openid-connect/token"
API = "/iot-flow/v1"

CLIPBOARD = "\x1b]52;c;aWQgIw==\x07"
"""A name that writes "id #" to the operator's clipboard through OSC 52."""
CLEAR_AND_RETITLE = "\x1b[2J\x1b]0;pwned\x07"
"""A name that clears the screen and retitles the window."""


def item(ident: str, **fields: Any) -> dict[str, Any]:
    """A well-formed connection; ``fields`` override or add keys."""
    body: dict[str, Any] = {
        "id": ident, "connectorId": "actility-http-iot", "name": f"conn {ident}",
        "active": True, "state": "OPENED", "startupTime": "2024-05-01T10:00:00Z",
        "configuration": {"destinationURL": "https://example.com/up"},
    }
    body.update(fields)
    return body


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _deep_object(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


BAD_ITEMS = [
    item("1"),
    {"name": "no id at all", "state": "OPENED"},
    item("3", startupTime=12345),
    item("4", configuration="oops"),
    item("5", active="yes"),
    item("6", state="UNREACHABLE"),
    item("6", name="a second 6"),
    item("8"),
]
"""Eight items: 1, 6 and 8 readable (6 twice), four unreadable for different reasons."""

LISTS: dict[str, Callable[[], bytes]] = {
    "ok": lambda: json.dumps([item("1"), item("2"), item("3", state="OPENING")]).encode(),
    "bad-items": lambda: json.dumps(BAD_ITEMS).encode(),
    "deep": lambda: nested(100_000).encode(),
    "deep-item": lambda: json.dumps([item("1"), item("2", configuration=_deep_object(500))])
    .encode(),
    "hostile-names": lambda: json.dumps(
        [item("1", name=CLIPBOARD), item("2", name=CLEAR_AND_RETITLE, state="UNREACHABLE")]
    ).encode(),
    "huge-name": lambda: json.dumps([item("1", name="n" * 1_000_000), item("2")]).encode(),
    "all-opened": lambda: json.dumps([item("1"), item("2")]).encode(),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:  # quiet test output
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (its deadline passed): nothing to answer
            self.close_connection = True

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self._read_body()
        owner = self.server.owner
        owner.requests.append(("POST", self.path))
        if self.path.startswith(TOKEN_PATH):
            if owner.case == "token-trickle":
                self._trickle()
                return
            self._send(200, json.dumps({"access_token": "tok", "expires_in": 3600}).encode())
            return
        if owner.case == "drop-once" and not owner.dropped:
            self._drop()
            return
        if owner.case == "slow-post":
            time.sleep(owner.stall)
        self._send(201, json.dumps(item("99")).encode())

    def do_GET(self) -> None:  # noqa: N802
        owner = self.server.owner
        owner.requests.append(("GET", self.path))
        case = owner.case
        if case == "drop-once" and not owner.dropped:
            self._drop()
            return
        if case == "trickle":
            self._trickle()
            return
        if case == "html-500":
            self._send(500, b"<html><body><h1>Internal Server Error</h1></body></html>",
                       "text/html")
            return
        if case == "api-401":
            self._send(401, json.dumps({"code": "com-4010", "message": "invalid token"}).encode())
            return
        if case == "huge-body":
            self._send(200, b"[" + b" " * (3 * 1024 * 1024) + b"]")
            return
        if case == "slow":
            time.sleep(owner.stall)
        self._send(200, LISTS.get(case, LISTS["ok"])())

    def _drop(self) -> None:
        """Close without a byte of answer: what a client sees when it reuses a kept-alive
        connection the server (or a proxy) is closing at that moment."""
        self.server.owner.dropped = True
        self.close_connection = True
        self.connection.shutdown(2)

    def _trickle(self) -> None:
        """Headers at once, then one byte of the body every 50 ms."""
        body = json.dumps([item("1")]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if self.server.owner.stopping.wait(0.05):
                    return
        except OSError:  # the client gave up, as it should
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer


class HostileServer:
    """One misbehaving platform on a free loopback port, for one ``case``."""

    def __init__(self, case: str = "ok", *, stall: float = 1.0):
        self.case = case
        self.stall = stall
        """Seconds the ``slow`` and ``slow-post`` cases wait before answering."""
        self.requests: list[tuple[str, str]] = []
        self.dropped = False
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def profile(self, **fields: Any) -> Profile:
        values: dict[str, Any] = {
            "name": f"hostile-{self.case}", "url": self.base_url + API,
            "token_url": self.base_url + TOKEN_PATH, "client_id": "demo",
            "client_secret": "demo-secret", "timeout": 2.0,
        }
        values.update(fields)
        return Profile(**values)

    def env(self) -> dict[str, str]:
        """Environment variables for the command line against this server."""
        return {
            "IOTFLOW_URL": self.base_url + API,
            "IOTFLOW_TOKEN_URL": self.base_url + TOKEN_PATH,
            "IOTFLOW_CLIENT_ID": "demo",
            "IOTFLOW_CLIENT_SECRET": "demo-secret",
        }

    def api_requests(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if not r[1].startswith(TOKEN_PATH)]

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
