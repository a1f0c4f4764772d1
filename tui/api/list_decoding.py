"""Decoding a large JSON array one item at a time.

``json.loads`` of a whole list builds every item before the first is looked at: for
10,000 connections 20 MiB of objects that exist twice until the poll ends (the new items
and the remembered ones), and that high-water mark is what the process keeps from then
on. Here the array is decoded item by item with json's own C scanner:

- ``decode_list``: an item equal to the one remembered under its id is replaced by that
  one at once, so a steady poll holds one item more, not one list more;
- ``array_items``: each item is handed on as it is read (metrics become models one by
  one, and the decoded dicts never exist all at once);
- ``read_items``: each item read into a model, reusing the model of an item whose text
  reads as last time (``ItemMemo``): a steady poll of metrics neither decodes nor parses
  the items that did not change.

Anything that is not a plain top-level array (an envelope, bad JSON, nesting too deep)
raises NotAnArray, and callers decode the whole answer as before for its messages.

A first listing (nothing remembered) is decoded whole by ``decode_shallow``, which checks
in C, as it decodes, that every item is an object nested at most ``SHALLOW_DEPTH`` deep:
then no item needs the Python walk of listing.py's depth check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, NamedTuple, Union

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


SHALLOW_DEPTH = 8
"""Levels of nesting (the item itself is the first) ``decode_shallow`` checks: real
configurations use 3 to 5 (the simulator's up to 6). Each level multiplies the time to
build the decoder by about 2 (2 ms at 8, once a process); a deeper item costs a second
decoding of its answer, by ``decode_json``."""


@lru_cache(maxsize=1)
def shallow_decoder() -> Any:
    """``decode_shallow``'s decoder, built once a process (about 2 ms: ``iotflow list``
    builds it while the platform computes the answer)."""
    # Imported on first use, as limits.decode_json does: a command sends its first request
    # before anything needs decoding.
    import msgspec

    value: Any = Union[None, bool, int, float, str]  # noqa: UP007
    for _ in range(SHALLOW_DEPTH - 1):
        value = Union[None, bool, int, float, str, list[value], dict[str, value]]  # noqa: UP007
    return msgspec.json.Decoder(list[dict[str, value]])


def decode_shallow(content: bytes) -> list[dict[str, Any]] | None:
    """The items of ``content`` when it is a JSON array of objects nested at most
    ``SHALLOW_DEPTH`` deep, decoded as ``msgspec.json.decode`` decodes them (the same
    values: msgspec reads ``int | float | str | bool | None`` as untyped); else None
    (decode it with ``decode_json``, which accepts more or says what is wrong)."""
    import msgspec

    try:
        return shallow_decoder().decode(content)
    except (msgspec.DecodeError, RecursionError):  # (ValidationError is a DecodeError)
        return None


def array_items(content: bytes) -> Iterator[Any]:
    """Each item of the JSON array in ``content``, decoded as ``json.loads`` would.
    Raises NotAnArray (possibly after some items) for anything else."""
    with _not_an_array():
        text = content.decode("utf-8")
        at = _first_item(text)
        while at is not None:
            item, after = _scan(text, at)
            yield item
            at = _next_item(text, after)


@contextmanager
def _not_an_array() -> Iterator[None]:
    """Anything the walk over the array trips on is NotAnArray (decode it whole instead)."""
    try:
        yield
    except NotAnArray:
        raise
    except (ValueError, RecursionError, IndexError, StopIteration) as exc:
        raise NotAnArray(str(exc)) from None


def _first_item(text: str) -> int | None:
    """Where the array's first item starts; None for an empty array."""
    at = _skip(text, 0)
    if text[at] != "[":
        raise NotAnArray("not an array")
    at = _skip(text, at + 1)
    if text[at] == "]":
        _finish(text, at)
        return None
    return at


def _next_item(text: str, at: int) -> int | None:
    """After an item that ends at ``at``: where the next one starts; None at the end."""
    at = _skip(text, at)
    if at >= len(text):
        raise NotAnArray("unterminated array")
    if text[at] == "]":
        _finish(text, at)
        return None
    if text[at] != ",":
        raise NotAnArray("expected , or ]")
    return _skip(text, at + 1)


class _Seen(NamedTuple):
    length: int
    """Characters of the item's JSON text."""
    digest: bytes
    model: Any


