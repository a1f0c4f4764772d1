"""The work an idle dashboard skips, shown to change nothing it shows.

- metrics items whose JSON text reads as last time are neither decoded nor parsed again
  (``list_decoding.read_items``), yet every answer reads as ``json.loads`` would;
- the board evaluates a row's stuck, flapping and start-grace flags again only once they
  could read differently (``health.next_flag_change``), yet at every tick each row
  reads as evaluating every rule on it would say;
- ``apply_metrics`` skips rows whose metrics object and other inputs are the same, and
  still re-evaluates a row whose state moved under the same figures;
- the header keeps its bottom line while what it reads is the same.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api.list_decoding import ItemMemo, NotAnArray, read_items
from tui.board import Board
from tui.board_flow import FleetFlow, apply_metrics, clear_metrics
from tui.connection_order import SORT_LABELS
from tui.connections import Connection
from tui.flow import ConnectionMetrics
from tui.header_text import HeaderInfo, bottom_inputs, bottom_line, header_lines, top_line
from tui.health import (
    Health,
    HistoryStore,
    Thresholds,
    in_start_grace,
    is_flapping,
    is_stuck,
    next_flag_change,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
)


class Parsed:
    """What a parse made of an item: the item, and which parse call made it."""

    def __init__(self, item: Any, call: int):
        self.item, self.call = item, call


@settings(max_examples=150, deadline=None)
@given(
    answers=st.lists(st.lists(JSON | st.integers(0, 150), max_size=6), min_size=1, max_size=5),
    indent=st.sampled_from([None, 1]),
)
def test_items_read_as_json_reads_them_and_unchanged_text_is_not_parsed_again(
    answers: list[list[Any]], indent: int | None
) -> None:
    memo = ItemMemo()
    calls: list[Any] = []

    def parse(item: Any) -> Parsed:
        calls.append(item)
        return Parsed(item, len(calls))

    last_texts: set[str] = set()
    for items in answers:
        content = json.dumps(items, indent=indent).encode()
        before = len(calls)
        read = read_items(content, parse, memo)
        # Numbers: "12" and "123" start alike, a number must not read as its prefix.
        assert [p.item for p in read] == json.loads(content)
        texts = [json.dumps(item, indent=indent) for item in items]
        # Parsed again: only the items whose text the last answer did not have.
        assert len(calls) - before == sum(1 for text in texts if text not in last_texts)
        last_texts = set(texts)


EDITS = st.lists(
    st.tuples(st.sampled_from(["change", "insert", "delete", "grow"]), st.integers(0, 60), JSON),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(
    first=st.lists(st.integers(0, 150) | JSON, min_size=1, max_size=60),
    polls=st.lists(EDITS, min_size=1, max_size=4),
    indent=st.sampled_from([None, 1]),
    ascii_only=st.booleans(),
)
def test_long_runs_of_unchanged_items_are_taken_whole_and_read_as_json_reads(
    first: list[Any], polls: list[Any], indent: int | None, ascii_only: bool
) -> None:
    """Polls of a longer list with a few edits (an item changed, inserted, deleted, or a
    number grown into a longer one: 12 → 123): the runs that read byte for byte as last
    time are taken whole (compared as bytes, not digested item by item), every answer
    still reads as json.loads reads it, and only items whose text is new are parsed."""
    memo = ItemMemo()
    calls: list[Any] = []

    def parse(item: Any) -> Parsed:
        calls.append(item)
        return Parsed(item, len(calls))

    items, last_texts = list(first), set()
    for edits in [[], *polls]:
        for kind, where, value in edits:
            at = where % (len(items) + 1)
            if kind == "insert" or not items:
                items.insert(at, value)
            elif kind == "delete":
                del items[at % len(items)]
            elif kind == "grow" and type(items[at % len(items)]) is int:
                items[at % len(items)] = items[at % len(items)] * 10 + 3
            else:
                items[at % len(items)] = value
        content = json.dumps(items, indent=indent, ensure_ascii=ascii_only).encode()
        before = len(calls)
        read = read_items(content, parse, memo)
        assert [p.item for p in read] == json.loads(content)
        texts = [json.dumps(item, indent=indent, ensure_ascii=ascii_only) for item in items]
        assert len(calls) - before == sum(1 for text in texts if text not in last_texts)
        last_texts = set(texts)
        # An ASCII answer is kept to compare the next one with; any other is not.
        assert (memo.answer is content) == content.isascii()


@pytest.mark.parametrize(
    ("before", "after"),
    [(b"[1, 2, 12]", b"[1, 2, 123]"), (b"[12]", b"[123]"), (b"[7, 12 ]", b"[7, 120 ]"),
     (b"[1, 2, 12]", b"[1, 2, 12, 5]"), (b"[1, 2, 3]", b"[1, 2]")],
)
def test_the_last_items_text_is_not_taken_for_the_start_of_a_longer_one(
    before: bytes, after: bytes
) -> None:
    """A number is not self-delimiting: the old answer's last item "12" must not be read
    where the new answer says "123" (what follows it decides)."""
    memo = ItemMemo()
    read_items(before, lambda item: item, memo)
    assert read_items(after, lambda item: item, memo) == json.loads(after)


@pytest.mark.parametrize("content", [b'{"a": 1}', b"[1, 2", b"[1 2]", b"[1] x", b"", b"nul"])
def test_reading_with_a_memo_refuses_what_is_not_one_array(content: bytes) -> None:
    memo = ItemMemo()
    read_items(b"[1, 2]", lambda item: item, memo)
    with pytest.raises(NotAnArray):
        read_items(content, lambda item: item, memo)
    # What failed is not remembered: the last good answer still reads without parsing.
    assert read_items(b"[1, 2]", lambda item: pytest.fail("parsed again"), memo) == [1, 2]


# -- flags evaluated when due -----------------------------------------------------------

THRESHOLDS = Thresholds(
    stuck_after=timedelta(seconds=30),
    flapping_changes=2,
    flapping_window=timedelta(seconds=120),
    closed_grace=timedelta(seconds=20),
)
STATES = ["OPENED", "OPENING", "CLOSED", "CLOSING", "UNREACHABLE", "AUTHENTICATING"]


def connection(ident: str, state: str, active: bool, started: datetime | None) -> Connection:
    return Connection(
        id=ident, connector_id="actility-http-iot", name=f"c{ident}", state=state,
        active=active, startup_time=started,
    )  # fmt: skip


steps = st.lists(
    st.one_of(
        # a poll: (seconds later, {id: (state, active, started seconds before T0 or None)})
        st.tuples(
            st.integers(1, 15),
            st.dictionaries(
                st.sampled_from("abc"),
                st.tuples(
                    st.sampled_from(STATES), st.booleans(), st.none() | st.integers(-60, 200)
                ),
                max_size=4,
            ),
        ),
        # a tick: seconds later
        st.integers(1, 60),
        # a restart asked by us
        st.sampled_from("abc").map(lambda ident: ("restart", ident)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(steps=steps)
def test_rows_read_at_every_tick_as_every_rule_evaluated_on_them_says(steps: list[Any]) -> None:
    board = Board(HistoryStore(), THRESHOLDS)
    listed: dict[str, Connection] = {}
    now = T0
    for step in steps:
        if isinstance(step, tuple) and step[0] == "restart":
            if step[1] in board.rows:
                board.restarted(step[1], now)
            continue
        if isinstance(step, int):
            now += timedelta(seconds=step)
            board.reflag(now)
        else:
            later, changes = step
            now += timedelta(seconds=later)
            for ident, (state, active, started) in changes.items():
                at = None if started is None else T0 + timedelta(seconds=started)
                listed[ident] = connection(ident, state, active, at)
            board.apply(list(listed.values()), now)
        for ident, row in board.rows.items():
            started = board._start_of(ident, row.startup_time)
            history = board.history.get(ident)
            assert row.stuck == is_stuck(row.state, row.since, now, THRESHOLDS), ident
            assert row.flapping == is_flapping(history, now, THRESHOLDS), ident
            grace = in_start_grace(row.state, row.active, started, now, THRESHOLDS.closed_grace)
            assert row.starting == grace, ident


def test_a_transient_state_is_due_when_it_becomes_stuck_and_a_steady_one_never() -> None:
    history = HistoryStore().get("x")
    t = THRESHOLDS
    assert next_flag_change("OPENING", T0, history, None, T0, t) == T0 + t.stuck_after
    assert next_flag_change("OPENING", T0, history, None, T0 + timedelta(minutes=5), t) is None
    assert next_flag_change("OPENED", T0, history, None, T0, t) is None
    # CLOSED after a start: due when the grace ends, then nothing more.
    assert next_flag_change("CLOSED", T0, history, T0, T0, t) == T0 + t.closed_grace
    assert next_flag_change("CLOSED", T0, history, T0, T0 + t.closed_grace, t) is None


def test_flapping_ends_when_its_changes_leave_the_window_without_a_poll() -> None:
    board = Board(HistoryStore(), THRESHOLDS)
    now = T0
    for state in ["OPENED", "UNREACHABLE", "OPENED", "UNREACHABLE", "OPENED"]:
        board.apply([connection("a", state, True, T0)], now)
        now += timedelta(seconds=10)
    assert board.rows["a"].flapping
    history = board.history.get("a")
    # Four settled changes (the first sight is not one), more than 2 while the newest
    # three are in the 120 s window: until the oldest of those three (20 s) leaves it.
    ends = T0 + timedelta(seconds=20) + THRESHOLDS.flapping_window
    assert next_flag_change("OPENED", now, history, T0, now, THRESHOLDS) == ends
    board.reflag(ends)
    assert board.rows["a"].flapping
    delta = board.reflag(ends + timedelta(seconds=1))
    assert not board.rows["a"].flapping and delta.changed == {"a": {"flags"}}


def test_the_tick_evaluates_only_the_rows_that_are_due() -> None:
    board = Board(HistoryStore(), THRESHOLDS)
    board.apply([connection("a", "OPENING", True, None)], T0)
    calls: list[str] = []
    real = board.history.get

    def counting_get(ident: str) -> Any:
        calls.append(ident)
        return real(ident)

    board.history.get = counting_get  # type: ignore[method-assign]
    for second in range(1, 30):
        board.reflag(T0 + timedelta(seconds=second))
    assert calls == [] and not board.rows["a"].stuck
    delta = board.reflag(T0 + timedelta(seconds=31))
    assert calls == ["a"] and board.rows["a"].stuck and "a" in delta.changed
    board.reflag(T0 + timedelta(seconds=40))
    assert calls == ["a"]  # stuck stays until the state changes: no longer watched


# -- metrics on rows ----------------------------------------------------------------------


def metrics(ident: str, up1: int, up24: int = 100) -> ConnectionMetrics:
    return ConnectionMetrics(connection_id=ident, uplinks_1h=up1, uplinks_24h=up24)


def test_the_same_metrics_objects_change_nothing_but_a_new_state_is_still_flagged() -> None:
    board = Board()
    board.apply([connection("a", "OPENED", True, T0), connection("b", "OPENED", True, T0)], T0)
    answer = [metrics("a", 0), metrics("b", 5)]
    first = apply_metrics(board, answer, T0)
    assert set(first.changed) == {"a", "b"} and board.rows["a"].flow.silent
    version = board.rows["a"].version
    assert not apply_metrics(board, answer, T0 + timedelta(seconds=5))
    assert not apply_metrics(board, [metrics("a", 0), metrics("b", 5)], T0 + timedelta(seconds=9))
    assert board.rows["a"].version == version
    # The state moves on, the figures do not: SILENT is for OPENED connections only.
    board.apply([connection("a", "CLOSED", True, T0), connection("b", "OPENED", True, T0)],
                T0 + timedelta(seconds=10))  # fmt: skip
    moved = apply_metrics(board, answer, T0 + timedelta(seconds=10))
    assert set(moved.changed) == {"a"} and not board.rows["a"].flow.any
    # A loss threshold that changes is an input too.
    lossy = [ConnectionMetrics(connection_id="b", uplinks_1h=5, uplinks_failed_1h=3)]
    assert board.rows["b"].flow.loss is False
    apply_metrics(board, lossy, T0 + timedelta(seconds=15), loss_threshold=5)
    assert not board.rows["b"].flow.loss
    apply_metrics(board, lossy, T0 + timedelta(seconds=20), loss_threshold=0)
    assert board.rows["b"].flow.loss
    clear_metrics(board)
    assert board.rows["b"].metrics is None
    assert apply_metrics(board, lossy, T0 + timedelta(seconds=25)).changed.keys() == {"b"}


# -- the header's bottom line, kept between polls ---------------------------------------

HEADER_FIELDS = {
    "profile": st.text(max_size=12),
    "host": st.text(max_size=20),
    "read_only": st.booleans(),
    "counts": st.fixed_dictionaries({h: st.integers(0, 20_000) for h in Health}),
    "interval": st.sampled_from([2.0, 5.0, 30.0]),
    "since_refresh": st.none() | st.sampled_from(["0s", "12s", "3m 4s"]),
    "refreshing": st.booleans(),
    "paused": st.booleans(),
    "stale": st.booleans(),
    "shown": st.integers(0, 20_000),
    "total": st.integers(0, 20_000),
    "sort": st.sampled_from(sorted(SORT_LABELS)),
    "reverse": st.booleans(),
    "filter_text": st.text(max_size=30),
    "faults_only": st.booleans(),
    "fleet": st.none() | st.builds(FleetFlow, st.integers(0, 10**7), st.integers(0, 10**5),
                                   st.integers(0, 50)),
}


@settings(max_examples=200, deadline=None)
@given(
    first=st.fixed_dictionaries(HEADER_FIELDS),
    field=st.sampled_from(sorted(HEADER_FIELDS)),
    data=st.data(),
    width=st.integers(20, 200),
)
def test_the_bottom_line_reads_only_what_its_inputs_say(first, field, data, width) -> None:
    """Any one field changed: either the inputs the widget compares differ, or the
    bottom line reads the same (so keeping it between polls never shows an old line)."""
    before = HeaderInfo(**first)
    after = HeaderInfo(**{**first, field: data.draw(HEADER_FIELDS[field])})
    if bottom_inputs(before, width) == bottom_inputs(after, width):
        assert bottom_line(before, width) == bottom_line(after, width)
    assert header_lines(after, width) == (top_line(after, width), bottom_line(after, width))
