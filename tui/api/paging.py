"""Reading a list that DX Core serves in pages of ``pageIndex``, fast and without gaps.

Pages are fetched a few at a time (``CONCURRENT_PAGES``, polite to the platform's rate
limits) instead of one after the other. A connection created or deleted while the pages
are read shifts every later page by one place, which would lose or repeat a connection
at a page boundary. Reading everything twice finds that but doubles the cost. Instead:

- With a *census* (``Census``: every id the platform holds at one moment, from an answer
  that lists them all at once — the metrics of every connection, which the dashboard asks
  for beside the list anyway): aligned pages, one request each, and the read is shown when
  its ids are exactly the census's, each once. That is a list the platform held at the
  census's moment, whatever changed between the pages, so no second read and no overlap
  is needed: 101 page requests and the census for 10,000 connections. A census that
  disagrees (a change during the read, or a platform whose metrics leave connections out)
  sends the read on as below; one that disagrees twice in a row with the list the windows
  then prove is not asked again (``FlowCalls.metrics_census``).
- First poll without a census: the list is read in *overlapping windows*. A window is
  a ``pageIndex`` with its own ``pageSize`` (at most the page size), chosen so that it
  starts on the last position the window before it holds (``overlapping_windows``).
  Where two windows share a position they must show the same id there; a shift shows
  as a mismatch, and only then is the list read again. Sizes below the maximum cost a
  few more requests (114 windows for 10,000 connections, 12 for 1,000) instead of 100 %.
  Where the list ends is not known, so one window at a time is a guess ahead (``_Pacing``):
  at most one request lands past the end, where asking in order four at a time sent up
  to three. A platform that ignores ``pageSize`` (it answers more than was asked) is read
  the old way: aligned pages and a second read that must agree.
- Later polls: aligned pages, one request each, each boundary checked against the
  order of the previous listing: the last item of one page and the first of the next
  must have been neighbours then, and the list must end where it ended (or on a new
  item). When one moved (a connection deleted since the last poll, or created at a
  boundary, or a change during this read), the list is read again the way a first poll
  reads it. Re-reading only the pages around a moved boundary and accepting them when
  they read the same twice is cheaper but not a proof: the re-reads are other moments
  too, and a change undone by another between them (or a deletion next to a connection
  created since the last poll) passed it in generated tests.
- A list that changed during every one of ``MAX_PASSES`` passes raises ListKeptChanging:
  what the pages hold then may be two moments, and is never shown.

Why a first poll without a census needs 1.13 requests a page, not 1.1 (issue 16). A DX
Core answer is the items and nothing else (``X-Total``, ``X-Total-Pages`` and ``Link``
belong to IoT Flow's ``page``/``perPage`` lists; DX Core sends no count, tag or link),
so only the items can show that the list moved between two requests (the census is other
items: another request's). Take neighbouring positions q and q + 1 held by requests R1
and R2, no request holding both and neither position read again, R1 answered just before
R2 and the requests further down the list after it (the order they are sent in). Just
after R1 answers, delete the item a at q (b, after it, moves up to q); just after R2
answers, create one just past R2's last position. R2 and everything answered after it
agree with each other (the creation put every position past R2 back), and everything
answered before agrees with R1; together they show a list that holds a but not b, which
the platform never held. So every pair of neighbours must share a request, or one of
them must be read again around the other's read. A window holds positions (pageIndex -
1) * pageSize onwards, so it can only start at a multiple of its size, and pageSize is
at most 100 (the contract's page, which public clients assume). The fewest such windows
covering 10,001 positions (10,000 connections and the empty place that shows the end)
with every pair of neighbours inside one, found by trying every window and not only the
greedy choice, is 114; a second read instead of an overlap costs a whole window and
gives the same 114 (``tests/support/window_cover.py``; ``bench_client.py`` prints both).
1.1 requests for each of the 101 pages is 111. A cheaper global check does not exist
either: a count or the tail read before and after the pass is blind to one deletion and
one creation anywhere (the count and the tail stay), and without knowing the end there
is no tail to read first. Reading in descending order turns a deletion into a visible
repeat but a creation into a silent loss, and ascending order the reverse. Reaching 1.1
would take pages over 100 or showing lists that never existed; at 1,000 connections the
12 windows are 1.09 a page, and 1.18 when the scout lands past the end. No request past
the end at all would mean never guessing: asking window k + 1 only once window k
answered full, one round trip per window, the time of a sequential pass.

What no check short of a second read sees: two changes between the same two answers
that replace a connection (one deleted, one created in its place) in a part already
read, followed by a change in a part read later: each part is right for its moment, and
no position shifted where two requests meet. One change between any two answers (several
over the read) is seen: the property tests generate them at every place and moment, on
first polls and on later ones.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

CONCURRENT_PAGES = 4
MAX_PAGES = 10_000
MAX_PASSES = 4
CENSUS_GRACE = 0.25
"""Seconds a census may come after the pages before windows start to race it (at least;
as long as the pages took, when longer)."""
MIN_WINDOW_PAGE = 20
"""Below this page size overlapping windows can run out of sizes that move forward."""

Window = tuple[int, int]
"""(pageIndex from 1, pageSize): positions ``(index - 1) * size`` to ``index * size``."""

FetchPage = Callable[[int, int], Awaitable[list[Any]]]
"""(pageIndex, pageSize) → the items the platform answered."""


class PageSizeIgnored(Exception):
    """The platform answered more items than the ``pageSize`` asked for."""


class Census:
    """Every id the platform holds at one moment, as a second opinion on a paged read.

    ``count`` asks for them (None when the platform cannot say: no metrics, a failure);
    ``take`` starts it (once) so that it runs beside the pages. ``judged`` hears whether
    the census was right: True when it agreed with the pages, or with the list that the
    windows proved after it disagreed (the pages had moved); False when it disagreed with
    that proven list too (a change during the read, or a platform whose census leaves
    connections out: the caller stops asking one that keeps being wrong).
    """

    def __init__(self, count: Callable[[], Awaitable[Collection[Any] | None]],
                 judged: Callable[[bool], None]) -> None:
        self._count = count
        self._judged = judged
        self._answer: asyncio.Future[Collection[Any] | None] | None = None
        self._ids: frozenset[str] | None = None

    def take(self) -> None:
        if self._answer is None:
            self._answer = asyncio.ensure_future(self._count())

    async def agrees(self, items: list[Any]) -> bool:
        """Whether ``items`` hold exactly the census's ids, each once."""
        self.take()
        assert self._answer is not None
        got = await self._answer
        if got is None:
            return False
        self._ids = frozenset(str(ident) for ident in got)
        agreed = _exactly(items, self._ids)
        if agreed:
            self._judged(True)
        return agreed

    def check(self, proven: list[Any]) -> None:
        """After a disagreement: ``proven`` is what the windows read consistently."""
        if self._ids is not None:
            self._judged(_exactly(proven, self._ids))

    def cancel(self) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()


