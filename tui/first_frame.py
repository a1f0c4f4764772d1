"""The dashboard's first screen of rows, drawn before Textual has started (no Textual here).

Importing Textual and starting its app takes a good part of a second on a busy jump
host; the platform's list often arrives sooner (``tui.launch`` asks for it first). The
operator should not stare at a blank terminal while data is already here, so the first
frame is drawn from the list as soon as it arrives: the same header words
(``tui.header_text``), the same columns and cells (``tui.columns``), in the same order
and the theme's colours. The interactive dashboard then draws over it, cell for cell, a
moment later.

``frame_lines`` says what each line holds (text and a style name, testable as plain
text); ``render`` turns that into terminal output for a colour system.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import NamedTuple

from rich.cells import cell_len
from rich.color import Color, ColorSystem
from rich.style import Style

from .board import Board, Row
from .columns import DURATIONS, durations, fit, header_text, layout_columns, row_cells
from .connection_order import sort_key
from .header_text import HeaderInfo, Line, header_lines

HEADER_HEIGHT = 2
FOOTER_HEIGHT = 1
SCROLLBAR_WIDTH = 1
FIRST_SORT = "state"
"""The dashboard's sort when it starts."""

PALETTE: Mapping[str, str] = {
    # The dashboard header (background $panel) and the footer under the table.
    "header": "#e0e0e0 on #242f38",
    "header-title": "bold #ffc473 on #242f38",
    "header-readonly": "bold #ffffff on #fea62b",
    "header-muted": "#a7abaf on #242f38",
    "header-mode": "bold #ffc473 on #242f38",
    "header-active": "#4ebf71 on #242f38",
    "header-init": "#fea62b on #242f38",
    "header-error": "bold #b93c5b on #242f38",
    "header-deactivated": "#8b9094 on #242f38",
    "header-stale": "bold reverse #b93c5b on #242f38",
    "footer": "#e0e0e0 on #242f38",
    # The connection table (background $surface, tinted while focused).
    "table": "#e0e0e0 on #232323",
    "table-header": "bold #ffc473 on #232323",
    "cursor": "bold #ddedf9 on #0178d4",
    "active": "#4ebf71 on #232323",
    "init": "#fea62b on #232323",
    "error": "bold #b93c5b on #232323",
    "deactivated": "#8a8a8a on #232323",
    "flag": "bold #b93c5b on #232323",
    "muted": "#8a8a8a on #232323",
}
"""Style names → the styles the app's theme gives them (``tests/ui/test_first_frame.py``
checks these against the running app, so a theme change cannot leave them behind)."""

NO_COLOR_OVERRIDES: Mapping[str, str] = {
    # The app's ``-no-color`` rules: faults stand out by reverse video, not by red.
    "error": "bold reverse #e0e0e0 on #232323",
    "flag": "bold reverse #e0e0e0 on #232323",
    "header-error": "bold reverse #e0e0e0 on #242f38",
    "header-stale": "bold reverse #e0e0e0 on #242f38",
}


CURSOR_CELL = "|"
"""``cursor|error``: a cell on the cursor row in the cursor's colours with its own weight."""


class Piece(NamedTuple):
    text: str
    style: str
    """A key of PALETTE, or two joined by CURSOR_CELL."""


FrameLine = list[Piece]


def header_info(board: Board, profile: str, host: str, read_only: bool,
                interval: float) -> HeaderInfo:
    """What the header says as the dashboard takes over: the list is in (the counts, and
    "0s ago": it has just arrived), the first poll's metrics are still on their way (so the
    data-flow figures read —, and the poll is under way). The dashboard, having taken that
    list, says the same until the metrics arrive (tests/ui/test_first_frame.py)."""
    total = len(board.rows)
    return HeaderInfo(profile=profile, host=host, read_only=read_only, interval=interval,
                      counts=board.counts(), shown=total, total=total, sort=FIRST_SORT,
                      since_refresh="0s", refreshing=True, flow_pending=True)


def first_rows(rows: Mapping[str, Row], count: int) -> list[Row]:
    """The ``count`` rows the dashboard lists first (its starting sort, no filter)."""
    return heapq.nsmallest(count, rows.values(), key=sort_key(FIRST_SORT))


def _header_line(line: Line, width: int) -> FrameLine:
    """One header line with the widget's one-cell padding each side, cut to ``width``."""
    pieces = [Piece(" " * min(1, width), "header")]
    room = max(0, width - 2)
    used = len(pieces[0].text)
    for text, name in line:
        if room <= 0:
            break
        if cell_len(text) > room:
            text = fit(text, room).rstrip()
        pieces.append(Piece(text, f"header-{name}" if name else "header"))
        room -= cell_len(text)
        used += cell_len(text)
    pieces.append(Piece(" " * (width - used), "header"))
    return pieces


def _crop(line: FrameLine, width: int) -> FrameLine:
    """The line cut at ``width`` cells (the first column may be wider than a tiny terminal)."""
    out: FrameLine = []
    room = width
    for text, name in line:
        if room <= 0:
            break
        if cell_len(text) > room:
            text = fit(text, room)
        out.append(Piece(text, name))
        room -= cell_len(text)
    return out


