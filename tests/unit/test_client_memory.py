"""One copy of each connection between polls: what a poll keeps, and what it lets go.

RSS with 10,000 connections is measured by tests/benchmarks/bench_vs_stock.py; these
tests pin the mechanisms it depends on, without timing anything.
"""

from __future__ import annotations

import copy
import gc
import json
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api import IoTFlowClient, MalformedResponse, StaticToken
from tui.api.limits import decode_json
from tui.api.list_decoding import NotAnArray, array_items, decode_list
from tui.api.listing import read_connections
from tui.api.page_cache import PageCache

BASE = "https://platform.example/iot-flow/v1"


def item(i: int, state: str = "OPENED") -> dict[str, Any]:
    return {"id": str(i), "connectorId": "actility-http-iot", "name": f"c{i}", "active": True,
            "state": state, "configuration": {"url": f"https://h/{i}", "headers": [{"k": "v"}]}}


def test_an_unchanged_item_is_remembered_as_the_previous_object() -> None:
    first, remembered, _ = read_connections([item(1), item(2)], {})
    again = [item(1), item(2, "CLOSED")]  # decoded anew: equal, not the same objects
    second, remembered2, _ = read_connections(again, remembered)
    assert second[0] is first[0]
    assert remembered2["1"][0] is remembered["1"][0]  # the new equal copy is not kept
    assert second[1] is not first[1] and second[1].state == "CLOSED"
    assert remembered2["2"][0] == again[1]


def test_a_changed_item_is_kept_as_a_copy_that_reads_the_same() -> None:
    _, remembered, _ = read_connections([item(1)], {})
    changed = item(1, "CLOSED")
    (connection,), remembered2, _ = read_connections([changed], remembered)
    kept = remembered2["1"][0]
    assert kept == changed and kept is not changed
    assert connection.configuration == changed["configuration"]
    assert connection.configuration is kept["configuration"]  # one copy, shared


@settings(max_examples=30, deadline=None)
@given(states=st.lists(st.sampled_from(["OPENED", "CLOSED", "ERROR"]), min_size=1,
                       max_size=20), flips=st.sets(st.integers(0, 19)))
def test_pages_hold_the_remembered_items_after_a_listing(states: list[str],
                                                          flips: set[int]) -> None:
    cache = PageCache()
    page = [item(i, s) for i, s in enumerate(states)]
    cache.begin()
    cache.put("u", b"one", page)
    _, remembered, _ = read_connections(page, {})
    cache.finish(remembered)
    new = [item(i, "OPENING" if i in flips else s) for i, s in enumerate(states)]
    cache.begin()
    cache.put("u", b"two", new)
    _, remembered, _ = read_connections(copy.copy(new), remembered)
    cache.finish(remembered)
    held = cache.get("u", b"two")
    assert held == new
    assert all(x is remembered[x["id"]][0] for x in held)


def test_a_first_listing_remembers_the_very_items_of_its_pages() -> None:
    """Why the client's first listing finishes its pages without walking them (None)."""
    page = [item(i, "OPENED") for i in range(5)] + [{"id": 7}, "not an object"]
    _, remembered, _ = read_connections(page, {})
    assert remembered and all(remembered[x["id"]][0] is x for x in page[:5])
    cache = PageCache()
    cache.begin()
    cache.put("u", b"one", page)
    cache.finish(None)
    cache.begin()
    assert cache.get("u", b"one") is page


def test_a_page_is_found_by_its_bytes_and_only_from_the_last_listing() -> None:
    cache = PageCache()
    cache.begin()
    cache.put("u", b"[1]", [1])
    cache.put("v", b"[2]", [2])
    cache.finish({})
    cache.begin()
    assert cache.get("u", b"[1]") == [1] and cache.get("u", b"[9]") is None
    cache.finish({})
    cache.begin()
    assert cache.get("v", b"[2]") is None  # the last listing did not ask for v


async def test_a_listing_leaves_no_response_for_the_garbage_collector() -> None:
    """httpx's response and its stream point at each other; the body (megabytes for a
    large fleet) must be freed when the listing ends, not at the next full collection."""
    body = [item(i) for i in range(50)]
    client = IoTFlowClient(BASE, StaticToken("t"), transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json=body)))
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        await client.list_connections()
        await client.list_connections()
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, httpx.Response)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
        await client.aclose()
    assert left == []


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None)
@given(items=st.lists(JSON | st.builds(item, st.integers(0, 5)), max_size=8),
       indent=st.sampled_from([None, 1]), remembered_ids=st.sets(st.integers(0, 5)))
def test_decoding_item_by_item_reads_what_json_reads(
    items: list[Any], indent: int | None, remembered_ids: set[int]
) -> None:
    content = json.dumps(items, indent=indent).encode()
    remembered = {str(i): (item(i), None) for i in remembered_ids}
    decoded = decode_list(content, "GET /connections", remembered)
    assert decoded == json.loads(content) == list(array_items(content))
    for value in decoded:
        if isinstance(value, dict) and value.get("id") in remembered and value == item(
            int(value["id"])
        ):
            assert value is remembered[value["id"]][0]


