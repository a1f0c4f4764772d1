"""The order the dashboard lists connections in: sorted, filtered, kept up to date cheaply.

A poll of thousands of connections usually changes a handful. Re-sorting everything
for each would cost O(n log n) per poll and per keystroke of the filter; instead the
sorted ids and their keys sit side by side, and a changed row leaves its place and is
put back where its new key goes (bisection, no sort). The filter is a scan of that
sorted list, narrowed from the previous result while the filter text only grows.

The result is always exactly what sorting and filtering every row would give
(``visible_ids``, the plain definition, below); ``tests/unit/test_connection_order.py``
checks that step by step on generated changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from .board import Row
from .flow_sort import flow_sort_key

SORTS = ("state", "name", "startup", "connector", "uplinks", "failures")
SORT_LABELS = {
    "state": "state",
    "name": "name",
    "startup": "startup time",
    "connector": "connector",
    "uplinks": "uplinks/h",
    "failures": "failures/h",
}


def _id_key(ident: str) -> tuple[int, str]:
    # Numeric ids ("8", "10") sort as numbers; others after them as text.
    return (len(ident), ident) if ident.isdigit() else (1 << 30, ident)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def sort_key(sort: str):
    """The key function for one of SORTS."""
    if sort == "state":
        return lambda r: (
            r.rank,
            not r.is_fault,
            r.state,
            r.name.lower(),
            _id_key(r.id),
        )
    if sort == "name":
        return lambda r: (r.name.lower(), _id_key(r.id))
    if sort == "startup":
        return lambda r: (r.startup_time or _EPOCH, _id_key(r.id))
    if sort == "connector":
        return lambda r: (r.connector, r.name.lower(), _id_key(r.id))
    if sort in ("uplinks", "failures"):
        return flow_sort_key(sort, _id_key)
    raise ValueError(f"unknown sort {sort!r}")


def visible_ids(
    rows: Mapping[str, Row],
    *,
    query: str = "",
    faults_only: bool = False,
    sort: str = "state",
    reverse: bool = False,
) -> list[str]:
    """The ids to show, in order."""
    needle = query.lower()
    chosen = [
        row
        for row in rows.values()
        if (not faults_only or row.is_fault) and (not needle or needle in row.search)
    ]
    chosen.sort(key=sort_key(sort), reverse=reverse)
    return [row.id for row in chosen]


RESORT_SHARE = 5
"""A poll that touches more than 1/RESORT_SHARE of the rows sorts them all again:
past that, one sort is cheaper than as many insertions into a long list."""
RESORT_MIN = 50
"""...but a poll touching up to this many rows is always moved row by row."""


class _Descending:
    """Inverts the order of a sort key, so bisection works for reversed sorts too."""

    __slots__ = ("key",)

    def __init__(self, key: Any):
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and other.key == self.key

    __hash__ = None  # type: ignore[assignment]


class Filter(NamedTuple):
    """What the operator narrowed the list to: text (any case) and faults only."""

    text: str = ""
    faults_only: bool = False

    @property
    def needle(self) -> str:
        return self.text.lower()

    def narrows(self, previous: Filter) -> bool:
        """Whether everything this filter admits was admitted by ``previous`` too."""
        return previous.faults_only == self.faults_only and self.needle.startswith(previous.needle)


class ConnectionOrder:
    """The ids of the rows, sorted by one of ``SORTS``, and those the filter shows."""

    def __init__(self, sort: str = "state", reverse: bool = False):
        sort_key(sort)  # an unknown sort is refused here, not at the first row
        self.sort = sort
        self.reverse = reverse
        self.filter = Filter()
        self.rows: Mapping[str, Row] = {}
        self.visible: list[str] = []
        """The ids the filter admits, in order: what the table shows."""
        self._ids: list[str] = []
        """Every id in sort order (before the filter)."""
        self._keys: list[Any] = []
        """The sort key of each id in ``_ids``, side by side: bisection needs no key function."""
        self._key_of: dict[str, Any] = {}
        """id → the sort key it was placed with (to find it again when it changes)."""
        self._narrowable: Filter | None = None
        """The filter ``visible`` was computed for, while it can be narrowed further."""

    # -- changes -------------------------------------------------------------------

    def reset(self, rows: Mapping[str, Row]) -> None:
        """Sort these rows from scratch (first load, another sort): the only O(n log n) step."""
        self.rows = rows
        ids = list(rows)
        keys = list(map(self._key_function(), rows.values()))
        positions = sorted(range(len(ids)), key=keys.__getitem__)
        self._ids = [ids[i] for i in positions]
        self._keys = [keys[i] for i in positions]
        self._key_of = dict(zip(ids, keys, strict=True))
        self._refilter(from_scratch=True)

    def update(
        self,
        rows: Mapping[str, Row],
        *,
        added: Iterable[str] = (),
        removed: Iterable[str] = (),
        changed: Iterable[str] = (),
    ) -> None:
        """Take in one poll's changes: only the rows concerned move.

        ``rows`` is the whole new mapping; ``changed`` names rows whose sort key or
        filter text may differ (state, name, flags...).
        """
        added, removed = list(added), list(removed)
        # Only the rows whose key moved: a poll's metrics touch hundreds of rows (their
        # figures), which re-sorted everything although few of them change place.
        key, key_of = self._key_function(), self._key_of
        changed = [
            ident
            for ident in changed
            if (row := rows.get(ident)) is None or key_of.get(ident) != key(row)
        ]
        touched = len(added) + len(removed) + len(changed)
        if touched > max(RESORT_MIN, len(self._ids) // RESORT_SHARE):
            self.reset(rows)
            return
        self.rows = rows
        if not self._move((*removed, *changed), (*changed, *added)):
            self.reset(rows)
            return
        self._refilter(from_scratch=True)

    def set_sort(self, sort: str, reverse: bool = False) -> None:
        sort_key(sort)
        self.sort, self.reverse = sort, reverse
        self.reset(self.rows)

    def set_filter(self, text: str | None = None, faults_only: bool | None = None) -> None:
        """Change what is shown; ``None`` keeps that part of the filter as it is."""
        self.filter = Filter(
            self.filter.text if text is None else text,
            self.filter.faults_only if faults_only is None else faults_only,
        )
        self._refilter(from_scratch=False)

    # -- inside ----------------------------------------------------------------------

    def _key_function(self) -> Callable[[Row], Any]:
        key = sort_key(self.sort)
        if self.reverse:
            return lambda row: _Descending(key(row))
        return key

    def _move(self, drop: Iterable[str], insert: Iterable[str]) -> bool:
        """Take ids out of the sorted list and put them back where their new key goes.

        False when an id is not where its recorded key says (the caller sorts again).
        """
        ids, keys, key_of = self._ids, self._keys, self._key_of
        for ident in drop:
            old = key_of.pop(ident, None)
            if old is None:
                continue
            at = bisect.bisect_left(keys, old)
            if at >= len(ids) or ids[at] != ident:
                return False
            del ids[at]
            del keys[at]
        key = self._key_function()
        rows = self.rows
        for ident in insert:
            row = rows.get(ident)
            if row is None or ident in key_of:
                continue
            new = key_of[ident] = key(row)
            at = bisect.bisect_right(keys, new)
            ids.insert(at, ident)
            keys.insert(at, new)
        return True

    def _refilter(self, *, from_scratch: bool) -> None:
        """The visible ids: a scan of the sorted list, so a keystroke never sorts.

        When the filter only narrowed (``par`` after ``pa``) the previous result is
        scanned instead of every row.
        """
        wanted = self.filter
        if not wanted.text and not wanted.faults_only:
            self.visible = self._ids
            self._narrowable = None
            return
        previous = None if from_scratch else self._narrowable
        base = self.visible if previous is not None and wanted.narrows(previous) else self._ids
        rows = self.rows
        needle = wanted.needle
        if wanted.faults_only and needle:
            self.visible = [i for i in base if needle in rows[i].search and rows[i].is_fault]
        elif wanted.faults_only:
            self.visible = [i for i in base if rows[i].is_fault]
        else:
            self.visible = [i for i in base if needle in rows[i].search]
        self._narrowable = wanted
