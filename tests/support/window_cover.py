"""The fewest DX Core requests that can read a list of a given length consistently.

A request ``(pageIndex i, pageSize s)``, ``s`` at most the page size, holds positions
``(i - 1) * s`` to ``i * s - 1``. Two neighbouring positions read by different requests,
neither of them read a second time, can hide a change between those requests: delete the
item at the first and create one at the second, and each request saw a list that existed
while together they show one that never did (see ``tui/api/paging.py``). So every pair of
neighbours must share a request (an overlap), or one of them must be read twice, around
the read of the other. These searches try every request, not only the greedy choice that
``overlapping_windows`` makes, to find the true minimum for ``positions`` (the items and
the position after the last, whose emptiness shows the end).
"""

from __future__ import annotations

import heapq


def fewest_overlapping(positions: int, size: int = 100) -> int:
    """Requests, each starting inside what the ones before cover, that cover ``positions``.

    Breadth first over the covered length: from a length ``e``, a window of size ``s``
    that holds position ``e - 1`` reaches ``(e - 1) // s * s + s`` (a window of that size
    starting earlier reaches less).
    """
    frontier, seen = {0}, {0}
    requests = 0
    while max(frontier) < positions:
        requests += 1
        reached = {
            ((e - 1) // s + 1) * s if e else s
            for e in frontier
            for s in range(1, size + 1)
            if e == 0 or ((e - 1) // s + 1) * s > e
        }
        frontier = reached - seen  # a length reached sooner has been expanded already
        seen |= frontier
    return requests


def fewest_with_second_reads(positions: int, size: int = 100) -> int:
    """As ``fewest_overlapping``, but a pair of neighbours may also be split between two
    requests when one side is read twice: by two windows that end where the next one
    starts, or two that start there (windows of different sizes, both aligned).

    States are (covered length, whether its last position was read by two windows that
    both end there); Dijkstra over the number of requests.
    """
    best = {(0, True): 0}  # nothing before position 0: the first window needs no overlap
    queue = [(0, 0, True)]
    while queue:
        cost, end, doubled = heapq.heappop(queue)
        if best.get((end, doubled), cost + 1) < cost:
            continue
        if end >= positions:
            return cost
        for state, more in _steps(end, doubled, size):
            if cost + more < best.get(state, cost + more + 1):
                best[state] = cost + more
                heapq.heappush(queue, (cost + more, *state))
    raise AssertionError("unreachable")  # some window always reaches further


def _steps(end: int, doubled: bool, size: int) -> list[tuple[tuple[int, bool], int]]:
    """((covered length, doubled), requests) reachable from a state in one or two windows."""
    steps: list[tuple[tuple[int, bool], int]] = []
    for s in range(1, size + 1):
        if end > 0:
            start = (end - 1) // s * s
            stop = start + s
            if stop > end:
                steps.append(((stop, False), 1))
                if any(stop % k == 0 and stop - k > start for k in range(1, size + 1)):
                    steps.append(((stop, True), 2))  # a second, shorter window ending there
        if end % s == 0:
            if doubled:
                steps.append(((end + s, False), 1))
            if any(end % k == 0 for k in range(1, s)):
                steps.append(((end + s, False), 2))  # a second, shorter window starting there
    return steps
