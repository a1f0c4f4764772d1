"""Issue 6 end to end: the dashboard and `iotflow list` on a DX Core profile with a
legacy DX Admin token, and on IoT Flow with users-auth, over 250+ paged connections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.clock import T0
from tui.cli import EXIT_OK, main
from tui.config import Profile
from tui.simulator import ManualClock, Simulator, SimulatorServer

PROFILES = {
    "dx-core": dict(flavour="dx-core", auth="dx-admin",
                    path="/thingpark/dx/core/latest/api",
                    token="/thingpark/dx/admin/latest/api/oauth/token"),
    "iot-flow": dict(flavour="iot-flow", auth="oidc", path="/iot-flow/v1",
                     token="/users-auth/protocol/openid-connect/token"),
}


@pytest.fixture(scope="module")
def big_server():
    sim = Simulator(connections=270, seed=6, clock=ManualClock(T0))
    with SimulatorServer(sim) as server:
        yield server


def flavour_profile(server: SimulatorServer, kind: str) -> Profile:
    spec = PROFILES[kind]
    return Profile(name=f"{kind} sim", url=server.base_url + spec["path"],
                   flavour=spec["flavour"], auth=spec["auth"],
                   token_url=server.base_url + spec["token"], client_id="demo",
                   client_secret="demo-secret", page_size=100 if kind == "iot-flow" else 0)


@pytest.mark.parametrize("kind", ["dx-core", "iot-flow"])
async def test_dashboard_shows_every_paged_connection(make_dashboard, big_server, kind) -> None:
    app = make_dashboard(profile=flavour_profile(big_server, kind))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        order = app.dashboard.table.order
        assert len(order) == len(set(order)) == 270
        assert not app.dashboard.banner.shown


@pytest.mark.parametrize("kind", ["dx-core", "iot-flow"])
def test_list_command_on_each_flavour(big_server, kind, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = PROFILES[kind]
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.p]\nurl = "{big_server.base_url}{spec["path"]}"\n'
        f'flavour = "{spec["flavour"]}"\nauth = "{spec["auth"]}"\n'
        f'token_url = "{big_server.base_url}{spec["token"]}"\nclient_id = "demo"\n'
        'client_secret_env = "P_SECRET"\npage_size = 100\n'
    )
    monkeypatch.setenv("IOTFLOW_CONFIG", str(config))
    monkeypatch.setenv("P_SECRET", "demo-secret")
    for var in ("IOTFLOW_URL", "IOTFLOW_TOKEN_URL", "IOTFLOW_CLIENT_ID", "IOTFLOW_CLIENT_SECRET",
                "IOTFLOW_FLAVOUR", "IOTFLOW_AUTH"):
        monkeypatch.delenv(var, raising=False)
    assert main(["--profile", "p", "list", "-o", "json"]) == EXIT_OK
    ids = [c["id"] for c in json.loads(capsys.readouterr().out)]
    assert len(ids) == len(set(ids)) == 270
