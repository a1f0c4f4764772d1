"""A first listing is decoded by ``list_decoding.decode_shallow``, which checks the items'
depth as it decodes them: it must give json's values or nothing, and the listing read from
it must be the listing read with the Python depth walk, sentences included."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.connection_lists import connection_lists
from tests.unit.test_decode_json import VALUES, same
from tui.api.limits import Limits, nesting_problem
from tui.api.list_decoding import SHALLOW_DEPTH, PageItemMemos, decode_shallow
from tui.api.listing import read_connections


def nested(depth: int) -> dict[str, Any]:
    """An object nested ``depth`` levels deep (itself the first)."""
    value: Any = 1
    for level in range(depth - 1):
        value = [value] if level % 2 else {"k": value}
    return {"id": "1", "deep": value}


def answer(items: Any) -> bytes:
    return json.dumps(items).encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES | st.dictionaries(st.text(max_size=4), VALUES, max_size=4), max_size=5))
def test_the_items_are_jsons_or_none(items: list[Any]) -> None:
    """Generated answers, anything inside (lone surrogates, NaN, huge integers, deep
    values): json's very values when every item is an object within SHALLOW_DEPTH that
    msgspec reads, else None."""
    content = answer(items)
    got = decode_shallow(content)
    try:
        msgspec.json.decode(content)
        readable = True
    except msgspec.DecodeError:
        readable = False
    fits = all(type(item) is dict and nesting_problem(item, SHALLOW_DEPTH) is None
               for item in json.loads(content))
    if readable and fits:
        assert got is not None and same(got, json.loads(content))
    else:
        assert got is None


def test_depth_is_counted_as_the_listing_counts_it() -> None:
    assert decode_shallow(answer([nested(SHALLOW_DEPTH)])) == [nested(SHALLOW_DEPTH)]
    assert decode_shallow(answer([nested(SHALLOW_DEPTH + 1)])) is None
    assert decode_shallow(answer([nested(2), 5])) is None  # not an object
    assert decode_shallow(b'{"items": []}') is None  # an envelope: decode_json reads it


@settings(max_examples=150, deadline=None)
@given(connection_lists(), st.integers(2, SHALLOW_DEPTH + 2),
       st.lists(st.integers(1, SHALLOW_DEPTH + 2), max_size=3))
def test_a_listing_reads_the_same_either_way(generated, max_depth: int, depths) -> None:
    """Generated lists (broken items, items too deep for a small max_depth) with nested
    items added: the same connections and notes as the walk gives, UNREADABLE sentences
    included, for any max_depth setting."""
    items = [*generated.items, *(nested(depth) | {"id": f"n{n}"} for n, depth in
                                 enumerate(depths))]
    content = answer(items)
    limits = Limits(max_depth=max_depth)
    memos = PageItemMemos()
    decoded = memos.decode("u", content, "GET /connections", {})
    walked = read_connections(json.loads(content), {}, limits)
    checked = read_connections(decoded, {}, limits, memos.depth_checked)
    assert checked[0] == walked[0] and checked[2] == walked[2]
    assert memos.depth_checked == (SHALLOW_DEPTH if decode_shallow(content) is not None else 0)


def test_a_listing_after_the_first_is_not_taken_as_checked() -> None:
    memos = PageItemMemos()
    content = answer([nested(3)])
    memos.decode("u", content, "GET /connections", {})
    assert memos.depth_checked == SHALLOW_DEPTH
    memos.finish({})
    memos.decode("u", content, "GET /connections", {"1": ({}, None)})
    assert memos.depth_checked == 0  # (read item by item: nothing checked its depth)
    memos.finish({})
    assert memos.depth_checked == SHALLOW_DEPTH
