"""Start-up: the first list is asked for while the app is imported, and used, not asked twice."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

import tui.app
import tui.launch
from tui.config import Profile, make_client
from tui.health import HistoryStore
from tui.launch import first_listing, run_dashboard


class CountingClient:
    """The real client, with a count of the calls the dashboard's start makes."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: dict[str, int] = {"authenticate": 0, "list_connections": 0}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("_client", "calls"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._client, name, value)

    async def authenticate(self) -> None:
        self.calls["authenticate"] += 1
        await self._client.authenticate()

    async def list_connections(self) -> list[Any]:
        self.calls["list_connections"] += 1
        return await self._client.list_connections()


async def test_first_poll_takes_the_listing_already_asked_for(
    make_dashboard, sim_profile: Profile, simulator
) -> None:
    client = CountingClient(make_client(sim_profile, retries=0))
    listing = asyncio.ensure_future(first_listing(client))
    app = make_dashboard(client=client, first_listing=listing)
    async with app.run_test(size=(80, 24)):
        await app.refresh_now()
        assert len(app.dashboard.table.order) == len(simulator.world) == 25
        assert client.calls == {"authenticate": 1, "list_connections": 1}
        await app.refresh_now()  # later polls ask the platform as usual
        assert client.calls["list_connections"] == 2
    await client.aclose()


