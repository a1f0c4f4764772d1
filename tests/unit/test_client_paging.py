"""DX Core paging: pages read a few at a time, checked at their boundaries, re-read only
where a boundary moved, and nothing lost or repeated when the list changes meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api import IoTFlowClient, StaticToken
from tui.api.paging import CONCURRENT_PAGES, moved_boundaries, read_paged_list

BASE = "https://platform.example/thingpark/dx/core/latest/api"


def conn(i: int) -> dict[str, object]:
    return {"id": str(i), "connectorId": "actility-http-iot", "name": f"c{i}",
            "active": True, "state": "OPENED", "configuration": {}}


class DxPlatform:
    """DX Core's list by pageIndex over a mutable store; counts what it is asked."""

    def __init__(self, count: int, size: int = 100):
        self.store = [conn(i) for i in range(1, count + 1)]
        self.size = size
        self.pages: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.before_page: Callable[[int], None] | None = None

    async def handle(self, request: httpx.Request) -> httpx.Response:
        index = int(request.url.params.get("pageIndex", "1"))
        self.pages.append(index)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0)  # let the other requests of the batch start
        if self.before_page:
            self.before_page(index)
        self.in_flight -= 1
        page = self.store[(index - 1) * self.size: index * self.size]
        return httpx.Response(200, json=page)

    def client(self) -> IoTFlowClient:
        return IoTFlowClient(BASE, StaticToken("t"), flavour="dx-core",
                             transport=httpx.MockTransport(self.handle))


async def test_pages_are_read_concurrently_but_at_most_four_at_a_time() -> None:
    platform = DxPlatform(1000)
    async with platform.client() as client:
        rows = await client.list_connections()
    assert [r.id for r in rows] == [str(i) for i in range(1, 1001)]
    assert platform.most_in_flight == CONCURRENT_PAGES


async def test_a_steady_poll_reads_each_page_once() -> None:
    platform = DxPlatform(10_000)
    async with platform.client() as client:
        await client.list_connections()  # the first poll confirms with a second read
        platform.pages.clear()
        rows = await client.list_connections()
    assert len(rows) == 10_000
    # 100 full pages and the empty one that ends the list: each read once, nothing past
    # the end (the previous poll said where it is).
    assert sorted(platform.pages) == list(range(1, 102))


async def test_a_connection_created_since_the_last_poll_reads_without_a_reread() -> None:
    platform = DxPlatform(250)
    async with platform.client() as client:
        await client.list_connections()
        platform.store.append(conn(999))
        platform.pages.clear()
        rows = await client.list_connections()
    assert [r.id for r in rows][-1] == "999" and len(rows) == 251
    # Pages 1-3 hold the list: each read once, and none past the end.
    assert sorted(platform.pages) == [1, 2, 3]


@pytest.mark.parametrize("change", ["delete", "create-first"])
async def test_a_change_between_two_pages_of_a_steady_poll_loses_nothing(change: str) -> None:
    platform = DxPlatform(450)
    async with platform.client() as client:
        await client.list_connections()
        done = False

        def between_pages(index: int) -> None:
            nonlocal done
            if index == 3 and not done:
                done = True
                if change == "delete":
                    del platform.store[10]  # id 11: every later page shifts left
                else:
                    platform.store.insert(0, conn(999))  # newest first: shifts right

        platform.before_page = between_pages
        rows = await client.list_connections()
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))
    if change == "delete":
        assert len(ids) == 449 and "11" not in ids
    else:
        assert len(ids) == 451 and "999" in ids
    assert set(ids) >= {str(i) for i in range(12, 451)}


def test_boundaries_join_when_their_items_were_neighbours() -> None:
    pages = {1: [conn(1), conn(2)], 2: [conn(3), conn(4)], 3: [conn(5)]}
    order = {str(i): i for i in range(1, 6)}
    assert moved_boundaries(pages, order) == []
    shifted = {1: [conn(1), conn(2)], 2: [conn(4), conn(5)], 3: []}  # 3 vanished between
    assert moved_boundaries(shifted, order) == [1]
    repeated = {1: [conn(1), conn(2)], 2: [conn(2), conn(3)], 3: [conn(4)]}
    assert 1 in moved_boundaries(repeated, order)
    new_item = {1: [conn(1), conn(2)], 2: [conn(99), conn(3)], 3: [conn(4)]}
    assert moved_boundaries(new_item, order) == []  # 99 is new: nothing to compare


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(0, 700),
    size=st.sampled_from([7, 50, 100]),
    where=st.integers(0, 699),
    page=st.integers(1, 8),
    kind=st.sampled_from(["delete", "insert", "none"]),
    steady=st.booleans(),
)
def test_generated_lists_and_changes_read_exactly_once_each(
    count: int, size: int, where: int, page: int, kind: str, steady: bool
) -> None:
    store = [{"id": str(i)} for i in range(count)]
    before = [item["id"] for item in store]
    changed = False

    async def fetch(index: int) -> list[dict[str, str]]:
        nonlocal changed
        await asyncio.sleep(0)
        if index == page and not changed and kind != "none":
            changed = True
            if kind == "delete" and store:
                del store[where % len(store)]
            elif kind == "insert":
                store.insert(where % (len(store) + 1), {"id": "new"})
        return [dict(item) for item in store[(index - 1) * size: index * size]]

    order = {str(i): i for i in range(count)} if steady else {}
    items, _pages = asyncio.run(read_paged_list(fetch, size, order))
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "an item was repeated"
    # The list as it was before the change or after it, never a mix of the two.
    assert ids in (before, [item["id"] for item in store]), "pages of two moments mixed"


async def test_pages_answered_out_of_order_still_read_twice_at_most_on_a_first_poll() -> None:
    store = [{"id": str(i)} for i in range(1000)]
    asked: list[int] = []

    async def fetch(index: int) -> list[dict[str, str]]:
        asked.append(index)
        for _ in range(5 - index % 4):  # later pages of each batch answer first
            await asyncio.sleep(0)
        return store[(index - 1) * 100: index * 100]

    items, pages = await read_paged_list(fetch, 100, {})
    assert [item["id"] for item in items] == [item["id"] for item in store]
    # Two reads of 11 pages (the 11th is empty), and at most 3 started past the end each.
    assert pages == 11 and 22 <= len(asked) <= 22 + 2 * (CONCURRENT_PAGES - 1)