def _exactly(items: list[Any], ids: frozenset[str]) -> bool:
    listed = [ident_of(item) for item in items]
    if None in listed:
        return False  # an item without an id: only the windows can place it
    named = {str(ident) for ident in listed}
    return len(named) == len(listed) and named == ids


class ListKeptChanging(Exception):
    """Every pass over the pages saw the list change meanwhile."""

    def __init__(self, passes: int) -> None:
        super().__init__(f"the list changed during each of {passes} reads in a row")
        self.passes = passes


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


class _Pacing:
    """Which window to ask for next while a list is read up to its end.

    Windows are numbered from 0 in the order of the plan. A window is *in the list* once
    the one before it was answered full (or, with ``expected``, when the previous listing
    had it): asking for it costs nothing that is not needed. Any other window is a
    *guess* that may land past the end, so at most one guess is in flight at a time: a
    scout 1, then 2, then ``concurrency`` windows past the last one known to be in the
    list, which, answered full, puts every window up to it in the list for the other
    slots. Once any window answers short (the end, or past it) there is no
    more guessing: the windows below it are asked as they become known (with
    ``edge_first``, the one at the edge of what is known before the others, which ends
    the read sooner; overlapping windows need no order), so a first poll sends at most
    one request past the end instead of ``concurrency - 1``. With ``expected`` (a later
    poll) nothing is guessed: the end is asked for only once the window before it
    answered full. Never guessing at all would ask one window per round trip.
    """

    def __init__(self, concurrency: int, expected: int | None, edge_first: bool) -> None:
        self.concurrency = concurrency
        self.expected = expected
        self.edge_first = edge_first
        self.full_max = -1  # the highest window answered full
        self.short: int | None = None  # the lowest window answered short
        self.issued: set[int] = set()
        self._low = 0  # the lowest window not asked for
        self._guesses: set[int] = set()
        self._scouts = 0  # guesses answered full

    def known(self) -> int:
        """The highest window known to be in the list (or, later, the one ending it)."""
        known = self.full_max + 1
        if self.expected is not None:
            known = max(known, self.expected - 1)
        return known if self.short is None else min(known, self.short)

    def answered(self, number: int, full: bool) -> None:
        if full:
            self._scouts += number in self._guesses
            self.full_max = max(self.full_max, number)
        elif self.short is None or number < self.short:
            self.short = number

    def next(self, running: Iterable[int]) -> int | None:
        """The window to ask for now, or None to wait for an answer."""
        known = self.known()
        if self.edge_first and known not in self.issued:
            return self._take(known)
        if (self.expected is None and self.short is None
                and not any(number > known for number in running)):  # one guess at a time
            guess = known + min(self.concurrency, 2 ** self._scouts)
            while guess in self.issued:
                guess += 1
            self._guesses.add(guess)
            return self._take(guess)
        if self._low <= known:
            return self._take(self._low)
        return None

    def _take(self, number: int) -> int:
        self.issued.add(number)
        while self._low in self.issued:
            self._low += 1
        return number


