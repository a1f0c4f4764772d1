"""The connection table's columns: which fit a width, and what each says for a row.

No screen here: the widget turns a cell's text and its style name into segments, so
everything an operator reads in a cell ("✖ UNREACHABLE", "Sat 09:00") is tested
without Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from rich.cells import cell_len

from .board import HEALTH_SYMBOL, NO_VALUE, Row, alarm_view, flags_cell, state_label
from .flow_cells import FLOW_COLUMNS, Cell, flow_cell
from .health import HEALTH_ORDER
from .terminal_text import one_line
from .timefmt import format_duration, format_local


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    priority: float
    """Lower stays longer when the terminal is narrow."""
    min_width: int = 0
    flex: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("state", "STATE", 23, 0, min_width=17),
    Column("health", "HEALTH", 11, 9),
    Column("name", "NAME", 24, 1, min_width=18, flex=True),
    Column("connector", "CONNECTOR", 15, 4, min_width=10),
    Column("id", "ID", 6, 5),
    Column("active", "ACTIVE", 6, 10),
    Column("startup", "STARTUP", 16, 8),
    Column("uptime", "UPTIME", 7, 7),
    Column("in_state", "IN STATE", 9, 2),
    Column("alarms", "ALARMS", 16, 6, min_width=12),
    Column("flags", "FLAGS", 10, 3),
    # Data flow (board_flow): at 80 columns these push out the id, not the connector.
    Column("uplinks", "UP/H", 5, 3.5),
    Column("failures", "FAIL/H", 7, 3.6),
    # Messages piling up on Kafka is data not getting through: before the health word
    # (the state column says it already) and the startup time.
    Column("lag", "LAG", 5, 7.5),
)

NARROW_STATE = 23
"""A state column narrower than this spells long states short (``AUTH_FAILED``)."""

DURATIONS = {"in_state": 0, "uptime": 1}
"""Columns that change with time alone, and their place in ``durations(row, now)``."""

HEALTH_STYLE = tuple(health.value.lower() for health in HEALTH_ORDER)
"""Style name of each health, by ``row.rank``."""
_HEALTH_TEXT = tuple(health.value for health in HEALTH_ORDER)
_HEALTH_SYMBOLS = tuple(HEALTH_SYMBOL[health] for health in HEALTH_ORDER)
"""By ``row.rank``: no Enum hashing or ``.value`` lookups while painting."""

ALARM_STYLE = {"open-not-opened": "flag", "open": "active", "invalid": "muted"}
"""How the alarm column is coloured by level: a quiet connection inside a window stands out."""


class Layout(NamedTuple):
    column: Column
    width: int


def layout_columns(width: int, columns: Iterable[Column] = COLUMNS) -> list[Layout]:
    """Which columns fit in ``width`` cells and how wide each is, in display order.

    Columns join by priority at their minimum width; the spare room then widens the
    shortened ones back to their natural width, and the rest goes to the flexible one.
    """
    columns = list(columns)
    chosen: list[Column] = []
    used = 0
    for column in sorted(columns, key=lambda c: c.priority):
        need = (column.min_width or column.width) + (1 if chosen else 0)
        if used + need <= width or not chosen:
            chosen.append(column)
            used += need
    widths = {c.key: c.min_width or c.width for c in chosen}
    spare = width - used
    for column in sorted(chosen, key=lambda c: (not c.flex, c.priority)):
        grow = min(spare, column.width - widths[column.key])
        if grow > 0:
            widths[column.key] += grow
            spare -= grow
    flex = next((c for c in chosen if c.flex), None)
    if flex is not None and spare > 0:
        widths[flex.key] += spare
    return [Layout(c, widths[c.key]) for c in columns if c in chosen]


def fit(text: str, width: int) -> str:
    """Pad or cut text to exactly ``width`` cells, marking a cut with an ellipsis."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    if width <= 1:
        return text[:width]
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…" + " " * (width - 1 - cell_len(out))


def header_text(layout: Iterable[Layout], sort: str, reverse: bool) -> str:
    """The column labels, the sorted one marked ``▲`` (ascending) or ``▼``."""
    arrow = "▼" if reverse else "▲"
    return " ".join(
        fit(column.label + (arrow if column.key == sort else ""), width) for column, width in layout
    )


