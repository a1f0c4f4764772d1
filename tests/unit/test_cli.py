"""The headless commands: list, status (exit codes for cron), info, and import hygiene."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.clock import T0
from tui.cli import EXIT_ERROR, EXIT_INIT, EXIT_OK, EXIT_UNAVAILABLE, main
from tui.simulator import ManualClock, Simulator, SimulatorServer


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sim_server: SimulatorServer) -> None:
    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("IOTFLOW_URL", sim_server.base_url + "/iot-flow/v1")
    monkeypatch.setenv("IOTFLOW_TOKEN_URL",
                       sim_server.base_url + "/users-auth/protocol/openid-connect/token")
    monkeypatch.setenv("IOTFLOW_CLIENT_ID", "demo")
    monkeypatch.setenv("IOTFLOW_CLIENT_SECRET", "demo-secret")
    for var in ("IOTFLOW_FLAVOUR", "IOTFLOW_AUTH", "IOTFLOW_PROFILE", "IOTFLOW_TOKEN",
                "COLUMNS"):  # no COLUMNS: the full table, as a pipe gets it
        monkeypatch.delenv(var, raising=False)


def test_list_table_and_filters(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:5] == ["HEALTH", "STATE", "NAME", "CONNECTOR", "ID"]
    assert len(out) == 26
    assert main(["list", "--health", "error"]) == EXIT_OK
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(r.startswith("ERROR") for r in rows)
    assert main(["list", "--state", "DEACTIVATED", "-o", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data and all(c["state"] == "DEACTIVATED" for c in data)


def test_list_json_masks_secrets(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--output", "json"]) == EXIT_OK
    text = capsys.readouterr().out
    data = json.loads(text)
    assert len(data) == 25
    aws = [c for c in data if c["connectorId"] == "actility-aws-iot"]
    assert aws and all(c["configuration"]["secretAccessKey"] == "*****" for c in aws)


def test_list_jsonl_is_one_object_a_line_the_same_as_json(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "-o", "jsonl"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert main(["list", "-o", "json"]) == EXIT_OK
    array = json.loads(capsys.readouterr().out)
    # Each line is a whole object (head, grep and jq -c take it), and the same ones.
    records = [json.loads(line) for line in lines]
    assert len(records) == 25 and all(isinstance(r, dict) for r in records)
    assert [r["id"] for r in records] == [r["id"] for r in array]
    assert all(r["configuration"].get("secretAccessKey") in (None, "*****") for r in records)


def test_status_reports_unhealthy_lines_and_exit_code(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["status"])
    lines = capsys.readouterr().out.splitlines()
    assert code == EXIT_ERROR  # the seeded population holds UNREACHABLE connections
    assert any(line.startswith("ERROR") and "UNREACHABLE" in line for line in lines)
    assert lines[-1].startswith("25 connections") and "ACTIVE" in lines[-1]
    assert main(["status", "--quiet"]) == EXIT_ERROR
    assert capsys.readouterr().out == ""


def test_status_exit_codes_for_each_health() -> None:
    from tui.api import Connection
    from tui.cli_list import status_exit_code

    def c(state: str, active: bool = True) -> Connection:
        return Connection(id="1", connector_id="x", name="n", state=state, active=active)

    assert status_exit_code([c("OPENED"), c("DEACTIVATED", False)]) == EXIT_OK
    assert status_exit_code([c("OPENED"), c("OPENING")]) == EXIT_INIT
    assert status_exit_code([c("OPENING"), c("AUTHENTICATION_FAILED")]) == EXIT_ERROR
    assert status_exit_code([]) == EXIT_OK


def test_status_all_healthy_exits_zero(monkeypatch: pytest.MonkeyPatch, env: None,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    sim = Simulator(connections=0, seed=0, clock=ManualClock(T0))
    with SimulatorServer(sim) as server:
        monkeypatch.setenv("IOTFLOW_URL", server.base_url + "/iot-flow/v1")
        monkeypatch.setenv("IOTFLOW_TOKEN_URL",
                           server.base_url + "/users-auth/protocol/openid-connect/token")
        assert main(["status"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("0 connections")


def test_status_unreachable_and_refused_exit_three(
    env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    sim_server: SimulatorServer,
) -> None:
    monkeypatch.setenv("IOTFLOW_CLIENT_SECRET", "wrong")
    assert main(["status"]) == EXIT_UNAVAILABLE
    assert "Credentials refused" in capsys.readouterr().out
    monkeypatch.setenv("IOTFLOW_CLIENT_SECRET", "demo-secret")
    sim_server.stop()
    assert main(["status", "--timeout", "1"]) == EXIT_UNAVAILABLE
    assert "Cannot reach the API" in capsys.readouterr().out
    sim_server.start()


def test_missing_configuration_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "none.toml"))
    for var in ("IOTFLOW_URL", "IOTFLOW_CLIENT_ID", "IOTFLOW_CLIENT_SECRET", "IOTFLOW_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    assert main(["status"]) == EXIT_UNAVAILABLE
    assert "IOTFLOW_URL" in capsys.readouterr().err


def test_dx_core_profile_from_a_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sim_server: SimulatorServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'default_profile = "community"\n[profiles.community]\nurl = "{sim_server.base_url}"\n'
        'flavour = "dx-core"\nauth = "dx-admin"\nclient_id = "demo"\n'
        'client_secret_env = "COMMUNITY_SECRET"\n'
    )
    monkeypatch.setenv("IOTFLOW_CONFIG", str(config))
    monkeypatch.setenv("COMMUNITY_SECRET", "demo-secret")
    for var in ("IOTFLOW_URL", "IOTFLOW_TOKEN_URL", "IOTFLOW_CLIENT_ID", "IOTFLOW_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)
    assert main(["info"]) == EXIT_OK
    info = capsys.readouterr().out
    assert "/thingpark/dx/core/latest/api" in info and "dx-admin" in info
    assert "demo-secret" not in info
    assert main(["list", "-o", "json"]) == EXIT_OK
    assert len(json.loads(capsys.readouterr().out)) == 25


def test_secret_flags_do_not_exist() -> None:
    with pytest.raises(SystemExit):
        main(["list", "--client-secret", "x"])


def test_a_closed_pipe_ends_list_quietly(env: None, tmp_path: Path) -> None:
    """`iotflow list | head` where head has gone: exit 0 (the code it has anyway, whatever
    the timing: see tui/cli_exit.py), no traceback."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        done = subprocess.run(
            [sys.executable, "-c", "from tui.cli import main; raise SystemExit(main(['list']))"],
            stdout=write_end, stderr=stderr, env=os.environ.copy(), timeout=60,
        )  # fmt: skip
    os.close(write_end)
    assert done.returncode == 0
    assert "Traceback" not in errors.read_text()
