"""Esc and the next key typed fast reach the dashboard as two keys, not as alt+key.

A terminal sends Esc as the byte ESC; when the next key follows before the program reads
(a fast typist, a busy jump host, a slow SSH link), one read holds ``ESC q`` and Textual's
parser reports it as ``alt+q``. iotflow binds no alt keys, so the operator lost both keys:
the filter stayed open and got a "q", or the app did not quit. The app reads such a key
as Esc, then the key: what each would have done on its own, in that order.

The events are made by Textual's own terminal parser from the bytes a terminal sends, so
they are what the driver would hand the app.
"""

from __future__ import annotations

import string
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser

from tests.support.pty_terminal import IOTFLOW, PtyRun
from tests.support.waiting import until
from tui.key_bursts import key_after_escape
from tui.screens.detail import DetailScreen

SIZE = (80, 24)


def _keys_of(data: str) -> list[events.Key]:
    """The key events Textual's driver makes of ``data`` arriving in one read."""
    parser = XTermParser()
    # The end of input stands for the pause after the read (the parser then stops waiting
    # for more of an escape sequence), without waiting for its escape delay.
    keys = [*parser.feed(data), *parser.feed("")]
    return [k for k in keys if isinstance(k, events.Key)]


def test_one_read_of_esc_q_is_one_alt_q_key() -> None:
    """The premise: without our handling these two keys would be one."""
    assert [k.key for k in _keys_of("\x1bq")] == ["alt+q"]


# Textual reads ESC b and ESC f as ctrl+left and ctrl+right (readline's word moves) and ESC
# followed by a digit as a macOS Option character: those are not alt keys, and nothing is
# left to tell them from the keys they stand for (tui.key_bursts says so).
LETTERS_TEXTUAL_JOINS = sorted(set(string.ascii_letters) - set("bfBF") | set("BF"))


@given(st.sampled_from(LETTERS_TEXTUAL_JOINS))
def test_every_letter_after_esc_comes_back_as_itself(char: str) -> None:
    """For any letter Textual joins with ESC into an alt key, the key after Esc is the key
    that letter alone makes (capitals included: alt+shift+q is Esc then Q)."""
    (joined,) = _keys_of("\x1b" + char)
    (alone,) = _keys_of(char)
    assert joined.key.startswith("alt+")
    assert key_after_escape(joined.key) == alone.key


@pytest.mark.parametrize("key", ["q", "escape", "ctrl+q", "alt", "alt+", "alt+ctrl+q",
                                 "alt+escape", "alt+up", "alt+shift+up", "shift+q"])
def test_keys_that_are_not_esc_then_a_character_stay_as_they_are(key: str) -> None:
    assert key_after_escape(key) is None


async def _burst(pilot, data: str) -> None:
    for key in _keys_of(data):
        pilot.app.post_message(key)
    await pilot.pause()


async def test_esc_q_in_one_read_quits_the_dashboard(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await _burst(pilot, "\x1bq")
        await until(pilot, lambda: app.return_code is not None, "the app quits")
        assert app.return_code == 0


async def test_esc_q_typed_in_the_filter_closes_it_then_quits(make_dashboard) -> None:
    """Esc clears the filter (the "q" is not typed into it), q then quits."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("slash", "w", "a")
        assert app.dashboard._filter.value == "wa"
        await _burst(pilot, "\x1bq")
        await until(pilot, lambda: app.return_code is not None, "the app quits")
        assert app.dashboard._filter.value == ""


async def test_esc_then_a_key_in_the_filter_clears_it_and_runs_the_key(make_dashboard) -> None:
    """Esc S: the filter is cleared and the table sorted by state, as typed slowly."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("slash", "w", "a")
        await _burst(pilot, "\x1bN")
        await until(pilot, lambda: app.dashboard.table.sort == "name", "sorted by name")
        assert app.dashboard._filter.value == "" and app.is_running
        assert app.focused is app.dashboard.table


async def test_esc_enter_the_detail_then_esc_q_goes_back_and_quits(make_dashboard) -> None:
    """On the detail Esc goes back to the list; the q after it quits from there."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        await _burst(pilot, "\x1bq")
        await until(pilot, lambda: app.return_code is not None, "the app quits")


async def test_an_alt_key_the_operator_bound_keeps_its_binding(make_dashboard) -> None:
    """[keymap] can give an action an alt key: then alt+r is that key, not Esc r."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        app.set_keymap({"dashboard.sort_name": "alt+r"})
        await pilot.pause()
        await _burst(pilot, "\x1br")
        await until(pilot, lambda: app.dashboard.table.sort == "name", "sorted by name")
        assert app.is_running


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.usefixtures("cli_env")
def test_on_a_real_terminal_esc_q_in_one_write_quits() -> None:
    """The real command on a pty: ESC and q written together (as ``tmux send-keys Escape
    q`` does) end the program, with code 0."""
    import os

    env = {**os.environ, "TERM": "xterm-256color"}
    run = PtyRun([str(IOTFLOW)], env)
    try:
        drawn = run.wait_for("STATE▲".encode())
        run.send(b"\x1bq")
        code = run.process.wait(60)
    finally:
        run.close()
    assert drawn, bytes(run.output)[-2000:]
    assert code == 0
