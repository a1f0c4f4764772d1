"""The dashboard's screen-free logic: rows, diff, flags, filter, sort, backoff, formatting."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.board import (
    Board,
    alarm_view,
    backoff_delay,
    flags_cell,
    poll_interval,
)
from tui.columns import COLUMNS, layout_columns
from tui.connection_order import visible_ids
from tui.connections import Connection
from tui.health import Health, HistoryStore, Thresholds
from tui.payload_paths import set_path
from tui.timefmt import format_duration, format_local

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def conn(ident: str, state: str = "OPENED", name: str | None = None, **kw) -> Connection:
    return Connection(
        id=ident,
        connector_id=kw.pop("connector_id", "actility-aws-iot"),
        name=name if name is not None else f"conn-{ident}",
        state=state,
        startup_time=kw.pop("startup_time", T0 - timedelta(hours=2)),
        **kw,
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (12 * 60 + 5, "12m 5s"),
        (3 * 3600 + 4 * 60 + 9, "3h 4m"),
        (3 * 86400 + 4 * 3600 + 59, "3d 4h"),
        (420 * 86400 + 3600, "420d"),
        (-5, "0s"),
    ],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(timedelta(seconds=seconds)) == text


def test_format_duration_none_and_local_time() -> None:
    assert format_duration(None) == "—"
    paris = timezone(timedelta(hours=2))
    assert format_local(T0, paris, seconds=False) == "2024-05-01 14:00"
    assert format_local(T0, paris) == "2024-05-01 14:00:00"
    assert format_local(T0, paris, offset=True) == "2024-05-01 14:00:00 +0200"
    assert format_local(None, paris) == "—"


@given(st.integers(min_value=0, max_value=10**9))
def test_format_duration_is_short(seconds: int) -> None:
    text = format_duration(timedelta(seconds=seconds))
    assert 2 <= len(text) <= 8 and len(text.split()) <= 2


def test_apply_reports_added_changed_removed() -> None:
    board = Board()
    first = board.apply([conn("1"), conn("2"), conn("3", "UNREACHABLE")], T0)
    assert sorted(first.added) == ["1", "2", "3"] and not first.changed and not first.removed
    same = board.apply([conn("1"), conn("2"), conn("3", "UNREACHABLE")], T0 + timedelta(seconds=5))
    assert not same
    later = T0 + timedelta(seconds=10)
    delta = board.apply([conn("1", "CLOSING"), conn("3", "UNREACHABLE"), conn("4")], later)
    assert delta.added == ["4"]
    assert delta.removed == ["2"]
    assert delta.changed == {"1": {"state"}}
    assert board.rows["1"].since == later
    assert board.rows["1"].health is Health.INIT


def test_opened_connection_first_seen_counts_from_startup() -> None:
    board = Board()
    board.apply([conn("1", startup_time=T0 - timedelta(hours=3))], T0)
    assert board.rows["1"].in_state(T0) == timedelta(hours=3)
    board.apply([conn("2", "OPENING")], T0)
    assert board.rows["2"].in_state(T0 + timedelta(minutes=1)) == timedelta(minutes=1)


def test_stuck_after_threshold_without_a_poll() -> None:
    board = Board(thresholds=Thresholds(stuck_after=timedelta(minutes=10)))
    board.apply([conn("1", "OPENING"), conn("2")], T0)
    assert not board.rows["1"].stuck
    assert not board.reflag(T0 + timedelta(minutes=10))
    delta = board.reflag(T0 + timedelta(minutes=10, seconds=1))
    assert delta.changed == {"1": {"flags"}}
    assert board.rows["1"].stuck and board.rows["1"].is_fault
    assert not board.rows["2"].stuck


def test_flapping_after_many_changes_in_an_hour_then_calms_down() -> None:
    board = Board(thresholds=Thresholds(flapping_changes=4))
    at = T0
    for index in range(6):
        at = T0 + timedelta(minutes=index)
        board.apply([conn("1", "OPENED" if index % 2 else "UNREACHABLE")], at)
    assert board.rows["1"].flapping
    assert flags_cell(False, True) == "FLAP"
    board.reflag(at + timedelta(hours=1, minutes=1))
    assert not board.rows["1"].flapping


def test_history_survives_a_restart(tmp_path) -> None:
    path = tmp_path / "history.json"
    board = Board(HistoryStore(path))
    board.apply([conn("1", "OPENING")], T0)
    board.history.save()
    again = Board(HistoryStore(path), Thresholds(stuck_after=timedelta(minutes=10)))
    again.apply([conn("1", "OPENING")], T0 + timedelta(minutes=11))
    assert again.rows["1"].since == T0
    assert again.rows["1"].stuck


def test_filter_and_faults_only_and_sorts() -> None:
    board = Board()
    board.apply(
        [
            conn("1", name="Paris uplink"),
            conn("2", "UNREACHABLE", name="berlin", connector_id="actility-mqtt-iot"),
            conn("10", "DEACTIVATED", name="alpha", active=False),
            conn("3", "OPENING", name="Zurich", startup_time=None),
        ],
        T0,
    )
    rows = board.rows
    assert visible_ids(rows, query="PARIS") == ["1"]
    assert visible_ids(rows, query="mqtt") == ["2"]
    assert visible_ids(rows, query="opening") == ["3"]
    assert visible_ids(rows, query="10") == ["10"]
    assert visible_ids(rows, faults_only=True) == ["2"]
    assert visible_ids(rows, sort="state") == ["2", "3", "1", "10"]
    assert visible_ids(rows, sort="name") == ["10", "2", "1", "3"]
    assert visible_ids(rows, sort="name", reverse=True) == ["3", "1", "2", "10"]
    assert visible_ids(rows, sort="startup")[0] == "3"
    assert visible_ids(rows, sort="connector")[-1] == "2"


def test_backoff_grows_with_jitter_up_to_a_cap() -> None:
    rng = random.Random(0)
    for failures, step in [(1, 2), (2, 4), (3, 8), (4, 16), (6, 60), (30, 60)]:
        delay = backoff_delay(failures, rng)
        assert step / 2 <= delay <= step
    assert poll_interval(None) == 5.0
    assert poll_interval(0.5) == 2.0


def test_layout_columns_fits_and_keeps_priorities() -> None:
    for width in (40, 78, 80, 120, 158, 200):
        laid = layout_columns(width)
        used = sum(w for _, w in laid) + len(laid) - 1
        assert used <= width or width < 40
        keys = [c.key for c, _ in laid]
        assert keys[0] == "state" and "name" in keys
    narrow = [c.key for c, _ in layout_columns(78)]
    # At 80 columns the data-flow figures stay; the connector gives way (issue 13).
    assert {"state", "name", "in_state", "flags", "uplinks", "failures", "id"} <= set(narrow)
    wide = [c.key for c, _ in layout_columns(200)]
    assert wide == [c.key for c in COLUMNS]


def test_paths_for_secrets() -> None:
    payload = {
        "configuration": {
            "proxy": {"password": "*****"},
            "keys": ["a", "*****"],
            "headers": {"X-Api.Key": "*****"},
        }
    }
    set_path(payload, "configuration.proxy.password", "p")
    set_path(payload, "configuration.keys[1]", "k")
    set_path(payload, 'configuration.headers["X-Api.Key"]', "h")
    assert payload == {
        "configuration": {
            "proxy": {"password": "p"},
            "keys": ["a", "k"],
            "headers": {"X-Api.Key": "h"},
        }
    }


BUSINESS_HOURS = {
    "startTime": "2024-04-29T09:00:00+02:00",
    "endTime": "2024-04-29T18:00:00+02:00",
    "timezone": "Europe/Paris",
    "recurrence": [
        {"frequency": "weekly", "byDays": ["monday", "tuesday", "wednesday", "thursday", "friday"]}
    ],
    "uplinkRateMinPerHour": 10,
    "message": "quiet",
}


def test_alarm_column_open_flagged_next_and_memoised() -> None:
    board = Board()
    # T0 is Wednesday 2024-05-01 12:00 UTC = 14:00 in Paris: inside the window.
    board.apply(
        [
            conn("1", alarms=[BUSINESS_HOURS]),
            conn("2", state="UNREACHABLE", alarms=[BUSINESS_HOURS]),
            conn("3"),
            conn("4", alarms=[{"startTime": "nope"}]),
        ],
        T0,
    )
    rows = board.rows
    assert alarm_view(rows["1"], T0, UTC) == ("open→16:00", "open")
    assert alarm_view(rows["2"], T0, UTC) == ("⚠ open→16:00", "open-not-opened")
    assert alarm_view(rows["3"], T0, UTC) == ("—", "none")
    assert alarm_view(rows["4"], T0, UTC) == ("invalid", "invalid")
    assert flags_cell(False, False, True) == "ALARM"
    assert flags_cell(True, True, True) == "STUCK FLAP ALARM"
    memo = rows["1"].alarm_memo
    assert memo is not None and memo[2] == T0 + timedelta(hours=1)  # at most an hour
    assert alarm_view(rows["1"], T0 + timedelta(minutes=59), UTC) == ("open→16:00", "open")
    assert rows["1"].alarm_memo is memo  # reused, not recomputed
    at_close = datetime(2024, 5, 1, 15, 30, tzinfo=UTC)
    alarm_view(rows["1"], at_close, UTC)
    assert rows["1"].alarm_memo.until == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)  # the boundary
    evening = T0 + timedelta(hours=5)  # 19:00 Paris: the next window is Thursday 09:00
    assert alarm_view(rows["1"], evening, UTC) == ("next Thu 07:00", "next")
    board.apply([conn("1", state="CLOSED", alarms=[BUSINESS_HOURS])], evening)
    assert alarm_view(board.rows["1"], evening, UTC) == ("next Thu 07:00", "next")


def test_unchanged_poll_same_or_new_objects_gives_empty_delta() -> None:
    board = Board()
    polled = [conn("1"), conn("2", "OPENING"), conn("3", alarms=[])]
    board.apply(polled, T0)
    assert not board.apply(polled, T0 + timedelta(seconds=5))  # the very same objects
    again = [conn("1"), conn("2", "OPENING"), conn("3", alarms=None)]
    assert not board.apply(again, T0 + timedelta(seconds=10))  # equal copies
    delta = board.apply([conn("1", "CLOSED"), conn("2", "OPENING")], T0 + timedelta(seconds=15))
    assert delta.changed == {"1": {"state"}} and delta.removed == ["3"]


def test_poll_right_after_tick_still_flags_what_it_changed() -> None:
    board = Board(thresholds=Thresholds(stuck_after=timedelta(minutes=10)))
    board.apply([conn("1", "OPENING"), conn("2", "OPENING")], T0)
    later = T0 + timedelta(minutes=11)
    board.reflag(later)  # the tick: both stuck now
    assert board.rows["1"].stuck and board.rows["2"].stuck
    delta = board.apply([conn("1", "OPENED"), conn("2", "OPENING")], later)
    assert not board.rows["1"].stuck and board.rows["2"].stuck
    assert "1" in delta.changed and "2" not in delta.changed


def test_board_reads_connections_without_the_http_stack() -> None:
    """``import tui.board`` loads the connection model, not the API client (httpx)."""
    import subprocess
    import sys

    code = (
        "import sys, tui.board, tui.connections; "
        "print(sorted(m for m in sys.modules if m == 'httpx' or m.startswith('tui.api')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_unreadable_connection_says_what_is_wrong() -> None:
    from tui.connections import UnreadableData

    with pytest.raises(UnreadableData, match="connection 7: alarms is not a list"):
        Connection.from_api({"id": "7", "alarms": "soon"})


def test_closed_just_after_a_start_is_init_then_error_when_the_grace_ends() -> None:
    board = Board(thresholds=Thresholds(closed_grace=timedelta(minutes=2)))
    board.apply([conn("1", "CLOSED", startup_time=T0 - timedelta(seconds=30)), conn("2")], T0)
    row = board.rows["1"]
    assert row.health is Health.INIT and not row.is_fault
    assert board.counts()[Health.INIT] == 1 and board.counts()[Health.ERROR] == 0
    assert not board.reflag(T0 + timedelta(seconds=89))  # still inside the grace
    delta = board.reflag(T0 + timedelta(seconds=90))  # 2 minutes after the start
    assert delta.changed == {"1": {"health"}}
    assert row.health is Health.ERROR and row.is_fault
    assert board.counts()[Health.ERROR] == 1 and board.counts()[Health.INIT] == 0


def test_time_in_state_is_a_lower_bound_until_a_change_is_seen() -> None:
    board = Board()
    board.apply([conn("1", "CLOSED"), conn("2", "OPENED")], T0)
    assert not board.rows["1"].since_exact  # CLOSED since some time before T0
    assert board.rows["2"].since_exact  # OPENED since its startupTime
    board.apply([conn("1", "OPENING"), conn("2", "OPENED")], T0 + timedelta(seconds=5))
    assert board.rows["1"].since_exact and board.rows["1"].since == T0 + timedelta(seconds=5)
    board.apply([conn("1", "OPENING"), conn("2"), conn("3", "CLOSED")], T0 + timedelta(seconds=10))
    assert board.rows["3"].since_exact  # appeared between two polls: seen from its start


def test_start_grace_also_counts_from_an_observed_create_or_switch_on() -> None:
    """The platform may set startupTime only once OPENED: a connection seen to appear or be
    switched on between two polls is in its start grace from then."""
    board = Board(thresholds=Thresholds(closed_grace=timedelta(minutes=2)))
    old = T0 - timedelta(days=3)
    board.apply([conn("1", "DEACTIVATED", active=False, startup_time=old)], T0)
    later = T0 + timedelta(seconds=5)
    board.apply(
        [conn("1", "CLOSED", startup_time=old), conn("2", "CLOSED", startup_time=None)], later
    )
    assert board.rows["1"].health is Health.INIT  # switched on: CLOSED is normal for now
    assert board.rows["2"].health is Health.INIT  # created: likewise
    board.reflag(later + timedelta(minutes=2))
    assert board.rows["1"].health is Health.ERROR and board.rows["2"].health is Health.ERROR
    fresh = Board()
    fresh.apply([conn("3", "CLOSED", startup_time=None)], T0)  # first poll: nothing observed
    assert fresh.rows["3"].health is Health.ERROR


def test_closed_after_a_restart_we_asked_for_is_a_start() -> None:
    """Even when the platform's startupTime stays the old one until the connection opens,
    CLOSED right after our restart counts as INIT, and an error once the grace is over."""
    from tui.connections import Connection
    from tui.health import Health

    old_start = T0 - timedelta(days=3)

    def listing(state: str) -> list[Connection]:
        return [Connection(id="1", connector_id="c", name="n", active=True, state=state,
                           startup_time=old_start)]  # fmt: skip

    board = Board()
    board.apply(listing("OPENED"), T0)
    board.restarted("1", T0 + timedelta(seconds=1))
    board.apply(listing("CLOSED"), T0 + timedelta(seconds=3))
    assert board.rows["1"].health is Health.INIT
    board.reflag(T0 + timedelta(minutes=3))
    assert board.rows["1"].health is Health.ERROR
