"""What ``iotflow list -o json`` prints: a JSON array, one connection per line.

Headless (no Textual, no httpx). Each line is one connection as the server sent it (its
secrets masked) plus what iotflow derived (``JsonRecords``), written as compact JSON in
ASCII: a non-ASCII character, DEL and every control character is a ``\\u`` escape, so a
hostile name can neither drive the terminal nor break a line, and ``grep`` finds a
connection on its own line.

The lines are encoded by msgspec: about four times faster than json's C encoder on a
listing (10,000 connections: 10-15 ms instead of 50 ms, and twice as fast as orjson
here), and it writes dates itself (UTC as ``Z``, as ``events`` does). What msgspec does
not write, json writes in the same compact ASCII form: a lone surrogate (it decodes from
valid JSON text) makes msgspec refuse the record. A NaN or Infinity, which no JSON text
holds but Python's decoder accepts from a server, is written as ``null``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import msgspec

from .board import flags_cell
from .connections import Connection
from .health import health_of
from .secrets import MASK, is_secret_name

__all__ = ["JSON_BATCH", "JsonRecords", "encode_line", "masked", "write_json_lines"]

NO_TIME = timedelta(0)


class JsonRecords:
    """``list -o json``'s record of each connection, from its row at one moment.

    Each is the connection as the server sent it plus what iotflow derived: health, time
    in state, flags (STUCK, FLAP; with ``all_flags``, the dashboard's whole FLAGS cell of
    a connection), and for an unreadable item (no ``sent``) only what could be read and
    why. ``rows`` (id → a board's Row, or a board_look.Look: ``since``, ``since_exact``,
    ``stuck``, ``flapping``) give time in state as the dashboard would show it: exact for
    a state seen to begin and for OPENED since start-up, otherwise a lower bound (held
    before iotflow first looked). ``inStateSince`` is a datetime (in ``now``'s zone),
    which the encoder writes.
    """

    def __init__(self, rows: Mapping[str, Any], now: datetime,
                 all_flags: Callable[[Connection], str] | None = None):
        self._rows, self._now, self._all_flags = rows, now, all_flags
        self._healths: dict[tuple[str | None, bool], str] = {}
        """(state, active) → health: a handful of pairs among thousands of connections."""
        self._since: Any = None
        self._held: tuple[int, datetime] = (0, now)
        """A since and its (inStateSeconds, inStateSince): rows first seen now share one."""

    def __call__(self, c: Connection, sent: dict[str, Any] | None) -> dict[str, Any]:
        if sent is not None:
            record = dict(sent)  # shallow: the values are the server's, written as they came
            configuration = record.get("configuration")
            if type(configuration) is dict:
                # the server masks its documented secrets only: credential headers are ours
                new = masked(configuration)
                if new is not configuration:
                    record["configuration"] = new
        else:
            record = {"id": c.id, "connectorId": c.connector_id, "name": c.name,
                      "active": c.active, "state": c.state, "problem": c.problem}
        pair = (c.state, c.active)
        health = self._healths.get(pair)
        if health is None:
            health = self._healths[pair] = health_of(c.state, c.active).value
        record["health"] = health
        row = self._rows.get(c.id)
        if row is None or row.since is None:
            record["inStateSeconds"] = record["inStateSince"] = None
            record["inStateObserved"] = False
        else:
            since = row.since
            if since is not self._since:
                now = self._now
                held = now - since
                if held < NO_TIME:
                    held = NO_TIME  # a clock ahead of ours: just began
                self._since, self._held = since, (int(held.total_seconds()), now - held)
            record["inStateSeconds"], record["inStateSince"] = self._held
            record["inStateObserved"] = row.since_exact
        if self._all_flags is not None:  # --flags: every word of the dashboard's FLAGS
            record["flags"] = self._all_flags(c).split()
        elif row is not None and (row.stuck or row.flapping):
            # STUCK and FLAP only: ALARM walks each alarm's recurrence (about 1 ms a
            # connection with alarms), which a plain listing of thousands should not pay.
            record["flags"] = flags_cell(row.stuck, row.flapping).split()
        else:
            record["flags"] = []
        return record


_SCALARS = (str, int, float)
_SECRET_NAMES: dict[str, bool] = {}
"""Key → is_secret_name(key), at most _KNOWN_NAMES of them: a dict look-up is a third
cheaper than the lru_cache's call, for the 150,000 keys of 10,000 configurations."""
_KNOWN_NAMES = 4096


def masked(value: Any) -> Any:
    """``secrets.mask_secrets(value)`` for decoded JSON, without copying what holds no
    secret: the same object comes back where nothing inside it is masked (it is written
    as it is), so most configurations are only looked at. A secret the server already
    masked (``*****``) needs no copy either: most of a listing's secrets come so.
    """
    kind = type(value)
    if kind is dict:
        out: Any = None
        for key, item in value.items():
            inner = type(item)
            if inner is dict or inner is list:
                new = masked(item)  # (a secret's name over an object: its values decide)
                if new is item:
                    continue
            else:
                secret = _SECRET_NAMES.get(key)
                if secret is None:
                    secret = is_secret_name(key)
                    if len(_SECRET_NAMES) < _KNOWN_NAMES:
                        _SECRET_NAMES[key] = secret
                if (not secret or item == "" or not isinstance(item, _SCALARS)
                        or (inner is str and item == MASK)):
                    continue  # no secret, an empty one, or already what masking writes
                new = MASK  # (a bool is an int: masked too, as mask_secrets does)
            if out is None:
                out = dict(value)
            out[key] = new
        return value if out is None else out
    if kind is list:
        copied: list[Any] | None = None
        for index, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                new = masked(item)
                if new is not item:
                    if copied is None:
                        copied = list(value)
                    copied[index] = new
        return value if copied is None else copied
    return value


# -- encoding --------------------------------------------------------------------------

_NOT_TERMINAL_SAFE = re.compile("[^\x00-\x7e]")
"""What msgspec writes as it is and a line must not hold: DEL and anything beyond ASCII
(C1 controls, bidirectional overrides...). It only ever stands inside a JSON string."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):  # as msgspec writes one (ours are all aware, in UTC)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    raise TypeError(f"{type(value).__name__} is not JSON")


_JSON = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False,
                         check_circular=False, default=_json_default)


def _finite(value: Any) -> Any:
    """``value`` with NaN and the infinities as None (msgspec's null)."""
    if type(value) is float:
        return value if math.isfinite(value) else None
    if type(value) is dict:
        return {key: _finite(item) for key, item in value.items()}
    if type(value) is list:
        return [_finite(item) for item in value]
    return value


_ENCODER = msgspec.json.Encoder()
_ENCODE = _ENCODER.encode
_ENCODE_LINES = _ENCODER.encode_lines


def _terminal_safe(text: bytes) -> bytes:
    """msgspec's output with what a line must not hold as ``\\u`` escapes."""
    if text.isascii() and b"\x7f" not in text:
        return text  # nearly always: nothing to escape
    return _NOT_TERMINAL_SAFE.sub(_escape, text.decode("utf-8")).encode("ascii")


def encode_line(record: Any) -> bytes:
    """One record as one line of compact, ASCII-only JSON (no newline)."""
    try:
        line = _ENCODE(record)
    except (UnicodeEncodeError, RecursionError, msgspec.EncodeError):
        # A lone surrogate (or nesting msgspec refuses): json writes it, in the same form.
        try:
            text = _JSON.encode(record)
        except ValueError:  # a NaN or an infinity beside it
            text = _JSON.encode(_finite(record))
        return text.encode("ascii")
    return _terminal_safe(line)


def _encode_lines(records: list[Any]) -> bytes:
    """``encode_line`` of each record, each followed by a newline: msgspec encodes the
    batch in one call (its JSON never holds a raw newline: one inside a string is
    ``\\n``); a batch it refuses, one record at a time."""
    try:
        return _terminal_safe(_ENCODE_LINES(records))
    except (UnicodeEncodeError, RecursionError, msgspec.EncodeError):
        return b"".join([encode_line(record) + b"\n" for record in records])


JSON_BATCH = 256
"""Lines written at a time: the reader (a pipe into jq, a file) takes them in while the
next ones are encoded, and no copy of the whole text is ever made."""


def write_json_lines(records: Iterable[Any], write: Callable[[bytes], Any], *,
                     array: bool = True) -> None:
    """A JSON array, one record per line, indented by two spaces; without ``array``, JSON
    Lines (one object a line and nothing else, for ``head``, ``grep`` and ``jq -c``)."""
    if array:
        write(b"[\n")
    batch: list[Any] = []
    for record in records:
        if len(batch) == JSON_BATCH:
            write(_batch_text(batch, array, last=False))
            batch = []
        batch.append(record)
    if batch:
        write(_batch_text(batch, array, last=True))
    if array:
        write(b"]\n")


def _batch_text(batch: list[Any], array: bool, last: bool) -> bytes:
    text = _encode_lines(batch)  # each line ends with "\n": JSON Lines as they are
    if not array:
        return text
    return b"  " + text[:-1].replace(b"\n", b",\n  ") + (b"\n" if last else b",\n")


def binary_writer(stream: Any) -> Callable[[bytes], Any]:
    """Where ``write_json_lines`` writes to ``stream`` (a text stream such as stdout): its
    binary buffer, once the text written so far is flushed, else the text itself."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO)
        return lambda data: stream.write(data.decode("ascii"))
    stream.flush()
    return buffer.write
