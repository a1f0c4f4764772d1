"""The client against the simulator over a real loopback socket: both API flavours,
the three auth modes, paging past 250 connections, changes, errors and faults."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.support.clock import T0
from tui.api import (
    ApiTimeout,
    ClientCredentials,
    IoTFlowClient,
    NotFound,
    ServerError,
    StaticToken,
    Unauthenticated,
    Unreachable,
    ValidationFailed,
)
from tui.config import Profile, make_client
from tui.secrets import MASK
from tui.simulator import ManualClock, Simulator, SimulatorServer

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
"""The documentation's create request, kept in the repository (tests read nothing outside)."""
IOT = "/iot-flow/v1"
DX = "/thingpark/dx/core/latest/api"
OIDC = "/users-auth/protocol/openid-connect/token"
DX_ADMIN = "/thingpark/dx/admin/latest/api/oauth/token"

AWS_PAYLOAD = {
    "connectorId": "actility-aws-iot",
    "name": "Ops test AWS",
    "active": True,
    "configuration": {
        "region": "eu-central-1",
        "accountPrefix": "a2sheeefctigr-ats",
        "accessKeyId": "AKIAEXAMPLE",
        "secretAccessKey": "s3cr3t/value",
        "deviceType": "sensor",
        "uplinkTopicPattern": "tpx/things/{DevEUI}/uplink",
        "downlinkTopicPattern": "tpx/things/{DevEUI}/downlink",
        "downlinkPort": 5,
    },
}


def profile_for(server: SimulatorServer, flavour: str, auth: str, **extra: object) -> Profile:
    prefix = IOT if flavour == "iot-flow" else DX
    token_path = DX_ADMIN if auth == "dx-admin" else OIDC
    values: dict[str, object] = dict(
        name=f"{flavour}/{auth}", url=server.base_url + prefix, flavour=flavour, auth=auth,
        token_url=server.base_url + token_path, client_id="demo", client_secret="demo-secret",
        timeout=2.0,
    )
    values.update(extra)
    return Profile(**values)  # type: ignore[arg-type]


FLAVOURS_AND_AUTHS = [("iot-flow", "oidc"), ("iot-flow", "dx-admin"), ("dx-core", "oidc"),
                      ("dx-core", "dx-admin"), ("dx-core", "token"), ("iot-flow", "token")]


@pytest.mark.parametrize(("flavour", "auth"), FLAVOURS_AND_AUTHS)
async def test_every_flavour_and_auth_lists_creates_updates_deletes(
    sim_server: SimulatorServer, simulator: Simulator, sim_clock: ManualClock,
    flavour: str, auth: str,
) -> None:
    extra = {"token": simulator.issue_token()} if auth == "token" else {}
    async with make_client(profile_for(sim_server, flavour, auth, **extra), retries=0) as client:
        before = await client.list_connections()
        assert len(before) == 25
        created = await client.create_connection(AWS_PAYLOAD)
        assert created.name == "Ops test AWS" and created.state == "CLOSED"
        assert created.configuration["secretAccessKey"] == MASK
        assert created.configuration["downlinkPort"] == "5"  # coerced as the real server does
        sim_clock.advance(10)
        opened = await client.get_connection(created.id)
        assert opened.state == "OPENED" and opened.startup_time is not None
        payload = dict(AWS_PAYLOAD, name="Renamed", active=False)
        updated = await client.update_connection(created.id, payload)
        assert updated.name == "Renamed" and updated.active is False
        sim_clock.advance(10)
        assert (await client.get_connection(created.id)).state == "DEACTIVATED"
        await client.delete_connection(created.id)
        with pytest.raises(NotFound):
            await client.get_connection(created.id)
        assert {c.id for c in await client.list_connections()} == {c.id for c in before}
        connectors = await client.list_connectors()
        assert len(connectors) >= 12
        aws = await client.get_connector("actility-aws-iot")
        assert "region" in aws.configuration_schema["required"]


async def test_the_documented_create_example_is_accepted(sim_client: IoTFlowClient) -> None:
    example = json.loads(EXAMPLE.read_text())
    created = await sim_client.create_connection(example)
    assert created.alarms == example["alarms"]
    for secret in ("secretAccessKey", "accessKeyId", "certificate", "privateKey", "downlinkAsKey"):
        assert created.configuration[secret] == MASK