def _digest(piece: str | memoryview) -> bytes:
    # 128 bits, like the page cache's: equal digests mean equal text for any practical
    # purpose. A digest, not the text: 16 bytes an item kept instead of about 360.
    data = piece.encode() if isinstance(piece, str) else piece
    return hashlib.blake2b(data, digest_size=16).digest()


KEEP_ANSWER_BYTES = 2 * 2**20
"""An answer up to this size (about 3,000 connections, 5,000 metrics items) is kept whole
until the next one: the runs of items that read byte for byte as last time are then found
by comparing bytes (memcmp, a few comparisons per run), not by digesting every item. A
larger answer keeps only its items' digests (memory: 6.5 MB for 10,000 connections)."""


class ItemMemo:
    """The items of the last answer read by ``read_items``: their text's length and digest
    and the model each became, by position and by digest (an item that moved); for a small
    ASCII answer also its bytes and where each item starts in them."""

    def __init__(self) -> None:
        self.by_position: list[_Seen] = []
        self._by_digest: dict[bytes, Any] | None = {}
        self.answer: bytes | None = None
        self.starts: list[int] = []

    @property
    def by_digest(self) -> dict[bytes, Any]:
        """Built when first asked: a steady poll finds every item in its place and never
        needs it."""
        if self._by_digest is None:
            self._by_digest = {entry.digest: entry.model for entry in self.by_position}
        return self._by_digest

    def adopt(self, remembered: Mapping[Any, tuple[Any, Any]]) -> None:
        """Hold the ``remembered`` item (id → (item, model)) in place of an equal one read
        this time (the listing keeps a compacted copy of a changed connection): one copy of
        each connection outlives the poll, not two."""
        for n, entry in enumerate(self.by_position):
            model = entry.model
            if type(model) is not dict:
                continue
            known = remembered.get(model.get("id"))
            if known is not None and known[0] is not model and known[0] == model:
                self.by_position[n] = entry._replace(model=known[0])
        self._by_digest = None


def read_items(content: bytes, parse: Callable[[Any], Any], memo: ItemMemo) -> list[Any]:
    """``parse`` of each item of the JSON array in ``content``, as ``array_items`` reads them,
    except that an item whose JSON text reads exactly as one of the last answer's (the same
    place first, else its digest) gives back that item's model without decoding it: a JSON
    value's text determines the value, and an object's text ends at its own closing brace.
    ``memo`` is updated to this answer. Raises NotAnArray as ``array_items`` does; an
    exception from ``parse`` leaves ``memo`` as it was."""
    seen: list[_Seen] = []
    models: list[Any] = []
    starts: list[int] = []
    previous = memo.by_position
    known_before = len(previous)
    with _not_an_array():
        text = content.decode("utf-8")
        ascii_only = len(text) == len(content)
        # ASCII (what servers send, escaping the rest): characters are bytes, and an item
        # is digested from the answer's own bytes, with no slice of text to encode.
        piece = memoryview(content) if ascii_only else text
        same_run = _SameRun(content, memo) if ascii_only and memo.answer is not None else None
        at = _first_item(text)
        while at is not None:
            n = len(seen)
            if same_run is not None and n < known_before:
                # Items n, n+1 ... that read byte for byte as the last answer's: taken whole.
                count, end = same_run.items_from(n, at)
                if count:
                    shift = at - memo.starts[n]
                    starts += [start + shift for start in memo.starts[n : n + count]]
                    run = previous[n : n + count]
                    seen += run
                    models += [entry.model for entry in run]
                    at = _next_item(text, end)
                    continue
            last = previous[n] if n < known_before else None
            if last is not None and _digest(piece[at : at + last.length]) == last.digest and (
                # (a number is not self-delimiting: 12 is the start of 123)
                text[_skip(text, at + last.length)] in ",]"
            ):
                entry, after = last, at + last.length
            else:
                item, after = _scan(text, at)
                digest = _digest(piece[at:after])
                known = memo.by_digest.get(digest, _seen_nothing)
                model = parse(item) if known is _seen_nothing else known
                entry = _Seen(after - at, digest, model)
            starts.append(at)
            seen.append(entry)
            models.append(entry.model)
            at = _next_item(text, after)
    memo.by_position = seen
    memo._by_digest = None
    keep = ascii_only and len(content) <= KEEP_ANSWER_BYTES
    memo.answer, memo.starts = (content, starts) if keep else (None, [])
    return models


