"""Client calls for data flow: metrics, events, restart, merge-patch and its PUT fallback.

End to end against the simulator on loopback, plus scripted answers for what the simulator
never does (a platform without PATCH, odd paging headers, unknown keys).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.clock import T0
from tui.api import IoTFlowClient, MalformedResponse, ReadOnlyError, StaticToken, ValidationFailed
from tui.api.errors import NotFound
from tui.config import make_client
from tui.flow import ConnectionMetrics, Event, level_rank
from tui.secrets import MASK
from tui.simulator.states import CLOSING, DEACTIVATED, OPENED, SETTLE_SECONDS

BASE = "https://platform.example/iot-flow/v1"


async def test_metrics_of_all_and_of_one(sim_client, simulator) -> None:
    every = await sim_client.metrics()
    assert [m.connection_id for m in every] == simulator.world.ids()
    first = every[0]
    one = await sim_client.metrics(first.connection_id)
    assert one == first
    expected = simulator.traffic.metrics(int(first.connection_id))
    assert one.uplinks_1h == expected["uplinksLast1h"]
    assert one.failures_1h == expected["uplinksLast1hFailed"] + expected["uplinksLast1hLost"]
    assert one.lag == expected["lag"]
    with pytest.raises(NotFound):
        await sim_client.metrics("987654")


async def test_events_follow_paging_and_filters(sim_client, simulator, sim_clock) -> None:
    sim_clock.advance(1200)
    everything = await sim_client.events(per_page=5000)
    paged = await sim_client.events(per_page=7)
    assert paged == everything and len(everything) > 7
    calls = sim_client.calls
    limited = await sim_client.events(per_page=7, limit=10)
    assert limited == everything[:10] and sim_client.calls - calls == 2
    ident = everything[0].connection_id
    assert ident is not None
    mine = await sim_client.events(connection_id=ident)
    assert mine and all(e.connection_id == ident for e in mine)
    since = sim_clock.now() - timedelta(minutes=10)
    recent = await sim_client.events(since=since.astimezone(T0.tzinfo))
    assert all(e.time is not None and e.time >= since for e in recent)
    # An offset with '+' must survive the query string (sent as %2B).
    plus = since.astimezone(ZoneInfo("Asia/Singapore"))
    assert await sim_client.events(since=plus) == recent


async def test_restart_and_read_only(sim_client, simulator, sim_profile) -> None:
    conn = next(c for c in simulator.world.connections() if c.state == OPENED)
    await sim_client.restart(conn.key)
    assert simulator.world.state(conn.id) == CLOSING
    read_only = make_client(dataclasses.replace(sim_profile, read_only=True))
    try:
        with pytest.raises(ReadOnlyError):
            await read_only.restart(conn.key)
    finally:
        await read_only.aclose()


async def test_patch_and_set_active_need_no_secrets(sim_client, simulator, sim_clock) -> None:
    conn = next(c for c in simulator.world.connections() if c.state == OPENED)
    stored = json.dumps(conn.configuration)
    off = await sim_client.set_active(conn.key, False)
    assert off is not None and off.active is False and sim_client.patch_supported is True
    sim_clock.advance(SETTLE_SECONDS)
    assert simulator.world.state(conn.id) == DEACTIVATED
    assert json.dumps(conn.configuration) == stored  # secrets untouched
    patched = await sim_client.patch(conn.key, {"debug": True})
    assert patched.extra.get("debug") is True
    with pytest.raises(ValidationFailed):
        await sim_client.patch(conn.key, {"configuration": {"password": MASK}})


class Platform:
    """A scripted platform: PATCH answered with ``patch_status``, PUT and GET accepted."""

    def __init__(self, patch_status: int) -> None:
        self.patch_status = patch_status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "PATCH":
            return httpx.Response(self.patch_status, json={"code": "com-4150", "message": "no"})
        return httpx.Response(200, json={"id": "8", "connectorId": "x", "name": "n"})


@pytest.mark.parametrize("status", [404, 405, 415])
async def test_set_active_falls_back_when_patch_is_unsupported(status: int) -> None:
    platform = Platform(status)
    async with IoTFlowClient(
        BASE, StaticToken("t"), transport=httpx.MockTransport(platform)
    ) as client:
        assert await client.set_active("8", False) is None
        assert client.patch_supported is False
        # Remembered: the second toggle does not try PATCH again.
        assert await client.set_active("8", True) is None
    assert [r.method for r in platform.requests] == ["PATCH"]
    assert platform.requests[0].headers["content-type"] == "application/merge-patch+json"
    assert json.loads(platform.requests[0].content) == {"active": False}


async def test_other_patch_errors_are_not_a_fallback() -> None:
    platform = Platform(400)
    async with IoTFlowClient(
        BASE, StaticToken("t"), transport=httpx.MockTransport(platform)
    ) as client:
        with pytest.raises(ValidationFailed):
            await client.set_active("8", False)
        assert client.patch_supported is None


async def test_events_follow_x_next_page_without_link() -> None:
    pages = {
        "1": ([{"eventTime": "2026-01-01T00:00:02Z", "level": "warn", "code": "a-1",
                "message": "m2"}], {"X-Next-Page": "2"}),
        "2": ([{"eventTime": "2026-01-01T00:00:01Z", "level": "info", "code": "a-2",
                "message": "m1", "extraKey": 5}], {"X-Page": "2", "X-Total-Pages": "2"}),
    }  # fmt: skip

    def answer(request: httpx.Request) -> httpx.Response:
        body, headers = pages[request.url.params["page"]]
        return httpx.Response(200, json=body, headers=headers)

    async with IoTFlowClient(BASE, StaticToken("t"), transport=httpx.MockTransport(answer)) as c:
        events = await c.events()
    assert [e.message for e in events] == ["m2", "m1"]
    assert events[1].extra == {"extraKey": 5}


async def test_malformed_flow_answers_say_so() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"not": "a list"})

    async with IoTFlowClient(BASE, StaticToken("t"), transport=httpx.MockTransport(answer)) as c:
        with pytest.raises(MalformedResponse):
            await c.metrics()
        with pytest.raises(MalformedResponse):
            await c.events()


def test_metrics_model_keeps_unknown_keys_and_tolerates_missing() -> None:
    m = ConnectionMetrics.from_api({"connectionId": 8, "uplinksLast1h": 3, "newCounter": 1})
    assert m.connection_id == "8" and m.uplinks_1h == 3
    assert m.lag is None and m.failures_1h is None  # not reported is not zero
    assert m.to_api() == {"connectionId": "8", "uplinksLast1h": 3, "newCounter": 1}


def test_event_model_reads_connection_id_from_data_or_top_level() -> None:
    e = Event.from_api({"eventTime": "bad", "level": "WARNING", "code": "x-1", "message": "m",
                        "data": {"connectionId": 8}})  # fmt: skip
    assert e.time is None and e.connection_id == "8" and e.rank == level_rank("warn")
    assert Event.from_api({"connectionId": "9", "message": "m"}).connection_id == "9"


@given(st.dictionaries(st.text(max_size=12), st.none() | st.integers() | st.text(max_size=5)))
def test_metrics_model_never_crashes_on_generated_items(item: dict) -> None:
    item["connectionId"] = 1
    parsed = ConnectionMetrics.from_api(item)
    out = parsed.to_api()
    for key, value in item.items():
        if key.startswith(("uplinks", "downlinks", "activeThings")) or key == "lag":
            continue
        if key != "connectionId":
            assert out[key] == value  # unknown keys kept as they came
    for key in ("uplinksLast1h", "lag"):
        if key in item and item[key] is not None and isinstance(item[key], int):
            assert out[key] == item[key]


async def test_the_same_metrics_answer_is_read_once(sim_client, simulator, sim_clock) -> None:
    """Platforms aggregate by the minute: the same bytes again give back the same items
    (no second read of every connection); new figures are read anew."""
    first = await sim_client.metrics()
    assert await sim_client.metrics() is first
    sim_clock.advance(3600)  # past the simulator's next aggregation
    again = await sim_client.metrics()
    assert again is not first and len(again) == len(first)