def _row_line(row: Row, layout: list, width: int, cursor: bool, now: datetime,
              tz: tzinfo | None) -> FrameLine:
    base = "cursor" if cursor else "table"
    dynamic = durations(row, now)
    pieces: FrameLine = []
    used = 0
    for index, (column, w, text, name) in enumerate(row_cells(row, layout, now, tz)):
        if index:
            pieces.append(Piece(" ", base))
            used += 1
        if column.key in DURATIONS:
            text = dynamic[DURATIONS[column.key]]
        style = base
        if name:
            # On the cursor row the cursor's colours win, as in the table widget; the cell
            # keeps its weight and reverse video.
            style = f"cursor{CURSOR_CELL}{name}" if cursor else name
        pieces.append(Piece(fit(text, w), style))
        used += w
    pieces.append(Piece(" " * max(0, width - used), base))
    return _crop(pieces, width)


def frame_lines(board: Board, info: HeaderInfo, width: int, height: int, now: datetime,
                tz: tzinfo | None) -> list[FrameLine]:
    """Every line of the first frame, top to bottom: ``height`` lines of ``width`` cells."""
    body = max(0, height - HEADER_HEIGHT - FOOTER_HEIGHT)
    visible = max(0, body - 1)  # under the table's own header line
    scrollbar = SCROLLBAR_WIDTH if len(board.rows) > visible and width > SCROLLBAR_WIDTH else 0
    content = max(1, width - scrollbar)
    layout = layout_columns(content)
    top, bottom = header_lines(info, max(1, width - 2))
    lines = [_header_line(top, width), _header_line(bottom, width)][:height]
    if body:
        label = fit(header_text(layout, FIRST_SORT, False), content) + " " * scrollbar
        lines.append([Piece(label, "table-header")])
    for position, row in enumerate(first_rows(board.rows, visible)):
        lines.append(_row_line(row, layout, content, position == 0, now, tz))
        if scrollbar:
            lines[-1].append(Piece(" " * scrollbar, "table"))
    while len(lines) < height - FOOTER_HEIGHT:
        lines.append([Piece(" " * width, "table")])
    if len(lines) < height:
        lines.append([Piece(" " * width, "footer")])
    return lines


def plain_text(lines: list[FrameLine]) -> list[str]:
    return ["".join(piece.text for piece in line) for line in lines]


def _grey(color: Color | None) -> Color | None:
    """Textual's NO_COLOR filter: each colour becomes the grey of its luminance."""
    if color is None:
        return None
    red, green, blue = color.get_truecolor()
    grey = round(red * 0.2126 + green * 0.7152 + blue * 0.0722)
    return Color.from_rgb(grey, grey, grey)


def style_of(name: str, no_color: bool) -> Style:
    """The style a PALETTE name is drawn in, as the app draws it (with or without colour)."""
    line, _bar, own = name.partition(CURSOR_CELL)
    if own:
        cell_style = style_of(own, no_color)
        return style_of(line, no_color) + Style(bold=cell_style.bold,
                                                reverse=cell_style.reverse)
    if not no_color:
        return Style.parse(PALETTE[name])
    style = Style.parse(NO_COLOR_OVERRIDES.get(name) or PALETTE[name])
    return style + Style.from_color(_grey(style.color), _grey(style.bgcolor))


def _runs(line: FrameLine) -> list[Piece]:
    """Neighbours in the same style as one piece: one colour code sent, not one each."""
    runs: list[Piece] = []
    for piece in line:
        if runs and runs[-1].style == piece.style:
            runs[-1] = Piece(runs[-1].text + piece.text, piece.style)
        else:
            runs.append(piece)
    return runs


def render(lines: list[FrameLine], color_system: ColorSystem | None, no_color: bool) -> str:
    """Terminal output that draws ``lines`` from the top-left corner, each in place."""
    styles: dict[str, Style] = {}
    out = []
    for y, line in enumerate(lines, start=1):
        out.append(f"\x1b[{y};1H")
        for text, name in _runs(line):
            style = styles.get(name)
            if style is None:
                style = styles[name] = style_of(name, no_color)
            out.append(style.render(text, color_system=color_system))
    return "".join(out)


_TERM_COLORS = {"kitty": ColorSystem.EIGHT_BIT, "256color": ColorSystem.EIGHT_BIT,
                "16color": ColorSystem.STANDARD}


def color_system_of(env: Mapping[str, str]) -> ColorSystem | None:
    """The colours the terminal takes, judged as Rich (and so Textual's console) judges them:
    ``COLORTERM``, then the end of ``TERM``. NO_COLOR does not remove colours in Textual
    (it greys them: ``style_of``)."""
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return ColorSystem.TRUECOLOR
    term = env.get("TERM", "").strip().lower()
    if term in ("dumb", "unknown"):
        return None
    _name, _dash, colors = term.rpartition("-")
    return _TERM_COLORS.get(colors, ColorSystem.STANDARD)