async def test_sending_the_mask_back_is_refused_and_names_the_field(
    sim_client: IoTFlowClient, sim_server: SimulatorServer, simulator: Simulator
) -> None:
    created = await sim_client.create_connection(AWS_PAYLOAD)
    fetched = await sim_client.get_connection(created.id)
    # The client refuses before sending...
    with pytest.raises(ValidationFailed) as caught:
        await sim_client.update_connection(created.id, fetched.to_payload())
    assert caught.value.status is None
    assert caught.value.field in ("configuration.accessKeyId", "configuration.secretAccessKey")
    # ...and the server refuses too, naming the field, for any other client.
    headers = {"Authorization": f"Bearer {simulator.issue_token()}"}
    async with httpx.AsyncClient(base_url=sim_server.base_url + IOT, headers=headers) as http:
        answer = await http.put(f"/connections/{created.id}", json=fetched.to_payload())
    assert answer.status_code == 400 and answer.json()["code"] == "com-4000"
    assert answer.json()["message"].startswith("configuration.accessKeyId: ")


async def test_validation_errors_name_the_field(sim_client: IoTFlowClient) -> None:
    bad = json.loads(json.dumps(AWS_PAYLOAD))
    del bad["configuration"]["region"]
    with pytest.raises(ValidationFailed) as caught:
        await sim_client.create_connection(bad)
    assert caught.value.field == "configuration.region"
    assert "required" in caught.value.message
    with pytest.raises(ValidationFailed) as caught:
        await sim_client.create_connection(dict(AWS_PAYLOAD, connectorId="nope"))
    assert caught.value.field == "connectorId"


async def test_wrong_credentials_are_refused(sim_server: SimulatorServer) -> None:
    for auth in ("oidc", "dx-admin"):
        profile = profile_for(sim_server, "iot-flow", auth, client_secret="wrong")
        async with make_client(profile, retries=0) as client:
            with pytest.raises(Unauthenticated):
                await client.list_connections()
    async with make_client(profile_for(sim_server, "dx-core", "token", token="forged"),
                           retries=0) as client:
        with pytest.raises(Unauthenticated):
            await client.list_connections()


async def test_an_expired_token_is_renewed_transparently(sim_server: SimulatorServer) -> None:
    sim = Simulator(connections=3, seed=1, clock=ManualClock(T0), token_ttl=60)
    with SimulatorServer(sim) as server:
        for auth in ("oidc", "dx-admin"):
            profile = profile_for(server, "iot-flow", auth)
            async with make_client(profile, retries=0) as client:
                await client.list_connections()
                assert isinstance(client.auth, ClientCredentials) and client.auth.fetches == 1
                sim.clock.advance(120)  # the server now refuses the first token
                assert len(await client.list_connections()) == 3
                assert client.auth.fetches == 2


async def test_dx_admin_tokeninfo_matches_the_token(sim_server: SimulatorServer) -> None:
    async with httpx.AsyncClient(base_url=sim_server.base_url) as http:
        form = {"grant_type": "client_credentials", "client_id": "demo",
                "client_secret": "demo-secret", "validityPeriod": "12hours"}
        token = (await http.post(DX_ADMIN, data=form)).json()
        assert token["client_id"] == "demo" and token["expires_in"] == 12 * 3600
        info = await http.get("/thingpark/dx/admin/latest/api/oauth/tokeninfo",
                              params={"access_token": token["access_token"]})
        assert info.status_code == 200 and info.json()["client_id"] == "demo"
        bad = await http.get("/thingpark/dx/admin/latest/api/oauth/tokeninfo",
                             params={"access_token": "nope"})
        assert bad.status_code == 401


@pytest.mark.parametrize("flavour", ["iot-flow", "dx-core"])
async def test_paging_over_250_connections_loses_and_repeats_nothing(flavour: str) -> None:
    sim = Simulator(connections=260, seed=3, clock=ManualClock(T0))
    with SimulatorServer(sim) as server:
        page_size = 40 if flavour == "iot-flow" else 0  # DX Core: the server's 100 per page
        profile = profile_for(server, flavour, "oidc", page_size=page_size)
        async with make_client(profile, retries=0) as client:
            connections = await client.list_connections()
            ids = [c.id for c in connections]
            assert len(ids) == len(set(ids)) == 260
            if flavour == "iot-flow":
                # 7 pages of 40, confirmed by the census (the metrics of every
                # connection), not read twice
                assert client.calls == 7 + 1
            else:  # 3 pages (one past the end at most) and the census; a census
                # later than its grace (a loaded machine) races 3 windows and one past
                assert 3 + 1 <= client.calls <= 3 + 1 + 1 + 4


