"""A listing's one look at the platform: what a board's first poll says of each row.

Headless (no Textual). ``iotflow list -o json`` prints each connection's time in state and
its STUCK and FLAP flags as the dashboard's board has them after one poll over the same
history file (tui/board.py); ``first_look`` works out just those, not the rows' display
fields, their diff or the flags' watch list, which the command never reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from .board import Board, first_sight
from .connections import Connection
from .health import HistoryStore, Thresholds, is_flapping, is_stuck

__all__ = ["Look", "first_look"]


class Look(NamedTuple):
    """One row's ``since``, ``since_exact``, ``stuck`` and ``flapping``, as Board.rows has
    them (the same attribute names: a Row reads as a Look)."""

    since: datetime | None
    since_exact: bool
    stuck: bool
    flapping: bool


def first_look(connections: Iterable[Connection], history: HistoryStore, now: datetime,
               thresholds: Thresholds) -> dict[str, Look]:
    """id → what ``Board(history, thresholds).apply(connections, now)`` gives each row.

    The ids are unique, as a listing gives them. ``history`` is changed as the board would
    change it for the connections it knew (a listing's store is never saved); the others
    are not added. A connection the history never saw costs one look-up: the board would
    record its first sight (OPENED since its start-up: exact; else from now on, a lower
    bound), which can be neither stuck (held for no time) nor flapping (no change yet).
    """
    board = Board(history, thresholds)
    known = history.histories
    looks: dict[str, Look] = {}
    # Most rows of a listing are at first sight: built as plain tuples (a NamedTuple's
    # own constructor is Python code), the many that began by now sharing one.
    make = tuple.__new__
    from_now = make(Look, (now, False, False, False))
    for connection in connections:
        ident = connection.id
        state = connection.state or "UNKNOWN"
        seen = known.get(ident)
        if seen is None:
            since, exact = first_sight(state, connection.startup_time, now, watched=False)
            looks[ident] = (from_now if since is now and not exact
                            else make(Look, (since, exact, False, False)))
            continue
        board.observe_state(ident, state, connection, now)
        since = seen.since()
        looks[ident] = Look(since, seen.since_is_exact(), is_stuck(state, since, now, thresholds),
                            is_flapping(seen, now, thresholds))
    return looks
