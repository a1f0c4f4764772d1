"""Decoding a large JSON array one item at a time.

``json.loads`` of a whole list builds every item before the first is looked at: for
10,000 connections 20 MiB of objects that exist twice until the poll ends (the new items
and the remembered ones), and that high-water mark is what the process keeps from then
on. Here the array is decoded item by item with json's own C scanner:

- ``decode_list``: an item equal to the one remembered under its id is replaced by that
  one at once, so a steady poll holds one item more, not one list more;
- ``array_items``: each item is handed on as it is read (metrics become models one by
  one, and the decoded dicts never exist all at once).

Anything that is not a plain top-level array (an envelope, bad JSON, nesting too deep)
raises NotAnArray, and callers decode the whole answer as before for its messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .limits import decode_json

_scan = json.JSONDecoder().scan_once
_SPACE = " \t\n\r"


class NotAnArray(ValueError):
    """The answer is not a plain JSON array (or not JSON): decode it whole instead."""


def decode_list(content: bytes, what: str, remembered: Mapping[Any, tuple[Any, Any]]) -> Any:
    """The decoded answer; items equal to a ``remembered`` one (id → (item, model)) are
    that object. Falls back to a whole decode for anything unusual."""
    if not remembered:
        return decode_json(content, what)
    get = remembered.get
    items: list[Any] = []
    try:
        for item in array_items(content):
            if type(item) is dict:
                known = get(item.get("id"))
                if known is not None and known[0] == item:
                    item = known[0]  # the new equal copy goes at once
            items.append(item)
    except NotAnArray:
        return decode_json(content, what)  # says what is wrong, or reads an envelope
    return items


def array_items(content: bytes) -> Iterator[Any]:
    """Each item of the JSON array in ``content``, decoded as ``json.loads`` would.
    Raises NotAnArray (possibly after some items) for anything else."""
    try:
        text = content.decode("utf-8")
        end = len(text)
        at = _skip(text, 0)
        if text[at] != "[":
            raise NotAnArray("not an array")
        at = _skip(text, at + 1)
        if text[at] == "]":
            _finish(text, at)
            return
        while True:
            item, at = _scan(text, at)
            yield item
            at = _skip(text, at)
            if at >= end:
                raise NotAnArray("unterminated array")
            if text[at] == "]":
                _finish(text, at)
                return
            if text[at] != ",":
                raise NotAnArray("expected , or ]")
            at = _skip(text, at + 1)
    except (ValueError, RecursionError, IndexError, StopIteration) as exc:
        if isinstance(exc, NotAnArray):
            raise
        raise NotAnArray(str(exc)) from None


def _skip(text: str, at: int) -> int:
    while text[at] in _SPACE:
        at += 1
    return at


def _finish(text: str, at: int) -> None:
    if text[at + 1:].strip(_SPACE):
        raise NotAnArray("text after the array")