@pytest.mark.parametrize("flavour", ["iot-flow", "dx-core"])
async def test_a_delete_between_two_pages_loses_nothing(flavour: str) -> None:
    sim = Simulator(connections=260, seed=4, clock=ManualClock(T0))
    with SimulatorServer(sim) as server:
        profile = profile_for(server, flavour, "oidc", page_size=50)
        victim = "7"
        page_requests = 0
        helper = make_client(profile, retries=0)

        async def delete_once(request: httpx.Request) -> None:
            nonlocal page_requests
            if request.url.path.endswith("/connections") and request.method == "GET":
                page_requests += 1
                if page_requests == 2:  # after page 1 was read, before page 2
                    await helper.delete_connection(victim)
                    await helper.create_connection(AWS_PAYLOAD)

        async with make_client(profile, retries=0) as client:
            client._http.event_hooks["request"].append(delete_once)
            ids = [c.id for c in await client.list_connections()]
        await helper.aclose()
        assert victim not in ids
        assert len(ids) == len(set(ids)) == 260  # 259 seeded + the one created meanwhile
        expected = {str(i) for i in range(1, 261)} - {victim}
        assert expected <= set(ids)


async def test_dx_core_pages_by_page_index_as_documented(sim_server: SimulatorServer,
                                                         simulator: Simulator) -> None:
    headers = {"Authorization": f"Bearer {simulator.issue_token()}"}
    async with httpx.AsyncClient(base_url=sim_server.base_url + DX, headers=headers) as http:
        first = (await http.get("/connections", params={"pageIndex": 1, "pageSize": 10})).json()
        second = (await http.get("/connections", params={"pageIndex": 2, "pageSize": 10})).json()
        past = (await http.get("/connections", params={"pageIndex": 99})).json()
        too_big = await http.get("/connections", params={"pageSize": 101})
    assert len(first) == 10 and len(second) == 10 and past == []
    assert not {c["id"] for c in first} & {c["id"] for c in second}
    assert too_big.status_code == 400 and too_big.json()["code"] == "com-4000"


async def test_server_errors_retry_then_fail_clearly(sim_profile: Profile,
                                                     simulator: Simulator) -> None:
    simulator.faults.error_rate = 1.0
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    async with make_client(sim_profile, retries=2, sleep=record) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_connections()
    assert caught.value.status == 500 and caught.value.code == "com-5000"
    assert len(delays) == 2
    simulator.faults.error_rate = 0.0


async def test_a_hanging_server_times_out_then_recovers(sim_profile: Profile,
                                                        simulator: Simulator) -> None:
    async with make_client(sim_profile, retries=0, timeout=0.3) as client:
        await client.list_connections()  # token fetched while the server answers
        simulator.faults.hang = True
        try:
            with pytest.raises(ApiTimeout):
                await client.list_connections()
        finally:
            simulator.faults.hang = False
        assert len(await client.list_connections()) == 25


async def test_a_stopped_server_is_unreachable_then_back(sim_server: SimulatorServer,
                                                         sim_profile: Profile) -> None:
    async with make_client(sim_profile, retries=0) as client:
        await client.list_connections()
        sim_server.stop()
        with pytest.raises(Unreachable):
            await client.list_connections()
        sim_server.start()
        assert len(await client.list_connections()) == 25


async def test_states_progress_under_the_controlled_clock(sim_client: IoTFlowClient,
                                                          sim_clock: ManualClock) -> None:
    bad = json.loads(json.dumps(AWS_PAYLOAD))
    bad["configuration"]["secretAccessKey"] = "invalid-key"
    good = await sim_client.create_connection(AWS_PAYLOAD)
    failing = await sim_client.create_connection(bad)
    seen: dict[str, list[str]] = {good.id: [], failing.id: []}
    for _ in range(12):
        for ident, states in seen.items():
            state = (await sim_client.get_connection(ident)).state or "?"
            if not states or states[-1] != state:
                states.append(state)
        sim_clock.advance(0.5)
    assert seen[good.id] == ["CLOSED", "OPENING", "AUTHENTICATING", "OPENED"]
    assert seen[failing.id][-1] == "AUTHENTICATION_FAILED"


async def test_static_token_client_needs_no_token_endpoint(sim_server: SimulatorServer,
                                                           simulator: Simulator) -> None:
    client = IoTFlowClient(sim_server.base_url + IOT, StaticToken(simulator.issue_token()))
    async with client:
        assert len(await client.list_connections()) == 25
