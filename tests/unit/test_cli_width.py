"""Tables at the operator's width: ``list`` and ``metrics`` fit a terminal (or COLUMNS), and
keep the full table for a pipe (tui/cli_table.py)."""

from __future__ import annotations

import fcntl
import io
import os
import struct
import termios

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.cli import EXIT_OK, main
from tui.cli_report import TABLE, WIDE
from tui.cli_table import output_width, render
from tui.health import KNOWN_STATES

WIDTHS = (80, 120, 200)


@pytest.fixture
def env(cli_env: None) -> None:
    """The command line pointed at the test simulator (tests/conftest.py)."""


def _widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


# -- the width to fit ---------------------------------------------------------------


def test_columns_sets_the_width_and_a_pipe_gets_the_full_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert output_width(io.StringIO()) is None  # not a terminal: the full table
    monkeypatch.setenv("COLUMNS", "97")
    assert output_width(io.StringIO()) == 97
    for unusable in ("0", "-5", "wide", ""):
        monkeypatch.setenv("COLUMNS", unusable)
        assert output_width(io.StringIO()) is None


def test_a_terminal_gives_its_own_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    leader, follower = os.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 93, 0, 0))
        with open(follower, "w", closefd=False) as terminal:
            assert output_width(terminal) == 93
    finally:
        os.close(leader)
        os.close(follower)


# -- fitting, on generated rows ---------------------------------------------------------

_names = st.one_of(
    st.text(min_size=0, max_size=80),
    # wide (CJK, fullwidth, emoji with a modifier) and combining characters
    st.text(alphabet="東京計測器データ👍🏽é\u0301ＡＢ", min_size=1, max_size=70),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", min_size=40, max_size=120),
)


def _cell(text: str) -> str:
    from tui.cli_report import cell

    return cell(text, 48)


def _row(name: str, state: str, connector: str, ident: str, wide: bool) -> list[str]:
    row = ["ERROR", _cell(state), _cell(name), _cell(connector), _cell(ident), "yes",
           "2026-11-28 09:00:00", "9d 20h"]  # fmt: skip
    if wide:
        row += ["≥ 4m", "STUCK FLAP", "⚠ open→Sat 16:00"]
    return row


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(_names, min_size=1, max_size=6),
    states=st.lists(st.sampled_from([*KNOWN_STATES, "UNREADABLE"]), min_size=6, max_size=6),
    connector=_names,
    ident=st.text(alphabet="0123456789abcdef-", min_size=1, max_size=36),
    wide=st.booleans(),
    width=st.one_of(st.sampled_from(WIDTHS), st.integers(min_value=1, max_value=260)),
)
def test_every_line_fits_the_width(names, states, connector, ident, wide, width) -> None:
    header = [*(WIDE if wide else TABLE)]
    rows = [_row(n, s, connector, ident, wide) for n, s in zip(names, states, strict=False)]
    text = render(header, rows, width)
    lines = text.splitlines()
    assert len(lines) == len(rows) + 1  # one line each, nothing wraps
    assert all(cell_len(line) <= width for line in lines)
    if width >= 80:
        # The dashboard's first two columns stay whatever the names: state, then name.
        assert lines[0].split()[:2] == ["STATE", "NAME"] or lines[0].startswith("HEALTH")


def test_at_80_columns_the_dashboards_priorities_and_short_states() -> None:
    header = [*WIDE]
    rows = [_row("Warsaw leak detection MQTT over the river", "AUTHENTICATION_FAILED", "mqtt",
                 "3", True)]  # fmt: skip
    text = render(header, rows, 80)
    head, line = text.splitlines()
    # Kept by the dashboard's priority (state 0, name 1, in state 2, flags 3, connector 4,
    # id 5, uptime 7); dropped first: ACTIVE (10), HEALTH (9), STARTED (8).
    assert head.split()[:4] == ["STATE", "NAME", "CONNECTOR", "ID"]
    assert "IN STATE" in head and "FLAGS" in head
    assert "ACTIVE" not in head and "HEALTH" not in head
    assert "Warsaw leak" in line and "…" in line  # the name shortened, marked as cut
    assert cell_len(head) <= 80 and cell_len(line) <= 80
    # Narrower, the state column shrinks as the dashboard's does: AUTH_FAILED.
    narrow = render(header, rows, 60).splitlines()[1]
    assert "AUTH_FAILED" in narrow and "AUTHENTICATION_FAILED" not in narrow
    assert cell_len(narrow) <= 60
    # With room, everything is shown and nothing is cut.
    roomy = render(header, rows, 200)
    assert "AUTHENTICATION_FAILED" in roomy and "over the river" in roomy and "…" not in roomy


def test_without_a_width_the_table_is_as_before() -> None:
    header = ["HEALTH", "STATE", "NAME"]
    rows = [["ERROR", "AUTHENTICATION_FAILED", "a"], ["ACTIVE", "OPENED", "a much longer name"]]
    assert render(header, rows, None) == (
        "HEALTH  STATE                  NAME\n"
        "ERROR   AUTHENTICATION_FAILED  a\n"
        "ACTIVE  OPENED                 a much longer name"
    )


# -- the commands ----------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", [["list"], ["list", "-o", "wide"], ["list", "--flags"],
                                     ["metrics"]])  # fmt: skip
def test_commands_fit_columns(env, monkeypatch: pytest.MonkeyPatch, capsys, command,
                              width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(command) == EXIT_OK
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 26  # the header and the 25 connections, one line each
    assert _widest(out) <= width
    monkeypatch.delenv("COLUMNS")
    assert main(command) == EXIT_OK
    full = capsys.readouterr().out
    assert _widest(full) > 80  # the full table a script reads, wider than a jump host


def test_a_metrics_file_is_never_fitted(env, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    target = tmp_path / "metrics.txt"
    assert main(["metrics", "--file", str(target)]) == EXIT_OK
    assert target.read_text().splitlines()[0].split() == [
        "ID", "NAME", "CONNECTOR", "STATE", "UP/H", "FAIL/H", "UP/24H", "FAIL/24H", "DOWN/H",
        "DEVICES", "LAG"]  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
def test_status_lines_fit_a_terminal_and_the_pipe_keeps_them_whole(
    env, monkeypatch: pytest.MonkeyPatch, capsys, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    main(["status"])
    fitted = capsys.readouterr().out.splitlines()
    monkeypatch.delenv("COLUMNS")
    main(["status"])
    whole = capsys.readouterr().out.splitlines()
    assert len(fitted) == len(whole)
    # Each connection's line fits; the summary with Nagios perfdata is never cut.
    assert all(cell_len(line) <= width for line in fitted[:-1])
    # (the same summary, but for its time: the second run may be a second later)
    assert fitted[-1].split(": ", 1)[1] == whole[-1].split(": ", 1)[1]
    assert any("AUTHENTICATION_FAILED" in line for line in whole)
    assert not any("AUTHENTICATION_FAILED" in line for line in fitted[:-1])
    assert any("AUTH_FAILED" in line for line in fitted)
    # A flagged connection's line reads the same words, shortened only where it must.
    for short, full in zip(fitted[:-1], whole[:-1], strict=True):
        assert short.split()[0] == full.split()[0]


@given(name=_names, state=st.sampled_from([*KNOWN_STATES, "UNREADABLE"]),
       width=st.integers(min_value=10, max_value=200))
def test_a_status_line_fits_any_width(name: str, state: str, width: int) -> None:
    from tui.cli_table import StatusLine

    line = StatusLine(width)("ERROR", state, "123456", _cell(name) + "  (mqtt)")
    assert cell_len(line) <= width and line.startswith("ERROR ")