async def _gather(
    fetch: FetchPage,
    windows: Iterable[Window],
    concurrency: int,
    expected: int | None = None,
    edge_first: bool = False,
) -> list[tuple[Window, list[Any]]]:
    """Each window's items in the order of ``windows`` (not of arrival), up to the first
    one answered with fewer items than its size (the end of the list), asked for as
    ``_Pacing`` decides (``expected``: how many windows the list had last time;
    ``edge_first``: see ``_Pacing``)."""
    plan: list[Window] = []
    source = iter(itertools.islice(windows, MAX_PAGES + 1))

    def window(number: int) -> Window | None:
        while len(plan) <= number:
            more = next(source, None)
            if more is None:
                return None
            plan.append(more)
        return plan[number]

    pacing = _Pacing(concurrency, expected, edge_first)
    results: dict[int, tuple[Window, list[Any]]] = {}
    running: dict[asyncio.Task[list[Any]], int] = {}

    def choose() -> int | None:
        number = pacing.next(running.values())
        return number if number is not None and window(number) is not None else None

    try:
        while True:
            while len(running) < concurrency:
                number = choose()
                if number is None:
                    break
                running[asyncio.ensure_future(fetch(*plan[number]))] = number
            if not running:
                break
            done, _pending = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                number = running.pop(task)
                items = task.result()
                results[number] = (plan[number], items)
                pacing.answered(number, len(items) >= plan[number][1])
    finally:
        for task in running:
            task.cancel()
    if pacing.short is None:
        raise OverflowError(f"the list did not end after {MAX_PAGES} pages")
    return [results[n] for n in range(pacing.short + 1)]


async def read_pages(fetch: FetchPage, size: int, concurrency: int = CONCURRENT_PAGES,
                     expected: int | None = None) -> dict[int, list[Any]]:
    """Aligned pages by index from 1 until the first short page (``expected``: how many
    pages the list had last time, see ``_Pacing``)."""
    windows = ((i, size) for i in itertools.count(1))
    read = await _gather(fetch, windows, concurrency, expected)
    return {index: items for (index, _size), items in read}


def stitch(read: list[tuple[Window, list[Any]]]) -> tuple[list[Any], bool]:
    """(the list the windows hold, whether every overlap showed the same ids).

    On a mismatch the list is what the windows give (each position once): not to be
    shown, since it may hold pages of two moments.
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
    (items, windows read in the last pass). Raises PageSizeIgnored, ListKeptChanging."""
    read: list[tuple[Window, list[Any]]] = []
    for _ in range(MAX_PASSES):
        # Another pass knows about where the list ends: no guessing past it.
        expected = len(read) or None
        read = await _gather(fetch, overlapping_windows(size), concurrency, expected,
                             edge_first=True)
        if any(len(page) > asked for (_index, asked), page in read):
            raise PageSizeIgnored
        items, joined = stitch(read)
        if joined:
            return items, len(read)
    raise ListKeptChanging(MAX_PASSES)


