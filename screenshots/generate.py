"""Render the README screenshots from the seeded simulator into screenshots/*.svg.

Run: ``python screenshots/generate.py`` (add ``--only dashboard`` to render some).
Every shot starts the same seeded simulator on a frozen clock, builds the app with
``make_app``, drives it with Pilot and saves an SVG. To add a screen, write an async
``scene(pilot, ctx)`` function and add one ``Shot`` to ``SHOTS``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tui.api.errors import Unreachable  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.config import Profile, make_client  # noqa: E402
from tui.simulator import ManualClock, Simulator, SimulatorServer  # noqa: E402
from tui.widgets.connection_table import FLASH_SECONDS  # noqa: E402

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
DISPLAY = Profile(name="demo", url="https://iot.example.com", client_id="demo")


class ShotClient:
    """The simulator's client, which a scene can switch to "unreachable"."""

    def __init__(self, client: Any):
        self._client = client
        self.down = False
        self.read_only = False

    async def list_connections(self) -> Any:
        if self.down:
            raise Unreachable("https://iot.example.com/iot-flow/v1: ConnectError")
        return await self._client.list_connections()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@dataclass
class Context:
    simulator: Simulator
    clock: ManualClock
    client: ShotClient


@dataclass
class Shot:
    name: str
    scene: Callable[[Any, Context], Awaitable[None]]
    size: tuple[int, int] = (120, 32)
    app_options: dict[str, Any] | None = None
    no_color: bool = False
    """Render as under NO_COLOR=1 (Textual reads the variable when the app is built)."""


async def loaded(pilot: Any, ctx: Context) -> None:
    await pilot.app.refresh_now()
    # A few minutes of live polling, so durations, flags and history have content.
    for _ in range(12):
        ctx.clock.advance(60)
        await pilot.app.refresh_now()
    # Rows that changed in the last poll are highlighted for FLASH_SECONDS of real time,
    # and go back at the first 1 Hz tick after that: up to a second more.
    await asyncio.sleep(FLASH_SECONDS + 1.2)
    await pilot.pause()


