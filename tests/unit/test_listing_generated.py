"""Generated connection lists (tests/support/connection_lists.py) read by the real client
over HTTP from a fake platform, twice (the second poll reuses what did not change): no
exception, one connection per key, unreadable ones saying why."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.support.connection_lists import GeneratedList, ListServer, connection_lists
from tui.api.listing import UNREADABLE
from tui.api.page_cache import PageCache
from tui.config import make_client

IOTFLOW = Path(sys.executable).parent / "iotflow"


@pytest.fixture(scope="module")
def server():
    with ListServer() as running:
        yield running


async def two_polls(server: ListServer, generated: GeneratedList) -> None:
    server.serve(generated)
    client = make_client(server.profile(), retries=0)
    try:
        expected = generated.expected()
        for _ in range(2):
            connections = await client.list_connections()
            assert {c.id for c in connections} == set(expected)
            for connection in connections:
                want = expected[connection.id]
                assert (connection.state == UNREADABLE) is (not want.readable)
                assert (connection.problem is None) is want.readable
    finally:
        await client.aclose()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(connection_lists())
def test_generated_lists_through_the_client(server, generated) -> None:
    asyncio.run(two_polls(server, generated))


def test_an_id_that_is_a_list_does_not_break_the_page_cache() -> None:
    """Found by the generated lists: the cache looked the id up in a dict (TypeError)."""
    cache = PageCache()
    cache.begin()
    cache.put("u", b"[...]", [{"id": [1]}, {"id": {"a": 1}}, {"id": "1"}, 5])
    cache.finish({"1": ({"id": "1"}, object())})


def test_a_lone_surrogate_in_a_name_is_shown_not_fatal(server, tmp_path) -> None:
    """Found with the generated lists: JSON may carry ``"\\ud800"``; printing it raised
    UnicodeEncodeError and ``iotflow list`` ended with a traceback."""
    items = [
        {"id": "1", "name": "bad \ud800 name", "state": "OPENED", "active": True},
        {"id": "2", "name": "fine", "state": "OPENED", "connectorId": "x\udfff"},
    ]
    server.serve(GeneratedList(items, [{"readable": True}] * 2))
    profile = server.profile()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
        "IOTFLOW_URL": profile.url, "IOTFLOW_TOKEN_URL": str(profile.token_url),
        "IOTFLOW_CLIENT_ID": "demo", "IOTFLOW_CLIENT_SECRET": "demo-secret",
        "IOTFLOW_CONFIG": str(tmp_path / "none.toml"), "IOTFLOW_STATE_DIR": str(tmp_path / "s"),
    }  # fmt: skip
    for args in (["list"], ["list", "-o", "wide"], ["status"]):
        run = subprocess.run([str(IOTFLOW), *args], env=env, capture_output=True, timeout=60)
        assert b"Traceback" not in run.stderr, run.stderr[-400:]
        assert run.returncode == 0, (args, run.returncode, run.stderr[-400:])
        if args[0] == "list":
            assert b"bad <U+D800> name" in run.stdout
