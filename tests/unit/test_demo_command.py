"""``iotflow demo``: the simulator on loopback and the dashboard on it, with the flavour and
the token endpoint asked for; options that aim at a platform are refused with a sentence."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tui import cli, cli_dashboard
from tui.config import Profile, make_client
from tui.simulator.app import DX_CORE_PREFIX, DX_TOKEN_PATH, IOT_FLOW_PREFIX, OIDC_TOKEN_PATH


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Profile, int]]:
    """Instead of the dashboard: the profile it was given and the connections that profile
    lists on the running simulator (the demo stops it once the dashboard returns)."""
    seen: list[tuple[Profile, int]] = []

    async def rows(profile: Profile) -> int:
        async with make_client(profile, retries=0) as client:
            return len(await client.list_connections())

    def dashboard(profile: Profile, **_options: Any) -> int:
        seen.append((profile, asyncio.run(rows(profile))))
        return 0

    monkeypatch.setattr(cli_dashboard, "dashboard", dashboard)
    monkeypatch.setattr(cli_dashboard, "terminal_problem", lambda: None)
    monkeypatch.setattr(cli_dashboard.HeldKeys, "hold", staticmethod(lambda: None))
    return seen


def test_the_demo_opens_iot_flow_by_default(opened, capsys) -> None:
    assert cli.main(["demo", "--connections", "7"]) == 0
    (profile, rows), = opened
    assert profile.flavour == "iot-flow" and profile.url.endswith(IOT_FLOW_PREFIX)
    assert profile.auth == "oidc" and profile.token_url.endswith(OIDC_TOKEN_PATH)
    assert rows == 7


def test_the_demo_takes_the_flavour_and_the_token_endpoint_asked_for(opened, capsys) -> None:
    assert cli.main(["demo", "--flavour", "dx-core", "--auth", "dx-admin",
                     "--connections", "250"]) == 0
    (profile, rows), = opened
    assert profile.flavour == "dx-core" and profile.url.endswith(DX_CORE_PREFIX)
    assert profile.auth == "dx-admin" and profile.token_url.endswith(DX_TOKEN_PATH)
    assert rows == 250  # three pages of DX Core's 100, read whole


@pytest.mark.parametrize("argv", [["demo", "--url", "https://iot.example.com"],
                                  ["--profile", "prod", "demo"],
                                  ["demo", "--client-id", "me"],
                                  ["demo", "--auth", "token"]])
def test_options_that_aim_at_a_platform_are_refused(opened, capsys, argv) -> None:
    assert cli.main(argv) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("iotflow demo: ") and ("`iotflow`" in err or "--auth oidc" in err)
    assert opened == []  # nothing started
