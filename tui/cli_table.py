"""The tables ``list`` and ``metrics`` print, fitted to the operator's terminal.

The rule: when stdout is a terminal, or ``COLUMNS`` is set, every line fits that width;
otherwise (a pipe, a file, cron) the full table is printed as before, for the scripts
that parse it. Which columns stay and how they shorten is the dashboard's own scheme
(tui/columns.py): its priorities and minimum widths, its short state names
(``AUTH_FAILED``) and its shortened alarm cells, so a listing at 80 columns keeps what
the dashboard keeps at 80 columns. Headless: the columns module (and rich with it) is
imported only when a table is fitted, never by ``iotflow --help`` or ``info``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import IO

__all__ = ["METRICS_ONLY", "StatusLine", "output_width", "render"]

GAP = "  "
"""Between two cells, as in the full table: a name with spaces still reads apart."""

_KEYS = {
    "HEALTH": "health", "STATE": "state", "NAME": "name", "CONNECTOR": "connector",
    "ID": "id", "ACTIVE": "active", "STARTED": "startup", "UPTIME": "uptime",
    "IN STATE": "in_state", "FLAGS": "flags", "ALARMS": "alarms",
    "UP/H": "uplinks", "FAIL/H": "failures", "LAG": "lag",
}  # fmt: skip
"""A header (its words before any ``(zone)``) → the dashboard column it shows."""

METRICS_ONLY = {"UP/24H": 8.5, "FAIL/24H": 8.6, "DOWN/H": 9.5, "DEVICES": 10.5}
"""``metrics`` columns the dashboard has no column for, and their priority in its scale
(lower stays longer): after the hourly rates, the connector and the id it shares with
the dashboard, before the ones it drops first."""


def output_width(stream: IO[str]) -> int | None:
    """The width a table must fit, or None for the full table (see the module's rule)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            width = os.get_terminal_size(stream.fileno()).columns
            return width if width > 0 else None
    except (AttributeError, OSError, ValueError):
        pass  # not a real terminal after all (a wrapped stream, a closed descriptor)
    return None


def render(header: Sequence[str], rows: Iterable[Sequence[str]], width: int | None) -> str:
    """The table as lines: full when ``width`` is None, else each line at most ``width``."""
    rows = [list(row) for row in rows]
    if width is None:
        return _full(header, rows)
    return _fitted(header, rows, width)


def _full(header: Sequence[str], rows: list[list[str]]) -> str:
    """Today's table, byte for byte: every column at its longest value."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]  # fmt: skip
    lines = [GAP.join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append(GAP.join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _fitted(header: Sequence[str], rows: list[list[str]], width: int) -> str:
    from rich.cells import cell_len

    from .board import SHORT_STATES
    from .columns import COLUMNS, Column, fit, layout_columns, shorten_alarm

    dashboard = {column.key: column for column in COLUMNS}
    keys = [_KEYS.get(h.split(" (", 1)[0], "") for h in header]
    naturals = [max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    wanted = []
    for index, (label, key, natural) in enumerate(zip(header, keys, naturals, strict=True)):
        base = dashboard.get(key)
        priority = base.priority if base else METRICS_ONLY.get(label, 99.0)
        # A column the dashboard shortens (state, name, connector, alarms) may shrink to
        # its minimum; the others (ids, times, counts) are whole or not shown at all.
        shortest = min(natural, base.min_width) if base and base.min_width else natural
        # Each cell carries one cell of the gap, so the dashboard's one-cell layout
        # spaces them by two: n columns use sum(widths) + n, one more than they need.
        wanted.append(Column(str(index), label, natural + 1, priority, min_width=shortest + 1))
    layout = layout_columns(width + 1, wanted)
    shown = [(int(column.key), cells - 1) for column, cells in layout]

    def cell(index: int, cells: int, text: str) -> str:
        if cells < naturals[index]:
            if keys[index] == "state":
                text = SHORT_STATES.get(text, text)
            elif keys[index] == "alarms":
                text = shorten_alarm(text, cells)
        return fit(text, cells)

    lines = []
    for values in (list(header), *rows):
        line = GAP.join(cell(i, cells, values[i]) for i, cells in shown).rstrip()
        if cell_len(line) > width:  # narrower than the first column's minimum
            line = fit(line, width).rstrip()
        lines.append(line)
    return "\n".join(lines)


class StatusLine:
    """``status``'s line of one connection: ``WORD STATE ID  NAME  (connector)  problem``.

    Full (the state padded to 22) for a pipe, which monitoring reads; fitted to ``width``
    at a terminal: the dashboard's short states, padded to the longest of them, and the
    line cut with ``…`` at the width (the whole line stays in ``status | cat`` and the
    problem in ``list -o json``).
    """

    def __init__(self, width: int | None):
        self.width = width
        self._pad = 22
        if width is not None:
            from .board import SHORT_STATES
            from .cli_report import STATE_NAMES

            self._short = SHORT_STATES
            self._pad = max(len(SHORT_STATES.get(s, s)) for s in STATE_NAMES)

    def __call__(self, word: str, state: str, ident: str, rest: str) -> str:
        if self.width is None:
            return f"{word:<6} {state:<22} {ident:>6}  {rest}"
        from rich.cells import cell_len

        from .columns import fit

        line = f"{word:<6} {self._short.get(state, state):<{self._pad}} {ident:>6}  {rest}"
        return line if cell_len(line) <= self.width else fit(line, self.width).rstrip()
