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