async def detail(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    await pilot.press("down", "enter")
    await pilot.pause()


async def help_screen(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    await pilot.press("question_mark")
    await pilot.pause()


async def stale(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    ctx.client.down = True
    ctx.clock.advance(95)
    await pilot.app.refresh_now()
    await pilot.app.refresh_now()
    await pilot.pause()


async def faults(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    await pilot.press("f")
    await pilot.pause()


async def events(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    await pilot.press("E")
    for _ in range(200):  # the view reads the last 24 hours once it opens
        await pilot.pause()
        if getattr(pilot.app.screen, "loaded", False):
            break
        await asyncio.sleep(0.02)
    await pilot.press("down", "down")
    await pilot.pause()


# -- connection form (issue 4) -------------------------------------------------------


async def form_open(pilot: Any, ctx: Context, key: str = "n") -> Any:
    import os
    import tempfile

    # drafts typed by the scenes go to a throwaway folder, not the user's state dir
    os.environ["IOTFLOW_STATE_DIR"] = tempfile.mkdtemp(prefix="iotflow-shots-")
    await loaded(pilot, ctx)
    await pilot.press(key)
    return await form_settle(pilot)


async def form_settle(pilot: Any) -> Any:
    from textual.widgets import Input, TextArea

    for _ in range(50):
        await pilot.pause(0.02)
        await pilot.app.screen.workers.wait_for_complete()
    screen = pilot.app.screen
    for widget in screen.query(Input):
        widget.cursor_blink = False
    for widget in screen.query(TextArea):
        widget.cursor_blink = False
    await pilot.pause()
    return screen


async def form_connector(pilot: Any, ctx: Context) -> None:
    await form_open(pilot, ctx)
    await pilot.press(*"aws")
    await form_settle(pilot)


async def form_settings(pilot: Any, ctx: Context) -> None:
    screen = await form_open(pilot, ctx)
    await pilot.press(*"aws-iot", "enter")
    screen = await form_settle(pilot)
    await pilot.press(*"Lyon street lighting", "tab")
    screen.query_one(f"#f-{screen.form_tree.find('region').uid}").focus()
    await pilot.press(*"eu-west-3", "tab", *"a1b2-ats", "tab", "pagedown")
    await form_settle(pilot)


async def form_modbus(pilot: Any, ctx: Context) -> None:
    screen = await form_open(pilot, ctx)
    await pilot.press(*"modbus", "enter")
    screen = await form_settle(pilot)
    await pilot.press(*"Geneva meters", "tab")
    rules = screen.form_tree.find("mappingRules")
    for n in range(2):
        screen.query_one(f"#f-{rules.uid}-add").focus()
        await pilot.press("enter")
        screen = await form_settle(pilot)
        await pilot.press(*f"70B3D57ED005A{n}0", "tab", *"$.payload.energy", "tab")
        await pilot.press(*str(100 + 2 * n), "tab")
    await pilot.press("shift+tab", "shift+tab")
    await pilot.press(*"300", "tab")
    await form_settle(pilot)


async def form_alarms(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    import os
    import tempfile

    os.environ["IOTFLOW_STATE_DIR"] = tempfile.mkdtemp(prefix="iotflow-shots-")
    pilot.app.action_edit_connection("1")
    await form_settle(pilot)
    await pilot.press("pagedown")
    await form_settle(pilot)
    await pilot.press("ctrl+n")  # a new alarm: weekdays 09:00-18:00, previewed live
    await form_settle(pilot)


async def form_review(pilot: Any, ctx: Context) -> None:
    await form_alarms(pilot, ctx)
    await pilot.press("pagedown")
    await form_settle(pilot)


async def form_edit_secrets(pilot: Any, ctx: Context) -> None:
    await loaded(pilot, ctx)
    import os
    import tempfile

    os.environ["IOTFLOW_STATE_DIR"] = tempfile.mkdtemp(prefix="iotflow-shots-")
    pilot.app.action_edit_connection("5")
    screen = await form_settle(pilot)
    await pilot.press("ctrl+g")
    await form_settle(pilot)
    screen.query_one("#step-settings").scroll_home(animate=False)
    await pilot.pause()


SHOTS = [
    Shot("dashboard", loaded),
    Shot("dashboard-80x24", loaded, size=(80, 24)),
    Shot("detail", detail),
    Shot("help", help_screen),
    Shot("stale", stale),
    Shot("faults", faults),
    Shot("faults-80x24", faults, size=(80, 24)),
    Shot("dashboard-no-color-80x24", loaded, size=(80, 24), no_color=True),
    Shot("events", events),
    Shot("events-80x24", events, size=(80, 24)),
    Shot("form-1-connector", form_connector, size=(80, 24)),
    Shot("form-2-settings", form_settings, size=(80, 24)),
    Shot("form-2-modbus", form_modbus, size=(80, 24)),
    Shot("form-3-alarms", form_alarms, size=(80, 24)),
    Shot("form-4-review", form_review, size=(80, 24)),
    Shot("form-edit-secrets", form_edit_secrets, size=(80, 24)),
    Shot("form-edit-wide", form_edit_secrets, size=(160, 50)),
]


async def render(shot: Shot, out: Path) -> Path:
    clock = ManualClock(T0)
    simulator = Simulator(connections=25, seed=0, clock=clock)
    with SimulatorServer(simulator) as server, TemporaryDirectory() as tmp:
        profile = Profile(
            name="sim", url=server.base_url, client_id="demo", client_secret="demo-secret"
        )
        client = ShotClient(make_client(profile, retries=0))
        if shot.no_color:
            os.environ["NO_COLOR"] = "1"
        else:
            os.environ.pop("NO_COLOR", None)
        app = make_app(
            DISPLAY,
            client=client,
            clock=clock.now,
            display_tz=UTC,
            history_path=Path(tmp) / "history.json",
            poll=False,
            rng=random.Random(0),
            **(shot.app_options or {}),
        )
        async with app.run_test(size=shot.size) as pilot:
            await shot.scene(pilot, Context(simulator, clock, client))
            path = out / f"{shot.name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
        await client.aclose()
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="names of shots to render")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    for shot in SHOTS:
        if args.only and shot.name not in args.only:
            continue
        print(asyncio.run(render(shot, args.out)))


if __name__ == "__main__":
    main()
