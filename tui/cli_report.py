"""What ``iotflow list`` and ``iotflow status`` print: tables, JSON and state names.

Headless (no Textual, no httpx). Every server string in a table goes through
terminal_safe and is cut to a column limit, so a hostile name can neither drive the
terminal nor pad the output to megabytes; JSON is exact (``json.dumps`` escapes control
characters as ``\\u001b``). Time in state and the flags come from the dashboard's own
Board, Row and cells (tui/board.py, tui/columns.py) over the same observed history, so a
listing and the dashboard read the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from .board import SHORT_STATES, Board, Row, alarm_view, flags_cell
from .connections import Connection, short_connector_name
from .health import KNOWN_STATES, HistoryStore, Thresholds, health_of
from .secrets import MASK, is_secret_name
from .terminal_text import terminal_safe
from .timefmt import NO_VALUE, format_local

UNREADABLE = "UNREADABLE"
"""The state of an item the client could not read (see tui/api/listing.py)."""
STATE_NAMES: tuple[str, ...] = (*KNOWN_STATES, UNREADABLE)
NAME_WIDTH = 48
"""Characters of a name (or any cell) a table shows before it cuts with ``…``."""
CELL_WIDTH = 64

TABLE = ["HEALTH", "STATE", "NAME", "CONNECTOR", "ID", "ACTIVE", "STARTED", "UPTIME"]
WIDE = [*TABLE, "IN STATE", "FLAGS", "ALARMS"]


class UnknownState(ValueError):
    """``--state`` named no state iotflow knows; the message lists the valid ones."""


def parse_state(text: str) -> str:
    """A state as the API spells it, from its name or the dashboard's short form, in
    any case: ``auth_failed`` → ``AUTHENTICATION_FAILED``."""
    wanted = text.strip().upper().replace("-", "_")
    for state in STATE_NAMES:
        if wanted in (state, SHORT_STATES.get(state)):
            return state
    forms = ", ".join(
        f"{s} ({SHORT_STATES[s]})" if s in SHORT_STATES else s for s in STATE_NAMES
    )
    raise UnknownState(f"Unknown state {text!r}. Valid states: {forms} (any case).")


def cell(text: object, width: int = CELL_WIDTH) -> str:
    """A table cell: inert, on one line, at most ``width`` characters."""
    safe = terminal_safe(text)
    return safe if len(safe) <= width else safe[: width - 1] + "…"


def observed(connections: list[Connection], now: datetime, history_path: Path | None,
             thresholds: Thresholds) -> Board:
    """A board over ``connections``, built as the dashboard builds its own: with the
    dashboard's history for the platform (read, never written), or none when no dashboard
    ran here (then every row is at first sight, as on the dashboard's first poll)."""
    history = HistoryStore(history_path)
    history.path = None  # the dashboard owns the file; a listing must not rewrite it
    board = Board(history, thresholds)
    board.apply(connections, now)
    return board


def flags_of(board: Board, c: Connection, now: datetime) -> str:
    """The FLAGS cell the dashboard shows for this connection: STUCK, FLAP, ALARM, then
    SILENT, LOSS, LOW once metrics are on the board (board_flow.apply_metrics)."""
    # Imported on use: the columns module brings in rich, which ``iotflow --help`` and
    # ``info`` must not load.
    from .columns import COLUMNS
    from .columns import cell as column_cell

    row = board.rows.get(c.id)
    if row is None or not (row.alarms or row.stuck or row.flapping or row.flow.any):
        return ""  # what the cell says then, without working it out for every row
    flags = next(column for column in COLUMNS if column.key == "flags")
    return column_cell(row, flags, flags.width, now, None).text


def table_rows(connections: Iterable[Connection], board: Board, now: datetime,
               wide: bool, flags: bool) -> Iterator[list[str]]:
    """One table row per connection. Time in state and uptime are the dashboard's cells
    (columns.durations) of the same Row, so both read the same for the same history."""
    from .columns import durations

    for c in connections:
        row = board.rows.get(c.id)
        health = health_of(c.state, c.active)
        in_state_text, uptime = durations(row, now) if row is not None else (NO_VALUE, NO_VALUE)
        values = [
            health.value, cell(c.state or "?"), cell(c.name, NAME_WIDTH),
            cell(short_connector_name(c.connector_id)), cell(c.id),
            "yes" if c.active else "no", format_local(c.startup_time), uptime,
        ]
        if wide:
            values.append(in_state_text)
        if wide or flags:
            values.append(flags_of(board, c, now) or NO_VALUE)
        if wide:
            values.append(cell(_alarm_text(row, c, now)))
        yield values


def zone_label(now: datetime, zone: tzinfo | None = None) -> str:
    """The operator's zone for the STARTED header: ``UTC``, ``UTC+01:00``, ``UTC-05:30``.

    ``events`` prints UTC (with ``Z``); STARTED is local like the dashboard's STARTUP, so
    the header says which zone it is in.
    """
    offset = now.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def headers(wide: bool, flags: bool, now: datetime) -> list[str]:
    """The table's header: STARTED carries the zone its times are in."""
    names = WIDE if wide else TABLE + (["FLAGS"] if flags else [])
    return [f"STARTED ({zone_label(now)})" if name == "STARTED" else name for name in names]


def _alarm_text(row: Row | None, c: Connection, now: datetime) -> str:
    if row is None:
        if not c.alarms:
            return NO_VALUE
        row = Row(c.id, c.name, c.connector_id, c.state or "UNKNOWN", c.active,
                  c.startup_time, c.alarms)
    return alarm_view(row, now, None)[0]


class JsonRecords:
    """``list -o json``'s record of each connection, on one board at one moment.

    Each is the connection as the server sent it plus what iotflow derived: health, time
    in state, flags (STUCK, FLAP; with ``all_flags`` the dashboard's whole FLAGS cell),
    and for an unreadable item (no ``sent``) only what could be read and why. Time in
    state is the row the dashboard would show: exact for a state seen to begin and for
    OPENED since start-up, otherwise a lower bound (held before iotflow first looked).
    """

    def __init__(self, board: Board, now: datetime, all_flags: bool = False):
        self._board, self._now, self._all_flags = board, now, all_flags
        self._rows = board.rows
        self._healths: dict[tuple[str | None, bool], str] = {}
        """(state, active) → health: a handful of pairs among thousands of connections."""

    def __call__(self, c: Connection, sent: dict[str, Any] | None) -> dict[str, Any]:
        if sent is not None:
            record = dict(sent)  # shallow: the values are the server's, written as they came
            configuration = record.get("configuration")
            if type(configuration) is dict:
                # the server masks its documented secrets only: credential headers are ours
                record["configuration"] = masked(configuration)
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
            now = self._now
            seconds = max(0.0, (now - row.since).total_seconds())
            record["inStateSeconds"] = int(seconds)
            record["inStateSince"] = (now - timedelta(seconds=seconds)).isoformat()
            record["inStateObserved"] = row.since_exact
        if self._all_flags:  # --flags: every word of the dashboard's FLAGS
            record["flags"] = flags_of(self._board, c, self._now).split()
        elif row is not None and (row.stuck or row.flapping):
            # STUCK and FLAP only: ALARM walks each alarm's recurrence (about 1 ms a
            # connection with alarms), which a plain listing of thousands should not pay.
            record["flags"] = flags_cell(row.stuck, row.flapping).split()
        else:
            record["flags"] = []
        return record


_SCALARS = (str, int, float)


def masked(value: Any) -> Any:
    """``secrets.mask_secrets(value)`` for decoded JSON, without copying what holds no
    secret: the same object comes back where nothing inside it is masked (json writes it
    as it is), so most configurations are only looked at. ``list -o json`` masks 10,000
    of them; the general walk took about as long as everything else together.
    """
    kind = type(value)
    if kind is dict:
        out: Any = None
        for key, item in value.items():
            if is_secret_name(key) and isinstance(item, _SCALARS) and item != "":
                new = MASK  # (a bool is an int: masked too, as mask_secrets does)
            elif type(item) is dict or type(item) is list:
                new = masked(item)
                if new is item:
                    continue
            else:
                continue
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


def _item_encoder() -> Callable[[Any], str]:
    """One connection as compact JSON (``", "`` and ``": "``, ASCII only), by json's C
    encoder built once: ``JSONEncoder.encode`` would build a new one for each of 10,000
    connections (about 10 ms), and ``indent`` would use the pure-Python encoder, several
    times slower."""
    plain = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": "))
    if c_make_encoder is None:  # an interpreter without json's C accelerator
        return plain.encode
    chunks = c_make_encoder(None, plain.default, encode_basestring_ascii, None, ": ", ", ",
                            False, False, True)  # no circular check: decoded JSON has none
    join = "".join
    return lambda item: join(chunks(item, 0))


JSON_BATCH = 256
"""Lines written at a time: the reader (a pipe into jq, a file) takes them in while the
next ones are encoded, and no copy of the whole text is ever made."""


def write_json_lines(records: Iterable[dict[str, Any]], write: Callable[[str], Any]) -> None:
    """A JSON array, one connection per line: exact JSON, and a line a grep can find."""
    encode = _item_encoder()
    write("[\n")
    batch: list[str] = []
    for record in records:
        if len(batch) == JSON_BATCH:
            write(",\n".join(batch) + ",\n")
            batch = []
        batch.append("  " + encode(record))
    if batch:
        write(",\n".join(batch) + "\n")
    write("]\n")
