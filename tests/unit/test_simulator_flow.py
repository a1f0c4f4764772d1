"""Simulator data flow: metrics, events, restart and merge-patch, on the manual clock."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest

with warnings.catch_warnings():
    # Starlette prefers httpx2 for its test client; httpx (what we ship) works the same.
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.clock import T0
from tui.secrets import MASK
from tui.simulator import ManualClock, Simulator
from tui.simulator.commands import merge_patch
from tui.simulator.states import (
    AUTHENTICATION_FAILED,
    CLOSED,
    CLOSING,
    DEACTIVATED,
    OPENED,
    OPENING,
    SETTLE_SECONDS,
    UNREACHABLE,
)
from tui.simulator.traffic import METRIC_FIELDS

V1 = "/iot-flow/v1"
DX = "/thingpark/dx/core/latest/api"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(connections=40, seed=0, clock=clock)


@pytest.fixture
def http(sim: Simulator):
    with TestClient(sim.app, base_url="http://sim") as client:
        client.headers["Authorization"] = f"Bearer {sim.issue_token(ttl=10**9)}"
        yield client


def _by_state(sim: Simulator, state: str, **flags: object):
    for conn in sim.world.connections():
        if conn.state == state and all(getattr(conn, k) == v for k, v in flags.items()):
            return conn
    raise AssertionError(f"no seeded connection in {state}")


# -- metrics ----------------------------------------------------------------------------------
def test_every_metric_field_is_an_integer_for_every_connection(http, sim) -> None:
    for prefix in (V1, DX):
        body = http.get(f"{prefix}/connections/metrics").json()
        assert [m["connectionId"] for m in body] == [c.id for c in sim.world.connections()]
        for item in body:
            for name in (*METRIC_FIELDS, "activeThingsLast1h", "activeThingsLast24h", "lag"):
                assert type(item[name]) is int and item[name] >= 0, (name, item)
            assert item["uplinksLast1h"] <= item["uplinksLast24h"]
            assert item["activeThingsLast1h"] <= item["activeThingsLast24h"]


def test_one_connection_metrics_and_404(http, sim) -> None:
    conn = _by_state(sim, OPENED)
    body = http.get(f"{V1}/connections/{conn.id}/metrics").json()
    assert body == sim.traffic.metrics(conn.id)
    missing = http.get(f"{V1}/connections/99999/metrics")
    assert missing.status_code == 404 and missing.json()["code"] == "com-4004"


def test_metrics_are_deterministic_per_seed(clock) -> None:
    a = Simulator(connections=30, seed=3, clock=clock).traffic.all_metrics()
    b = Simulator(connections=30, seed=3, clock=clock).traffic.all_metrics()
    c = Simulator(connections=30, seed=4, clock=clock).traffic.all_metrics()
    assert a == b and a != c


def test_no_uplinks_are_delivered_while_not_opened(sim, clock) -> None:
    """Deactivated for over a day: nothing counted. Failing: only failures counted."""
    conn = _by_state(sim, DEACTIVATED)
    sim.world.replace(conn.id, **_kwargs(conn, active=False))
    clock.advance(25 * 3600)
    m = sim.traffic.metrics(conn.id)
    assert all(m[name] == 0 for name in METRIC_FIELDS)
    failing = _by_state(sim, AUTHENTICATION_FAILED)
    clock.advance(3600)
    m = sim.traffic.metrics(failing.id)
    assert sim.world.state(failing.id) == AUTHENTICATION_FAILED
    assert m["uplinksLast1h"] == 0 and m["downlinksLast1h"] == 0
    assert m["uplinksLast1hFailed"] + m["uplinksLast1hLost"] > 0


def test_lag_grows_while_unreachable_and_drains_after_recovery(sim, clock) -> None:
    conn = _by_state(sim, OPENED, mode=None)
    _steady(sim, conn)
    before = sim.traffic.metrics(conn.id)["lag"]
    # The remote end goes away for two hours.
    now = clock.now()
    sim.world._set_state(conn, now, UNREACHABLE)
    sim.world._replan(conn, [(now + timedelta(hours=2), OPENED)])
    clock.advance(3600)
    one_hour = sim.traffic.metrics(conn.id)
    clock.advance(3599)
    two_hours = sim.traffic.metrics(conn.id)
    assert before == 0 < one_hour["lag"] < two_hours["lag"]
    assert two_hours["uplinksLast1h"] == 0 and two_hours["uplinksLast1hFailed"] > 0
    clock.advance(2 * 3600)
    recovered = sim.traffic.metrics(conn.id)
    assert sim.world.state(conn.id) == OPENED
    assert recovered["lag"] < two_hours["lag"]
    clock.advance(6 * 3600)
    assert sim.traffic.metrics(conn.id)["lag"] == 0


def test_a_seeded_opened_connection_is_silent_for_over_an_hour(sim) -> None:
    silent = [
        c
        for c in sim.world.connections()
        if c.state == OPENED
        and sim.traffic.metrics(c.id)["uplinksLast1h"] == 0
        and sim.traffic.metrics(c.id)["uplinksLast24h"] > 0
    ]
    assert silent, "the population should show an OPENED connection with no uplink for an hour"


def test_counters_follow_the_daily_profile(sim, clock) -> None:
    conn = _by_state(sim, OPENED, mode=None)
    prof = sim.traffic.profile(conn.id)
    prof.utc_offset_hours, prof.weekday_only = 0, False
    night = sim.traffic.rate_at(prof, T0.replace(hour=3))
    day = sim.traffic.rate_at(prof, T0.replace(hour=10))
    assert 0 < night < day
    prof.weekday_only = True
    saturday = T0 + timedelta(days=(5 - T0.weekday()) % 7)
    assert sim.traffic.rate_at(prof, saturday.replace(hour=10)) == 0


# -- events -----------------------------------------------------------------------------------
def test_state_changes_are_events_with_levels(http, sim, clock) -> None:
    clock.advance(SETTLE_SECONDS + 600)
    events = http.get(f"{V1}/events").json()
    assert events, "state changes should be in the log"
    times = [e["eventTime"] for e in events]
    assert times == sorted(times, reverse=True)
    for event in events:
        assert {"eventTime", "level", "code", "message"} <= set(event)
        module, _, number = event["code"].partition("-")
        assert module.isalpha() and number.isdigit()
    states = [e for e in events if e["code"] == "cnx-1001"]
    by_state = {e["data"]["state"]: e["level"] for e in states}
    assert by_state.get(OPENED) == "info"
    if UNREACHABLE in by_state:
        assert by_state[UNREACHABLE] == "warn"


def test_event_filters_and_paging(http, sim, clock) -> None:
    clock.advance(1800)
    everything = http.get(f"{V1}/events").json()
    conn_id = everything[0]["data"]["connectionId"]
    mine = http.get(f"{V1}/events", params={"q_connectionId": conn_id}).json()
    assert mine and all(e["data"]["connectionId"] == conn_id for e in mine)
    word = everything[0]["message"].split()[-1]
    found = http.get(f"{V1}/events", params={"q": word.upper()}).json()
    assert found and all(word.lower() in str(e).lower() for e in found)
    cut = everything[len(everything) // 2]["eventTime"]
    older = http.get(f"{V1}/events", params={"endTime": cut}).json()
    assert older and all(e["eventTime"] < cut for e in older)
    newer = http.get(f"{V1}/events", params={"startTime": cut.replace("+00:00", "Z")}).json()
    assert all(e["eventTime"] >= cut for e in newer)
    pages, url = [], f"{V1}/events?perPage=3"
    first = http.get(url)
    assert first.headers["X-Total"] == str(len(everything))
    assert first.headers["X-Per-Page"] == "3" and first.headers["X-Page"] == "1"
    assert "X-Prev-Page" not in first.headers and first.headers["X-Next-Page"] == "2"
    response = first
    while True:
        pages += response.json()
        if "X-Next-Page" not in response.headers:
            break
        response = http.get(
            f"{V1}/events", params={"perPage": 3, "page": response.headers["X-Next-Page"]}
        )
    assert pages == everything
    bad = http.get(f"{V1}/events", params={"perPage": 5001})
    assert bad.status_code == 400 and "perPage" in bad.json()["message"]
    assert http.get(f"{V1}/events", params={"startTime": "yesterday"}).status_code == 400


def test_a_low_uplink_rate_alarm_fires_and_recovers(sim, clock) -> None:
    conn = _by_state(sim, OPENED, mode=None)
    _steady(sim, conn)
    start = clock.now() + timedelta(hours=1)
    conn.alarms = [
        {
            "startTime": start.isoformat(),
            "endTime": (start + timedelta(hours=6)).isoformat(),
            "timezone": "UTC",
            "recurrence": [{"frequency": "weekly", "byDays": ["monday"]}],
            "uplinkRateMinPerHour": 10**6,
            "message": "Too few uplinks at the depot",
        }
    ]
    sim.events.catch_up()
    clock.advance(3 * 3600)
    fired = sim.events.query(connection_id=str(conn.id), text="depot")
    assert [e.level for e in fired] == ["warn"] and fired[0].code == "alm-3001"
    assert start <= fired[0].time < start + timedelta(minutes=6)
    conn.alarms[0]["uplinkRateMinPerHour"] = 1
    clock.advance(600)
    recovered = [e for e in sim.events.query(connection_id=str(conn.id)) if e.code == "alm-3002"]
    assert recovered and "recovered" in recovered[0].message


def test_event_log_is_bounded(sim, clock) -> None:
    sim.events.catch_up()
    first = sim.events.query()[-1].time
    clock.advance(8 * 86400)
    assert sim.events.query()[-1].time > first + timedelta(days=1)
    assert len(sim.events) <= 100_000


# -- restart ----------------------------------------------------------------------------------
def test_restart_goes_through_closing_closed_opening_with_a_new_startup_time(
    http, sim, clock
) -> None:
    conn = _by_state(sim, OPENED, mode=None)
    old_startup = conn.startup_time
    answer = http.post(f"{V1}/connections/{conn.id}/restart")
    assert answer.status_code == 202 and answer.content == b""
    assert sim.world.state(conn.id) == CLOSING
    seen = []
    for _ in range(12):
        clock.advance(0.5)
        seen.append(sim.world.state(conn.id))
    assert seen.index(CLOSED) < seen.index(OPENING) < seen.index(OPENED)
    body = http.get(f"{V1}/connections/{conn.id}").json()
    assert body["state"] == OPENED and body["startupTime"] > old_startup.isoformat()
    codes = [e["code"] for e in http.get(f"{V1}/events", params={"q_connectionId": conn.id}).json()]
    assert "cnx-1002" in codes


def test_restart_refusals(http, sim) -> None:
    missing = http.post(f"{DX}/connections/424242/restart")
    assert missing.status_code == 404
    off = _by_state(sim, DEACTIVATED)
    refused = http.post(f"{V1}/connections/{off.id}/restart")
    assert refused.status_code == 409 and "activate" in refused.json()["message"]


# -- merge patch ------------------------------------------------------------------------------
def test_patch_deactivates_without_secrets_and_debug_round_trips(http, sim, clock) -> None:
    conn = _by_state(sim, OPENED, mode=None)
    secrets_before = dict(conn.configuration)
    answer = http.patch(
        f"{V1}/connections/{conn.id}", json={"active": False, "debug": True}, headers=MERGE
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["active"] is False and answer.json()["debug"] is True
    assert conn.configuration == secrets_before  # secrets kept, not masked
    clock.advance(SETTLE_SECONDS)
    assert sim.world.state(conn.id) == DEACTIVATED
    assert http.get(f"{V1}/connections/{conn.id}").json()["debug"] is True
    back = http.patch(
        f"{DX}/connections/{conn.id}", json={"active": True, "debug": None}, headers=MERGE
    )
    assert back.status_code == 200 and "debug" not in back.json()
    clock.advance(SETTLE_SECONDS)
    assert sim.world.state(conn.id) == OPENED


def test_patch_is_validated_like_put(http, sim) -> None:
    conn = _by_state(sim, OPENED)
    key = next(iter(conn.configuration))
    for body, word in (
        ({"active": "yes"}, "active"),
        ({"name": ""}, "name"),
        ({"configuration": {key: MASK}}, MASK),
        ({"debug": "on"}, "debug"),
        ([1, 2], "object"),
    ):
        answer = http.patch(f"{V1}/connections/{conn.id}", json=body, headers=MERGE)
        assert answer.status_code == 400 and word in answer.json()["message"], (body, answer.text)


def test_patch_needs_the_merge_patch_media_type(http, sim) -> None:
    conn = _by_state(sim, OPENED)
    for prefix in (V1, DX):
        answer = http.patch(f"{prefix}/connections/{conn.id}", json={"active": False})
        assert answer.status_code == 415 and "merge-patch" in answer.json()["message"]
    assert http.patch(f"{V1}/connections/77777", json={}, headers=MERGE).status_code == 404


def test_merge_patch_rfc7386_examples() -> None:
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch(["a", "b"], ["c", "d"]) == ["c", "d"]
    assert merge_patch({"a": "foo"}, "bar") == "bar"
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch([1, 2], {"a": "b", "c": None}) == {"a": "b"}


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(
    target=st.dictionaries(st.text(max_size=2), _json, max_size=4),
    patch=st.dictionaries(st.text(max_size=2), _json, max_size=4),
)
def test_merge_patch_properties(target, patch) -> None:
    result = merge_patch(target, patch)
    for key, value in patch.items():
        if value is None:
            assert key not in result
        elif not isinstance(value, dict):
            assert result[key] == value
    for key in target:
        if key not in patch:
            assert result[key] == target[key]
    # Applying the same patch twice changes nothing more (idempotent).
    assert merge_patch(result, patch) == result


def _steady(sim: Simulator, conn) -> None:
    """Make a connection's traffic plain: 600 uplinks/h at peak, no incidents of its own."""
    prof = sim.traffic.profile(conn.id)
    prof.silences.clear()
    prof.forced_bursts.clear()
    prof.weekday_only = False
    prof.peak_per_hour = 600
    sim.traffic._bursts = lambda cid, start, end: []  # type: ignore[method-assign]


def _kwargs(conn, **changes):
    out = {
        "connector_id": conn.connector_id,
        "name": conn.name,
        "active": conn.active,
        "configuration": conn.configuration,
        "alarms": conn.alarms,
        "extra": conn.extra,
    }
    out.update(changes)
    return out
