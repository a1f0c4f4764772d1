"""Exit codes and sentences of the command line: a reader that goes away, an id that names
no connection, and the small refusals (``--timeout 0``, ``--health bogus``), as the
README's exit-code paragraph says; and where ``info`` and a refusal say a setting came from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import EXIT_ERROR, EXIT_OK, main
from tui.cli_flow import EXIT_REFUSED
from tui.config import load_profile
from tui.readonly import refusal_notice

IOTFLOW = Path(sys.executable).parent / "iotflow"


@pytest.fixture
def env(cli_env: None) -> None:
    """The command line pointed at the test simulator (tests/conftest.py)."""


# -- 3. a reader that went away -------------------------------------------------------


def _closed_reader(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """The installed command writing into a pipe whose reader is already gone (as
    ``| head`` that has read its lines), buffered as from an operator's shell."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([str(IOTFLOW), *args], stdout=write_end, stderr=subprocess.PIPE,
                              env=environment, timeout=60)  # fmt: skip
    finally:
        os.close(write_end)


@pytest.mark.parametrize(("args", "code"), [
    (["list"], EXIT_OK),
    (["list", "-o", "json"], EXIT_OK),
    (["list", "-o", "wide"], EXIT_OK),
    (["events", "--since", "2000-01-01T00:00:00Z"], EXIT_OK),
    (["events", "--since", "2000-01-01T00:00:00Z", "-o", "jsonl"], EXIT_OK),
    (["metrics"], EXIT_OK),
    (["metrics", "-o", "prometheus"], EXIT_OK),
    (["status"], EXIT_ERROR),  # its health code stands: the seeded world has ERRORs
    (["info"], EXIT_OK),
])  # fmt: skip
def test_a_closed_pipe_leaves_each_commands_own_code(env, args: list[str], code: int) -> None:
    done = _closed_reader(args)
    assert done.returncode == code, done.stderr
    assert b"Traceback" not in done.stderr
    # ...and each of them did have something to write (else the pipe was never met).
    written = subprocess.run([str(IOTFLOW), *args], capture_output=True, timeout=60)
    assert written.returncode == code and written.stdout.strip()


# -- 2. an id that names no connection -------------------------------------------------