@pytest.mark.parametrize("content", [b'{"items": [1]}', b"[1, 2", b"[1 2]", b"[1] x", b"",
                                     b"\xef\xbb\xbf[1]", b"[" * 5000 + b"]" * 5000])
def test_anything_unusual_reads_as_a_whole_decode_does(content: bytes) -> None:
    remembered = {"1": (item(1), None)}
    try:
        expected: Any = decode_json(content, "GET /connections")
    except MalformedResponse as error:
        with pytest.raises(MalformedResponse) as raised:
            decode_list(content, "GET /connections", remembered)
        assert str(raised.value) == str(error)
    else:
        assert decode_list(content, "GET /connections", remembered) == expected


@pytest.mark.parametrize("content", [b'{"items": []}', b"[1, 2", b"[1] [2]", b"", b"nul"])
def test_item_by_item_refuses_what_is_not_one_array(content: bytes) -> None:
    with pytest.raises(NotAnArray):
        list(array_items(content))


async def test_metrics_read_item_by_item_say_what_a_whole_decode_says() -> None:
    answers = iter([b'[{"connectionId": 7, "uplinksLast1h": 3}]', b'[{"connectionId": 7}',
                    b'{"connectionId": 7}'])
    client = IoTFlowClient(BASE, StaticToken("t"), transport=httpx.MockTransport(
        lambda request: httpx.Response(200, content=next(answers))))
    async with client:
        (metrics,) = await client.metrics()
        assert metrics.connection_id == "7" and metrics.uplinks_1h == 3
        with pytest.raises(MalformedResponse, match="did not answer JSON"):
            await client.metrics()
        with pytest.raises(MalformedResponse, match="not a JSON array"):
            await client.metrics()


class ChangingList:
    """A platform whose list the test changes between polls (as JSON bytes, the way a
    server writes them: the same item reads byte for byte the same)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(self.items).encode(),
                              headers={"Content-Type": "application/json"})


@settings(max_examples=40, deadline=None)
@given(changes=st.lists(st.lists(st.tuples(st.integers(0, 11), st.sampled_from(
    ["OPENED", "CLOSED", "UNREACHABLE", "gone", "new"])), max_size=4), min_size=2, max_size=5))
async def test_a_steady_poll_decodes_only_the_items_whose_text_changed(changes) -> None:
    """Generated polls (states changed, items deleted and created, so items move): every
    poll reads exactly what a plain decode reads; an unchanged connection is the same object
    as the poll before; once a later listing has been decoded, an item is decoded only where
    its text differs from the text at the same place in the answer before."""
    import tui.api.list_decoding as decoding

    scanned: list[int] = []
    real_scan = decoding._scan

    def counting_scan(text: str, at: int) -> Any:
        scanned.append(at)
        return real_scan(text, at)

    platform = ChangingList([item(i) for i in range(8)])
    client = IoTFlowClient(BASE, StaticToken("t"), transport=httpx.MockTransport(platform))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(decoding, "_scan", counting_scan)
        try:
            previous = {c.id: c for c in await client.list_connections()}
            texts = [json.dumps(i) for i in platform.items]
            memo_filled = False
            for step in changes:
                for index, state in step:
                    ids = [i["id"] for i in platform.items]
                    if state == "gone":
                        if platform.items:
                            platform.items.pop(index % len(platform.items))
                    elif state == "new":
                        fresh = str(100 + len(ids) + index)
                        if fresh not in ids:
                            platform.items.insert(index % (len(ids) + 1), item(int(fresh)))
                    elif platform.items:
                        platform.items[index % len(platform.items)]["state"] = state
                scanned.clear()
                listed = await client.list_connections()
                # What a plain decode of the same answer reads.
                assert [c.id for c in listed] == [i["id"] for i in platform.items]
                assert [c.state for c in listed] == [i["state"] for i in platform.items]
                now = [json.dumps(i) for i in platform.items]
                by_id = dict(zip((i["id"] for i in platform.items), now, strict=True))
                before = {json.loads(t)["id"]: t for t in texts}
                for connection in listed:
                    if by_id[connection.id] == before.get(connection.id):
                        assert connection is previous[connection.id]
                if now != texts:  # (an answer byte for byte the same is not decoded at all)
                    if memo_filled:
                        moved = [n for n, t in enumerate(now) if n >= len(texts) or texts[n] != t]
                        assert len(scanned) == len(moved)
                    memo_filled = True  # (a first decode after the first listing fills it)
                previous, texts = {c.id: c for c in listed}, now
        finally:
            await client.aclose()


async def test_a_client_that_lists_once_keeps_no_page() -> None:
    """``iotflow list``'s client (once=True) digests and keeps nothing for a next listing;
    a second listing still reads what the platform says now."""
    pages = [[item(1), item(2)], [item(1, "CLOSED")]]
    client = IoTFlowClient(BASE, StaticToken("t"), once=True, transport=httpx.MockTransport(
        lambda request: httpx.Response(200, json=pages.pop(0))))
    try:
        first = await client.list_connections()
        assert client._pages._last == {} and client._pages._now == {}
        second = await client.list_connections()
    finally:
        await client.aclose()
    assert [c.state for c in first] == ["OPENED", "OPENED"]
    assert [(c.id, c.state) for c in second] == [("1", "CLOSED")]
