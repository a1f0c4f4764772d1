"""``limits.decode_json`` decodes with msgspec, and with json whatever msgspec refuses: the
value must be the one json gives, for any text a server may send, and a text neither
reads must still be a MalformedResponse with its sentence."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api.errors import MalformedResponse
from tui.api.limits import decode_json

TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # (lone surrogates too)
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63)
           | st.floats() | TEXT)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0; NaN is NaN; -0.0
    is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                     math.copysign(1, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=400, deadline=None)
@given(VALUES, st.booleans(), st.sampled_from([None, 1, 2]))
def test_any_answer_decodes_as_json_decodes_it(value: Any, ascii_only: bool,
                                               indent: int | None) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    content = text.encode("utf-8", "surrogatepass")
    assert same(decode_json(content, "GET /x"), json.loads(content))


@pytest.mark.parametrize("content", [
    b"NaN", b"[Infinity, -Infinity]", b'"\\ud800"', b"1e400", b"-0", b"-0.0",
    b"12345678901234567890123456789", b"\xef\xbb\xbf[1]",  # a byte-order mark
    '{"a": 1}'.encode("utf-16"), b'{"a": 1, "a": 2}', b" [1] \n",
])
def test_what_msgspec_refuses_json_still_reads(content: bytes) -> None:
    assert same(decode_json(content, "GET /x"), json.loads(content))


@pytest.mark.parametrize("content, sentence", [
    (b"", "did not answer JSON"), (b"<html>", "did not answer JSON"),
    (b'{"a": 1', "did not answer JSON"), (b'"\x01"', "did not answer JSON"),
    (b"\xff\xfe\xfa", "did not answer JSON"), (b"[" * 100_000, "nested too deep"),
])
def test_what_neither_reads_is_a_sentence(content: bytes, sentence: str) -> None:
    with pytest.raises(MalformedResponse, match=sentence):
        decode_json(content, "GET /x")
