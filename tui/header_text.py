"""What the dashboard header says, fitted to the terminal's width (no Textual).

Two lines: where we are and how fresh the data is, then the counts by health and the
view (shown, sort, faults only, filter). On a narrow terminal words get shorter before
anything is dropped, and four things are never dropped: the counts, STALE with its age,
which filter or faults-only mode is on (an operator who forgot the filter would read "no
faults" where the filter hides them), and the sort while the sorted column is not on
screen (its ▲ is then nowhere else; at 80 columns STARTUP and CONNECTOR do not fit).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rich.cells import cell_len

from .board import HEALTH_SYMBOL
from .connection_order import SORT_LABELS
from .flow_cells import compact_count
from .health import HEALTH_ORDER, Health
from .terminal_text import one_line

# The header reads left to right in the order an operator asks: where, what state, how fresh.
COUNT_ORDER = (Health.ACTIVE, Health.INIT, Health.ERROR, Health.DEACTIVATED)
NO_DATA = "—"
"""A count before the first list arrived (or when none ever did)."""
SHORT_HEALTH = {Health.ACTIVE: "ACT", Health.DEACTIVATED: "DEACT"}
"""Shorter words for a narrow terminal; INIT and ERROR are short already."""


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
    sort_shown: bool = True
    """Whether the table shows the sorted column, whose label's ▲ then says the sort."""
    filter_text: str = ""
    faults_only: bool = False
    fleet: Any = None
    """The fleet's uplinks and failures per hour (board_flow.FleetFlow), or None."""
    flow_pending: bool = False
    """No fleet figures yet but the platform is asked for them (the first metrics are on
    their way): the data-flow part reads ``⚠ DATA —  ↑—/h fail —/h`` instead of being left
    out, so the first frame and the dashboard say what they do not know yet, in the place
    where the figures will appear."""

    @property
    def listed(self) -> bool:
        """Whether a list has arrived, so that the counts are known (the first frame has
        rows before the first refresh is done)."""
        return self.since_refresh is not None or self.total > 0


class Piece(NamedTuple):
    text: str
    style: str | None
    """A style name: ``title``, ``muted``, ``stale``, ``readonly`` or a health's (``error``)."""


Line = list[Piece]


def width_of(line: Line) -> int:
    return sum(cell_len(piece.text) for piece in line)


def _first_fitting(variants: Iterator[Line], width: int) -> Line:
    line: Line = []
    for line in variants:
        if width_of(line) <= width:
            return line
    return line  # the most compact one; the widget cuts it with an ellipsis


def header_lines(info: HeaderInfo, width: int) -> tuple[Line, Line]:
    """The two lines, each the most explicit variant that fits in ``width`` cells."""
    return top_line(info, width), bottom_line(info, width)


def top_line(info: HeaderInfo, width: int) -> Line:
    """Where we are and how fresh the data is (it changes every second: "updated 3s ago")."""
    return _first_fitting(_top_variants(info), width)


def bottom_line(info: HeaderInfo, width: int) -> Line:
    """The counts, the fleet's rates and the view: they change with a poll or a key."""
    return _first_fitting(_bottom_variants(info, width), width)


def bottom_inputs(info: HeaderInfo, width: int) -> tuple[Any, ...]:
    """Everything ``bottom_line`` reads: equal inputs, equal line (the widget keeps it
    instead of fitting nine variants again at every tick)."""
    return (
        width,
        info.listed,  # (the counts read — until a list has arrived)
        tuple(info.counts.items()),
        info.fleet,
        info.flow_pending,
        info.shown,
        info.total,
        info.sort,
        info.reverse,
        info.sort_shown,
        info.filter_text,
        info.faults_only,
    )


def _top_variants(info: HeaderInfo) -> Iterator[Line]:
    for level in range(4):
        line: Line = []
        if level < 3:
            line.append(Piece("iotflow · ", "title"))
        # Names from a config file or a server reach the terminal inert (no escapes).
        line.append(Piece(one_line(info.profile), "title"))
        if info.host and level < 2:
            line.append(Piece(f" · {one_line(info.host)}", None))
        if info.read_only:
            line += [Piece(" ", None), Piece(" READ-ONLY " if level < 2 else " RO ", "readonly")]
        line.append(Piece("  ", None))
        line += _freshness(info, short=level >= 1, bare=level >= 3)
        yield line


def _freshness(info: HeaderInfo, *, short: bool, bare: bool) -> Line:
    line: Line = []
    if info.paused:
        line.append(Piece("⏸ paused · ", "init"))
    elif not bare:
        every = f"⟳ {info.interval:g}s · " if short else f"⟳ every {info.interval:g}s · "
        line.append(Piece(every, "muted"))
    if info.stale:
        # The age is the point: how old is what the table shows.
        age = f" {info.since_refresh} old " if short else f" data {info.since_refresh} old "
        line += [Piece(" STALE ", "stale"), Piece(age, "stale")]
    elif info.since_refresh is None:
        line.append(Piece("loading…" if info.refreshing else "no data yet", "muted"))
    else:
        ago = f"{info.since_refresh} ago" if short else f"updated {info.since_refresh} ago"
        line.append(Piece(ago, "muted"))
        if info.refreshing and not short:
            line.append(Piece(" · refreshing…", "muted"))
    return line


