"""The real dashboard against hostile connection names: the bytes written to the operator's
terminal hold the names' text, never their escape sequences (OSC 52 clipboard, clear
screen, window title), in the table and in a connection's detail."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support.hostile_server import HostileServer
from tests.support.pty_terminal import IOTFLOW, PtyRun

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def test_hostile_names_reach_the_terminal_inert(tmp_path: Path) -> None:
    with HostileServer("hostile-names") as server:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
            "TERM": "xterm-256color", "IOTFLOW_CONFIG": str(tmp_path / "none.toml"),
            "IOTFLOW_STATE_DIR": str(tmp_path / "state"), **server.env(),
        }
        run = PtyRun([str(IOTFLOW)], env)
        try:
            # Both rows drawn: their visible stand-ins are on screen.
            shown = run.wait_for("␛]52;c;aWQgIw==".encode(), b"pwned")
            # The detail of the selected row: title, fields and raw JSON quote the name.
            run.send(b"\r")
            detail = run.wait_for(b"Time in state")
            run.send(b"\x1b")
            run.send(b"q")
        finally:
            run.close()
        raw = bytes(run.output)
    assert shown and detail, raw[-2000:]
    assert b"\x1b]52" not in raw  # nothing written to the clipboard
    assert b"\x1b]0;pwned" not in raw and b"pwned\x07" not in raw  # no new title
    assert "␛[2J".encode() in raw  # the clear-screen request is shown as text instead


async def test_a_duplicate_id_is_said_once_on_the_dashboard(make_dashboard) -> None:
    """The platform listing id 6 twice: one row, and one notice saying so, not one a poll."""
    with HostileServer("bad-items") as server:
        app = make_dashboard(profile=server.profile())
        async with app.run_test(size=(80, 24)) as pilot:
            await app.refresh_now()
            await app.refresh_now()
            await pilot.pause()
            said = [n.message for n in app._notifications]
            duplicate = [t for t in said if "id 6 appears 2 times" in t]
            assert len(duplicate) == 1, said
            assert list(app.board.rows).count("6") == 1


async def test_notices_show_server_text_as_it_is(make_dashboard) -> None:
    """A notice quoting a name is plain text: Rich markup in it is neither applied nor fatal."""
    from textual.widgets._toast import Toast

    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        app.dashboard.notify("Deleted “[/] [b]x[/b]”.")
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert notice.markup is False
        assert "“[/] [b]x[/b]”" in str(Toast(notice).render())


async def test_ctrl_c_says_how_to_quit_in_plain_words(make_dashboard) -> None:
    """Every notice is plain text, Textual's own ctrl+c hint included (it was markup)."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages == ["Press q to quit."], messages
