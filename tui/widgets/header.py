"""The dashboard header: where we are, how things are, and how fresh the data is.

The words come from ``tui.header_text`` (fitted to the width there); this widget only
styles them.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from ..header_text import HeaderInfo, Line, bottom_inputs, bottom_line, top_line
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

    def update(self, **changes: object) -> None:
        for key, value in changes.items():
            setattr(self.info, key, value)
        width = self.content_size.width
        if self._drawn is None or not width:
            self.refresh()
            return
        # Over SSH every byte counts: the 1 Hz "updated 3s ago" repaints the first line
        # only, and a line that reads the same is not sent again.
        lines = self._lines(width)
        self._fitted = (width, lines)  # render draws these, not a second fitting
        changed = [
            Region(0, y, self.size.width, 1)
            for y, (line, drawn) in enumerate(zip(lines, self._drawn, strict=True))
            if line != drawn
        ]
        if changed:
            self.refresh(*changed)

    def _lines(self, width: int) -> tuple[Line, Line]:
        inputs = bottom_inputs(self.info, width)
        kept = self._bottom
        if kept is None or kept[0] != inputs:
            kept = self._bottom = (inputs, bottom_line(self.info, width))
        return top_line(self.info, width), kept[1]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, f"dashboard-header--{name}")
        return style

    def _text(self, line: Line) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        # Neighbours in the same style become one run: one colour code sent, not one each.
        runs: list[tuple[str, str | None]] = []
        for piece, name in line:
            if runs and runs[-1][1] == name:
                runs[-1] = (runs[-1][0] + piece, name)
            else:
                runs.append((piece, name))
        for piece, name in runs:
            if name is None:
                text.append(piece)
            else:
                text.append(piece, self._style(name))
        return text

    def render(self) -> Text:
        width = max(1, self.content_size.width)
        fitted = self._fitted
        lines = fitted[1] if fitted is not None and fitted[0] == width else None
        top, bottom = self._drawn = lines or self._lines(width)
        self._fitted = None
        return Text("\n").join([self._text(top), self._text(bottom)])
