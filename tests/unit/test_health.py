"""State → health, and the stuck and flapping rules, under a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.health import (
    Health,
    HistoryStore,
    StateHistory,
    Thresholds,
    count_by_health,
    health_of,
    is_flapping,
    is_stuck,
)

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "active", "health"),
    [
        ("OPENED", True, Health.ACTIVE),
        ("OPENING", True, Health.INIT),
        ("AUTHENTICATING", True, Health.INIT),
        ("CLOSING", False, Health.INIT),
        ("CLOSED", True, Health.ERROR),
        ("CLOSED", False, Health.DEACTIVATED),
        ("UNREACHABLE", True, Health.ERROR),
        ("AUTHENTICATION_FAILED", True, Health.ERROR),
        ("DEACTIVATED", False, Health.DEACTIVATED),
        ("SOMETHING_NEW", True, Health.INIT),
        (None, True, Health.INIT),
    ],
)
def test_health_of(state: str | None, active: bool, health: Health) -> None:
    assert health_of(state, active) is health


def test_counts_cover_every_health() -> None:
    counts = count_by_health([("OPENED", True), ("OPENED", True), ("UNREACHABLE", True)])
    assert counts == {Health.ERROR: 1, Health.INIT: 0, Health.ACTIVE: 2, Health.DEACTIVATED: 0}


def test_stuck_only_for_transient_states_past_the_threshold() -> None:
    t = Thresholds(stuck_after=timedelta(minutes=10))
    assert not is_stuck("OPENING", T0, T0 + timedelta(minutes=10), t)
    assert is_stuck("OPENING", T0, T0 + timedelta(minutes=10, seconds=1), t)
    assert is_stuck("CLOSING", T0, T0 + timedelta(hours=1), t)
    assert not is_stuck("UNREACHABLE", T0, T0 + timedelta(hours=5), t)


def test_flapping_counts_changes_in_the_last_hour() -> None:
    t = Thresholds(flapping_changes=3)
    history = StateHistory()
    states = ["OPENED", "UNREACHABLE", "OPENED", "UNREACHABLE", "OPENED"]
    for minute, state in enumerate(states):
        history.observe(state, T0 + timedelta(minutes=10 * minute))
    now = T0 + timedelta(minutes=45)
    assert history.changes_within(timedelta(hours=1), now) == 4
    assert is_flapping(history, now, t)
    later = T0 + timedelta(hours=1, minutes=35)  # only the change at 40 min is in the window
    assert history.changes_within(timedelta(hours=1), later) == 1
    assert not is_flapping(history, later, t)


def test_same_state_twice_is_not_a_change_and_timeline_has_durations() -> None:
    history = StateHistory()
    assert history.observe("OPENING", T0)
    assert not history.observe("OPENING", T0 + timedelta(seconds=5))
    assert history.observe("OPENED", T0 + timedelta(seconds=30))
    assert history.since() == T0 + timedelta(seconds=30)
    timeline = history.timeline(T0 + timedelta(minutes=2))
    assert [(c.state, d) for c, d in timeline] == [
        ("OPENING", timedelta(seconds=30)), ("OPENED", timedelta(seconds=90))]


def test_history_store_survives_a_restart_and_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = HistoryStore(path, per_connection=3)
    for i, state in enumerate(["CLOSED", "OPENING", "AUTHENTICATING", "OPENED"]):
        store.observe("8", state, T0 + timedelta(seconds=i))
    store.save()
    again = HistoryStore(path, per_connection=3)
    assert [c.state for c in again.get("8").changes] == ["OPENING", "AUTHENTICATING", "OPENED"]
    assert again.get("8").since() == T0 + timedelta(seconds=3)


def test_damaged_history_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text("{not json")
    store = HistoryStore(path)
    assert store.histories == {}
    store.observe("1", "OPENED", T0)
    store.save()
    assert HistoryStore(path).get("1").current.state == "OPENED"
