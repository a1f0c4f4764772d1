"""DX Core paging: pages read a few at a time; a first poll in overlapping windows, later
polls checked at their boundaries, re-read only where a boundary moved, and nothing lost or
repeated when the list changes meanwhile."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api import IoTFlowClient, StaticToken, paging
from tui.api.paging import (
    CONCURRENT_PAGES,
    moved_boundaries,
    overlapping_windows,
    read_paged_list,
    stitch,
)

BASE = "https://platform.example/thingpark/dx/core/latest/api"


def conn(i: int) -> dict[str, object]:
    return {"id": str(i), "connectorId": "actility-http-iot", "name": f"c{i}",
            "active": True, "state": "OPENED", "configuration": {}}


@pytest.fixture(autouse=True)
def _census_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    # A census a moment late races a read in windows (paging.CENSUS_GRACE): on a loaded
    # machine a quarter of a second can pass between two turns of the loop, so the
    # request counts asserted here would depend on the machine. Tests of the race set it.
    monkeypatch.setattr(paging, "CENSUS_GRACE", 60.0)


class DxPlatform:
    """DX Core's list by pageIndex over a mutable store; counts what it is asked.

    ``metrics``: "every" connection's metrics in one answer (the census a listing checks
    its pages with), "some" (all but the first connection's), or "none" (404).
    """

    def __init__(self, count: int, size: int = 100, honours_page_size: bool = True,
                 metrics: str = "every"):
        self.store = [conn(i) for i in range(1, count + 1)]
        self.size = size
        self.honours_page_size = honours_page_size
        self.metrics = metrics
        self.metrics_asked = 0
        self.pages: list[int] = []
        self.sizes: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.before_page: Callable[[int], None] | None = None

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connections/metrics"):
            return await self.census()
        index = int(request.url.params.get("pageIndex", "1"))
        size = self.size
        if self.honours_page_size:
            size = int(request.url.params.get("pageSize", str(self.size)))
        self.pages.append(index)
        self.sizes.append(size)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0)  # let the other requests of the batch start
        if self.before_page:
            self.before_page(index)
        self.in_flight -= 1
        page = self.store[(index - 1) * size: index * size]
        return httpx.Response(200, json=page)

    async def census(self) -> httpx.Response:
        self.metrics_asked += 1
        await asyncio.sleep(0)
        if self.metrics == "none":
            return httpx.Response(404, json={"code": "com-4004", "message": "Not found"})
        if self.metrics == "never":
            await asyncio.Event().wait()  # computed on demand, and never done
        listed = self.store[1:] if self.metrics == "some" else self.store
        return httpx.Response(200, json=[{"connectionId": int(str(c["id"])), "uplinksLast1h": 3}
                                         for c in listed])

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
        await client.list_connections()  # the first poll reads overlapping windows
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
    # 99 is new: created since, or during the read, where it may have pushed the item
    # that was there onto a page already read; the boundary counts as moved.
    new_item = {1: [conn(1), conn(2)], 2: [conn(99), conn(3)], 3: [conn(4), conn(5)]}
    assert moved_boundaries(new_item, order) == [1]
    # The end is a boundary too: 5 was the last item, so a list ending at 4 moved there
    # (the last page read before a shift, or 5 deleted since: a re-read tells which).
    assert moved_boundaries({1: [conn(1), conn(2)], 2: [conn(3), conn(4)], 3: []}, order) == [2]
    assert moved_boundaries({1: [conn(1), conn(2)], 2: [conn(3), conn(4)]}, order) == [2]
    grown = {1: [conn(1), conn(2)], 2: [conn(3), conn(4)], 3: [conn(5), conn(6)]}
    assert moved_boundaries(grown, order) == []  # 6 is new: created at the end since


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

    async def fetch(index: int, size: int) -> list[dict[str, str]]:
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


async def test_windows_answered_out_of_order_still_read_once_on_a_first_poll() -> None:
    store = [{"id": str(i)} for i in range(1000)]
    asked: list[tuple[int, int]] = []

    async def fetch(index: int, size: int) -> list[dict[str, str]]:
        asked.append((index, size))
        for _ in range(5 - index % 4):  # later windows of each batch answer first
            await asyncio.sleep(0)
        return store[(index - 1) * size: index * size]

    items, windows = await read_paged_list(fetch, 100, {})
    assert [item["id"] for item in items] == [item["id"] for item in store]
    # Every window up to the one that holds the end, each once, plus at most one
    # (a scout) past it.
    plan = list(itertools.islice(overlapping_windows(100), windows + CONCURRENT_PAGES))
    needed, beyond = plan[:windows], plan[windows:]
    assert (needed[-1][0] - 1) * needed[-1][1] <= 1000 < needed[-1][0] * needed[-1][1]
    extra = [window for window in asked if window not in needed]
    assert len(asked) == len(set(asked)) and set(needed) <= set(asked)
    assert len(extra) <= 1 and set(extra) <= set(beyond)


async def test_pages_answered_out_of_order_read_twice_when_windows_are_off() -> None:
    store = [{"id": str(i)} for i in range(1000)]
    asked: list[int] = []

    async def fetch(index: int, size: int) -> list[dict[str, str]]:
        assert size == 100
        asked.append(index)
        for _ in range(5 - index % 4):
            await asyncio.sleep(0)
        return store[(index - 1) * 100: index * 100]

    items, pages = await read_paged_list(fetch, 100, {}, windows=False)
    assert [item["id"] for item in items] == [item["id"] for item in store]
    # Two reads of 11 pages (the 11th is empty), and at most 3 started past the end each.
    assert pages == 11 and 22 <= len(asked) <= 22 + 2 * (CONCURRENT_PAGES - 1)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(20, 100), reach=st.integers(1, 30_000))
def test_each_window_starts_inside_the_one_before_and_moves_on(size: int, reach: int) -> None:
    covered = 0
    for index, window in overlapping_windows(size):
        start, end = (index - 1) * window, index * window
        assert 1 <= window <= size
        assert start <= max(covered - 1, 0) < end and end > covered
        covered = end
        if covered > reach:
            break
    else:
        raise AssertionError("the windows stopped before the list ended")


def test_overlaps_that_disagree_are_found() -> None:
    ids = [{"id": str(i)} for i in range(300)]
    windows = list(itertools.islice(overlapping_windows(100), 3))
    read = [(w, ids[(w[0] - 1) * w[1]: w[0] * w[1]]) for w in windows]
    items, joined = stitch(read)
    assert joined and items == ids[:(windows[-1][0]) * windows[-1][1]]
    shifted = ids[:10] + ids[11:]  # one deleted after the first window was read
    late = [(w, shifted[(w[0] - 1) * w[1]: w[0] * w[1]]) for w in windows]
    assert not stitch([read[0], late[1], read[2]])[1]
    assert not stitch([read[0], read[1], [windows[2], []]])[1]  # the list shrank meanwhile


async def test_a_first_poll_reads_each_page_once_and_checks_them_on_the_metrics() -> None:
    platform = DxPlatform(10_000)
    async with platform.client() as client:
        rows = await client.list_connections()
    assert [r.id for r in rows] == [str(i) for i in range(1, 10_001)]
    # 101 aligned pages hold the list (the last one empty), each asked once, at most one
    # past the end; the metrics of every connection, asked beside them, say the pages
    # hold the list as it was at one moment: no overlap and no second read.
    assert set(platform.pages) >= set(range(1, 102))
    assert len(platform.pages) == len(set(platform.pages)) <= 102
    assert platform.metrics_asked == 1 and set(platform.sizes) == {100}


async def test_the_dashboards_metrics_request_is_the_census_no_second_one_is_sent() -> None:
    platform = DxPlatform(1000)
    async with platform.client() as client:
        metrics = asyncio.ensure_future(client.metrics())  # as the dashboard's poll does
        rows = await client.list_connections()
        figures = await metrics
    assert len(rows) == 1000 and len(figures) == 1000
    assert platform.metrics_asked == 1 and len(platform.pages) <= 12


async def test_without_metrics_a_first_poll_reads_overlapping_windows() -> None:
    platform = DxPlatform(10_000, metrics="none")
    async with platform.client() as client:
        rows = await client.list_connections()
        assert [r.id for r in rows] == [str(i) for i in range(1, 10_001)]
        # The aligned pages could not be checked (no metrics: 404): 101 aligned pages
        # (and one past the end), then the windows: 114 (the overlaps cost positions; no
        # fewer aligned windows can overlap at every boundary) plus at most one scout.
        assert 101 + 114 <= len(platform.pages) <= 102 + 115
        platform.pages.clear()
        platform.sizes.clear()
        await client.list_connections()  # later polls: aligned pages, checked on the order
        platform.store.insert(5000, conn(20_000))
        platform.pages.clear()
        await client.list_connections()
        # A boundary moved: no census is asked again after the 404; the windows read it.
        assert platform.metrics_asked == 1 and 114 <= len(platform.pages) <= 101 + 115


async def test_a_census_that_does_not_come_races_a_read_in_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(paging, "CENSUS_GRACE", 0.0)
    platform = DxPlatform(1000, metrics="never")
    async with platform.client() as client:
        rows = await asyncio.wait_for(client.list_connections(), timeout=30)
    # The pages could not be confirmed, so the windows proved the list (12, and one past
    # the end at most) while the census was still on its way; it was then given up.
    assert [r.id for r in rows] == [str(i) for i in range(1, 1001)]
    assert platform.metrics_asked == 1 and 11 + 12 <= len(platform.pages) <= 12 + 13


async def test_metrics_that_leave_a_connection_out_are_not_asked_again() -> None:
    platform = DxPlatform(450, metrics="some")
    async with platform.client() as client:
        for created in range(3):
            rows = await client.list_connections()
            assert [r.id for r in rows] == [str(c["id"]) for c in platform.store]
            # New at a page boundary: the next poll cannot join it on the last order and
            # asks the census.
            platform.store.insert(200, conn(5000 + created))
    # Two listings whose proven ids the metrics missed (the first, and the second whose
    # boundaries moved), then no census for the third.
    assert platform.metrics_asked == 2


@pytest.mark.parametrize("change", ["delete", "create-first", "create-inside", "delete-last"])
@pytest.mark.parametrize("at", [2, 5, 9])
async def test_a_change_between_two_pages_of_a_first_poll_loses_nothing(
    change: str, at: int
) -> None:
    platform = DxPlatform(1000)
    done = False

    def between_pages(index: int) -> None:
        nonlocal done
        if index == at and not done:
            done = True
            if change == "delete":
                del platform.store[10]  # id 11: every later window shifts left
            elif change == "delete-last":
                del platform.store[-1]
            elif change == "create-first":
                platform.store.insert(0, conn(9999))
            else:
                platform.store.insert(450, conn(9999))

    platform.before_page = between_pages
    before = [item["id"] for item in platform.store]
    async with platform.client() as client:
        rows = await client.list_connections()
        first_poll = len(platform.pages)
        ids = [r.id for r in rows]
        # The list as it was just before the change or as it is now, each once (the
        # window that holds the end may be read before the change: a last item deleted
        # then is still there, as it was a moment earlier).
        now = [item["id"] for item in platform.store]
        assert ids in (before, now)
        if change != "delete-last":
            assert ids == now
        platform.pages.clear()
        again = await client.list_connections()
    assert [r.id for r in again] == now
    # 11 aligned pages and the empty one (one past the end at most), which the census
    # finds moved; then 12 windows, at most one past the end: not a second pass of them.
    assert first_poll <= 13 + 13
    # The next poll: aligned pages of 100 (the last one short), each once; if the first
    # poll still saw the last item that was deleted, its end moved: read again in
    # windows (12, and at most one past the end).
    pages = list(range(1, len(platform.store) // 100 + 2))
    if ids == now:
        assert sorted(platform.pages) == pages
    else:
        assert sorted(platform.pages[:len(pages) + 1]) == [*pages, pages[-1] + 1]
        assert len(platform.pages) <= len(pages) + 1 + 13


@pytest.mark.parametrize("answer", ["ignores", "refuses"])
async def test_a_platform_without_page_size_is_read_twice_then_by_aligned_pages(
    answer: str
) -> None:
    platform = DxPlatform(450, honours_page_size=False)
    handle = platform.handle

    async def refusing(request: httpx.Request) -> httpx.Response:
        if answer == "refuses" and "pageSize" in request.url.params:
            return httpx.Response(400, json={"code": "com-4000",
                                             "message": "pageSize: unknown parameter"})
        return await handle(request)

    platform.handle = refusing  # type: ignore[method-assign]
    async with platform.client() as client:
        rows = await client.list_connections()
        assert [r.id for r in rows] == [str(i) for i in range(1, 451)]
        platform.pages.clear()
        platform.sizes.clear()
        rows = await client.list_connections()
    assert len(rows) == 450
    assert sorted(platform.pages) == [1, 2, 3, 4, 5] and set(platform.sizes) == {100}
