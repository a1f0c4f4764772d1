"""How much of an answer iotflow is willing to read, and the checks that enforce it.

A broken or hostile server can send a body of gigabytes, JSON nested 100,000 deep (which
makes Python's decoder, ``copy.deepcopy`` and any recursive walk raise RecursionError),
or a single name of a megabyte. Each limit below turns that into a sentence about what
was wrong instead of a traceback, a frozen screen or a table padded to megabytes. The
walk here is iterative: nothing recurses on server data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import MalformedResponse


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one answer may hold (profile settings ``max_body_mb`` and so on)."""

    max_body: int = 64 * 1024 * 1024
    """Bytes of one decoded answer: 10,000 connections take about 7 MB."""
    max_depth: int = 32
    """Nesting of one connection or connector; real configurations use 3 or 4 levels."""
    max_text: int = 4096
    """Characters of an id, name, connector id or state."""


DEFAULT_LIMITS = Limits()


def decode_json(content: bytes, what: str) -> Any:
    """The JSON in ``content``, or MalformedResponse saying why it cannot be read.

    msgspec decodes it: a listing of 10,000 connections in about 25 ms where json takes
    35-40 ms (the first listing of ``iotflow list`` and of the dashboard). Whatever msgspec
    refuses, json decodes as it always did, accepting it or saying what is wrong: NaN and
    Infinity (not JSON, but Python's decoder reads them), an escaped lone surrogate, a
    number beyond a float, a byte-order mark or UTF-16, nesting deeper than msgspec goes.
    """
    fast = _msgspec_decoding(content)
    if fast is not _REFUSED:
        return fast
    try:
        return json.loads(content)
    except RecursionError:
        raise MalformedResponse(
            f"{what} is nested too deep to read (hundreds of levels of brackets)"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedResponse(f"{what} did not answer JSON") from exc


_REFUSED = object()


def _msgspec_decoding(content: bytes) -> Any:
    # Imported on first use: a command sends its first request before any answer needs
    # decoding, and ``iotflow list`` imports msgspec while that request is out.
    import msgspec

    try:
        return msgspec.json.decode(content)
    except (msgspec.DecodeError, RecursionError):  # (ValidationError is a DecodeError)
        return _REFUSED


def nesting_problem(value: Any, limit: int) -> str | None:
    """A sentence when ``value`` nests deeper than ``limit`` containers, else None.

    An explicit stack instead of recursion: a value at the decoder's own limit (about
    1,000 levels) must not exhaust Python's stack here.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        children = node.values() if type(node) is dict else node
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                if depth >= limit:
                    return f"it is nested deeper than {limit} levels"
                push((child, depth + 1))
    return None


def text_problem(field: str, value: Any, limit: int) -> str | None:
    """A sentence when a text field is longer than ``limit`` characters."""
    if type(value) is str and len(value) > limit:
        return f"its {field} is {len(value):,} characters long (at most {limit:,} are read)"
    return None
