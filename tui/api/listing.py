"""A connection list read one item at a time: one bad item is one unreadable row.

The platform's answer is a list of objects written by many versions of many services; an
item without an id, with ``startupTime: 12345`` or ``configuration: "oops"`` must not
hide the other 9,999. Such an item becomes a Connection in the state ``UNREADABLE``
(which counts as ERROR everywhere) whose ``problem`` says what is wrong; the rest of the
list reads as usual. A duplicate id is shown once and reported once.
"""

from __future__ import annotations

from collections import Counter
from sys import intern
from typing import Any

from ..connections import Connection, UnreadableData, gc_paused
from .limits import DEFAULT_LIMITS, Limits, nesting_problem, text_problem

_CONTAINERS = (dict, list)

UNREADABLE = "UNREADABLE"
"""The state of a row whose item could not be read (health: ERROR)."""

_TEXT_FIELDS = (("id", "id"), ("name", "name"), ("connectorId", "connector id"),
                ("state", "state"))


def read_connection(item: Any, position: int, limits: Limits = DEFAULT_LIMITS,
                    depth_checked: int = 0) -> Connection:
    """The Connection an item describes, or an UNREADABLE one saying what is wrong.

    ``position`` (from 1) names an item that has no usable id, so that the operator can
    find it in the raw answer. ``depth_checked``: the item is known to be an object nested
    at most that deep (its decoding checked it: list_decoding.decode_shallow), so within
    ``limits.max_depth`` when that is no less, and its values are not walked again.
    """
    problem = _problem(item, limits, depth_checked)
    if problem is None:
        try:
            return Connection.from_api(item)
        except UnreadableData as error:
            problem = str(error)
    return unreadable(item, position, problem)


def _problem(item: Any, limits: Limits, depth_checked: int = 0) -> str | None:
    if type(item) is not dict:
        return f"it is {_short(item)}, not an object"
    longest = limits.max_text
    for key, label in _TEXT_FIELDS:
        value = item.get(key)
        if type(value) is str and len(value) > longest:
            return text_problem(label, value, longest)
    active = item.get("active", True)
    if active is not True and active is not False:
        # Guessing would turn "yes" into false and hide a running connection.
        state = item.get("state")
        told = f"; the server says {state}" if type(state) is str else ""
        return f"active is {_short(active)}, neither true nor false{told}"
    if 0 < depth_checked <= limits.max_depth:
        return None  # (checked in C as it was decoded)
    if limits.max_depth >= 3 and _shallow(item):
        return None  # the common case, without the general walk
    return nesting_problem(item, limits.max_depth)


def _shallow(item: dict[str, Any]) -> bool:
    """True when nothing in ``item`` nests deeper than three levels (item, value, child):
    most connections, decided in a loop over their values instead of a stack walk."""
    for value in item.values():
        kind = type(value)
        if kind is dict:
            children = value.values()
        elif kind is list:
            children = value
        else:
            continue
        for child in children:
            inner = type(child)
            if inner is dict or inner is list:
                for grandchild in (child.values() if inner is dict else child):
                    if type(grandchild) in _CONTAINERS:
                        return False
    return True


def unreadable(item: Any, position: int, problem: str) -> Connection:
    """A row for an item that could not be read, keeping whatever text it had."""
    fields = item if type(item) is dict else {}

    def text(key: str) -> str:
        value = fields.get(key)
        if type(value) is str and len(value) <= DEFAULT_LIMITS.max_text:
            return value
        if type(value) is int and not isinstance(value, bool):
            return str(value)
        return ""

    ident = text("id") or f"(item {position})"
    active = fields.get("active")
    return Connection(
        id=ident,
        connector_id=text("connectorId"),
        name=text("name"),
        active=active if type(active) is bool else True,
        state=UNREADABLE,
        problem=f"Item {position} of the list cannot be read: {problem}.",
    )


def read_connections(
    items: list[Any],
    previous: dict[str, tuple[Any, Connection]],
    limits: Limits = DEFAULT_LIMITS,
    depth_checked: int = 0,
) -> tuple[list[Connection], dict[str, tuple[Any, Connection]], list[str]]:
    """(connections, what to remember for the next listing, notes for the operator).

    ``depth_checked``: every item is known to be an object nested at most that deep (see
    ``read_connection``).

    An item equal to the one the previous listing had under the same id gives back the
    same (never mutated) Connection: nothing is parsed anew for a connection that did
    not change, and the previous item is remembered instead of the equal new one (the
    Connection shares its configuration and alarms), so only one copy of each
    connection outlives the poll. Unreadable items are never remembered, so a deep one
    is never compared.
    """
    out: list[Connection] = []
    listed: dict[str, tuple[Any, Connection]] = {}
    duplicates: Counter[str] = Counter()
    unreadable = 0
    with gc_paused():
        for position, item in enumerate(items, start=1):
            known = None
            if previous:  # (a first listing has nothing to look up)
                ident = item.get("id") if type(item) is dict else None
                known = previous.get(ident) if type(ident) is str else None
            if known is not None and known[0] == item:
                item, connection = known
            else:
                connection = read_connection(item, position, limits, depth_checked)
                if previous and connection.problem is None:
                    item = _compact(item)  # (its depth is checked by now)
                    connection = read_connection(item, position, limits)
            key = connection.id
            if key in listed:
                duplicates[key] += 1
                continue
            if connection.problem is None:
                listed[key] = (item, connection)
            else:
                listed[key] = (None, connection)
                unreadable += 1
            out.append(connection)
    notes = [
        f"id {ident} appears {count + 1} times in the list; only the first is shown."
        for ident, count in duplicates.items()
    ]
    if unreadable:
        listed = {k: v for k, v in listed.items() if v[0] is not None}
    return out, listed, notes


def _compact(value: Any) -> Any:
    """A copy of a changed item, made apart from the page it was decoded in, its keys
    shared with every other item's.

    The few changed items of a steady poll would otherwise pin the memory of the page
    they came in (or, decoded one by one, each carry its own copy of every key:
    "connectorId", "configuration", ...), and the process would grow poll after poll.
    """
    kind = type(value)
    if kind is dict:
        return {intern(k) if type(k) is str else k: _compact(v) for k, v in value.items()}
    if kind is list:
        return [_compact(v) for v in value]
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
