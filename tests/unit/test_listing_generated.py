"""Generated connection lists (tests/support/connection_lists.py) read by the real client
over HTTP from a fake platform, twice (the second poll reuses what did not change): no
exception, one connection per key, unreadable ones saying why."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings

from tests.support.connection_lists import GeneratedList, ListServer, connection_lists
from tui.api.listing import UNREADABLE
from tui.api.page_cache import PageCache
from tui.config import make_client


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