def cell(row: Row, column: Column, width: int, now: datetime, tz: tzinfo | None) -> Cell:
    """What one column says for a row; the durations are blank (see ``DURATIONS``)."""
    key = column.key
    if key == "state":
        symbol = _HEALTH_SYMBOLS[row.rank]
        return Cell(f"{symbol} {one_line(state_label(row.state, width < NARROW_STATE))}", "health")
    if key == "health":
        return Cell(_HEALTH_TEXT[row.rank], "health")
    if key == "name":
        return Cell(one_line(row.name) or NO_VALUE, None)
    if key == "connector":
        return Cell(one_line(row.connector), None)
    if key == "id":
        return Cell(one_line(row.id), None)
    if key == "active":
        return Cell("yes", None) if row.active else Cell("no", "muted")
    if key == "startup":
        return Cell(format_local(row.startup_time, tz, seconds=False), None)
    if key == "uptime":
        return Cell("", None)
    if key == "in_state":
        return Cell("", "flag" if row.stuck else None)
    if key == "alarms":
        text, level = alarm_view(row, now, tz)
        return Cell(shorten_alarm(text, width), ALARM_STYLE.get(level))
    if key == "flags":
        quiet = alarm_view(row, now, tz).level == "open-not-opened"
        # (LOW is never set on a row that is not OPENED: ALARM says it; flow_health)
        flags = flags_cell(row.stuck, row.flapping, quiet, row.flow.words)
        return Cell(flags, "flag" if flags else None)
    if key in FLOW_COLUMNS:
        return flow_cell(row, key)
    return Cell("", None)


class RowCell(NamedTuple):
    column: Column
    width: int
    text: str
    style: str | None
    """The cell's style name, a health resolved to the row's (``error``, ``active``...)."""


def row_cells(row: Row, layout: Iterable[Layout], now: datetime,
              tz: tzinfo | None) -> Iterator[RowCell]:
    """Each shown column's cell for a row, as the table widget and the first frame draw it."""
    health = HEALTH_STYLE[row.rank]
    for column, width in layout:
        text, name = cell(row, column, width, now, tz)
        yield RowCell(column, width, text, health if name == "health" else name)


LOWER_BOUND = "≥ "
"""Before a time in state: the state was already held when first seen, maybe for longer."""


def durations(row: Row, now: datetime) -> tuple[str, str]:
    """The time-in-state and uptime cells, which change with time alone."""
    if not row.since_exact and row.since is not None:
        in_state = LOWER_BOUND + lower_bound(row.in_state(now))
    else:
        in_state = format_duration(row.in_state(now))
    return in_state, format_duration(row.uptime(now))


def durations_until(row: Row, now: datetime) -> datetime | None:
    """When ``durations(row, ...)`` can first read differently from ``durations(row, now)``
    as time alone passes (None: never). Until then the 1 Hz tick need not look at the row:
    a time in state past an hour moves once a minute, a lower bound once a minute."""
    moments = []
    if row.since is not None:
        bound = not row.since_exact
        moments.append(row.since + _next_step(now - row.since, bound))
    if row.startup_time is not None and row.uptime(now) is not None:
        moments.append(row.startup_time + _next_step(now - row.startup_time, False))
    return min(moments) if moments else None


def _next_step(held: timedelta, bound: bool) -> timedelta:
    """The time held when its text next changes: the next multiple of the text's unit
    (format_duration's second, minute, hour or day; a bound's minute under an hour)."""
    seconds = max(0, int(held.total_seconds()))
    if bound and seconds < 3600:
        step = 60
    elif seconds < 3600:
        step = 1
    elif seconds < 86_400:
        step = 60
    elif seconds < 100 * 86_400:
        step = 3600
    else:
        step = 86_400
    return timedelta(seconds=(seconds // step + 1) * step)


def lower_bound(held: timedelta | None) -> str:
    """A lower bound in whole minutes: ``0s``, ``1m``, ``59m``, then as ``format_duration``.

    The seconds of a bound say nothing (the state began before iotflow looked, by an
    unknown amount), and a cell that changes every second costs a line of terminal output
    a second per row over SSH; a fresh start shows every row not OPENED this way.
    """
    seconds = 0 if held is None else max(0, int(held.total_seconds()))
    if seconds < 60:
        return "0s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return format_duration(seconds)


def shorten_alarm(text: str, width: int) -> str:
    """The part of an alarm cell that matters when it does not fit: the time.

    ``next Sat 09:00`` → ``Sat 09:00``; ``⚠ open→Sat 16:00`` → ``open→Sat 16:00`` (the
    FLAGS column and the colour still say ALARM) → ``→Sat 16:00``.
    """
    for prefix in ("next ", "⚠ ", "open"):
        if cell_len(text) <= width:
            break
        text = text.removeprefix(prefix)
    return text


def empty_message(total: int, filter_text: str, faults_only: bool) -> str:
    """What the table says instead of a blank body when no row is shown."""
    if not total:
        return "No connections on this platform yet."
    if faults_only and not filter_text:
        return f"No faults: none of the {total} connections is in ERROR, stuck or flapping."
    among = "faults" if faults_only else f"{total} connections"
    return f"No connection matches “{filter_text}” among the {among} (esc clears the filter)."


def durations_span(layout: Iterable[Layout]) -> tuple[int, int] | None:
    """(x, width) of the cells that change with time alone, or None if none is shown."""
    x = 0
    start = end = None
    for index, (column, width) in enumerate(layout):
        x += 1 if index else 0
        if column.key in DURATIONS:
            start = x if start is None else start
            end = x + width
        x += width
    if start is None or end is None:
        return None
    return start, end - start
