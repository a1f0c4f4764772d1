"""The connection table: renders only the visible rows through Textual's line API.

Textual's DataTable measures and stores every cell of every row, so filtering 10,000
rows or clearing and rebuilding 5,000 costs hundreds of milliseconds (see
``tests/benchmarks/bench_dashboard.py``). This widget keeps the board's rows by id,
an ordered list of the visible ids, and draws a line only when it is on screen, the
way Toolong's ``LogLines`` does. A refresh moves only the rows that changed.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, tzinfo
from itertools import zip_longest
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..board import (
    HEALTH_SYMBOL,
    NO_VALUE,
    Column,
    Delta,
    Row,
    alarm_view,
    flags_cell,
    format_local,
    layout_columns,
    sort_key,
    state_label,
)
from ..health import HEALTH_ORDER, Health
from ..timefmt import format_duration

FLASH_SECONDS = 2.0
_DYNAMIC = {"in_state": 0, "uptime": 1}
"""Columns that change with time alone, and their place in a row's durations tuple."""


class _Desc:
    """Inverts the order of a sort key, so bisect works for reversed sorts too."""

    __slots__ = ("key",)

    def __init__(self, key: Any):
        self.key = key

    def __lt__(self, other: _Desc) -> bool:
        return other.key < self.key


def _fit(text: str, width: int) -> str:
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


_HEALTH_TEXT = tuple(health.value for health in HEALTH_ORDER)
_HEALTH_STYLE = tuple(text.lower() for text in _HEALTH_TEXT)
_HEALTH_SYMBOLS = tuple(HEALTH_SYMBOL[health] for health in HEALTH_ORDER)
"""By ``row.rank``: no Enum hashing or ``.value`` lookups while painting."""

_ALARM_STYLE = {"open-not-opened": "flag", "open": "active", "invalid": "muted"}
"""How the alarm column is coloured by level: a quiet connection inside a window stands out."""


