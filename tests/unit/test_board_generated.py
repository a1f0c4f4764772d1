"""Generated connection lists (tests/support/connection_lists.py) through the reader and the
board, without a screen: unknown states and fields, wrong types, missing keys, duplicate
ids, 100 KB names, control characters, and one list of 50,000 items. No exception; every
readable item is a row with its name, every unreadable one a row marked UNREADABLE (ERROR)
saying why; each duplicate is reported once; every cell is one line of inert text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.connection_lists import (
    GeneratedList,
    connection_lists,
    key_of,
    large_list,
)
from tui.api.listing import UNREADABLE, read_connections
from tui.board import Board
from tui.columns import COLUMNS, cell, durations
from tui.connection_order import SORTS, visible_ids
from tui.health import Health, HistoryStore

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0, DEL and C1 control characters and lone surrogates: never in what the terminal is
given (a surrogate cannot even be encoded)."""


def board_of(generated: GeneratedList) -> tuple[Board, list[str]]:
    connections, _, notes = read_connections(generated.items, {})
    board = Board(HistoryStore())
    board.apply(connections, NOW)
    return board, notes


def check_rows(board: Board, generated: GeneratedList) -> None:
    expected = generated.expected()
    assert set(board.rows) == set(expected)
    for key, want in expected.items():
        row, connection = board.rows[key], board.connections[key]
        if want.readable:
            assert connection.problem is None, (key, connection.problem)
            assert row.state != UNREADABLE
            if want.name is not None:
                assert row.name == want.name
        else:
            assert row.state == UNREADABLE and row.health is Health.ERROR and row.is_fault
            assert connection.problem and connection.problem.startswith("Item ")
    assert sum(board.counts().values()) == len(board.rows)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(connection_lists(), st.sampled_from([80, 120, 200]), st.text(max_size=3))
def test_every_generated_list_reads_into_rows(generated, width, query) -> None:
    board, notes = board_of(generated)
    check_rows(board, generated)
    keys = _keys_in_order(generated)
    repeated = {key for key in keys if keys.count(key) > 1}
    assert len(notes) == len(repeated) and all("appears" in note for note in notes)
    rows = board.rows
    for sort in SORTS:
        for reverse in (False, True):
            shown = visible_ids(rows, sort=sort, reverse=reverse)
            assert sorted(shown) == sorted(rows)
    faults = visible_ids(rows, faults_only=True)
    assert {k for k, r in rows.items() if r.state == UNREADABLE} <= set(faults)
    assert set(visible_ids(rows, query=query)) <= set(rows)
    for row in rows.values():
        for column in COLUMNS:
            text = cell(row, column, width // 6, NOW, UTC).text
            assert not UNSAFE.search(text), (column.key, text)
        assert not any(UNSAFE.search(part) for part in durations(row, NOW))
    # the same list again changes nothing; reversed, nothing breaks
    connections, _, _ = read_connections(generated.items, {})
    assert not board.apply(connections, NOW + timedelta(seconds=5))
    board.apply(list(reversed(connections)), NOW + timedelta(seconds=10))
    assert set(board.rows) == set(generated.expected())


def _keys_in_order(generated: GeneratedList) -> list[str]:
    return [
        key_of(item, position, readable=choice["readable"])
        for position, (item, choice) in enumerate(
            zip(generated.items, generated.choices, strict=True), 1
        )
    ]


def test_fifty_thousand_items_read_into_rows() -> None:
    generated = large_list()
    board, notes = board_of(generated)
    check_rows(board, generated)
    assert len(board.rows) > 49_000 and notes
    unreadable = [k for k, r in board.rows.items() if r.state == UNREADABLE]
    assert len(unreadable) == sum(1 for e in generated.expected().values() if not e.readable)
    assert len(unreadable) > 900
    shown = visible_ids(board.rows, sort="name")
    assert len(shown) == len(board.rows)
