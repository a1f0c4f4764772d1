"""The command line against a hostile platform, and its new options.

Server text never reaches the terminal as control characters, ``status`` exits with the
right code for each malformed answer, ``--timeout`` bounds the whole run, ``--state``
takes every spelling the dashboard shows, and ``-o wide``/``--flags``/JSON carry time in
state and flags.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hostile_server import CLEAR_AND_RETITLE, CLIPBOARD, HostileServer
from tui.cli import EXIT_ERROR, EXIT_INIT, EXIT_OK, EXIT_UNAVAILABLE, main

ALL_VARS = ("IOTFLOW_URL", "IOTFLOW_TOKEN_URL", "IOTFLOW_CLIENT_ID", "IOTFLOW_CLIENT_SECRET",
            "IOTFLOW_FLAVOUR", "IOTFLOW_AUTH", "IOTFLOW_PROFILE", "IOTFLOW_TOKEN")


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Point the command line's environment at a HostileServer."""
    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("COLUMNS", raising=False)  # the full table, as a pipe gets it
    for var in ALL_VARS:
        monkeypatch.delenv(var, raising=False)

    def point(server: HostileServer) -> None:
        for var, value in server.env().items():
            monkeypatch.setenv(var, value)

    return point


def test_hostile_names_are_shown_not_obeyed_by_list_and_status(
    point_at, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("hostile-names") as server:
        point_at(server)
        assert main(["list"]) == EXIT_OK
        table = capsys.readouterr().out
        assert main(["list", "-o", "wide"]) == EXIT_OK
        wide = capsys.readouterr().out
        code = main(["status"])
        status = capsys.readouterr().out
        assert main(["list", "-o", "json"]) == EXIT_OK
        text = capsys.readouterr().out
    for out in (table, wide, status):
        assert "\x1b" not in out and "\x07" not in out
    assert "␛]52;c;aWQgIw==␇" in table and "␛[2J␛]0;pwned␇" in table
    assert code == EXIT_ERROR and "␛[2J" in status
    # JSON stays exact (the names come back byte for byte) and inert on a terminal.
    assert "\x1b" not in text and "\x07" not in text
    assert [c["name"] for c in json.loads(text)] == [CLIPBOARD, CLEAR_AND_RETITLE]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("ok", EXIT_INIT),  # one OPENING connection
        ("all-opened", EXIT_OK),
        ("bad-items", EXIT_ERROR),  # unreadable items count as ERROR
        ("deep-item", EXIT_ERROR),
        ("deep", EXIT_UNAVAILABLE),
        ("huge-body", EXIT_OK),  # 3 MB of spaces: under the 64 MB default, an empty list
        ("html-500", EXIT_UNAVAILABLE),
        ("api-401", EXIT_UNAVAILABLE),
        ("drop-once", EXIT_INIT),  # retried at once: the same as "ok"
    ],
)
def test_status_exit_code_for_each_malformed_answer(
    point_at, capsys: pytest.CaptureFixture[str], case: str, expected: int
) -> None:
    with HostileServer(case) as server:
        point_at(server)
        assert main(["status"]) == expected
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    last = captured.out.splitlines()[-1]
    if expected == EXIT_UNAVAILABLE:
        assert last.startswith("UNAVAILABLE ")
    else:
        assert " connections at " in last