class ConnectionTable(ScrollView, can_focus=True):
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
        self.order: list[str] = []
        self._all: list[str] = []
        """Every id in sort order (before the filter)."""
        self._all_keys: list[Any] = []
        """The sort key of each id in ``_all``, side by side: bisect needs no key function."""
        self._keys: dict[str, Any] = {}
        """id → the sort key it was placed with (to find it again when it changes)."""
        self._filtered_for: tuple[str, bool] | None = None
        """(lower-case query, faults only) that ``order`` was filtered for, while valid."""
        self._index_cache: dict[str, int] | None = None
        self.query = ""
        self.faults_only = False
        self.sort = "state"
        self.reverse = False
        self.cursor = 0
        self.cursor_id: str | None = None
        self._flash: dict[str, float] = {}
        self._cache: dict[str, tuple[Any, ...]] = {}
        """id → (look, durations, strip, segments, duration slots) of the last drawing."""
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1
        self._styles: dict[str, Style] = {}
        self._pass: tuple[list[tuple[Column, int]], int, Style, datetime] | None = None

    # -- data ------------------------------------------------------------------------

    def _key(self) -> Callable[[Row], Any]:
        key = sort_key(self.sort)
        if self.reverse:
            return lambda row: _Desc(key(row))
        return key

    def _shows(self, row: Row) -> bool:
        if self.faults_only and not row.is_fault:
            return False
        return not self.query or self.query.lower() in row.search

    def set_rows(self, rows: Mapping[str, Row]) -> None:
        """Show these rows, recomputing the whole order (first load, sort change)."""
        self.rows = rows
        self._cache.clear()
        self._resort()

    def _resort(self) -> None:
        """Sort every row (first load, another sort): the only O(n log n) step."""
        ids = list(self.rows)
        keys = list(map(self._key(), self.rows.values()))
        positions = sorted(range(len(ids)), key=keys.__getitem__)
        self._all = [ids[i] for i in positions]
        self._all_keys = [keys[i] for i in positions]
        self._keys = dict(zip(ids, keys, strict=True))
        self._filtered_for = None
        self._refilter()
        self.refresh()

    def _refilter(self) -> None:
        """The visible ids: a scan of the sorted list, so a keystroke never sorts.

        When the query only grew (``par`` after ``pa``) the previous result is narrowed
        instead of scanning every row again.
        """
        needle = self.query.lower()
        faults = self.faults_only
        if not needle and not faults:
            self.order = self._all
            self._filtered_for = None
        else:
            previous = self._filtered_for
            base = self._all
            if previous is not None and previous[1] == faults and needle.startswith(previous[0]):
                base = self.order
            rows = self.rows
            if faults and needle:
                self.order = [i for i in base if needle in rows[i].search and rows[i].is_fault]
            elif faults:
                self.order = [i for i in base if rows[i].is_fault]
            else:
                self.order = [i for i in base if needle in rows[i].search]
            self._filtered_for = (needle, faults)
        self._after_reorder()

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
        for y in lines:
            self.refresh(Region(0, y, width, 1))

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
            self._cache.pop(ident, None)
        if flash:
            self._mark_changed(delta)
        if delta.touched > max(50, len(self._all) // 5):
            # Most rows moved: one sort is cheaper than many insertions.
            self._resort()
            return
        top, before = int(self.scroll_y), self._window()
        if not self._move(rows, (*delta.removed, *changed), (*changed, *delta.added)):
            self._resort()
            return
        self._filtered_for = None
        self._refilter()
        if int(self.scroll_y) != top:
            self.refresh()
            return
        after = self._window()
        self._refresh_rows(
            y
            for y, (old, new) in enumerate(zip_longest(before, after), start=1)
            if old != new or new in changed
        )

    def _move(self, rows: Mapping[str, Row], drop: Iterable[str], insert: Iterable[str]) -> bool:
        """Take ids out of the sorted list and put them back where their new key goes."""
        all_ids, all_keys, keys = self._all, self._all_keys, self._keys
        for ident in drop:
            old = keys.pop(ident, None)
            if old is None:
                continue
            at = bisect.bisect_left(all_keys, old)
            if at >= len(all_ids) or all_ids[at] != ident:
                return False  # the list no longer matches its keys: sort again
            del all_ids[at]
            del all_keys[at]
        key = self._key()
        for ident in insert:
            row = rows.get(ident)
            if row is None or ident in keys:
                continue
            new = keys[ident] = key(row)
            at = bisect.bisect_right(all_keys, new)
            all_ids.insert(at, ident)
            all_keys.insert(at, new)
        return True

    def _mark_changed(self, delta: Delta) -> None:
        until = time.monotonic() + FLASH_SECONDS
        for ident in (*delta.changed, *delta.added):
            self._flash[ident] = until
        if self._flash and self.is_mounted:
            self.set_timer(FLASH_SECONDS + 0.05, self._unflash)

    def clear_highlights(self) -> None:
        """Drop the "just changed" highlight now (screenshots, tests)."""
        self._flash.clear()
        self._cache.clear()
        self.refresh()

    def _unflash(self) -> None:
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
        query: str | None = None,
        faults_only: bool | None = None,
        sort: str | None = None,
        reverse: bool | None = None,
    ) -> None:
        """Change the filter or the sort; the cursor stays on the same connection."""
        if query is not None:
            self.query = query
        if faults_only is not None:
            self.faults_only = faults_only
        if sort is not None:
            self.sort = sort
        if reverse is not None:
            self.reverse = reverse
        if sort is not None or reverse is not None:
            self._resort()
        else:
            self._refilter()
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

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        self.move_to(int(self.scroll_y) + offset.y - 1)
        if event.chain == 2 and self.cursor_id is not None:
            self.screen.run_action("details")

    # -- rendering -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.order) + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(
                f"connection-table--{name}", partial=True
            )
        return style

    def _columns(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout_width = width
            self._layout = layout_columns(max(1, width))
            self._cache.clear()
        return self._layout

    def render_lines(self, crop: Region) -> list[Strip]:
        # Computed once per paint rather than once per line.
        self._pass = (
            self._columns(),
            self.scrollable_content_region.width,
            self.rich_style,
            self.clock(),
        )
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None
            if len(self._cache) > 4 * max(self.size.height, 25):
                # Keep what is on screen: a cache of every row ever drawn would only
                # grow (and make every full garbage collection slower).
                cache = self._cache
                self._cache = {i: cache[i] for i in self._window() if i in cache}

    def render_line(self, y: int) -> Strip:
        if self._pass is not None:
            columns, width, base, now = self._pass
        else:
            columns, width, base, now = (
                self._columns(),
                self.scrollable_content_region.width,
                self.rich_style,
                self.clock(),
            )
        if y == 0:
            return self._header_strip(columns, width, base)
        position = int(self.scroll_y) + y - 1
        if position >= len(self.order):
            return Strip.blank(width, base)
        return self._row_strip(self.order[position], position, columns, width, base, now)

    def _header_strip(self, columns: list[tuple[Column, int]], width: int, base: Style) -> Strip:
        arrow = "▼" if self.reverse else "▲"
        sorted_column = {"startup": "startup", "state": "state", "name": "name"}.get(
            self.sort, self.sort
        )
        text = " ".join(
            _fit(column.label + (arrow if column.key == sorted_column else ""), w)
            for column, w in columns
        )
        return Strip([Segment(_fit(text, width), base + self._style("header"))], width)

    def _row_strip(
        self,
        ident: str,
        position: int,
        columns: list[tuple[Column, int]],
        width: int,
        base: Style,
        now: datetime | None = None,
    ) -> Strip:
        row = self.rows[ident]
        now = now or self.clock()
        dynamic = (format_duration(row.in_state(now)), format_duration(row.uptime(now)))
        look = (row.version, width, position == self.cursor, ident in self._flash, self.stale)
        look += (self.has_focus, alarm_view(row, now, self.display_tz))
        cached = self._cache.get(ident)
        if cached is not None and cached[0] == look:
            if cached[1] == dynamic:
                return cached[2]
            segments, slots = cached[3], cached[4]
        else:
            segments, slots = self._row_segments(row, look, columns, width, base, now)
        # Only the durations change with time: patch them into the cached segments.
        segments = list(segments)
        for index, which, w, style in slots:
            segments[index] = Segment(_fit(dynamic[which], w), style)
        strip = Strip(segments, width)
        self._cache[ident] = (look, dynamic, strip, segments, slots)
        return strip

    def _row_segments(
        self,
        row: Row,
        look: tuple[Any, ...],
        columns: list[tuple[Column, int]],
        width: int,
        base: Style,
        now: datetime,
    ) -> tuple[list[Segment], list[tuple[int, int, int, Style]]]:
        _version, _width, is_cursor, flashing, stale, focused = look[:6]
        line_style = base
        if flashing:
            line_style = line_style + self._style("changed")
        if is_cursor:
            line_style = line_style + self._style("cursor" if focused else "cursor-blurred")
        if stale:
            line_style = line_style + self._style("stale")
        health_style = self._style(_HEALTH_STYLE[row.rank])
        segments: list[Segment] = []
        slots: list[tuple[int, int, int, Style]] = []
        used = 0
        for index, (column, w) in enumerate(columns):
            if index:
                segments.append(Segment(" ", line_style))
                used += 1
            text, style = self._cell(row, column, w, now, health_style)
            if style and is_cursor:
                # Health colours on the cursor's background are hard to read: the cursor
                # row keeps the cursor's colours; the symbol and word still say the health.
                style = Style(bold=style.bold, reverse=style.reverse)
            cell_style = line_style + style if style else line_style
            if column.key in _DYNAMIC:
                slots.append((len(segments), _DYNAMIC[column.key], w, cell_style))
            segments.append(Segment(_fit(text, w), cell_style))
            used += w
        if used < width:
            segments.append(Segment(" " * (width - used), line_style))
        return segments, slots

    def _cell(
        self,
        row: Row,
        column: Column,
        width: int,
        now: datetime,
        health_style: Style,
    ) -> tuple[str, Style | None]:
        key = column.key
        if key == "state":
            symbol = _HEALTH_SYMBOLS[row.rank]
            return f"{symbol} {state_label(row.state, width < 23)}", health_style
        if key == "health":
            return _HEALTH_TEXT[row.rank], health_style
        if key == "name":
            return row.name or NO_VALUE, None
        if key == "connector":
            return row.connector, None
        if key == "id":
            return row.id, None
        if key == "active":
            return ("yes" if row.active else "no"), None if row.active else self._style("muted")
        if key == "startup":
            return format_local(row.startup_time, self.display_tz), None
        if key == "uptime":
            return "", None
        if key == "in_state":
            return "", self._style("flag") if row.stuck else None
        if key == "alarms":
            text, level = alarm_view(row, now, self.display_tz)
            return text, self._style(_ALARM_STYLE[level]) if level in _ALARM_STYLE else None
        if key == "flags":
            quiet = alarm_view(row, now, self.display_tz)[1] == "open-not-opened"
            flags = flags_cell(row.stuck, row.flapping, quiet)
            return flags, self._style("flag") if flags else None
        return "", None

    def refresh_durations(self) -> None:
        """Repaint only the visible rows whose durations read differently now (1 Hz tick)."""
        now = self.clock()
        rows, cache, tz = self.rows, self._cache, self.display_tz
        stale: list[int] = []
        ticking: list[int] = []
        for y, ident in enumerate(self._window(), start=1):
            row = rows.get(ident)
            cached = cache.get(ident)
            if row is None or cached is None or cached[0][-1] != alarm_view(row, now, tz):
                stale.append(y)
                continue
            dynamic = (format_duration(row.in_state(now)), format_duration(row.uptime(now)))
            if cached[1] != dynamic:
                ticking.append(y)
        self._refresh_rows(stale)
        span = self._duration_span()
        if span is None:
            self._refresh_rows(ticking)
        else:
            # Only the duration cells moved on: repaint (and send to the terminal) them alone.
            x, width = span
            for y in ticking:
                self.refresh(Region(x, y, width, 1))

    def _duration_span(self) -> tuple[int, int] | None:
        """(x, width) of the cells that change with time alone, or None if none is shown."""
        x = 0
        start = end = None
        for index, (column, width) in enumerate(self._columns()):
            x += 1 if index else 0
            if column.key in _DYNAMIC:
                start = x if start is None else start
                end = x + width
            x += width
        if start is None or end is None:
            return None
        return start, end - start

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    def watch_stale(self) -> None:
        self.refresh()

    def health_counts(self) -> dict[Health, int]:
        counts = {health: 0 for health in Health}
        for row in self.rows.values():
            counts[row.health] += 1
        return counts