@pytest.mark.parametrize("args", [
    ["alarms", "999"], ["alarms", "999", "--ics"], ["restart", "999", "--yes"],
    ["events", "--connection", "999"], ["events", "--connection", "999", "--follow"],
])  # fmt: skip
def test_no_such_connection_is_not_found_for_every_command(
    env, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(args) == EXIT_REFUSED
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.lower()
    assert "not found" in err or "no connection has that id" in err
    assert "waiting for new ones" not in err  # --follow does not wait for what cannot come


def test_alarms_of_a_connection_that_exists_still_exits_zero(
    env, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["alarms", "1"]) == EXIT_OK
    assert capsys.readouterr().out.strip()


# -- 4. the small refusals ---------------------------------------------------------------


@pytest.mark.parametrize("given_value", ["0", "-1", "0.0", "nan", "inf", "abc", ""])
def test_a_timeout_not_above_zero_is_refused_with_a_sentence(
    capsys: pytest.CaptureFixture[str], given_value: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["list", "--timeout", given_value])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"{given_value!r} is not a number of seconds above 0" in err
    assert "--timeout 10" in err


def test_a_positive_timeout_is_taken(env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--timeout", "0.5", "-o", "json"]) == EXIT_OK


@given(text=st.text(min_size=1, max_size=12).filter(
    lambda t: t.strip().upper() not in ("ACTIVE", "INIT", "ERROR", "DEACTIVATED")))
def test_an_unknown_health_is_quoted_as_typed(text: str) -> None:
    from argparse import ArgumentTypeError

    from tui.cli_args import health_name
    from tui.terminal_text import terminal_safe

    with pytest.raises(ArgumentTypeError) as refused:
        health_name(text)
    assert repr(terminal_safe(text)) in str(refused.value)


def test_health_bogus_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["list", "--health", "bogus"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "'bogus'" in err and "'BOGUS'" not in err and "ACTIVE, INIT, ERROR" in err


# -- 4. where a setting came from -------------------------------------------------------


def _info(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, str]:
    assert main(["info", *args]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    return {line[:14].strip(): line[14:] for line in lines}


def test_info_says_which_variable_or_file_the_secret_came_from(
    env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _info(capsys)["secret"] == "set (from IOTFLOW_CLIENT_SECRET)"
    config = tmp_path / "config.toml"
    config.write_text('default_profile = "plant"\n[profiles.plant]\n'
                      'client_secret_env = "PLANT_SECRET"\n')  # fmt: skip
    monkeypatch.setenv("PLANT_SECRET", "s3cret-plant")
    shown = _info(capsys)
    assert shown["secret"] == "set (from PLANT_SECRET)"
    assert "s3cret" not in "".join(shown.values())
    monkeypatch.delenv("PLANT_SECRET")
    assert _info(capsys)["secret"] == "set (from IOTFLOW_CLIENT_SECRET)"
    monkeypatch.delenv("IOTFLOW_CLIENT_SECRET")
    assert _info(capsys)["secret"] == (
        "missing (export PLANT_SECRET or IOTFLOW_CLIENT_SECRET, or put it in the config file)")
    config.write_text('default_profile = "plant"\n[profiles.plant]\n'
                      'client_secret = "from-the-file"\n')  # fmt: skip
    config.chmod(0o600)
    shown = _info(capsys)
    assert shown["secret"] == "set (from the config file)"
    assert "from-the-file" not in "".join(shown.values())


def test_info_names_a_static_tokens_variable(env, monkeypatch, capsys) -> None:
    monkeypatch.setenv("IOTFLOW_AUTH", "token")
    monkeypatch.setenv("IOTFLOW_TOKEN", "tok-123")
    shown = _info(capsys)
    assert shown["token"] == "set (from IOTFLOW_TOKEN)" and "secret" not in shown


def test_read_only_says_how_it_was_switched_on(
    env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _info(capsys)["read-only"] == "no"
    assert _info(capsys, "--read-only")["read-only"] == "yes (--read-only)"
    monkeypatch.setenv("IOTFLOW_READ_ONLY", "1")
    assert _info(capsys)["read-only"] == "yes (IOTFLOW_READ_ONLY)"
    monkeypatch.setenv("IOTFLOW_READ_ONLY", "0")
    assert _info(capsys)["read-only"] == "no"
    monkeypatch.delenv("IOTFLOW_READ_ONLY")
    config = tmp_path / "config.toml"
    config.write_text('default_profile = "p"\n[profiles.p]\nread_only = true\n')
    assert _info(capsys)["read-only"] == "yes (the profile's read_only)"


@pytest.mark.parametrize(("flags", "environment", "file", "origin"), [
    ({"read_only": True}, {}, "", "flag"),
    ({"read_only": True}, {"IOTFLOW_READ_ONLY": "1"}, "read_only = true\n", "flag"),
    ({}, {"IOTFLOW_READ_ONLY": "yes"}, "read_only = true\n", "environment"),
    ({}, {}, "read_only = true\n", "profile"),
    ({}, {}, "read_only = false\n", ""),
    ({}, {}, "", ""),
])  # fmt: skip
def test_the_profile_remembers_where_read_only_came_from(
    tmp_path: Path, flags: dict[str, Any], environment: dict[str, str], file: str, origin: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'default_profile = "p"\n[profiles.p]\nurl = "https://x.test"\n{file}')
    profile = load_profile(flags, env=environment, path=path)
    assert profile.read_only_from == origin
    assert profile.read_only is bool(origin)


def test_a_setting_cannot_pretend_to_be_an_origin(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('default_profile = "p"\n[profiles.p]\nread_only_from = "flag"\n'
                    'secret_from = "X"\n')  # fmt: skip
    profile = load_profile({}, env={}, path=path)
    assert profile.read_only_from == "" and profile.secret_from == ""
    assert sum("is ignored" in warning for warning in profile.warnings) == 2


def test_the_refusal_says_what_to_undo() -> None:
    assert "Start iotflow without --read-only" in refusal_notice("delete", "flag")
    assert "--read-only on the command line" in refusal_notice("delete", "flag")
    assert "read_only = false" not in refusal_notice("delete", "flag")
    assert "Unset IOTFLOW_READ_ONLY" in refusal_notice("edit", "environment")
    for origin in ("profile", ""):
        text = refusal_notice("restart", origin)
        assert "Set read_only = false in the profile" in text and "restarting" in text
    for origin in ("flag", "environment", "profile"):
        assert "nothing was sent" in refusal_notice("new", origin)


def test_restart_refused_read_only_by_flag_says_so(env, capsys) -> None:
    assert main(["restart", "1", "--read-only", "--yes"]) == 64
    assert "without --read-only" in capsys.readouterr().err


def test_a_help_without_a_full_stop_gets_one_before_the_next_sentence() -> None:
    from types import SimpleNamespace

    from tui.widgets.form_fields.base import help_lines

    def text(help_text: str | None, extra: str | None) -> str:
        shown = list(help_lines(SimpleNamespace(help=help_text), extra))  # type: ignore[arg-type]
        return "".join(str(widget.content) for widget in shown)

    masks = "The server masks secrets."
    assert text("Sent as Authorization: Bearer <token>", masks) == (
        "Sent as Authorization: Bearer <token>. The server masks secrets.")
    assert text("Ends well.", masks) == "Ends well. The server masks secrets."
    assert text("No stop at the end", None) == "No stop at the end"
    assert text(None, masks) == masks
