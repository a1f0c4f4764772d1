"""Generated connection lists through a fake platform (HTTP on loopback) to the real dashboard
(Pilot, headless), with the mouse: rows clicked, a row double-clicked (its detail opens),
the wheel scrolled, the header clicked. No exception; every readable connection is a row,
every unreadable one is a row marked UNREADABLE. One list of 50,000 items too."""

from __future__ import annotations

import asyncio
import io
import random
import tempfile
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from rich.console import Console
from textual import events

from tests.support.clock import T0
from tests.support.connection_lists import (
    GeneratedList,
    ListServer,
    connection_lists,
    large_list,
)
from tui.api.listing import UNREADABLE
from tui.app import make_app
from tui.screens.detail import DetailScreen
from tui.widgets.connection_table import ConnectionTable


@pytest.fixture(scope="module")
def server():
    with ListServer() as running:
        yield running


def plain(widget: Any) -> str:
    """The text of a Static, Rich renderables included."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def table_text(table: ConnectionTable) -> list[str]:
    """The table's lines as drawn (header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def scroll_wheel(pilot: Any, table: ConnectionTable, down: bool) -> None:
    event = events.MouseScrollDown if down else events.MouseScrollUp
    await pilot._post_mouse_events([event], table, offset=(4, 3))


async def exercise(generated: GeneratedList, server: ListServer, folder: Path, size) -> None:
    server.serve(generated)
    app = make_app(
        server.profile(),
        clock=lambda: T0,
        display_tz=UTC,
        history_path=folder / "history.json",
        poll=False,
        rng=random.Random(0),
    )
    expected = generated.expected()
    async with app.run_test(size=size) as pilot:
        await app.refresh_now()
        await pilot.pause()
        table = app.dashboard.table
        error = app.dashboard.last_error
        assert error is None, (repr(error), repr(generated.items)[:300])
        assert set(table.order) == set(expected)  # every row, readable or not
        for key, want in expected.items():
            state = app.board.rows[key].state
            assert (state == UNREADABLE) is (not want.readable), (key, state)
        drawn = "\n".join(table_text(table))
        if any(not e.readable for e in expected.values()) and len(expected) < table.size.height:
            assert "UNREAD" in drawn  # the state word, maybe cut to the column's width
        if not table.order:
            assert "No connections on this platform yet." in drawn
            return
        sort = table.sort
        await pilot.click(table, offset=(3, 0))  # the header: no sort by mouse, no harm
        assert table.sort == sort
        for line in (1, 3, 2):
            await pilot.click(table, offset=(3, line))
            await pilot.pause()
            if line <= len(table.order):
                assert table.selected_id == table.order[line - 1]
        await scroll_wheel(pilot, table, down=True)
        await pilot.pause()
        if len(table.order) > table.size.height:
            assert table.scroll_y > 0
        await scroll_wheel(pilot, table, down=False)
        await pilot.pause()
        target = table.order[0]
        await pilot.double_click(table, offset=(3, 1))
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.connection_id == target
        if expected[target].readable is False:
            problem = app.board.connections[target].problem or ""
            texts = " ".join(plain(w) for w in app.screen.query("Static"))
            assert "cannot be read" in " ".join(texts.split()), (problem, texts[:400])
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)
        assert table.selected_id == target
        assert app.is_running and not getattr(app, "unexpected_errors", [])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(connection_lists(max_size=30))
def test_generated_lists_on_the_dashboard_with_the_mouse(server, generated) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(exercise(generated, server, Path(folder), (80, 24)))


def test_fifty_thousand_connections_on_the_dashboard(server, tmp_path) -> None:
    asyncio.run(exercise(large_list(), server, tmp_path, (160, 50)))
