"""What the dashboard shows of its rows: the filter, faults only, the sort, and the
header that says them with the counts and how fresh the data is.

A mixin of :class:`~tui.screens.dashboard.DashboardScreen` (no import of it here: that
would be a cycle). The order itself is headless (``connection_order``); these are the
keys that change it. The filter input's change and submit handlers stay on the screen,
where Textual registers ``@on`` handlers.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from ..timefmt import format_duration

__all__ = ["DashboardView"]


class DashboardView:
    """Filter, faults-only and sort keys; the header says which are on."""

    table: Any
    header: Any
    board: Any
    clock: Any
    fleet: Any
    paused: bool
    last_success: Any
    last_error: BaseException | None
    _polling: bool
    _flow_pending: Any
    is_mounted: bool
    query_one: Any
    refresh_bindings: Any
    set_focus: Any

    def _update_header(self) -> None:
        if self.is_mounted:
            self._write_header()

    def _write_header(self) -> None:
        table = self.table
        since = None
        if self.last_success is not None:
            since = format_duration(self.clock() - self.last_success)
        self.header.update(
            counts=self.board.counts(),
            since_refresh=since,
            refreshing=self._polling,
            paused=self.paused,
            stale=self.last_error is not None and self.last_success is not None,
            shown=len(table.order),
            total=len(self.board.rows),
            sort=table.sort,
            reverse=table.reverse,
            sort_shown=table.sort in table.shown_columns(),
            filter_text=table.filter_text,
            faults_only=table.faults_only,
            fleet=self.fleet,
            flow_pending=self._flow_pending(),
        )

    @property
    def _filter(self) -> Input:
        return self.query_one("#filter", Input)

    def action_filter(self) -> None:
        self._filter.add_class("-shown")
        # At once, not with focus() (which waits its turn in the queue): keys typed right
        # after "/" in one burst (a fast typist, a laggy SSH link) are already queued, and
        # must reach the filter, not run as the table's commands ("L" sorts, "y" clones).
        self.set_focus(self._filter)

    def action_clear_filter(self) -> None:
        self._filter.value = ""
        self._filter.remove_class("-shown")
        self.table.set_view(filter_text="", faults_only=False)
        self.table.focus()
        self._update_header()
        self.refresh_bindings()

    def action_faults(self) -> None:
        self.table.set_view(faults_only=not self.table.faults_only)
        self._update_header()
        self.refresh_bindings()

    def action_sort(self, sort: str) -> None:
        table = self.table
        reverse = not table.reverse if table.sort == sort else False
        table.set_view(sort=sort, reverse=reverse)
        # A sort is asked for to see what now comes first (most failures, state, ...): the
        # cursor goes to the top. Following the row selected before scrolled the new first
        # rows out of sight under the header, with only the scrollbar to tell.
        table.move_to(0)
        # The sorted column's label carries the arrow; when that column does not fit at
        # this width, the header says "by …▲" instead (header_text), for as long as it
        # lasts (a notice said it for two seconds, over the rows).
        self._update_header()

    def on_connection_table_columns_changed(self) -> None:
        self._update_header()  # the sorted column may have come on screen, or gone
