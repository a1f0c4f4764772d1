"""The dashboard header: where we are, how things are, and how fresh the data is.

The words come from ``tui.header_text`` (fitted to the width there); this widget only
styles them.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget

from ..header_text import (
    HeaderInfo,
    Line,
    Piece,
    bottom_inputs,
    bottom_line,
    top_line,
    width_of,
)
from .component_style import component_style
from .covered import RepaintWhenShown

__all__ = ["DashboardHeader", "HeaderInfo"]


class DashboardHeader(RepaintWhenShown, Widget):
    """Two lines: context and freshness, then counts by health and the current view."""

    DEFAULT_CSS = """
    DashboardHeader {
        height: 2;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        & > .dashboard-header--title { text-style: bold; color: $text-accent; }
        & > .dashboard-header--readonly { background: $warning; color: $text; text-style: bold; }
        & > .dashboard-header--muted { color: $text-muted; }
        & > .dashboard-header--mode { color: $text-accent; text-style: bold; }
        & > .dashboard-header--active { color: $success; }
        & > .dashboard-header--init { color: $warning; }
        & > .dashboard-header--error { color: $error; text-style: bold; }
        & > .dashboard-header--deactivated { color: $foreground 55%; }
        & > .dashboard-header--stale { color: $error; text-style: bold reverse; }
    }
    """

    COMPONENT_CLASSES = {
        "dashboard-header--title",
        "dashboard-header--readonly",
        "dashboard-header--muted",
        "dashboard-header--mode",
        "dashboard-header--active",
        "dashboard-header--init",
        "dashboard-header--error",
        "dashboard-header--deactivated",
        "dashboard-header--stale",
    }

    def __init__(self, info: HeaderInfo, *, id: str | None = None):
        super().__init__(id=id)
        self.info = info
        self._drawn: tuple[Line, Line] | None = None
        """The lines last drawn, to repaint only the one that reads differently."""
        self._fitted: tuple[int, tuple[Line, Line]] | None = None
        """(width, lines) fitted by the last update, for the render that follows it."""
        self._bottom: tuple[tuple[Any, ...], Line] | None = None
        """(inputs, line) of the bottom line: it reads the same between polls."""
        self._styles: dict[str, Style] = {}
        """Component styles by name: Textual forgets its own on every refresh."""
        self._looks: dict[str | None, tuple[VisualStyle, VisualStyle]] = {}
        """Piece style name → (widget style, piece style over it) for render_line."""

    def update(self, **changes: object) -> None:
        for key, value in changes.items():
            setattr(self.info, key, value)
        self._fitted = None  # what the header says has (perhaps) changed: fit it again
        width = self.content_size.width
        if self._drawn is None or not width:
            self.refresh()
            return
        # Over SSH every byte counts: the 1 Hz "updated 3s ago" repaints the first line
        # only, and a line that reads the same is not sent again.
        lines = self._fitted_lines(width)
        changed = [
            Region(0, y, self.size.width, 1)
            for y, (line, drawn) in enumerate(zip(lines, self._drawn, strict=True))
            if line != drawn
        ]
        if changed:
            self.refresh(*changed)

    def _fitted_lines(self, width: int) -> tuple[Line, Line]:
        """The two lines for ``width`` cells, fitted once per update (render_line draws
        them one at a time)."""
        fitted = self._fitted
        if fitted is None or fitted[0] != width:
            fitted = self._fitted = (width, self._lines(width))
        return fitted[1]

    def _lines(self, width: int) -> tuple[Line, Line]:
        inputs = bottom_inputs(self.info, width)
        kept = self._bottom
        if kept is None or kept[0] != inputs:
            kept = self._bottom = (inputs, bottom_line(self.info, width))
        return top_line(self.info, width), kept[1]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._looks.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, f"dashboard-header--{name}")
        return style

    def _look(self, name: str | None, base: VisualStyle) -> VisualStyle:
        """The style a piece named ``name`` is drawn in over ``base`` (the widget's own),
        combined as Textual's Content does it for the same Text."""
        look = self._looks.get(name)
        if look is None or look[0] is not base:
            piece = base if name is None else VisualStyle.from_rich_style(
                self._style(name), self.app.ansi_theme
            )
            look = self._looks[name] = (base, base + piece)
        return look[1]

    def _text(self, line: Line) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for piece, name in _runs(line):
            if name is None:
                text.append(piece)
            else:
                text.append(piece, self._style(name))
        return text

    def render(self) -> Text:
        """Both lines as one Text: what a selection (or a test) reads; render_line draws."""
        return self.text_at(max(1, self.content_size.width))

    def text_at(self, width: int) -> Text:
        top, bottom = self._fitted_lines(width)
        return Text("\n").join([self._text(top), self._text(bottom)])

    def render_line(self, y: int) -> Strip:
        """One line, drawn from its pieces as Textual would draw their Text.

        Through ``render`` Textual turns the whole Text into Content, wraps it and styles
        it again at every repaint: about 1 ms for the 1 Hz "updated 3s ago", most of an
        idle dashboard's drawing. Here the changed line alone becomes segments, each in
        the style (and with the selection offset) Content gives it.
        """
        width = max(1, self.content_size.width)
        self._drawn = self._fitted_lines(width)
        return self.line_at(y, width)

    def line_at(self, y: int, width: int) -> Strip:
        """Line ``y`` of the header drawn ``width`` cells wide."""
        lines = self._fitted_lines(width)
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        base = self.visual_style
        segments: list[Segment] = []
        x = cells = 0
        for piece, name in _runs(_cut_to(lines[y], width)):
            segments.append(Segment(piece, self._look(name, base).rich_style_with_offset(x, y)))
            x += len(piece)
            cells += cell_len(piece)
        return Strip(segments, cells)


def _runs(line: Line) -> list[tuple[str, str | None]]:
    """Neighbours in the same style as one run: one colour code sent, not one each."""
    runs: list[tuple[str, str | None]] = []
    for piece, name in line:
        if not piece:
            continue
        if runs and runs[-1][1] == name:
            runs[-1] = (runs[-1][0] + piece, name)
        else:
            runs.append((piece, name))
    return runs


def _cut_to(line: Line, width: int) -> Line:
    """A line wider than ``width`` (only the most compact variant on a very narrow
    terminal) cut at ``width`` with an ellipsis, instead of wrapping onto the next."""
    if width_of(line) <= width:
        return line
    out: Line = []
    room = max(0, width - 1)
    for piece in line:
        size = cell_len(piece.text)
        if size > room:
            out.append(Piece(set_cell_size(piece.text, room) + "…", piece.style))
            return out
        out.append(piece)
        room -= size
    return out
