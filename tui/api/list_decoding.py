"""Decoding a connection list that is mostly what the last poll already holds.

``json.loads`` of a whole list builds every item anew: for 10,000 connections 20 MiB of
objects that exist twice until the poll ends (the new items and the remembered ones), and
that high-water mark is what the process keeps from then on. Here the array is decoded
one item at a time with the same C scanner, and an item equal to the one remembered
under its id is replaced by that one at once, so a steady poll holds one item more, not
one list more. Anything that is not a plain top-level array (an envelope, bad JSON) is
left to ``decode_json`` and its messages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .limits import decode_json

_scan = json.JSONDecoder().scan_once
_SPACE = " \t\n\r"


def decode_list(content: bytes, what: str, remembered: Mapping[Any, tuple[Any, Any]]) -> Any:
    """The decoded answer; items equal to a ``remembered`` one (id → (item, model)) are
    that object. Falls back to a whole decode for anything unusual."""
    if not remembered:
        return decode_json(content, what)
    try:
        text = content.decode("utf-8")
        return _items(text, remembered)
    except (ValueError, RecursionError, IndexError, StopIteration):
        return decode_json(content, what)  # says what is wrong, or reads an envelope


def _items(text: str, remembered: Mapping[Any, tuple[Any, Any]]) -> list[Any]:
    end = len(text)
    at = _skip(text, 0)
    if text[at] != "[":
        raise ValueError("not an array")
    at = _skip(text, at + 1)
    items: list[Any] = []
    if text[at] == "]":
        return _finish(text, at, items)
    get = remembered.get
    while True:
        item, at = _scan(text, at)
        if type(item) is dict:
            known = get(item.get("id"))
            if known is not None and known[0] == item:
                item = known[0]  # the new equal copy goes at once
        items.append(item)
        at = _skip(text, at)
        if at >= end:
            raise ValueError("unterminated array")
        if text[at] == "]":
            return _finish(text, at, items)
        if text[at] != ",":
            raise ValueError("expected , or ]")
        at = _skip(text, at + 1)


def _skip(text: str, at: int) -> int:
    while text[at] in _SPACE:
        at += 1
    return at


def _finish(text: str, at: int, items: list[Any]) -> list[Any]:
    if text[at + 1:].strip(_SPACE):
        raise ValueError("text after the array")
    return items
