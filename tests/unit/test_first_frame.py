"""The first frame without a screen: its size on any terminal, inert text, the colours it
picks, and the terminal left as it was found (``tui.launch.FirstFrame``, on a real pty)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import termios
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.color import ColorSystem

from tests.support.connection_lists import connection_lists
from tests.support.pty_terminal import typed_in_line_mode
from tui import first_frame
from tui.api.listing import read_connections
from tui.board import Board
from tui.config import Profile
from tui.health import Health, HistoryStore
from tui.held_keys import HeldKeys, as_typed
from tui.launch import ENTER, LEAVE, SYNC_END, FirstFrame

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _board(items: list) -> Board:
    connections, _, _ = read_connections(items, {})
    board = Board(HistoryStore())
    board.apply(connections, NOW)
    return board


def _info(board: Board, **changes) -> first_frame.HeaderInfo:
    info = first_frame.header_info(board, "prod", "iot.example.com", False, 5.0)
    for key, value in changes.items():
        setattr(info, key, value)
    return info


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(connection_lists(), st.integers(1, 250), st.integers(1, 80))
def test_every_line_fills_the_terminal_exactly_and_is_inert(generated, width, height) -> None:
    """Any list a platform may send (control characters, 100 KB names, wide characters), any
    terminal size: ``height`` lines of exactly ``width`` cells, no control character."""
    board = _board(generated.items)
    lines = first_frame.frame_lines(board, _info(board), width, height, NOW, UTC)
    assert len(lines) == height
    for text in first_frame.plain_text(lines):
        assert cell_len(text) == width, (width, text)
        assert not UNSAFE.search(text)


def test_the_rows_come_in_the_dashboards_first_order_with_the_cursor_on_the_first() -> None:
    items = [
        {"id": "1", "name": "Lyon meters", "connectorId": "mqtt", "state": "OPENED",
         "active": True, "configuration": {}},
        {"id": "2", "name": "Oslo pumps", "connectorId": "mqtt", "state": "UNREACHABLE",
         "active": True, "configuration": {}},
        {"id": "3", "name": "Bern taps", "connectorId": "mqtt", "state": "OPENING",
         "active": True, "configuration": {}},
    ]
    board = _board(items)
    lines = first_frame.frame_lines(board, _info(board), 100, 10, NOW, UTC)
    text = first_frame.plain_text(lines)
    assert text[0].startswith(" iotflow · prod · iot.example.com")
    assert "3/3" in text[1]
    assert text[2].startswith("STATE▲")
    assert [line.split()[1] for line in text[3:6]] == ["UNREACHABLE", "OPENING", "OPENED"]
    assert {piece.style for piece in lines[3]} >= {"cursor", "cursor|error"}
    assert "error" in {piece.style for piece in lines[3 + 1]} or len(board.rows) == 3
    assert all(not line.strip() for line in text[6:])
    assert board.counts()[Health.ERROR] == 1


def test_a_long_header_is_cut_with_an_ellipsis_inside_its_padding() -> None:
    board = _board([])
    lines = first_frame.frame_lines(board, _info(board, profile="p" * 200), 40, 5, NOW, UTC)
    top = first_frame.plain_text(lines)[0]
    assert cell_len(top) == 40 and top.startswith(" ") and top.endswith(" ")
    assert "…" in top


def test_colours_are_judged_as_rich_judges_them() -> None:
    assert first_frame.color_system_of({"COLORTERM": "truecolor"}) is ColorSystem.TRUECOLOR
    assert first_frame.color_system_of({"TERM": "xterm-256color"}) is ColorSystem.EIGHT_BIT
    assert first_frame.color_system_of({"TERM": "xterm-kitty"}) is ColorSystem.EIGHT_BIT
    assert first_frame.color_system_of({"TERM": "xterm"}) is ColorSystem.STANDARD
    assert first_frame.color_system_of({"TERM": "dumb"}) is None


def test_no_color_greys_every_colour_and_marks_faults_by_reverse_video() -> None:
    for name in first_frame.PALETTE:
        style = first_frame.style_of(name, no_color=True)
        for color in (style.color, style.bgcolor):
            if color is not None:
                red, green, blue = color.get_truecolor()
                assert red == green == blue, name
    assert first_frame.style_of("error", no_color=True).reverse
    assert first_frame.style_of("cursor|error", no_color=True).reverse
    assert not first_frame.style_of("cursor|active", no_color=True).reverse


def test_rendering_sends_one_colour_code_per_run_and_no_colour_on_a_dumb_terminal() -> None:
    line = [first_frame.Piece("ab", "table"), first_frame.Piece("cd", "table"),
            first_frame.Piece("!", "error")]
    colour = first_frame.render([line], ColorSystem.EIGHT_BIT, no_color=False)
    assert colour.startswith("\x1b[1;1H") and "abcd" in colour
    assert colour.count("\x1b[0m") == 2
    assert "38;5" not in first_frame.render([line], None, no_color=False)


class _Pty:
    """Both ends of a pseudo-terminal, as files."""

    def __init__(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.set_blocking(master, False)
        self.master = master
        self.terminal = os.fdopen(slave, "w", closefd=True)

    def written(self) -> bytes:
        out = b""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except BlockingIOError:
                return out
            if not chunk:
                return out
            out += chunk

    def close(self) -> None:
        self.terminal.close()
        os.close(self.master)


def test_the_frame_goes_on_the_alternate_screen_and_leaves_it() -> None:
    pty = _Pty()
    try:
        items = [{"id": "7", "name": "Nantes lights", "connectorId": "mqtt", "state": "OPENED",
                  "active": True, "configuration": {}}]
        frame = FirstFrame.draw(_board(items), Profile(name="prod", url="https://x"), False,
                                out=pty.terminal, env={"TERM": "xterm"})
        assert frame is not None
        written = pty.written().decode()
        assert written.startswith(ENTER) and written.endswith(SYNC_END)
        assert "Nantes lights" in written and "0s ago" in written and "DATA —" in written
        frame.leave()
        assert pty.written().decode() == LEAVE
    finally:
        pty.close()


def test_keys_are_held_as_the_driver_reads_them_and_given_back_as_found() -> None:
    pty = _Pty()
    try:
        fd = pty.terminal.fileno()
        before = termios.tcgetattr(fd)
        held = HeldKeys.hold(pty.terminal)
        assert held is not None
        lflag, iflag = termios.tcgetattr(fd)[3], termios.tcgetattr(fd)[0]
        # No echo over the frame, no line editing, ctrl+c a key, Enter stays a carriage return.
        assert not lflag & (termios.ECHO | termios.ICANON | termios.ISIG)
        assert not iflag & termios.ICRNL
        held.release()
        assert termios.tcgetattr(fd) == before
        held.release()  # again: nothing (the dashboard's exit and the command's both call it)
        assert termios.tcgetattr(fd) == before
    finally:
        pty.close()


def test_nothing_is_drawn_or_held_without_a_terminal(tmp_path) -> None:
    with open(tmp_path / "out", "w") as out, open(tmp_path / "in", "w") as keys:
        assert FirstFrame.draw(_board([]), Profile(name="p", url="https://x"), False,
                               out=out) is None
        assert HeldKeys.hold(keys) is None


@pytest.mark.parametrize("typed", [b"jj\r", b"jj"], ids=["a line", "half a line"])
def test_keys_typed_in_line_mode_before_the_hold_are_kept_as_typed(typed: bytes) -> None:
    """``j j Enter`` typed before our code ran met the line mode, whose ICRNL made the Enter
    a NL (Textual's ctrl+j): held, they are taken out as typed, the Enter a CR again (a line
    not finished yet too). A ctrl+j typed once the terminal is held reaches it as NL."""
    pty = _Pty()
    try:
        fd = pty.terminal.fileno()
        os.set_blocking(pty.master, True)
        typed_in_line_mode(pty.master, typed)
        os.set_blocking(pty.master, False)
        held = HeldKeys.hold(pty.terminal)
        assert held is not None
        assert held.take_typed() == typed
        assert held.take_typed() == b""  # once: the driver's
        os.write(pty.master, b"\n")  # ctrl+j, typed now
        assert select.select([fd], [], [], 10.0)[0]  # (a safety net, not pacing)
        assert os.read(fd, 16) == b"\n"
        held.release()
    finally:
        pty.close()


def test_line_mode_bytes_become_the_keys_typed_only_where_icrnl_made_them() -> None:
    with_icrnl = [termios.ICRNL, 0, 0, 0, 0, 0, []]
    assert as_typed(b"a\nb\n", with_icrnl) == b"a\rb\r"
    assert as_typed(b"a\nb", [0, 0, 0, 0, 0, 0, []]) == b"a\nb"  # NL was typed as NL
