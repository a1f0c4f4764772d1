"""Drawing one connection row as a strip, and remembering it until it reads differently.

A table repaints often (the 1 Hz tick, every poll) but a row's look rarely changes:
only its durations move on with time. A drawn row is kept with what it was drawn
from (``Look``); when only the durations differ they are patched into the kept
segments instead of building the row again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from enum import Enum
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ..board import AlarmCell, Row, alarm_view
from ..columns import DURATIONS, Layout, durations, durations_until, fit, row_cells


class Look(NamedTuple):
    """Everything but the durations that decides how a row is drawn."""

    version: int
    width: int
    is_cursor: bool
    flashing: bool
    stale: bool
    focused: bool
    alarm: AlarmCell


class Reads(Enum):
    """How a remembered row compares with what it would say now."""

    SAME = "same"
    DURATIONS = "durations"
    """Only the time in state or the uptime moved on."""
    REDRAW = "redraw"
    """Not drawn yet, or its alarm column changed: draw it again."""


class _Slot(NamedTuple):
    """Where a duration cell sits among a row's segments."""

    index: int
    which: int
    """Its place in ``columns.durations(row, now)``."""
    width: int
    style: Style


class _Drawn(NamedTuple):
    look: Look
    durations: tuple[str, str]
    strip: Strip
    segments: list[Segment]
    slots: list[_Slot]
    at: datetime
    """When it was drawn."""
    until: datetime | None
    """When its durations can first read differently (None: not with time alone)."""


_NOT_DIM = Style(dim=False)


class RowPainter:
    """Strips for connection rows; ``style`` maps a style name to the table's style."""

    def __init__(self, style: Callable[[str], Style]):
        self._style = style
        self._drawn: dict[str, _Drawn] = {}

    @property
    def remembered(self) -> int:
        return len(self._drawn)

    def forget(self, ident: str | None = None) -> None:
        """Draw this row (or, without an id, every row) afresh next time."""
        if ident is None:
            self._drawn.clear()
        else:
            self._drawn.pop(ident, None)

    def keep_only(self, idents: Iterable[str]) -> None:
        drawn = self._drawn
        self._drawn = {i: drawn[i] for i in idents if i in drawn}

    def reads(self, row: Row, now: datetime, tz: tzinfo | None) -> Reads:
        drawn = self._drawn.get(row.id)
        if drawn is None or drawn.look.alarm != alarm_view(row, now, tz):
            return Reads.REDRAW
        if drawn.at <= now and (drawn.until is None or now < drawn.until):
            return Reads.SAME  # (most rows: a time past an hour moves once a minute)
        return Reads.SAME if drawn.durations == durations(row, now) else Reads.DURATIONS

    def strip(
        self,
        row: Row,
        look: Look,
        columns: list[Layout],
        base: Style,
        now: datetime,
        tz: tzinfo | None,
    ) -> Strip:
        dynamic = durations(row, now)
        drawn = self._drawn.get(row.id)
        if drawn is not None and drawn.look == look:
            if drawn.durations == dynamic:
                if not (drawn.at <= now and (drawn.until is None or now < drawn.until)):
                    until = durations_until(row, now)
                    self._drawn[row.id] = drawn._replace(at=now, until=until)
                return drawn.strip
            segments, slots = drawn.segments, drawn.slots
        else:
            segments, slots = self._segments(row, look, columns, base, now, tz)
        # Only the durations change with time: patch them into the kept segments.
        segments = list(segments)
        for slot in slots:
            segments[slot.index] = Segment(fit(dynamic[slot.which], slot.width), slot.style)
        # One segment per style run: each segment costs a full SGR sequence and a reset on
        # the wire, and most cells share their neighbours' style (half the bytes per row).
        strip = Strip(segments, look.width).simplify()
        until = durations_until(row, now)
        self._drawn[row.id] = _Drawn(look, dynamic, strip, segments, slots, now, until)
        return strip

    def _segments(
        self,
        row: Row,
        look: Look,
        columns: list[Layout],
        base: Style,
        now: datetime,
        tz: tzinfo | None,
    ) -> tuple[list[Segment], list[_Slot]]:
        style_of = self._style
        line_style = base
        if look.flashing:
            line_style = line_style + style_of("changed")
        if look.is_cursor:
            line_style = line_style + style_of("cursor" if look.focused else "cursor-blurred")
        if look.stale:
            line_style = line_style + style_of("stale")
        segments: list[Segment] = []
        slots: list[_Slot] = []
        used = 0
        for index, (column, w, text, name) in enumerate(row_cells(row, columns, now, tz)):
            if index:
                segments.append(Segment(" ", line_style))
                used += 1
            style = style_of(name) if name else None
            if style and look.is_cursor:
                # Health colours on the cursor's background are hard to read: the cursor
                # row keeps the cursor's colours; the symbol and word still say the health.
                style = Style(bold=style.bold, reverse=style.reverse)
            cell_style = line_style + style if style else line_style
            if name in ("flag", "error"):
                # A fault is never dimmed, not even while the data is stale.
                cell_style += _NOT_DIM
            if column.key in DURATIONS:
                slots.append(_Slot(len(segments), DURATIONS[column.key], w, cell_style))
            segments.append(Segment(fit(text, w), cell_style))
            used += w
        if used < look.width:
            segments.append(Segment(" " * (look.width - used), line_style))
        return segments, slots