def moved_boundaries(pages: Mapping[int, list[Any]], order: Mapping[Any, int]) -> list[int]:
    """Indices ``i`` where pages ``i`` and ``i + 1`` do not join as they did last time.

    A boundary joins when its two items were neighbours in the previous listing. One
    that is new to it (created since) does not: a connection created at a boundary
    during the read can push the one that was there onto a page already read. An id
    seen twice marks its boundary too. The end of the list is a boundary as well: its
    last item must have been the last one then (or be new: created at the end), else
    the last page with items is marked (an end page read before a shift, with the
    pages before it read after, would hide the shift).
    """
    moved: list[int] = []
    seen: set[Any] = set()
    last = max(pages, default=0)
    tail: int | None = None
    for index in range(1, last + 1):
        ids = [ident_of(item) for item in pages[index]]
        if ids:
            tail = index
        if index > 1 and not seen.isdisjoint(ids):
            moved.append(index - 1)
        seen.update(ids)
        if index == last or not ids or not pages[index + 1]:
            continue
        before = order.get(ids[-1])
        after = order.get(ident_of(pages[index + 1][0]))
        if before is None or after is None or after != before + 1:
            moved.append(index)
    if tail is not None and order:
        position = order.get(ident_of(pages[tail][-1]))
        if position is not None and position != max(order.values()):
            moved.append(tail)
    return sorted(set(moved))


def _ids(pages: Mapping[int, list[Any]], indices: list[int]) -> list[list[Any]]:
    return [[ident_of(item) for item in pages.get(i, [])] for i in indices]


async def read_paged_list(
    fetch: FetchPage, size: int, order: Mapping[Any, int], windows: bool = True,
    census: Census | None = None,
) -> tuple[list[Any], int]:
    """Every item of a paged list, consistent across its pages: (items, pages read).

    ``order``: id → position in the previous listing (empty on a first poll).
    ``windows``: the platform honours ``pageSize`` (see the module docstring); a
    PageSizeIgnored from it means it does not. ``census``: see ``Census``. Raises
    ListKeptChanging when every pass saw a change (a list that is never shown half read).
    """
    try:
        return await _read_paged_list(fetch, size, order, windows, census)
    finally:
        if census is not None:
            census.cancel()


async def _read_paged_list(
    fetch: FetchPage, size: int, order: Mapping[Any, int], windows: bool,
    census: Census | None,
) -> tuple[list[Any], int]:
    windowed = windows and size >= MIN_WINDOW_PAGE
    if not order and windowed and census is None:
        return await read_windowed_list(fetch, size)
    expected = len(order) // size + 1 if order else None
    read_fetch = fetch
    if census is not None and not order:
        async def read_fetch(index: int, asked: int) -> list[Any]:
            items = await fetch(index, asked)
            if index == 1 and len(items) >= asked:
                census.take()  # a list of more than one page: the census runs beside it
            return items
    started = asyncio.get_running_loop().time()
    pages = await read_pages(read_fetch, size, expected=expected)
    if len(pages) <= 1 or (order and not moved_boundaries(pages, order)):
        return _joined(pages)  # one answer is one moment; or nothing moved
    items, read = _joined(pages)
    if census is not None and windowed:
        took = asyncio.get_running_loop().time() - started
        return await _census_or_windows(census, (items, read), fetch, size,
                                        max(took, CENSUS_GRACE))
    if census is not None and await census.agrees(items):
        return items, read
    # Nothing to compare with, or the list moved (since the last poll or during this
    # read): it is read again as a first poll reads it.
    if windowed:
        return await read_windowed_list(fetch, size)
    for _ in range(MAX_PASSES):
        again = await read_pages(fetch, size, expected=len(pages))
        if _ids(again, list(again)) == _ids(pages, list(pages)):
            return _joined(again)
        pages = again
    raise ListKeptChanging(MAX_PASSES)


async def _census_or_windows(census: Census, read: tuple[list[Any], int], fetch: FetchPage,
                             size: int, grace: float) -> tuple[list[Any], int]:
    """``read`` once the census agrees with it, else the list read in windows.

    A census still on its way after ``grace`` seconds (metrics a platform computes when
    asked) races a read in windows, and whichever proves a list first is shown: the rows
    wait no longer than the windows would take, and a census answered soon after the
    pages (the common case) costs no window at all.
    """
    agreeing = asyncio.ensure_future(census.agrees(read[0]))
    reading: asyncio.Future[tuple[list[Any], int]] | None = None
    try:
        done, _pending = await asyncio.wait({agreeing}, timeout=grace)
        if not done:
            reading = asyncio.ensure_future(read_windowed_list(fetch, size))
            done, _pending = await asyncio.wait({agreeing, reading},
                                                return_when=asyncio.FIRST_COMPLETED)
        if agreeing in done and agreeing.result():
            return read
        windows = await (reading or read_windowed_list(fetch, size))
        if agreeing.done():
            census.check(windows[0])
        return windows
    finally:
        for task in (agreeing, reading):
            if task is not None:
                task.cancel()


def _joined(pages: Mapping[int, list[Any]]) -> tuple[list[Any], int]:
    items = [item for index in sorted(pages) for item in pages[index]]
    return items, len(pages)
