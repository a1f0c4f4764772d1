"""The dashboard header: where we are, how things are, and how fresh the data is."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.widget import Widget

from ..board import HEALTH_SYMBOL, SORT_LABELS
from ..health import HEALTH_ORDER, Health
from ..terminal_text import one_line

# The header reads left to right in the order an operator asks: where, what state, how fresh.
_COUNT_ORDER = (Health.ACTIVE, Health.INIT, Health.ERROR, Health.DEACTIVATED)


@dataclass
class HeaderInfo:
    profile: str = ""
    host: str = ""
    read_only: bool = False
    counts: dict[Health, int] = field(default_factory=lambda: dict.fromkeys(HEALTH_ORDER, 0))
    interval: float = 5.0
    since_refresh: str | None = None
    """"12s" since the last successful refresh, or None before the first one."""
    refreshing: bool = False
    paused: bool = False
    stale: bool = False
    shown: int = 0
    total: int = 0
    sort: str = "state"
    reverse: bool = False
    query: str = ""
    faults_only: bool = False


class DashboardHeader(Widget):
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
        "dashboard-header--active",
        "dashboard-header--init",
        "dashboard-header--error",
        "dashboard-header--deactivated",
        "dashboard-header--stale",
    }

    def __init__(self, info: HeaderInfo, *, id: str | None = None):
        super().__init__(id=id)
        self.info = info

    def update(self, **changes: object) -> None:
        for key, value in changes.items():
            setattr(self.info, key, value)
        self.refresh()

    def _s(self, name: str):
        return self.get_component_rich_style(f"dashboard-header--{name}", partial=True)

    def render(self) -> Text:
        info = self.info
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append("iotflow", self._s("title"))
        top.append(f" · {one_line(info.profile)}", self._s("title"))
        if info.host:
            top.append(f" · {one_line(info.host)}")
        if info.read_only:
            top.append(" ")
            top.append(" READ-ONLY ", self._s("readonly"))
        top.append("  ")
        if info.paused:
            top.append("⏸ paused", self._s("init"))
        else:
            top.append(f"⟳ every {info.interval:g}s", self._s("muted"))
        if info.since_refresh is None:
            top.append(" · loading…" if info.refreshing else " · no data yet", self._s("muted"))
        else:
            top.append(f" · updated {info.since_refresh} ago", self._s("muted"))
            if info.refreshing:
                top.append(" · refreshing…", self._s("muted"))
        if info.stale:
            top.append(" ")
            top.append(" STALE ", self._s("stale"))

        bottom = Text(no_wrap=True, overflow="ellipsis")
        for health in _COUNT_ORDER:
            style = self._s(health.value.lower())
            count = info.counts.get(health, 0)
            bottom.append(f"{HEALTH_SYMBOL[health]} {health.value} {count}", style)
            bottom.append("  ")
        view = [f"{info.shown}/{info.total} shown"]
        arrow = "▼" if info.reverse else "▲"
        view.append(f"by {SORT_LABELS.get(info.sort, info.sort)}{arrow}")
        if info.faults_only:
            view.append("faults only")
        if info.query:
            view.append(f"filter “{info.query}”")
        bottom.append(" · ".join(view), self._s("muted"))
        return Text("\n").join([top, bottom])
