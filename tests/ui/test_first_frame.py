"""The first frame (drawn before Textual starts) is the dashboard's own first frame, cell for cell.

``tui.first_frame`` draws the rows without Textual; the dashboard then draws over it. If the
two disagreed (a column moved, a theme colour changed, a header word changed), the operator
would see the screen jump as the dashboard takes over. These tests build the dashboard on
the same board and compare every cell's character, colour, background and boldness.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual.filter import monochrome_style

from tests.support.pty_terminal import PtyRun
from tui import first_frame
from tui.board import Board, poll_interval
from tui.health import HistoryStore
from tui.launch import ENTER, SYNC_END

Cell = tuple[str, Any, Any, bool, bool]
"""(character, colour, background, bold, reverse)"""


def _triplet(color: Any) -> Any:
    return None if color is None else color.get_truecolor()


def _cell(char: str, style: Any) -> Cell:
    return (char, _triplet(style.color), _triplet(style.bgcolor), bool(style.bold),
            bool(style.reverse))


def _cells_of_segments(segments: list[Segment], no_color: bool) -> list[Cell]:
    """Each cell as the terminal gets it (under NO_COLOR through Textual's grey filter)."""
    cells: list[Cell] = []
    for segment in segments:
        style = segment.style
        if style is not None and no_color:
            style = monochrome_style(style)
        for char in segment.text:
            if style is None:
                cells.append((char, None, None, False, False))
            else:
                cells.append(_cell(char, style))
    return cells


def _cells_of_frame(line: first_frame.FrameLine, no_color: bool) -> list[Cell]:
    cells: list[Cell] = []
    for text, name in line:
        style = first_frame.style_of(name, no_color)
        for char in text:
            cells.append(_cell(char, style))
    return cells


async def _board(sim_client: Any, sim_profile: Any, now: Any) -> tuple[Board, list[Any]]:
    listing = await sim_client.list_connections()
    board = Board(HistoryStore(None), sim_profile.thresholds)
    board.apply(listing, now)
    return board, listing


class HeldMetrics:
    """The simulator's client with the metrics held back until ``release`` is set: the
    dashboard's first poll has taken the first list and waits for them, as it does on a
    real platform just as it takes over from the first frame."""

    def __init__(self, client: Any):
        self._client = client
        self.release = asyncio.Event()

    async def metrics(self) -> Any:
        await self.release.wait()
        return await self._client.metrics()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("sim_connections", [25, 3])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_first_frame_is_the_dashboards_first_frame(
    size: tuple[int, int], make_dashboard: Any, sim_client: Any, sim_profile: Any,
    sim_clock: Any, sim_connections: int, no_color: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every cell but the footer line and the scrollbar column: same character, same
    colours, same boldness, with more rows than fit (25) and with fewer (3), in colour and
    under NO_COLOR (where faults and the cursor are told by reverse video).

    Compared with the dashboard as the operator first sees it: polling, its first poll
    having taken the list launch asked for (the counts, "0s ago"), the metrics not in yet
    (``⚠ DATA —  ↑—/h fail —/h``). An earlier version compared a dashboard that never
    polled (no metrics, so no DATA either) with a first frame told it was not refreshing:
    a state no operator sees, so it could not catch the header changing at the takeover
    (the first frame had no data-flow part; the dashboard gained ⚠ DATA with its first
    metrics)."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    width, height = size
    now = sim_clock.now()
    board, listing = await _board(sim_client, sim_profile, now)
    info = first_frame.header_info(board, sim_profile.name, sim_profile.host, False,
                                   poll_interval(sim_profile.refresh_interval))
    lines = first_frame.frame_lines(board, info, width, height, now, UTC)
    assert len(lines) == height
    assert all(sum(len(piece.text) for piece in line) == width for line in lines)

    first_listing: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
    first_listing.set_result(listing)
    client = HeldMetrics(sim_client)
    app = make_dashboard(board=board, first_frame_drawn=True, client=client, poll=True,
                         first_listing=first_listing)
    async with app.run_test(size=size) as pilot:
        dashboard = app.dashboard
        while dashboard.last_success is None:  # the first poll took the list
            await pilot.pause()
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        assert dashboard.fleet is None and dashboard._polling  # the metrics are still out
        client.release.set()
        while dashboard._polling:
            await pilot.pause()
        await pilot.pause()
        later = app.screen._compositor.render_strips()[1].text
    assert "DATA —" not in later and "↑—/h" not in later  # the figures filled the place
    drawn = [_cells_of_segments(list(strip), no_color) for strip in strips]
    scrollbar = 1 if len(board.rows) > height - 4 else 0
    for y in range(height - 1):  # the footer (key hints) is the dashboard's to draw
        ours = _cells_of_frame(lines[y], no_color)
        theirs = drawn[y]
        if y >= 2 and scrollbar:
            ours, theirs = ours[:-1], theirs[:-1]
        assert "".join(c[0] for c in ours) == "".join(c[0] for c in theirs), f"line {y}"
        # A blank cell shows only its background; a filled one its colour and weight too.
        differing = [x for x, (a, b) in enumerate(zip(ours, theirs, strict=True))
                     if (a[2] != b[2]) or (a[0] != " " and a[1:] != b[1:])]
        assert not differing, f"line {y}, cells {differing[:5]}: {ours[differing[0]]} " \
                              f"vs {theirs[differing[0]]}"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.usefixtures("cli_env")
def test_on_a_real_terminal_keys_typed_over_the_first_frame_reach_the_dashboard() -> None:
    """The real command on a pty: the first frame, then the dashboard over it on the same
    alternate screen (switched to once, so the prompt comes back where it was), Enter and
    typed while only the first frame is up opens the detail (as Enter, not ctrl+j), and q
    leaves the alternate screen."""
    script = Path(__file__).parents[1] / "support" / "first_frame_first.py"
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(Path.cwd())}
    env.pop("NO_COLOR", None)
    run = PtyRun([sys.executable, str(script)], env)
    try:
        framed = run.wait_for(SYNC_END.encode())
        run.send(b"\r")  # typed before the dashboard has started
        detail = run.wait_for(b"Time in state")
        shown = len(run.output)
        run.send(b"\x1b")  # (on its own: ESC and q in one read would be alt+q)
        back = run.wait_for("STATE▲".encode(), after=shown)  # the dashboard again
        run.send(b"q")
        code = run.process.wait(60)
    finally:
        run.close()
    raw = bytes(run.output)
    assert framed and detail and back, raw[-2000:]
    assert code == 0
    frame_end = raw.index(SYNC_END.encode())
    assert raw.index(ENTER.encode()) == 0  # the first frame is the first thing drawn
    assert raw.count(b"\x1b[?1049h") == 1
    assert raw.rstrip().count(b"\x1b[?1049l") == 1 and raw.index(b"\x1b[?1049l") > frame_end


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.usefixtures("cli_env")
def test_enter_typed_before_the_command_runs_opens_the_detail() -> None:
    """``j j Enter`` typed right after the command, before Python has run any of it (the
    terminal still in line mode, which makes the Enter a NL, Textual's ctrl+j): the
    dashboard takes them as typed, two rows down and Enter, and opens that row's detail."""
    script = Path(__file__).parents[1] / "support" / "first_frame_first.py"
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(Path.cwd())}
    env.pop("NO_COLOR", None)
    run = PtyRun([sys.executable, str(script)], env, typed_before=b"jj\r")
    try:
        detail = run.wait_for(b"Time in state")
        run.send(b"q")  # back to the list (q on the detail), then quit
        run.send(b"q")
        run.process.wait(60)
    finally:
        run.close()
    raw = bytes(run.output)
    assert detail, raw[-2000:]
