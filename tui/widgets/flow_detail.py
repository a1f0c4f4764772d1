"""The detail screen's data-flow parts: a metrics table and the merged timeline.

Rich renderables only (the screen puts them in Statics), built from headless data: the
connection's ConnectionMetrics, its events, and the dashboard's observed state history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta, tzinfo
from typing import Any

from rich.table import Table
from rich.text import Text

from ..event_view import TimelineItem
from ..flow import ConnectionMetrics
from ..terminal_text import terminal_safe
from ..timefmt import NO_VALUE, format_duration, format_local

__all__ = ["metrics_table", "timeline_table"]

LEVEL_STYLE = {"error": "bold red", "warn": "yellow", "info": "", "debug": "dim"}


def _n(value: int | None) -> str:
    return NO_VALUE if value is None else f"{value:,}"


def metrics_table(metrics: ConnectionMetrics | None, note: str | None = None) -> Text:
    """Uplinks and downlinks, ok / failed / lost, over 1 h and 24 h; devices; lag.

    One line each, so it reads at 80 columns: failures and lag in red when not zero.
    """
    if metrics is None:
        return Text(note or "No metrics from the platform for this connection.", "dim")
    m = metrics
    text = Text()
    rows = (
        ("Uplinks  ", (m.uplinks_1h, m.uplinks_failed_1h, m.uplinks_lost_1h),
         (m.uplinks_24h, m.uplinks_failed_24h, m.uplinks_lost_24h)),
        ("Downlinks", (m.downlinks_1h, m.downlinks_failed_1h, m.downlinks_lost_1h),
         (m.downlinks_24h, m.downlinks_failed_24h, m.downlinks_lost_24h)),
    )  # fmt: skip
    for label, hour, day in rows:
        text.append(label, "bold")
        for span, (ok, failed, lost) in (("1 h", hour), ("24 h", day)):
            text.append(f"  {span}: {_n(ok)} ok, ")
            text.append(f"{_n(failed)} failed", "bold red" if failed else "")
            text.append(", ")
            text.append(f"{_n(lost)} lost", "bold red" if lost else "")
        text.append("\n")
    text.append("Devices  ", "bold")
    text.append(f"  1 h: {_n(m.active_things_1h)}  24 h: {_n(m.active_things_24h)}")
    text.append("   Kafka lag ", "bold")
    text.append(f"{_n(m.lag)} messages", "bold red" if m.lag else "")
    return text


def timeline_table(
    items: Sequence[TimelineItem], tz: tzinfo | None, *, shown: int, total_note: str = ""
) -> Table | Text:
    """Newest first: time, level, code, what happened (events and observed states)."""
    if not items:
        return Text("Nothing in the last 24 hours.", "dim")
    table = Table.grid(padding=(0, 2))
    for _ in range(4):
        table.add_column(no_wrap=True)
    table.add_column()
    for item in items[:shown]:
        style = LEVEL_STYLE.get(item.level, "")
        lasted: Any = format_duration(item.lasted) if isinstance(item.lasted, timedelta) else ""
        table.add_row(
            format_local(item.time, tz, offset=True),
            Text(item.level.upper(), style),
            terminal_safe(item.code),
            lasted,
            Text(terminal_safe(item.text), style),
        )
    rest = len(items) - shown
    if rest > 0 or total_note:
        more = f"{rest} older · m shows more" if rest > 0 else ""
        table.add_row("", "", "", "", Text(" · ".join(p for p in (more, total_note) if p), "dim"))
    return table
