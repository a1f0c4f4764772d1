"""board_look.first_look reads each row as the dashboard's board does after one poll:
``list -o json`` prints time in state, STUCK and FLAP from it instead of a whole board."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.connection_lists import plain_connection
from tui.board import Board
from tui.board_look import Look, first_look
from tui.connections import Connection
from tui.health import KNOWN_STATES, HistoryStore, StateChange, StateHistory, Thresholds

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
STATES = st.sampled_from([*KNOWN_STATES, None, "SOMETHING_NEW"])
changes = st.lists(
    st.tuples(st.integers(-600, 20_000), st.sampled_from(KNOWN_STATES), st.booleans()),
    max_size=8,
)


def store(entries: dict[str, list[tuple[int, str, bool]]]) -> HistoryStore:
    history = HistoryStore()
    for ident, seen in entries.items():
        history.histories[ident] = StateHistory([
            StateChange(NOW - timedelta(seconds=ago), state, exact)
            for ago, state, exact in sorted(seen, key=lambda change: -change[0])
        ])
    return history


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(STATES, st.booleans(), st.none() | st.integers(-600, 20_000),
                  st.none() | changes),
        min_size=1, max_size=8,
    ),
    st.integers(1, 30), st.integers(1, 6),
)
def test_each_row_reads_as_the_boards_first_poll(items, stuck_minutes, flaps) -> None:
    """Generated histories (none, empty, or a few changes, clocks ahead included) and
    thresholds: since, exactness, STUCK and FLAP are the board's, and the history is
    changed as the board changes it for the connections it knew."""
    thresholds = Thresholds(stuck_after=timedelta(minutes=stuck_minutes),
                            flapping_changes=flaps)
    connections, entries = [], {}
    for index, (state, active, started, seen) in enumerate(items):
        connections.append(plain_connection(index, state, active, started, NOW))
        if seen is not None:
            entries[str(index)] = seen
    theirs, ours = store(entries), store(entries)
    board = Board(theirs, thresholds)
    board.apply(connections, NOW)
    looks = first_look(connections, ours, NOW, thresholds)
    assert set(looks) == set(board.rows)
    for ident, row in board.rows.items():
        assert looks[ident] == Look(row.since, row.since_exact, row.stuck, row.flapping)
        if ident in entries:
            assert ours.histories[ident] == theirs.histories[ident]


def test_a_flapping_and_a_stuck_connection_are_flagged() -> None:
    """A real outcome, not only agreement: six settled changes in the hour, and OPENING
    seen 20 minutes ago, against a connection seen for the first time."""
    flapping = [(60 * n, "OPENED" if n % 2 else "UNREACHABLE", True) for n in range(1, 8)]
    history = store({"1": flapping, "2": [(1200, "OPENING", True)]})
    kept = copy.deepcopy(history.histories["1"])
    connections = [
        Connection(id="1", connector_id="x", name="a", state="OPENED"),
        Connection(id="2", connector_id="x", name="b", state="OPENING"),
        Connection(id="3", connector_id="x", name="c", state="OPENED",
                   startup_time=NOW - timedelta(hours=2)),
        Connection(id="4", connector_id="x", name="d", state="CLOSED"),
    ]
    looks = first_look(connections, history, NOW, Thresholds())
    assert looks["1"].flapping and not looks["1"].stuck
    assert looks["2"] == Look(NOW - timedelta(minutes=20), True, True, False)
    assert looks["3"] == Look(NOW - timedelta(hours=2), True, False, False)
    assert looks["4"] == Look(NOW, False, False, False)  # first sight: a lower bound
    assert history.histories["1"] == kept  # OPENED, as last seen: nothing recorded
    assert "3" not in history.histories  # (nothing saved: the store is a listing's)
