"""A connection's observed history stays bounded, whether observed or loaded from disk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tui.health import HistoryStore, StateHistory

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@given(states=st.lists(st.sampled_from(["OPENED", "CLOSED", "OPENING"]), max_size=40),
       limit=st.integers(1, 6))
def test_the_latest_changes_are_kept_up_to_the_limit(states: list[str], limit: int) -> None:
    history, seen = StateHistory(limit=limit), []
    for n, state in enumerate(states):
        if history.observe(state, T0 + timedelta(seconds=n)):
            seen.append(state)
    assert [c.state for c in history.changes] == seen[-limit:]


def test_a_longer_saved_history_loads_bounded(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = HistoryStore(path, per_connection=10)
    for n, state in enumerate(["OPENING", "OPENED", "CLOSED", "OPENING", "OPENED"]):
        store.observe("7", state, T0 + timedelta(minutes=n))
    store.save()
    again = HistoryStore(path, per_connection=2)
    assert [c.state for c in again.get("7").changes] == ["OPENING", "OPENED"]
    again.observe("7", "CLOSED", T0 + timedelta(hours=1))
    assert [c.state for c in again.get("7").changes] == ["OPENED", "CLOSED"]
