"""SVG snapshots of the keys on screens other than the list: help on the detail screen,
the paused footer, and a read-only refusal, at 80x24 and (help) 160x50.

Deterministic: seeded simulator, manual clock, UTC, a fixed host in the header.
"""

from __future__ import annotations

import pytest

from tui.config import Profile, make_client

DISPLAY = Profile(name="demo", url="https://iot.example.com", client_id="demo")
SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def screens_app(make_dashboard, sim_profile):
    """The conftest dashboard on the simulator, shown under the display profile's name."""

    def build(**overrides):
        return make_dashboard(
            profile=DISPLAY, client=make_client(sim_profile, retries=0), **overrides
        )

    return build


async def _loaded(pilot) -> None:
    await pilot.app.refresh_now()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_on_the_detail_screen(snap_compare, screens_app, size) -> None:
    """The detail screen's own keys (esc/q Back, c, r, e, a, ctrl+d) with their ids
    (detail.back …), then ctrl+p and ?/f1 from the app, the scroll keys, the health
    legend with two spaces between each label and its sentence, and the closing hint
    naming [keymap]. At 80x24 the box fills the screen and scrolls; at 160x50 it is
    centred, with the screen behind it dimmed."""

    async def open_help(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("enter", "question_mark")
        await pilot.pause()

    assert snap_compare(screens_app(), terminal_size=size, run_before=open_help)


def test_paused_footer_says_resume(snap_compare, screens_app) -> None:
    """The list while paused: the header says ⏸ paused and the footer offers "p Resume"
    (not Pause), between Refresh and Quit."""

    async def pause(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("p")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(screens_app(), terminal_size=(80, 24), run_before=pause)


def test_read_only_delete_says_why(snap_compare, screens_app) -> None:
    """Read-only profile, ctrl+d pressed on the list: no dialog, the footer has no
    On/off or Delete, and a warning toast titled Read-only says deleting is switched off,
    nothing was sent, and which setting allows changes."""

    async def press_delete(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()

    assert snap_compare(
        screens_app(read_only=True), terminal_size=(80, 24), run_before=press_delete
    )