async def test_run_dashboard_shows_the_rows_with_one_token_and_one_list_request(
    sim_profile: Profile, simulator, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's real path: client and requests first, the app imported in a thread."""
    made: list[CountingClient] = []

    def counting_client(profile: Profile, **options: Any) -> CountingClient:
        made.append(CountingClient(make_client(profile, **options)))
        return made[-1]

    seen: dict[str, Any] = {}

    async def check(pilot: Any) -> None:
        app = pilot.app
        await app.refresh_now()
        seen["rows"] = len(app.dashboard.table.order)
        seen["calls"] = dict(made[0].calls)
        app.exit()

    original = tui.app.IoTFlowApp.run_async

    async def run_headless(self: Any, **_: Any) -> Any:
        return await original(self, headless=True, size=(80, 24), auto_pilot=check)

    monkeypatch.setattr(tui.launch, "make_client", counting_client)
    monkeypatch.setattr(tui.app.IoTFlowApp, "run_async", run_headless)
    code = await run_dashboard(sim_profile, poll=False, history_path=tmp_path / "h.json")
    assert code == 0
    assert seen == {
        "rows": len(simulator.world),
        "calls": {"authenticate": 1, "list_connections": 1},
    }


async def test_run_dashboard_reports_a_platform_that_refuses_the_token(
    sim_profile: Profile, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed first listing reaches the dashboard like any failed poll: a banner, no crash."""
    from dataclasses import replace

    seen: dict[str, Any] = {}

    async def check(pilot: Any) -> None:
        await pilot.app.refresh_now()
        seen["error"] = pilot.app.dashboard.last_error
        seen["rows"] = len(pilot.app.dashboard.table.order)
        pilot.app.exit()

    original = tui.app.IoTFlowApp.run_async

    async def run_headless(self: Any, **_: Any) -> Any:
        return await original(self, headless=True, size=(80, 24), auto_pilot=check)

    monkeypatch.setattr(tui.app.IoTFlowApp, "run_async", run_headless)
    wrong = replace(sim_profile, client_secret="not-the-secret")
    assert await run_dashboard(wrong, poll=False, history_path=tmp_path / "h.json") == 0
    assert seen["rows"] == 0
    assert "client" in str(getattr(seen["error"], "user_message", seen["error"])).lower()


class HeldListClient(CountingClient):
    """The real client, its list held back until ``release`` (the platform still answering)."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        object.__setattr__(self, "answer", asyncio.Event())

    async def list_connections(self) -> list[Any]:
        await self.answer.wait()
        return await super().list_connections()


def _launch_watched(monkeypatch: pytest.MonkeyPatch, made: list[HeldListClient],
                    seen: dict[str, Any], check: Any) -> None:
    """run_dashboard with a held-list client, headless, noting the frame and the app's board."""

    def held_client(profile: Profile, **options: Any) -> HeldListClient:
        made.append(HeldListClient(make_client(profile, **options)))
        return made[-1]

    def draw(board: Any, *_: Any, **__: Any) -> None:
        seen["frame rows"] = len(board.rows)  # (no terminal under pytest: nothing drawn)

    original_make_app = tui.app.make_app

    def make_app(*args: Any, **options: Any) -> Any:
        seen["board rows"] = len(options["board"].rows)
        return original_make_app(*args, **options)

    original = tui.app.IoTFlowApp.run_async

    async def run_headless(self: Any, **_: Any) -> Any:
        return await original(self, headless=True, size=(80, 24), auto_pilot=check)

    monkeypatch.setattr(tui.launch, "make_client", held_client)
    monkeypatch.setattr(tui.launch.FirstFrame, "draw", draw)
    monkeypatch.setattr(tui.launch, "_make_app_factory", lambda: make_app)
    monkeypatch.setattr(tui.app.IoTFlowApp, "run_async", run_headless)


async def test_a_list_arriving_just_after_the_import_is_drawn_before_the_app_starts(
    sim_profile: Profile, simulator, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app is imported first and the list comes within LIST_GRACE: the launcher waits
    for it, builds the board and draws the first frame, and the app starts on that board
    (its own start would put the rows on screen a good while after the list arrived)."""
    made: list[HeldListClient] = []
    seen: dict[str, Any] = {}

    async def check(pilot: Any) -> None:
        await pilot.app.refresh_now()
        seen["rows"] = len(pilot.app.dashboard.table.order)
        seen["calls"] = dict(made[0].calls)
        seen["switch interval in the app"] = sys.getswitchinterval()
        pilot.app.exit()

    original_grace = tui.launch._grace

    async def grace(listing: Any) -> None:
        seen["waited for the list"] = not listing.done()
        seen["switch interval at the start"] = sys.getswitchinterval()
        made[0].answer.set()  # the platform answers while the launcher waits
        await original_grace(listing)

    _launch_watched(monkeypatch, made, seen, check)
    monkeypatch.setattr(tui.launch, "LIST_GRACE", 30.0)  # (a loaded test machine)
    monkeypatch.setattr(tui.launch, "_grace", grace)
    interval = sys.getswitchinterval()
    assert await run_dashboard(sim_profile, poll=False, history_path=tmp_path / "h.json") == 0
    assert sys.getswitchinterval() == interval
    assert seen == {
        "waited for the list": True,
        # The loop and the import thread trade the GIL less often until the app runs;
        # Textual's threads (input, output) get Python's own interval.
        "switch interval at the start": pytest.approx(tui.launch.START_SWITCH_INTERVAL),
        "switch interval in the app": interval,
        "frame rows": len(simulator.world),
        "board rows": len(simulator.world),
        "rows": len(simulator.world),
        "calls": {"authenticate": 1, "list_connections": 1},
    }


async def test_a_list_slower_than_the_grace_finds_the_app_started(
    sim_profile: Profile, simulator, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A platform slower than LIST_GRACE: the app starts without a first frame (it says
    it is loading rather than leave the terminal blank), its board's history already read
    from the file (while the platform was answering), then shows the list when it comes,
    still asked for once."""
    made: list[HeldListClient] = []
    seen: dict[str, Any] = {}
    remembered = HistoryStore(tmp_path / "h.json")
    remembered.observe("an-old-one", "OPENED", datetime(2026, 1, 1, tzinfo=UTC), exact=True)
    remembered.save()

    async def check(pilot: Any) -> None:
        seen["rows before the answer"] = len(pilot.app.dashboard.table.order)
        seen["history before the answer"] = list(pilot.app.board.history.histories)
        made[0].answer.set()
        await pilot.app.refresh_now()
        seen["rows"] = len(pilot.app.dashboard.table.order)
        seen["calls"] = dict(made[0].calls)
        pilot.app.exit()

    _launch_watched(monkeypatch, made, seen, check)
    monkeypatch.setattr(tui.launch, "LIST_GRACE", 0.0)
    assert await run_dashboard(sim_profile, poll=False, history_path=tmp_path / "h.json") == 0
    assert seen == {
        "board rows": 0,
        "rows before the answer": 0,
        "history before the answer": ["an-old-one"],
        "rows": len(simulator.world),
        "calls": {"authenticate": 1, "list_connections": 1},
    }
