"""The connection table: renders only the visible rows through Textual's line API.

Textual's DataTable measures and stores every cell of every row, so filtering 10,000
rows or clearing and rebuilding 5,000 costs hundreds of milliseconds (see
``tests/benchmarks/bench_dashboard.py``). This widget keeps the board's rows by id,
the order they show in (``ConnectionOrder``, which moves only the rows that changed)
and draws a line only when it is on screen, the way Toolong's ``LogLines`` does.
What each cell says comes from ``tui.columns``; this widget adds the cursor, the
"just changed" highlight and the styles.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, tzinfo
from itertools import zip_longest

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..board import Delta, Row, alarm_view
from ..columns import Layout, durations_span, empty_message, fit, header_text, layout_columns
from ..connection_order import ConnectionOrder
from .component_style import component_style
from .connection_rows import Look, Reads, RowPainter
from .covered import RepaintWhenShown

FLASH_SECONDS = 2.0


class ConnectionTable(RepaintWhenShown, ScrollView, can_focus=True):
    """One row per connection, keyed by connection id."""

    DEFAULT_CSS = """
    ConnectionTable {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        &:focus { background-tint: $foreground 3%; }
        & > .connection-table--header { text-style: bold; color: $text-accent; }
        & > .connection-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .connection-table--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .connection-table--changed { background: $warning-muted; text-style: bold; }
        & > .connection-table--active { color: $success; }
        & > .connection-table--init { color: $warning; }
        & > .connection-table--error { color: $error; text-style: bold; }
        & > .connection-table--deactivated { color: $foreground 55%; }
        & > .connection-table--flag { color: $error; text-style: bold; }
        & > .connection-table--muted { color: $foreground 55%; }
        & > .connection-table--stale { text-style: dim; }
    }
    """

    COMPONENT_CLASSES = {
        "connection-table--header",
        "connection-table--cursor",
        "connection-table--cursor-blurred",
        "connection-table--changed",
        "connection-table--active",
        "connection-table--init",
        "connection-table--error",
        "connection-table--deactivated",
        "connection-table--flag",
        "connection-table--muted",
        "connection-table--stale",
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home,g", "edge(0)", "First", show=False, id="table.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="table.last"),
    ]

    stale: reactive[bool] = reactive(False)

    class ColumnsChanged(Message):
        """Other columns fit after a resize (the header says the sort when its column
        is not among them)."""

    class Highlighted(Message):
        """The cursor moved to another connection (or to none)."""

        def __init__(self, table: ConnectionTable, connection_id: str | None):
            super().__init__()
            self.table = table
            self.connection_id = connection_id

    def __init__(
        self,
        *,
        clock: Callable[[], datetime],
        display_tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self.display_tz = display_tz
        self.rows: Mapping[str, Row] = {}
        self._order = ConnectionOrder()
        self._loaded = False
        """Whether rows were given once: only then does an empty table say so."""
        self._index_cache: dict[str, int] | None = None
        self.cursor = 0
        self.cursor_id: str | None = None
        self._flash: dict[str, float] = {}
        self._painter = RowPainter(self._style)
        self._layout: list[Layout] = []
        self._layout_width = -1
        self._styles: dict[str, Style] = {}
        self._pass: tuple[list[Layout], int, Style, datetime] | None = None
        """(columns, width, style, now) of the paint under way, from its first line drawn."""
        self._painting = False

    # -- data ------------------------------------------------------------------------

    @property
    def order(self) -> list[str]:
        """The ids shown, top to bottom (sorted and filtered by ``ConnectionOrder``)."""
        return self._order.visible

    @property
    def sort(self) -> str:
        return self._order.sort

    @property
    def reverse(self) -> bool:
        return self._order.reverse

    @property
    def filter_text(self) -> str:
        """The text the rows are filtered by (not ``query``: that is Textual's DOM query)."""
        return self._order.filter.text

    @property
    def faults_only(self) -> bool:
        return self._order.filter.faults_only

    def set_rows(self, rows: Mapping[str, Row]) -> None:
        """Show these rows, recomputing the whole order (first load, sort change)."""
        self.rows = rows
        self._loaded = True
        self._painter.forget()
        self._order.reset(rows)
        self._after_reorder()
        self.refresh()

    def _after_reorder(self) -> None:
        self._index_cache = None
        self._set_height(len(self.order) + 1)
        self._restore_cursor()

    def _set_height(self, height: int) -> None:
        size = Size(self.size.width, height)
        if size != self.virtual_size:
            self.virtual_size = size

    def _window(self) -> list[str]:
        """The ids on screen, top to bottom."""
        top = int(self.scroll_y)
        return self.order[top : top + max(0, self.size.height - 1)]

    def _refresh_rows(self, lines: Iterable[int]) -> None:
        """Repaint these lines of the widget (1 = the first row under the header)."""
        width = self.size.width
        self._refresh_regions([Region(0, y, width, 1) for y in lines])

    def _refresh_regions(self, regions: list[Region]) -> None:
        # In one call: each refresh asks whether the screen is covered and wakes Textual.
        # (Never with none: refresh() without regions repaints the whole widget.)
        if regions:
            self.refresh(*regions)

    def apply_delta(self, rows: Mapping[str, Row], delta: Delta, *, flash: bool = True) -> None:
        """Apply one poll's changes: move, add or drop only the rows concerned.

        Each changed row leaves its place and is inserted at its new one by bisection
        (no sort), and only the lines on screen that now read differently are repainted.
        """
        self.rows = rows
        if not delta:
            return
        changed = set(delta.changed)
        for ident in (*delta.removed, *changed):
            self._painter.forget(ident)
        if flash:
            self._mark_changed(delta)
        top, before = int(self.scroll_y), self._window()
        self._order.update(rows, added=delta.added, removed=delta.removed, changed=changed)
        self._after_reorder()
        if int(self.scroll_y) != top:
            self.refresh()
            return
        after = self._window()
        self._refresh_rows(
            y
            for y, (old, new) in enumerate(zip_longest(before, after), start=1)
            if old != new or new in changed
        )

    def _mark_changed(self, delta: Delta) -> None:
        until = time.monotonic() + FLASH_SECONDS
        for ident in (*delta.changed, *delta.added):
            self._flash[ident] = until

    def end_flashes(self) -> None:
        """Un-highlight the rows changed FLASH_SECONDS ago or more. The dashboard's 1 Hz
        tick calls it, so the rows go back in the frame the tick draws anyway (a timer of
        their own cost a frame more at every poll that changed a row)."""
        if not self._flash:
            return
        now = time.monotonic()
        expired = {ident for ident, until in self._flash.items() if until <= now}
        for ident in expired:
            del self._flash[ident]
        if expired:
            window = self._window()
            self._refresh_rows(y for y, ident in enumerate(window, start=1) if ident in expired)

    def set_view(
        self,
        *,
        filter_text: str | None = None,
        faults_only: bool | None = None,
        sort: str | None = None,
        reverse: bool | None = None,
    ) -> None:
        """Change the filter or the sort; the cursor stays on the same connection."""
        order = self._order
        if filter_text is not None or faults_only is not None:
            order.set_filter(filter_text, faults_only)
        if sort is not None or reverse is not None:
            order.set_sort(
                order.sort if sort is None else sort,
                order.reverse if reverse is None else reverse,
            )
        self._after_reorder()
        self.refresh()

    # -- cursor ----------------------------------------------------------------------

    @property
    def _index(self) -> dict[str, int]:
        """Position of each visible id, built only when asked (a refresh does not need it)."""
        if self._index_cache is None:
            self._index_cache = {ident: position for position, ident in enumerate(self.order)}
        return self._index_cache

    def _position_of(self, ident: str | None) -> int | None:
        if ident is None:
            return None
        if 0 <= self.cursor < len(self.order) and self.order[self.cursor] == ident:
            return self.cursor
        if self._index_cache is not None:
            return self._index_cache.get(ident)
        try:
            return self.order.index(ident)
        except ValueError:
            return None

    @property
    def selected_id(self) -> str | None:
        return self.cursor_id if self._position_of(self.cursor_id) is not None else None

    def _restore_cursor(self) -> None:
        previous = self.cursor_id
        position = self._position_of(previous)
        if position is not None:
            self.cursor = position
        else:
            self.cursor = max(0, min(self.cursor, len(self.order) - 1))
            self.cursor_id = self.order[self.cursor] if self.order else previous
        self._scroll_to_cursor()
        if position is None:
            self.post_message(self.Highlighted(self, self.selected_id))

    def select_id(self, ident: str) -> bool:
        """Put the cursor on a connection; False when it is not shown."""
        if ident not in self._index:
            return False
        self.move_to(self._index[ident])
        return True

    def move_to(self, position: int) -> None:
        if not self.order:
            return
        position = max(0, min(position, len(self.order) - 1))
        old = self.cursor
        self.cursor = position
        ident = self.order[position]
        changed = ident != self.cursor_id
        self.cursor_id = ident
        self._scroll_to_cursor()
        self._refresh_position(old)
        self._refresh_position(position)
        if changed:
            self.post_message(self.Highlighted(self, ident))

    def _refresh_position(self, position: int) -> None:
        y = position - int(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self._refresh_rows((y,))

    def _scroll_to_cursor(self) -> None:
        body = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + body:
            self.scroll_to(y=self.cursor - body + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.size.height - 2))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.order) - 1 if end else 0)

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        self.move_to(int(self.scroll_y) + offset.y - 1)
        if event.chain == 2 and self.cursor_id is not None:
            await self.screen.run_action("details")

    # -- rendering -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.order) + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._painter.forget()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, f"connection-table--{name}")
        return style

    def shown_columns(self) -> set[str]:
        """The keys of the columns that fit at the current width."""
        return {layout.column.key for layout in self._columns()}

    def _columns(self) -> list[Layout]:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout_width = width
            before = [layout.column for layout in self._layout]
            self._layout = layout_columns(max(1, width))
            self._painter.forget()
            if [layout.column for layout in self._layout] != before:
                self.post_message(self.ColumnsChanged())
        return self._layout

    def render_lines(self, crop: Region) -> list[Strip]:
        # Computed once per paint rather than once per line, and only once a line is drawn:
        # Textual asks every frame for the whole table, mostly from its cache of lines
        # (the 1 Hz header repaint draws no row), and the widget's style costs to work out.
        self._pass = None
        self._painting = True
        try:
            return super().render_lines(crop)
        finally:
            self._painting = False
            self._pass = None
            if self._painter.remembered > 4 * max(self.size.height, 25):
                # Keep what is on screen: a cache of every row ever drawn would only
                # grow (and make every full garbage collection slower).
                self._painter.keep_only(self._window())

    def render_line(self, y: int) -> Strip:
        paint = self._pass
        if paint is None:
            paint = (
                self._columns(),
                self.scrollable_content_region.width,
                self.rich_style,
                self.clock(),
            )
            if self._painting:
                self._pass = paint
        columns, width, base, now = paint
        if y == 0:
            return self._header_strip(columns, width, base)
        position = int(self.scroll_y) + y - 1
        if position >= len(self.order):
            if y == 1 and not self.order and self._loaded:
                # An empty result says why, instead of a blank table that looks broken.
                text = empty_message(len(self.rows), self.filter_text, self.faults_only)
                style = base + self._style("muted")
                return Strip([Segment(fit(" " + text, width), style)], width)
            return Strip.blank(width, base)
        return self._row_strip(self.order[position], position, columns, width, base, now)

    def _header_strip(self, columns: list[Layout], width: int, base: Style) -> Strip:
        text = header_text(columns, self.sort, self.reverse)
        return Strip([Segment(fit(text, width), base + self._style("header"))], width)

    def _row_strip(
        self,
        ident: str,
        position: int,
        columns: list[Layout],
        width: int,
        base: Style,
        now: datetime | None = None,
    ) -> Strip:
        row = self.rows[ident]
        now = now or self.clock()
        look = Look(
            row.version,
            width,
            position == self.cursor,
            ident in self._flash,
            self.stale,
            self.has_focus,
            alarm_view(row, now, self.display_tz),
        )
        return self._painter.strip(row, look, columns, base, now, self.display_tz)

    def refresh_durations(self) -> None:
        """Repaint only the visible rows whose durations read differently now (1 Hz tick)."""
        now = self.clock()
        rows, painter, tz = self.rows, self._painter, self.display_tz
        stale: list[int] = []
        ticking: list[int] = []
        for y, ident in enumerate(self._window(), start=1):
            row = rows.get(ident)
            reads = Reads.REDRAW if row is None else painter.reads(row, now, tz)
            if reads is Reads.REDRAW:
                stale.append(y)
            elif reads is Reads.DURATIONS:
                ticking.append(y)
        self._refresh_rows(stale)
        span = durations_span(self._columns())
        if span is None:
            self._refresh_rows(ticking)
        else:
            # Only the duration cells moved on: repaint (and send to the terminal) them alone.
            x, width = span
            self._refresh_regions([Region(x, y, width, 1) for y in ticking])

    def on_focus(self) -> None:
        self._painter.forget()
        self.refresh()

    def on_blur(self) -> None:
        self._painter.forget()
        self.refresh()

    def watch_stale(self) -> None:
        self.refresh()
