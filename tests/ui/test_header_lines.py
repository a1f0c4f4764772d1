"""The header draws each line itself (``render_line``), exactly as Textual drew its Text.

Textual's own path (``render`` → Content → wrap → strips) cost about 1 ms at each 1 Hz
tick; the header now builds the changed line's segments directly. For generated headers
(names, hosts, counts, modes, filters, widths) every line must come out segment for
segment (text, colour, selection offset) as Textual renders the header's Text, and a line
that cannot fit is cut with an ellipsis within the width (Textual's wrapping would push the
counts off the header).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.visual import Visual, visualize

from tui.board_flow import FleetFlow
from tui.header_text import HeaderInfo, width_of
from tui.health import HEALTH_ORDER
from tui.widgets.header import DashboardHeader

WORDS = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]) | st.sampled_from("界ä-_."),
    max_size=14,
)

INFOS = st.builds(
    HeaderInfo,
    profile=WORDS,
    host=WORDS,
    read_only=st.booleans(),
    counts=st.fixed_dictionaries({h: st.integers(0, 20_000) for h in HEALTH_ORDER}),
    since_refresh=st.none() | st.sampled_from(["0s", "12s", "3m 5s", "2h 1m"]),
    refreshing=st.booleans(),
    paused=st.booleans(),
    stale=st.booleans(),
    shown=st.integers(0, 20_000),
    total=st.integers(0, 20_000),
    sort=st.sampled_from(["state", "name", "connector", "since"]),
    reverse=st.booleans(),
    filter_text=WORDS,
    faults_only=st.booleans(),
    fleet=st.none()
    | st.builds(FleetFlow, st.integers(0, 10**7), st.integers(0, 10**6), st.integers(0, 50)),
    flow_pending=st.booleans(),
    sort_shown=st.booleans(),
)


class HeaderApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DashboardHeader(HeaderInfo(), id="header")


Run = Callable[[Callable[[DashboardHeader], Any]], Any]


@pytest.fixture(scope="module")
def in_header_app() -> Iterator[Run]:
    """Run a function on a mounted header, inside its running app (one app for every
    example: starting one per example would take most of the test's time)."""
    app = HeaderApp()
    loop = asyncio.new_event_loop()
    ready, done = threading.Event(), asyncio.Event()

    async def hold() -> None:
        async with app.run_test(size=(80, 3)) as pilot:
            await pilot.pause()
            ready.set()
            await done.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(hold(),), daemon=True)
    thread.start()
    assert ready.wait(60), "the header app did not start"

    def run(job: Callable[[DashboardHeader], Any]) -> Any:
        async def on_loop() -> Any:
            with app._context():
                return job(app.query_one(DashboardHeader))

        return asyncio.run_coroutine_threadsafe(on_loop(), loop).result(30)

    yield run
    loop.call_soon_threadsafe(done.set)
    thread.join(30)


def segments(strip: Any) -> list[tuple[str, Any]]:
    return [(segment.text, segment.style) for segment in strip]


@settings(max_examples=150, deadline=None)
@given(info=INFOS, width=st.integers(6, 130))
def test_each_line_is_drawn_as_textual_draws_the_headers_text(
    in_header_app: Run, info: HeaderInfo, width: int
) -> None:
    def draw(header: DashboardHeader) -> tuple[list[Any], list[Any] | None, list[bool], str]:
        header.update(**vars(info))
        lines = header._fitted_lines(width)
        fits = [width_of(line) <= width for line in lines]
        mine = [header.line_at(y, width) for y in (0, 1)]
        theirs = None
        if all(fits):
            text = visualize(header, header.text_at(width))
            theirs = Visual.to_strips(header, text, width, 2, header.visual_style)
        return mine, theirs, fits, header.text_at(width).plain

    mine, theirs, fits, plain = in_header_app(draw)
    for y, strip in enumerate(mine):
        assert strip.cell_length <= width, f"line {y} is wider than the header"
        if not fits[y]:
            assert strip.text.endswith("…"), f"line {y} does not fit and is not cut with …"
    if theirs is not None:
        assert [segments(s) for s in mine] == [segments(s) for s in theirs]
        # What a selection (or a test) reads is what is drawn.
        assert plain == "\n".join(strip.text for strip in mine)
