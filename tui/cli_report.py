"""What ``iotflow list`` and ``iotflow status`` print as tables, and state names
(``list -o json`` is tui/cli_json.py).

Headless (no Textual, no httpx). Every server string in a table goes through
terminal_safe and is cut to a column limit, so a hostile name can neither drive the
terminal nor pad the output to megabytes. Time in state and the flags come from the
dashboard's own Board, Row and cells (tui/board.py, tui/columns.py) over the same observed
history, so a listing and the dashboard read the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from .board import SHORT_STATES, Board, Row, alarm_view
from .board_look import Look, first_look
from .config import Profile, history_file
from .connections import Connection, short_connector_name
from .health import KNOWN_STATES, HistoryStore, Thresholds, health_of
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
    return _board_over(_read_only(history_path), connections, now, thresholds)


def _board_over(history: HistoryStore, connections: list[Connection], now: datetime,
                thresholds: Thresholds) -> Board:
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


def read_history(profile: Profile) -> HistoryStore:
    """The dashboard's history for the profile's platform, read once for one listing (a
    board or looks over it change it in memory only). ``list`` reads it while the
    platform computes the answer: a dashboard that watched 10,000 connections leaves a
    file of megabytes."""
    return _read_only(_history_path(profile))


def dashboard_board(profile: Profile, connections: list[Connection], now: datetime,
                    history: HistoryStore | None = None) -> Board:
    """The dashboard's board over ``connections``: its thresholds and history file (or
    ``history``, that file as ``read_history`` read it)."""
    if history is None:
        history = read_history(profile)
    return _board_over(history, connections, now, profile.thresholds)


def dashboard_looks(profile: Profile, connections: list[Connection], now: datetime,
                    history: HistoryStore | None = None) -> dict[str, Look]:
    """id → time in state, STUCK and FLAP as ``dashboard_board``'s rows have them (all that
    ``list -o json`` prints of a row without ``--flags``), without building the board."""
    if history is None:
        history = read_history(profile)
    return first_look(connections, history, now, profile.thresholds)


def _history_path(profile: Profile) -> Path | None:
    path = history_file(profile)
    return path if path.exists() else None


def _read_only(path: Path | None) -> HistoryStore:
    history = HistoryStore(path)
    history.path = None  # the dashboard owns the file; a listing must not rewrite it
    return history
