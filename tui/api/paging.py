"""Reading a list that DX Core serves in pages of ``pageIndex``, fast and without gaps.

Pages are fetched a few at a time (``CONCURRENT_PAGES``, polite to the platform's rate
limits) instead of one after the other. A connection created or deleted while the pages
are read shifts every later page by one place, which would lose or repeat a connection
at a page boundary. Reading everything twice finds that but doubles the cost. Instead:

- First poll (nothing known yet): the list is read in *overlapping windows*. A window is
  a ``pageIndex`` with its own ``pageSize`` (at most the page size), chosen so that it
  starts on the last position the window before it holds (``overlapping_windows``).
  Where two windows share a position they must show the same id there; a shift shows
  as a mismatch, and only then is the list read again. Sizes below the maximum cost a
  few more requests (about 13 % for 10,000 connections) instead of 100 %. A platform that
  ignores ``pageSize`` (it answers more than was asked) is read the old way: aligned
  pages and a second read that must agree.
- Later polls: aligned pages, each boundary checked against the order of the previous
  listing: the last item of one page and the first of the next must have been neighbours
  then (or be unknown to it). Only the pages on both sides of a boundary that moved are
  read again; if they read the same the second time, the list really changed since the
  last poll and is right as read; if they differ, a change happened during this read and
  the whole read is redone.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any

CONCURRENT_PAGES = 4
MAX_PAGES = 10_000
MAX_PASSES = 4
MIN_WINDOW_PAGE = 20
"""Below this page size overlapping windows can run out of sizes that move forward."""

Window = tuple[int, int]
"""(pageIndex from 1, pageSize): positions ``(index - 1) * size`` to ``index * size``."""

FetchPage = Callable[[int, int], Awaitable[list[Any]]]
"""(pageIndex, pageSize) → the items the platform answered."""


class PageSizeIgnored(Exception):
    """The platform answered more items than the ``pageSize`` asked for."""


def ident_of(item: Any) -> Any:
    return item.get("id") if type(item) is dict else None


def overlapping_windows(size: int) -> Iterator[Window]:
    """Windows from the start of the list, each starting at or before the last position
    of the one before it, each reaching as far as a window of at most ``size`` can.

    Window ``(m + 1, k)`` holds positions ``m*k .. m*k + k - 1``; the farthest-reaching
    one that still overlaps is the best choice (the usual greedy interval cover).
    """
    covered = size
    yield 1, size
    while True:
        best: Window | None = None
        reach = covered
        for k in range(size, 0, -1):
            m = (covered - 1) // k
            if (m + 1) * k > reach:
                reach, best = (m + 1) * k, (m + 1, k)
        if best is None:  # every size divides `covered` (only for tiny page sizes)
            return
        yield best
        covered = reach


async def _gather(
    fetch: FetchPage,
    windows: Iterable[Window],
    concurrency: int,
    until_short: bool,
    expected: int | None = None,
) -> list[tuple[Window, list[Any]]]:
    """Each window's items in the order of ``windows`` (not of arrival).

    ``until_short``: stop at the first window answered with fewer items than its size
    (the end of the list); windows after it are dropped, and none is asked once it is
    known. ``expected``: how many windows the list had last time; windows beyond it are
    asked for only once every window before them is in and full, so a steady poll sends
    no request past the end (without it, up to ``concurrency - 1`` land past the end).
    """
    results: dict[int, tuple[Window, list[Any]]] = {}
    end: int | None = None
    queue = enumerate(itertools.islice(windows, MAX_PAGES + 1))
    waiting: tuple[int, Window] | None = None
    running: dict[asyncio.Task[list[Any]], tuple[int, Window]] = {}
    exhausted = False

    def next_window() -> tuple[int, Window] | None:
        nonlocal waiting, exhausted
        if end is not None or exhausted:
            return None
        if waiting is None:
            waiting = next(queue, None)
            if waiting is None:
                exhausted = True
                return None
        number = waiting[0]
        if expected is not None and number >= expected and len(results) < number:
            return None  # past the known end: wait for the windows before it
        chosen, waiting = waiting, None
        return chosen

    try:
        while True:
            while len(running) < concurrency:
                chosen = next_window()
                if chosen is None:
                    break
                running[asyncio.ensure_future(fetch(*chosen[1]))] = chosen
            if not running:
                break
            done, _pending = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                number, window = running.pop(task)
                items = task.result()
                results[number] = (window, items)
                if until_short and len(items) < window[1]:
                    end = number if end is None else min(end, number)
    finally:
        for task in running:
            task.cancel()
    if until_short:
        if end is None:
            raise OverflowError(f"the list did not end after {MAX_PAGES} pages")
        return [results[n] for n in range(end + 1)]
    return [results[n] for n in sorted(results)]


async def read_pages(fetch: FetchPage, size: int, indices: list[int] | None = None,
                     concurrency: int = CONCURRENT_PAGES,
                     expected: int | None = None) -> dict[int, list[Any]]:
    """Aligned pages by index: the given ``indices``, or from 1 until the first short page
    (``expected``: how many pages the list had last time, see ``_gather``)."""
    windows = ((i, size) for i in (indices if indices is not None else itertools.count(1)))
    read = await _gather(fetch, windows, concurrency, indices is None, expected)
    return {index: items for (index, _size), items in read}


def stitch(read: list[tuple[Window, list[Any]]]) -> tuple[list[Any], bool]:
    """(the list the windows hold, whether every overlap showed the same ids).

    On a mismatch the list is still the best the windows give (each position once), for
    a caller that has run out of passes.
    """
    items: list[Any] = []
    joined = True
    for (index, size), page in read:
        start = (index - 1) * size
        overlap = len(items) - start
        if overlap < 0 or (
            [ident_of(item) for item in items[start:]]
            != [ident_of(item) for item in page[:overlap]]
        ):
            joined = False
        items.extend(page[max(overlap, 0):])
    return items, joined


async def read_windowed_list(fetch: FetchPage, size: int,
                             concurrency: int = CONCURRENT_PAGES) -> tuple[list[Any], int]:
    """The list read in overlapping windows, again while an overlap shows a shift:
    (items, windows read in the last pass). Raises PageSizeIgnored."""
    items: list[Any] = []
    read: list[tuple[Window, list[Any]]] = []
    for _ in range(MAX_PASSES):
        read = await _gather(fetch, overlapping_windows(size), concurrency, True)
        if any(len(page) > asked for (_index, asked), page in read):
            raise PageSizeIgnored
        items, joined = stitch(read)
        if joined:
            break
    return items, len(read)


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
    fetch: FetchPage, size: int, order: Mapping[Any, int], windows: bool = True
) -> tuple[list[Any], int]:
    """Every item of a paged list, consistent across its pages: (items, pages read).

    ``order``: id → position in the previous listing (empty on a first poll).
    ``windows``: the platform honours ``pageSize`` (see the module docstring); a
    PageSizeIgnored from it means it does not.
    """
    if not order and windows and size >= MIN_WINDOW_PAGE:
        return await read_windowed_list(fetch, size)
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
