"""Metrics on the board (flags, fleet sums, sorts), the flow cells, and the events view logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tui.board import Board
from tui.board_flow import apply_metrics, clear_metrics, fleet_flow
from tui.columns import COLUMNS, cell
from tui.connection_order import visible_ids
from tui.connections import Connection
from tui.event_view import EventFilter, event_row, merge_events
from tui.flow import ConnectionMetrics, Event
from tui.flow_cells import compact_count

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def conn(i: int, state: str = "OPENED") -> Connection:
    return Connection.from_api(
        {
            "id": str(i),
            "name": f"c{i}",
            "connectorId": "actility-http-iot",
            "state": state,
            "active": True,
            "configuration": {},
        }  # fmt: skip
    )


def m(i: int, up1: int, up24: int = 100, failed: int = 0, lag: int = 0) -> ConnectionMetrics:
    return ConnectionMetrics.from_api(
        {
            "connectionId": i,
            "uplinksLast1h": up1,
            "uplinksLast24h": up24,
            "uplinksLast1hFailed": failed,
            "uplinksLast1hLost": 0,
            "lag": lag,
        }  # fmt: skip
    )


def board_with(*connections: Connection) -> Board:
    board = Board()
    board.apply(connections, NOW)
    return board


def test_metrics_flag_rows_and_faults_include_them() -> None:
    board = board_with(conn(1), conn(2), conn(3))
    delta = apply_metrics(board, [m(1, 0), m(2, 50, failed=3), m(3, 40)], NOW)
    assert set(delta.changed) == {"1", "2", "3"}
    assert board.rows["1"].flow.silent and board.rows["2"].flow.loss
    assert not board.rows["3"].flow.any
    assert set(visible_ids(board.rows, faults_only=True)) == {"1", "2"}
    # The same figures again change nothing.
    assert not apply_metrics(board, [m(1, 0), m(2, 50, failed=3), m(3, 40)], NOW)
    fleet = fleet_flow(board)
    assert fleet is not None and (fleet.uplinks_per_hour, fleet.failures_per_hour) == (90, 3)
    assert fleet.flagged == 2  # SILENT and LOSS: ACTIVE by health, so the header counts them
    assert clear_metrics(board) and fleet_flow(board) is None
    assert not board.rows["1"].flow.any


def test_loss_threshold_setting() -> None:
    board = board_with(conn(1))
    apply_metrics(board, [m(1, 50, failed=3)], NOW, loss_threshold=5)
    assert not board.rows["1"].flow.loss
    apply_metrics(board, [m(1, 50, failed=6)], NOW, loss_threshold=5)
    assert board.rows["1"].flow.loss


def test_sort_by_uplinks_and_failures() -> None:
    board = board_with(conn(1), conn(2), conn(3), conn(4))
    apply_metrics(board, [m(1, 30), m(2, 0), m(3, 900, failed=7), m(4, 5, failed=1)], NOW)
    assert visible_ids(board.rows, sort="uplinks") == ["2", "4", "1", "3"]
    assert visible_ids(board.rows, sort="failures") == ["3", "4", "1", "2"]


def test_flow_cells() -> None:
    board = board_with(conn(1), conn(2))
    apply_metrics(board, [m(1, 0, lag=1500), m(2, 1234, failed=2)], NOW)
    columns = {c.key: c for c in COLUMNS}
    up = cell(board.rows["1"], columns["uplinks"], 5, NOW, UTC)
    assert up == ("0", "flag")  # silent: highlighted
    assert cell(board.rows["2"], columns["uplinks"], 5, NOW, UTC).text == "1.2k"
    assert cell(board.rows["2"], columns["failures"], 6, NOW, UTC) == ("2", "flag")
    assert cell(board.rows["1"], columns["failures"], 6, NOW, UTC).style == "muted"
    assert cell(board.rows["1"], columns["lag"], 5, NOW, UTC) == ("1.5k", "flag")
    assert cell(board.rows["2"], columns["lag"], 5, NOW, UTC).text == ""  # zero lag: blank
    assert "SILENT" in cell(board.rows["1"], columns["flags"], 10, NOW, UTC).text


@given(st.integers(0, 10**14))
def test_compact_count_fits_five_cells(value: int) -> None:
    assert len(compact_count(value)) <= 5


def ev(minutes: int, level: str = "info", ident: str = "1", message: str = "m") -> Event:
    return Event(NOW - timedelta(minutes=minutes), level, "cnx-1001", message, ident)


def test_events_merge_newest_first_once() -> None:
    known = [ev(1), ev(5)]
    merged = merge_events(known, [ev(0), ev(1), ev(3)])
    assert [e.time for e in merged] == sorted((e.time for e in merged), reverse=True)
    assert len(merged) == 4


def test_event_filter_levels_connection_and_text() -> None:
    events = [ev(0, "error", "1", "auth"), ev(1, "warn", "2", "gone"), ev(2, "info", "1", "ok")]
    names = {"1": "Paris HTTP", "2": "Lyon MQTT"}
    f = EventFilter()
    assert len(f.apply(events, names)) == 3
    f = f.next_level().next_level()
    assert [e.level for _, e in f.apply(events, names)] == ["error", "warn"]
    f = f.with_connection("1")
    assert [e.message for _, e in f.apply(events, names)] == ["auth"]
    f = EventFilter().with_text("lyon")
    assert [e.message for _, e in f.apply(events, names)] == ["gone"]
    row = event_row(Event(NOW, "warn", "x-1", "bad\x1b[31m text", "2"), names, UTC)
    assert row[1] == "WARN" and "Lyon MQTT" in row[3] and "\x1b" not in row[4]
