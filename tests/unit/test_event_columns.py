"""The events table's columns: at 80 columns the message gets the room (the time of day,
the level's letter, a short connection), from 100 every column shows in full."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.event_view import (
    NARROW_COLUMNS,
    WIDE_COLUMNS,
    WIDE_FROM,
    event_columns,
    event_row,
)
from tui.flow import Event
from tui.simulator.states import ALL_STATES

NOW = datetime(2026, 5, 1, 12, 0, 57, tzinfo=UTC)
PADDING = 2
"""Cells the table adds around each column (one each side)."""
SCROLLBAR = 2
COMMON_MESSAGES = [
    *(f"Connection state changed to {state}" for state in ALL_STATES),
    "The remote platform rejects uplinks (100% failing)",
    "Uplink deliveries recovered",
    "Low uplink rate",
]


def message_room(width: int, rows: list[tuple[str, ...]]) -> int:
    """Cells left for the message once the other columns (as wide as their widest cell or
    header) and the vertical scrollbar have theirs."""
    headers = event_columns(width).headers
    others = [
        max(cell_len(headers[i]), *(cell_len(r[i]) for r in rows)) for i in range(len(headers) - 1)
    ]
    return width - SCROLLBAR - sum(w + PADDING for w in others) - PADDING


def test_the_layout_follows_the_width():
    assert event_columns(80) is NARROW_COLUMNS and event_columns(WIDE_FROM - 1) is NARROW_COLUMNS
    assert event_columns(WIDE_FROM) is WIDE_COLUMNS and event_columns(160) is WIDE_COLUMNS
    event = Event(NOW, "info", "c", "m", "1")
    assert len(NARROW_COLUMNS.headers) == len(event_row(event, {}, UTC, narrow=True))
    assert len(WIDE_COLUMNS.headers) == len(event_row(event, {}, UTC))


def test_the_narrow_row_keeps_time_of_day_level_letter_and_a_short_connection():
    names = {"9": "Lille rail yard HTTP"}
    row = event_row(Event(NOW, "warn", "cnx-1001", "Connection state changed to OPENED", "9"),
                    names, UTC, narrow=True)  # fmt: skip
    assert row == ("12:00:57", "W", "9 Lille ra…", "Connection state changed to OPENED")
    wide = event_row(Event(NOW, "warn", "cnx-1001", "x", "9"), names, UTC)
    assert wide[:4] == ("05-01 12:00:57", "WARN", "cnx-1001", "9 Lille rail yard H…")
    orphan = Event(NOW, "error", "c", "m", None)
    assert event_row(orphan, names, UTC, narrow=True)[1:3] == ("E", "—")


@given(
    level=st.sampled_from(["info", "warn", "error", "debug", "notice", ""]),
    ident=st.text(min_size=0, max_size=30),
    name=st.text(min_size=0, max_size=60),
    message=st.sampled_from(COMMON_MESSAGES),
    second=st.integers(min_value=0, max_value=86_399),
)
def test_every_common_message_reads_whole_at_80_columns(level, ident, name, message, second):
    """Whatever the connection's id and name (generated), the level or the time, the
    common messages fit in what the other columns leave at 80 columns."""
    event = Event(datetime.fromtimestamp(NOW.timestamp() - second, UTC), level, "cnx-1001",
                  message, ident or None)  # fmt: skip
    row = event_row(event, {ident: name}, UTC, narrow=True)
    assert row[-1] == message
    assert message_room(80, [row]) >= len(message)


def test_at_80_columns_the_old_layout_cut_the_state_messages():
    """What the wide layout leaves at 80 columns: not even "…changed to OPENED" (the
    reason for the narrow one)."""
    row = event_row(Event(NOW, "info", "cnx-1001", COMMON_MESSAGES[0], "9"),
                    {"9": "Lille rail yard HTTP"}, UTC)  # fmt: skip
    headers = WIDE_COLUMNS.headers
    others = sum(max(len(h), len(c)) + PADDING for h, c in zip(headers[:-1], row[:-1], strict=True))
    assert 80 - SCROLLBAR - others - PADDING < len("Connection state changed to OPENED")