def _counts(info: HeaderInfo, short: bool) -> Line:
    line: Line = []
    for index, health in enumerate(COUNT_ORDER):
        word = SHORT_HEALTH.get(health, health.value) if short else health.value
        if index:
            line.append(Piece(" " if short else "  ", None))
        # Before the first list arrives nothing is known: a 0 would read "no errors".
        count = info.counts.get(health, 0) if info.listed else NO_DATA
        line.append(Piece(f"{HEALTH_SYMBOL[health]} {word} {count}", health.value.lower()))
    return line


def _view(info: HeaderInfo, level: int, filter_room: int | None = None) -> Line:
    """shown · sort · mode; ``level`` 0 full words, 1 short words, 2 no sort, 3 no count.

    A sort whose column is not on screen is never dropped, and always reads "by …"
    (with no column beside it, "startup time▲" alone would not say what it is)."""
    parts: list[Piece] = []
    if level < 3:
        shown = f"{info.shown}/{info.total}" if info.listed else NO_DATA
        parts.append(Piece(shown if level else f"{shown} shown", "muted"))
    if level < 2 or not info.sort_shown:
        label = SORT_LABELS.get(info.sort, info.sort)
        arrow = "▼" if info.reverse else "▲"
        by = "by " if level == 0 or not info.sort_shown else ""
        parts.append(Piece(f"{by}{label}{arrow}", "muted"))
    if info.faults_only:
        parts.append(Piece("faults" if level else "faults only", "mode"))
    if info.filter_text:
        text = one_line(info.filter_text)
        if filter_room is not None and cell_len(text) > filter_room:
            text = _cut(text, filter_room)
        parts.append(Piece(f"“{text}”" if level else f"filter “{text}”", "mode"))
    line: Line = []
    for index, piece in enumerate(parts):
        if index:
            line.append(Piece(" · ", "muted"))
        line.append(piece)
    return line


def _cut(text: str, width: int) -> str:
    out = ""
    for char in text:
        if cell_len(out + char) > max(0, width - 1):
            break
        out += char
    return out + "…"


def _fleet(info: HeaderInfo, level: int) -> Line:
    """Data flow: connections with a data-flow flag (counted ACTIVE by health, so said
    here), then the fleet's uplinks/h and failed + lost/h. ``level`` 0 full, 1 short,
    2 the flagged count alone (it outlasts the rates on a narrow terminal). Not known yet
    (``flow_pending``): the same words with — for each figure, all muted."""
    fleet = info.fleet
    if fleet is None and not info.flow_pending:
        return []
    line: Line = []
    if fleet is None:
        up = down = NO_DATA
        failing = False
        line += [Piece(f"⚠ DATA {NO_DATA}", "muted"), Piece("  ", None)]
    else:
        up, down = compact_count(fleet.uplinks_per_hour), compact_count(fleet.failures_per_hour)
        failing = fleet.failures_per_hour > 0
        if fleet.flagged:
            line += [Piece(f"⚠ DATA {fleet.flagged}", "error"), Piece("  ", None)]
    if level >= 2:
        return line
    style = "error" if failing else "muted"
    if level:
        line += [Piece(f"↑{up}/h ", "muted"), Piece(f"fail {down}/h", style)]
    else:
        line += [Piece(f"↑ {up}/h  ", "muted"), Piece(f"failed {down}/h", style)]
    return line + [Piece("  ", None)]


def _bottom_variants(info: HeaderInfo, width: int) -> Iterator[Line]:
    gap = [Piece("  ", None)]
    # The fleet's rates are shortened, then dropped (the data-flow count stays longest),
    # before the view loses its mode: counts and the filter/faults mode are never dropped
    # (see the module docstring).
    for short_counts, fleet, view_level in (
        (False, 0, 0),
        (False, 1, 0),
        (False, 2, 0),
        (False, 1, 1),
        (True, 1, 1),
        # The sort goes before the rates when the column's arrow says it too; when that
        # column is hidden it stays, and the rates go (each row shows its own UP/H, FAIL/H).
        (True, 1, 2),
        (True, 2, 2),
        (True, 2, 3),
        (True, None, 3),
    ):
        rates = [] if fleet is None else _fleet(info, fleet)
        yield _counts(info, short_counts) + gap + rates + _view(info, view_level)
    # Still too long: only a long filter text can be the cause; shorten it to fit.
    fixed = width_of(_counts(info, True) + gap + _view(info, 3, filter_room=1))  # "“…”"
    yield _counts(info, True) + gap + _view(info, 3, filter_room=max(1, width - fixed + 1))