def test_status_lists_unreadable_items_with_the_reason_and_reports_the_duplicate(
    point_at, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("bad-items") as server:
        point_at(server)
        assert main(["status"]) == EXIT_ERROR
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    unreadable = [line for line in lines if "UNREADABLE" in line]
    assert len(unreadable) == 4
    assert any("a timestamp is not text: 12345" in line for line in unreadable)
    assert any("active is 'yes'" in line for line in unreadable)
    assert lines[-1].startswith("7 connections") and "ERROR 5" in lines[-1]
    assert captured.err.count("id 6 appears 2 times") == 1


def test_a_megabyte_name_does_not_pad_the_table(
    point_at, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("huge-name") as server:
        point_at(server)
        assert main(["list"]) == EXIT_OK
    out = capsys.readouterr().out
    assert len(out) < 2_000 and max(len(line) for line in out.splitlines()) < 200


def test_status_timeout_bounds_the_whole_run(
    point_at, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every answer takes 1 s: three GET retries and a token would take far longer.
    with HostileServer("trickle") as server:
        point_at(server)
        assert main(["status", "--timeout", "0.5"]) == EXIT_UNAVAILABLE
    out = capsys.readouterr().out
    assert out.startswith("UNAVAILABLE ") and "0.5 s" in out


@pytest.mark.parametrize(
    ("given", "state"),
    [("UNREACHABLE", "UNREACHABLE"), ("unreachable", "UNREACHABLE"),
     ("AUTH_FAILED", "AUTHENTICATION_FAILED"), ("auth_failed", "AUTHENTICATION_FAILED"),
     ("Authentication_Failed", "AUTHENTICATION_FAILED"), ("unreadable", "UNREADABLE")],
)
def test_state_accepts_names_and_short_forms_in_any_case(given: str, state: str) -> None:
    from tui.cli_report import parse_state

    assert parse_state(given) == state


def test_an_unknown_state_is_refused_with_the_valid_ones(
    point_at, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer() as server:
        point_at(server)
        # A usage error like any other bad argument: argparse's code, 2.
        with pytest.raises(SystemExit) as stop:
            main(["list", "--state", "broken"])
        assert stop.value.code == 2
        assert server.api_requests() == []  # refused before asking the platform
    err = capsys.readouterr().err
    assert "Unknown state 'broken'" in err
    assert "AUTHENTICATION_FAILED (AUTH_FAILED)" in err and "OPENED" in err


def test_wide_table_and_flags_column(point_at, capsys: pytest.CaptureFixture[str]) -> None:
    with HostileServer() as server:
        point_at(server)
        assert main(["list", "-o", "wide"]) == EXIT_OK
        wide = capsys.readouterr().out.splitlines()
        assert main(["list", "--flags"]) == EXIT_OK
        flags = capsys.readouterr().out.splitlines()
    assert wide[0].endswith("IN STATE  FLAGS  ALARMS")
    assert flags[0].endswith("FLAGS")
    # First sight of the platform: time in state is a lower bound, and says so.
    opening = next(line for line in wide if "OPENING" in line)
    assert "≥ " in opening


def test_json_carries_health_time_in_state_and_flags(
    point_at, capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer("bad-items") as server:
        point_at(server)
        assert main(["list", "-o", "json"]) == EXIT_OK
    records = json.loads(capsys.readouterr().out)
    first = records[0]
    # OPENED since its start-up time: exact, as the dashboard shows it.
    assert first["health"] == "ACTIVE" and first["inStateObserved"] is True
    assert isinstance(first["inStateSeconds"], int) and first["flags"] == []
    unreadable = [r for r in records if r["state"] == "UNREADABLE"]
    assert len(unreadable) == 4 and all(r["health"] == "ERROR" for r in unreadable)
    assert all(r["problem"].startswith("Item ") for r in unreadable)


def test_help_and_info_import_neither_textual_nor_httpx(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from tui.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in ('textual', 'httpx', 'httpcore') if m in sys.modules)\n"
        "print('LOADED', loaded)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "IOTFLOW_CONFIG": str(tmp_path / "none.toml"),
           "IOTFLOW_URL": "https://iot.example.com", "IOTFLOW_CLIENT_ID": "x",
           "IOTFLOW_CLIENT_SECRET": "y", "HOME": str(tmp_path)}
    for argv in (["--help"], ["info"], ["list", "--help"]):
        out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                             text=True, env=env, cwd=Path(__file__).resolve().parents[2],
                             check=True).stdout
        assert "LOADED []" in out, (argv, out)


def test_a_trickling_list_leaves_in_time(point_at, capsys: pytest.CaptureFixture[str]) -> None:
    with HostileServer("trickle") as server:
        point_at(server)
        assert main(["list", "--timeout", "0.3"]) == EXIT_UNAVAILABLE
    assert "too slow" in capsys.readouterr().err


def test_time_in_state_and_flags_come_from_the_dashboards_history(
    point_at, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime, timedelta

    from tui.config import history_file, load_profile

    now = datetime.now(UTC)
    (tmp_path / "state").mkdir()
    with HostileServer() as server:
        point_at(server)
        # The dashboard's file for this platform (one per URL and flavour).
        history = history_file(load_profile())
        history.write_text(json.dumps({
            "3": [[(now - timedelta(minutes=30)).isoformat(), "OPENED"],
                  [(now - timedelta(minutes=20)).isoformat(), "OPENING"]],
        }))
        assert main(["list", "-o", "json"]) == EXIT_OK
        records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
        assert main(["list", "-o", "wide"]) == EXIT_OK
        wide = capsys.readouterr().out
    three = records["3"]
    assert three["inStateObserved"] is True and three["flags"] == ["STUCK"]
    assert 20 * 60 <= three["inStateSeconds"] < 21 * 60
    line = next(line for line in wide.splitlines() if "OPENING" in line)
    assert "STUCK" in line and "20m" in line and "≥" not in line
    # The listing read the file and left it as it was.
    assert json.loads(history.read_text())["3"][1][1] == "OPENING"


def test_the_sim_banner_pasted_into_a_shell_makes_iotflow_list_work(
    sim_server, tmp_path: Path
) -> None:
    import io
    import shutil

    from tui.simulator.cli import print_banner

    banner = io.StringIO()
    print_banner(sim_server, banner)
    iotflow = Path(sys.executable).parent / "iotflow"
    script = banner.getvalue() + f"\n{iotflow} list\n"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "IOTFLOW_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run([shutil.which("bash") or "/bin/sh", "-c", script], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[0].startswith("HEALTH") and len(rows) == 26
    assert "command not found" not in done.stderr