class _SameRun:
    """Runs of items that read byte for byte as in the last answer, found with few
    comparisons of bytes (galloping, then halving) instead of one digest per item."""

    def __init__(self, content: bytes, memo: ItemMemo) -> None:
        assert memo.answer is not None
        self.new, self.old = content, memoryview(memo.answer)
        self.starts, self.items = memo.starts, memo.by_position

    def _same(self, n: int, at: int, count: int) -> int | None:
        """Where items n .. n+count-1 end in the new answer if they read as the old ones
        (their separators included, so no item is a prefix of a longer one), else None."""
        starts, old, new = self.starts, self.old, self.new
        begin = starts[n]
        last = n + count
        if last < len(starts):
            size = starts[last] - begin  # up to the next item's first byte
        else:
            size = starts[-1] + self.items[-1].length - begin
        # (bytes.startswith a memoryview compares in place: memcmp, no copy; comparing two
        # memoryviews goes item by item, a hundred times slower)
        if not new.startswith(old[begin : begin + size], at):
            return None
        if last >= len(starts):
            # The old answer's last item: what follows it now must end the item.
            following = new[at + size : at + size + 1]
            if following not in (b",", b"]", b" ", b"\n", b"\r", b"\t"):
                return None
            return at + size
        # Back from the next item's start to the end of the run's last item.
        return at + size - (starts[last] - (starts[last - 1] + self.items[last - 1].length))

    def items_from(self, n: int, at: int) -> tuple[int, int]:
        """(how many items from n read as before, where the last of them ends)."""
        most = len(self.starts) - n
        good, end = 0, at
        step = 1
        while good < most:  # gallop: 1, 2, 4 ... items more
            count = min(most, good + step)
            found = self._same(n, at, count)
            if found is None:
                break
            good, end = count, found
            step *= 2
        else:
            return good, end
        low, high = good, min(most, good + step)  # the run ends in (low, high)
        while high - low > 1:
            middle = (low + high) // 2
            found = self._same(n, at, middle)
            if found is None:
                high = middle
            else:
                low, end = middle, found
        return low, end


_seen_nothing = object()


class PageItemMemos:
    """The connection list's pages, decoded so that a steady poll decodes only what changed.

    A first listing decodes each page whole (fastest: start-up, ``iotflow list``). From
    then on each page (by request URL) keeps its items' text digests (``read_items``): an
    item that reads as at the same place last time is the item remembered for it, not
    decoded again. The memos hold the items the listing remembers (one copy of each
    connection outlives a poll), and only pages the last listing read keep one.
    """

    def __init__(self) -> None:
        self._memos: dict[str, ItemMemo] = {}
        self._read: set[str] = set()
        self.depth_checked = SHALLOW_DEPTH
        """SHALLOW_DEPTH while every page of this listing so far was read by
        ``decode_shallow`` (its items are objects nested at most that deep), else 0."""

    def decode(self, url: str, content: bytes, what: str,
               remembered: Mapping[Any, tuple[Any, Any]]) -> Any:
        if not remembered:
            shallow = decode_shallow(content)
            if shallow is not None:
                return shallow
            self.depth_checked = 0
            return decode_list(content, what, remembered)
        self.depth_checked = 0
        memo = self._memos.get(url)
        if memo is None:
            memo = self._memos[url] = ItemMemo()
        self._read.add(url)
        get = remembered.get

        def same_or_remembered(item: Any) -> Any:
            known = get(item.get("id")) if type(item) is dict else None
            return known[0] if known is not None and known[0] == item else item

        try:
            return read_items(content, same_or_remembered, memo)
        except NotAnArray:
            return decode_list(content, what, remembered)  # says what is wrong, or unwraps

    def unchanged(self, url: str) -> None:
        """The page read byte for byte as last time (the page cache had it): keep its memo."""
        self._read.add(url)
        self.depth_checked = 0  # (decoded by an earlier listing, maybe unchecked)

    def finish(self, remembered: Mapping[Any, tuple[Any, Any]]) -> None:
        """The listing is read: keep the memos of its pages, holding ``remembered``'s items."""
        self._memos = {url: memo for url, memo in self._memos.items() if url in self._read}
        for memo in self._memos.values():
            memo.adopt(remembered)
        self._read = set()
        self.depth_checked = SHALLOW_DEPTH


def _skip(text: str, at: int) -> int:
    while text[at] in _SPACE:
        at += 1
    return at


def _finish(text: str, at: int) -> None:
    if text[at + 1:].strip(_SPACE):
        raise NotAnArray("text after the array")
