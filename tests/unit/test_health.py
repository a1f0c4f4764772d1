"""State → health, and the stuck and flapping rules, under a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.health import (
    Health,
    HistoryStore,
    StateHistory,
    Thresholds,
    count_healths,
    health_at,
    health_of,
    history_file_name,
    in_start_grace,
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
    counts = count_healths([Health.ACTIVE, Health.ACTIVE, Health.ERROR])
    assert counts == {Health.ERROR: 1, Health.INIT: 0, Health.ACTIVE: 2, Health.DEACTIVATED: 0}


@pytest.mark.parametrize(
    ("state", "active", "started_ago", "health"),
    [
        ("CLOSED", True, timedelta(seconds=30), Health.INIT),  # just started: normal
        ("CLOSED", True, timedelta(minutes=1, seconds=59), Health.INIT),
        ("CLOSED", True, timedelta(minutes=2), Health.ERROR),  # the grace is over
        ("CLOSED", True, timedelta(seconds=-5), Health.INIT),  # start a little ahead (skew)
        ("CLOSED", True, None, Health.ERROR),  # never started: no grace
        ("CLOSED", False, timedelta(seconds=30), Health.DEACTIVATED),
        ("UNREACHABLE", True, timedelta(seconds=30), Health.ERROR),  # only CLOSED is excused
        ("OPENED", True, timedelta(seconds=30), Health.ACTIVE),
    ],
)
def test_closed_right_after_a_start_is_init_until_the_grace_ends(
    state: str, active: bool, started_ago: timedelta | None, health: Health
) -> None:
    started = None if started_ago is None else T0 - started_ago
    assert health_at(state, active, started, T0) is health
    assert in_start_grace(state, active, started, T0) is (health is Health.INIT)


def test_start_grace_is_a_setting() -> None:
    started = T0 - timedelta(minutes=3)
    assert health_at("CLOSED", True, started, T0) is Health.ERROR
    assert health_at("CLOSED", True, started, T0, timedelta(minutes=5)) is Health.INIT


def test_history_file_is_per_platform_not_per_profile_name() -> None:
    a = history_file_name("https://iot.example.com/iot-flow/v1", "iot-flow")
    assert a == history_file_name("https://iot.example.com/iot-flow/v1/", "iot-flow")
    assert a != history_file_name("https://iot.example.com/iot-flow/v1", "dx-core")
    assert a != history_file_name("https://other.example.com/iot-flow/v1", "iot-flow")
    assert a.startswith("history-iot.example.com-") and a.endswith(".json")
    odd = history_file_name("http://[::1]:8080/../x", "iot-flow")
    assert "/" not in odd and odd.startswith("history-")


def test_lower_bound_times_survive_a_restart(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.json")
    store.observe("1", "CLOSED", T0, exact=False)
    store.observe("2", "OPENED", T0)
    store.save()
    again = HistoryStore(tmp_path / "h.json")
    assert not again.get("1").since_is_exact() and again.get("1").since() == T0
    assert again.get("2").since_is_exact()
    again.observe("1", "OPENING", T0 + timedelta(minutes=1))
    assert again.get("1").since_is_exact()


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


def test_a_restart_is_one_episode_not_flapping() -> None:
    """OPENED → CLOSING → CLOSED → OPENING → AUTHENTICATING → OPENED is five changes but
    two into a settled state: no FLAP at the default threshold (4). Bouncing between OPENED
    and UNREACHABLE through the same steps is flapping after three bounces."""
    t = Thresholds()
    history = StateHistory()
    restart = ["OPENED", "CLOSING", "CLOSED", "OPENING", "AUTHENTICATING", "OPENED"]
    for second, state in enumerate(restart):
        history.observe(state, T0 + timedelta(seconds=second))
    assert not is_flapping(history, T0 + timedelta(seconds=10), t)

    bouncing = StateHistory()
    moment = T0
    bouncing.observe("OPENED", moment)
    for _ in range(3):
        for state in ("UNREACHABLE", "OPENING", "AUTHENTICATING", "OPENED"):
            moment += timedelta(minutes=2)
            bouncing.observe(state, moment)
    assert is_flapping(bouncing, moment, t)  # six changes into OPENED or UNREACHABLE


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


def test_status_does_not_page_for_a_normal_start() -> None:
    from tui.cli import EXIT_ERROR, EXIT_INIT
    from tui.cli_list import status_exit_code
    from tui.connections import Connection

    def closed(started_ago: timedelta) -> Connection:
        started = T0 - started_ago
        return Connection("1", "actility-mqtt-iot", "c", state="CLOSED", startup_time=started)

    assert status_exit_code([closed(timedelta(seconds=20))], T0) == EXIT_INIT
    assert status_exit_code([closed(timedelta(minutes=5))], T0) == EXIT_ERROR
    assert status_exit_code([closed(timedelta(minutes=5))], T0, timedelta(minutes=10)) == EXIT_INIT


def _file_as_written_whole(store: HistoryStore) -> str:
    """The history file encoded from scratch, as every save did before parts were kept."""
    import json

    data = {
        ident: [
            [c.at.isoformat(), c.state] if c.exact else [c.at.isoformat(), c.state, "at-or-before"]
            for c in history.changes
        ]
        for ident, history in store.histories.items()
    }
    return json.dumps(data, separators=(",", ":"))


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["observe", "observe", "observe", "began_again", "replace", "save"]),
        st.sampled_from(["1", "2", "3", 'é"\\']),
        st.sampled_from(["OPENED", "CLOSED", "OPENING", None]),
        st.integers(0, 10_000),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(steps=STEPS)
def test_each_save_writes_what_encoding_every_history_afresh_would(steps) -> None:
    """Saves re-encode only the histories that moved since the last one; whatever the
    moves (changes appended, the oldest dropped at the bound, the last one begun again,
    the histories replaced by a file read later), the file reads as encoded whole."""
    import json

    store = HistoryStore(None, per_connection=3)
    for action, ident, state, seconds, exact in steps:
        at = T0 + timedelta(seconds=seconds)
        if action == "observe":
            store.observe(ident, state, at, exact=exact)
        elif action == "began_again":
            store.began_again(ident, at)
        elif action == "replace":  # what the app does with a history file read late
            fresh = HistoryStore(None, per_connection=3)
            fresh.observe(ident, state, at, exact=exact)
            store.histories = fresh.histories
        else:
            assert store.encode() == _file_as_written_whole(store)
    assert store.encode() == _file_as_written_whole(store)
    assert json.loads(store.encode()).keys() == store.histories.keys()


def test_a_change_seen_while_saving_is_saved_next_time(tmp_path: Path) -> None:
    """The dashboard saves in a thread while polls go on: a change observed during a save
    leaves the store dirty, so the next save writes it."""
    path = tmp_path / "h.json"
    store = HistoryStore(path)
    store.observe("1", "OPENED", T0)
    encode = store.encode

    def encode_while_a_poll_observes() -> str:
        text = encode()
        store.observe("1", "CLOSED", T0 + timedelta(seconds=5))
        return text

    store.encode = encode_while_a_poll_observes  # type: ignore[method-assign]
    store.save()
    assert HistoryStore(path).get("1").current.state == "OPENED"
    store.encode = encode  # type: ignore[method-assign]
    store.save()
    assert HistoryStore(path).get("1").current.state == "CLOSED"
