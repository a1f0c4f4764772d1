"""Reading a list that DX Core serves in pages of ``pageIndex``, fast and without gaps.

Pages are fetched a few at a time (``CONCURRENT_PAGES``, polite to the platform's rate
limits) instead of one after the other. A connection created or deleted while the pages
are read shifts every later page by one place, which would lose or repeat a connection
at a page boundary. Reading everything twice finds that but doubles the cost; instead
each boundary is checked against the order of the previous listing: the last item of
one page and the first of the next must have been neighbours then (or be unknown to
it). Only the pages on both sides of a boundary that moved are read again; if they read
the same the second time, the list really changed since the last poll and is right as
read; if they differ, a change happened during this read and the whole read is redone.
Without a previous listing (the first poll), a second read confirms the first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

CONCURRENT_PAGES = 4
MAX_PAGES = 10_000
MAX_PASSES = 4

FetchPage = Callable[[int], Awaitable[list[Any]]]


def ident_of(item: Any) -> Any:
    return item.get("id") if type(item) is dict else None


async def read_pages(fetch: FetchPage, size: int, indices: list[int] | None = None,
                     concurrency: int = CONCURRENT_PAGES,
                     expected: int | None = None) -> dict[int, list[Any]]:
    """Pages by index: the given ``indices``, or from 1 until the first short page.

    ``expected``: how many pages the list had last time. Pages beyond it are asked for
    only once every page before them is in and full, so a steady poll sends no request
    past the end; without it, up to ``concurrency - 1`` requests land past the end.
    """
    pages: dict[int, list[Any]] = {}
    end: int | None = None
    queue = iter(indices) if indices is not None else None
    following = 1
    running: dict[asyncio.Task[list[Any]], int] = {}

    def next_index() -> int | None:
        nonlocal following
        if queue is not None:
            return next(queue, None)
        if end is not None or following > MAX_PAGES:
            return None
        if expected is not None and following > expected and len(pages) < following - 1:
            return None  # past the known end: wait for the pages before it
        following += 1
        return following - 1

    try:
        while True:
            while len(running) < concurrency:
                index = next_index()
                if index is None:
                    break
                running[asyncio.ensure_future(fetch(index))] = index
            if not running:
                break
            done, _pending = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                index = running.pop(task)
                pages[index] = task.result()
                if queue is None and len(pages[index]) < size:
                    end = index if end is None else min(end, index)
    finally:
        for task in running:
            task.cancel()
    if queue is None:
        if end is None:
            raise OverflowError(f"the list did not end after {MAX_PAGES} pages")
        return {i: pages[i] for i in sorted(pages) if i <= end}
    return {i: pages[i] for i in sorted(pages)}  # by index, not by arrival


def moved_boundaries(pages: Mapping[int, list[Any]], order: Mapping[Any, int]) -> list[int]:
    """Indices ``i`` where pages ``i`` and ``i + 1`` do not join as they did last time.

    A boundary joins when its two items were neighbours in the previous listing, or
    when either is new to it (created since). An id seen twice marks its boundary too.
    """
    moved: list[int] = []
    seen: set[Any] = set()
    last = max(pages, default=0)
    for index in range(1, last + 1):
        ids = [ident_of(item) for item in pages[index]]
        if index > 1 and not seen.isdisjoint(ids):
            moved.append(index - 1)
        seen.update(ids)
        if index == last or not ids or not pages[index + 1]:
            continue
        before = order.get(ids[-1])
        after = order.get(ident_of(pages[index + 1][0]))
        if before is not None and after is not None and after != before + 1:
            moved.append(index)
    return sorted(set(moved))


def _ids(pages: Mapping[int, list[Any]], indices: list[int]) -> list[list[Any]]:
    return [[ident_of(item) for item in pages.get(i, [])] for i in indices]


async def read_paged_list(
    fetch: FetchPage, size: int, order: Mapping[Any, int]
) -> tuple[list[Any], int]:
    """Every item of a paged list, consistent across its pages: (items, pages read)."""
    expected = len(order) // size + 1 if order else None
    pages = await read_pages(fetch, size, expected=expected)
    for _ in range(MAX_PASSES):
        if len(pages) <= 1:
            break
        if not order:
            again = await read_pages(fetch, size)
            if _ids(again, list(again)) == _ids(pages, list(pages)):
                break
            pages = again
            continue
        moved = moved_boundaries(pages, order)
        if not moved:
            break
        around = sorted({i for m in moved for i in (m, m + 1)})
        again = await read_pages(fetch, size, around)
        if _ids(again, around) == _ids(pages, around):
            break  # the list changed since the last poll, not during this read
        pages = await read_pages(fetch, size, expected=expected)
    items = [item for index in sorted(pages) for item in pages[index]]
    return items, len(pages)
