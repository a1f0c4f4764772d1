"""Credential headers are never shown: the command line masks them even when a server does not."""

from __future__ import annotations

import json

import pytest

from tui.cli import EXIT_OK, main
from tui.secrets import MASK
from tui.simulator import Simulator

HEADERS = {"Authorization": "Bearer s3cr3t-value", "X-Api-Key": "k-42", "X-Tenant": "t1"}


@pytest.fixture
def http_connection(simulator: Simulator) -> int:
    conn = simulator.world.create(
        connector_id="actility-http-iot",
        name="Headers test",
        configuration={"destinationURL": "https://example.com/up", "headers": dict(HEADERS)},
    )
    return conn.id


@pytest.fixture
def env(cli_env: None) -> None:
    """The command line pointed at the test simulator (tests/conftest.py)."""


def _listed(capsys: pytest.CaptureFixture[str], ident: int) -> dict:
    assert main(["list", "-o", "json"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "s3cr3t-value" not in out and "k-42" not in out
    return next(c for c in json.loads(out) if str(c["id"]) == str(ident))


def test_list_json_masks_credential_headers(env: None, http_connection: int, capsys) -> None:
    shown = _listed(capsys, http_connection)
    assert shown["configuration"]["headers"] == {
        "Authorization": MASK,
        "X-Api-Key": MASK,
        "X-Tenant": "t1",
    }


def test_list_json_masks_headers_a_server_sent_in_clear(
    env: None, http_connection: int, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a platform that masks only its documented names returns headers as they were stored
    monkeypatch.setattr("tui.simulator.app.mask_secrets", lambda value, schema=None: value)
    shown = _listed(capsys, http_connection)
    assert shown["configuration"]["headers"]["Authorization"] == MASK
    assert shown["configuration"]["headers"]["X-Tenant"] == "t1"
