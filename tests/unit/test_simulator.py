"""The simulator's HTTP API over a real loopback socket (SimulatorServer, port 0) with httpx."""

from __future__ import annotations

import copy
import json
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tui.secrets import MASK
from tui.simulator import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    ManualClock,
    Simulator,
    SimulatorServer,
)
from tui.simulator.states import SETTLE_SECONDS

V1 = "/iot-flow/v1"
DX = "/thingpark/dx/core/latest/api"
OIDC = "/users-auth/protocol/openid-connect/token"
DX_TOKEN = "/thingpark/dx/admin/latest/api/oauth/token"
TOKENINFO = "/thingpark/dx/admin/latest/api/oauth/tokeninfo"
EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
CREDS = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


def _example() -> dict:
    return json.loads(EXAMPLE.read_text())


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(clock=clock, seed=7)


@pytest.fixture
def server(sim: Simulator):
    with SimulatorServer(sim) as srv:
        yield srv


@pytest.fixture
def http(server: SimulatorServer):
    with httpx.Client(base_url=server.base_url, timeout=5) as client:
        yield client


@pytest.fixture
def auth(sim: Simulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {sim.issue_token()}"}


@pytest.fixture(scope="module")
def shared():
    """One server for read-only and rejected-request tests (they change nothing)."""
    sim = Simulator(clock=ManualClock(), seed=11)
    with SimulatorServer(sim) as srv, httpx.Client(base_url=srv.base_url, timeout=5) as client:
        yield sim, client, {"Authorization": f"Bearer {sim.issue_token()}"}


# -- tokens -------------------------------------------------------------------------------------


def test_oidc_token_then_api_call(http: httpx.Client) -> None:
    r = http.post(OIDC, data={"grant_type": "client_credentials", **CREDS})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    r = http.get(f"{V1}/connections", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert r.status_code == 200
    assert len(r.json()) == 25


def test_oidc_wrong_credentials_and_grant(http: httpx.Client) -> None:
    r = http.post(
        OIDC,
        data={"grant_type": "client_credentials", "client_id": "demo", "client_secret": "nope"},
    )
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert "error_description" in r.json()
    r = http.post(OIDC, data={"grant_type": "password", **CREDS})
    assert r.status_code == 400


def test_token_endpoints_accept_http_basic_client_auth(http: httpx.Client) -> None:
    basic = httpx.BasicAuth(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    form = {"grant_type": "client_credentials"}
    assert http.post(OIDC, data=form, auth=basic).status_code == 200
    assert http.post(DX_TOKEN, data=form, auth=basic).status_code == 200
    wrong = httpx.BasicAuth(DEFAULT_CLIENT_ID, "nope")
    assert http.post(OIDC, data=form, auth=wrong).status_code == 401


def test_dx_admin_token_reuse_renew_validity(http: httpx.Client) -> None:
    form = {"grant_type": "client_credentials", **CREDS}
    first = http.post(DX_TOKEN, data=form).json()
    assert first["token_type"] == "bearer"
    assert first["client_id"] == "demo"
    again = http.post(DX_TOKEN, data=form).json()
    assert again["access_token"] == first["access_token"]
    renewed = http.post(DX_TOKEN, data={**form, "renewToken": "true"}).json()
    assert renewed["access_token"] != first["access_token"]
    short = http.post(DX_TOKEN, data={**form, "validityPeriod": "5min", "renewToken": "true"})
    assert short.json()["expires_in"] == 300
    infinite = http.post(
        DX_TOKEN, data={**form, "validityPeriod": "infinite", "renewToken": "true"}
    )
    assert infinite.json()["expires_in"] > 10 * 365 * 86400
    assert http.post(DX_TOKEN, data={**form, "validityPeriod": "2weeks"}).status_code == 400
    bad = {**form, "client_secret": "wrong"}
    assert http.post(DX_TOKEN, data=bad).status_code == 401
    token = renewed["access_token"]
    r = http.get(f"{DX}/connections", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_tokeninfo_and_expiry_by_clock(
    http: httpx.Client, sim: Simulator, clock: ManualClock
) -> None:
    form = {"grant_type": "client_credentials", "validityPeriod": "5min", **CREDS}
    token = http.post(DX_TOKEN, data=form).json()["access_token"]
    info = http.get(TOKENINFO, params={"access_token": token})
    assert info.status_code == 200
    assert info.json() == {
        "client_id": "demo",
        "customer_id": sim.auth.account("demo").customer_id,
        "operator_id": "actility-sim",
        "expires_in": 300,
        "token_type": "bearer",
        "scope": "openid",
    }
    clock.advance(100)
    assert http.get(TOKENINFO, params={"access_token": token}).json()["expires_in"] == 200
    clock.advance(200)
    assert http.get(TOKENINFO, params={"access_token": token}).status_code == 401
    r = http.get(f"{V1}/connections", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.json()["code"] == "com-4001"
    assert http.get(TOKENINFO, params={"access_token": "garbage"}).status_code == 401


def test_oidc_token_expires_on_sim_clock(
    http: httpx.Client, sim: Simulator, clock: ManualClock
) -> None:
    token = sim.issue_token(ttl=60)
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get(f"{V1}/connectors", headers=headers).status_code == 200
    clock.advance(59)
    assert http.get(f"{V1}/connectors", headers=headers).status_code == 200
    clock.advance(1)
    assert http.get(f"{V1}/connectors", headers=headers).status_code == 401


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", [V1, DX])
def test_unauthenticated_bodies(shared, prefix: str) -> None:
    _, http, _ = shared
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        r = http.get(f"{prefix}/connections", headers=headers)
        assert r.status_code == 401
        assert r.json()["code"] == "com-4001"
        assert r.json()["message"]


def test_not_found_and_method_not_allowed(shared) -> None:
    _, http, auth = shared
    r = http.get(f"{V1}/connections/9999", headers=auth)
    assert r.status_code == 404
    assert r.json()["code"] == "com-4004"
    assert "9999" in r.json()["message"]
    assert http.get(f"{DX}/connections/abc", headers=auth).status_code == 404
    assert http.delete(f"{V1}/connections/9999", headers=auth).json()["code"] == "com-4004"
    assert http.get(f"{V1}/connectors/no-such", headers=auth).json()["code"] == "com-4004"
    r = http.post(f"{V1}/connections/1", headers=auth, json={})
    assert r.status_code == 405
    assert r.json()["code"] == "com-4005"


def test_connectors_endpoints(shared) -> None:
    sim, http, auth = shared
    for prefix in (V1, DX):
        items = http.get(f"{prefix}/connectors", headers=auth).json()
        assert [c["id"] for c in items] == sorted(sim.catalogue)
        one = http.get(f"{prefix}/connectors/actility-aws-iot", headers=auth).json()
        assert one["connection"]["configurationSchema"]["required"][0] == "region"


# -- create, validate, mask ---------------------------------------------------------------------


def test_documented_create_example(http: httpx.Client, auth: dict, clock: ManualClock) -> None:
    body = _example()
    r = http.post(f"{V1}/connections", headers=auth, json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["Location"] == f"{V1}/connections/{created['id']}"
    cfg = created["configuration"]
    assert cfg["downlinkPort"] == "5"  # number coerced to the schema's string type
    for secret in ("secretAccessKey", "accessKeyId", "certificate", "privateKey", "downlinkAsKey"):
        assert cfg[secret] == MASK
    assert cfg["region"] == "eu-central-1"
    assert created["alarms"] == body["alarms"]
    assert created["state"] == "CLOSED"
    assert "startupTime" not in created  # never started: no key rather than null
    clock.advance(SETTLE_SECONDS)
    again = http.get(f"{V1}/connections/{created['id']}", headers=auth).json()
    assert again["state"] == "OPENED"
    assert again["startupTime"].endswith("+00:00")
    assert again["configuration"]["privateKey"] == MASK


def _post(http: httpx.Client, auth: dict, body: dict, prefix: str = V1) -> httpx.Response:
    return http.post(f"{prefix}/connections", headers=auth, json=body)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda b: b["configuration"].pop("region"),
            "configuration.region: is required",
        ),
        (
            lambda b: b["configuration"].update(region=None),
            "configuration.region: must be a string, got null",
        ),
        (lambda b: b.update(name=""), "name: must be a non-empty string"),
        (lambda b: b.update(connectorId="x"), 'connectorId: unknown connector "x"'),
        (lambda b: b.pop("connectorId"), "connectorId: is required"),
        (lambda b: b.update(active="yes"), 'active: must be a boolean, got a string'),
        (
            lambda b: b["configuration"].update(createDevices=None, connectionTimeout=True),
            "configuration.connectionTimeout: must be an integer, got a boolean (true)",
        ),
        (lambda b: b.update(configuration=[1]), "configuration: must be an object"),
        (lambda b: b["configuration"].update(protocol="UDP"), "configuration.protocol: "),
        (
            lambda b: b["configuration"].update(proxy={"hostname": 5, "port": 1}),
            "configuration.proxy.port: is not a property this connector knows",
        ),
        (
            lambda b: b["configuration"].update(connectionTimeout="fast"),
            'configuration.connectionTimeout: must be an integer, got a string ("fast")',
        ),
        (lambda b: b.update(alarms={"a": 1}), "alarms: must be an array"),
        (lambda b: b["alarms"][0].update(startTime=9), "alarms[0].startTime: must be a string"),
        (
            lambda b: b["configuration"].update(secretAccessKey=MASK),
            'configuration.secretAccessKey: the masked placeholder "*****" is not a value',
        ),
        (
            lambda b: b["configuration"].update(proxy={"hostname": "p:1", "password": MASK}),
            "configuration.proxy.password: the masked placeholder",
        ),
    ],
)
def test_validation_messages_name_the_field(shared, mutate, message: str) -> None:
    _, http, auth = shared
    body = copy.deepcopy(_example())
    mutate(body)
    r = _post(http, auth, body, DX)
    assert r.status_code == 400, r.text
    error = r.json()
    assert error["code"] == "com-4000"
    assert error["message"].startswith(message), error["message"]
    # errorInfo: the field path in data, and one correlation id in the body and the header.
    assert error["data"] == {"field": message.split(":", 1)[0]}
    assert error["correlationId"] == r.headers["X-Correlation-Id"]
    assert not {"None", "True", "False", "'"} & set(error["message"].replace(":", " ").split())


def test_malformed_json_is_400(shared) -> None:
    _, http, auth = shared
    r = http.post(
        f"{V1}/connections",
        headers={**auth, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "com-4000"
    assert r.json()["message"] == "body: not valid JSON at line 1, column 2: send a JSON object"
    assert r.json()["data"] == {"field": "body"}


def test_get_masks_seeded_secrets(shared) -> None:
    sim, http, auth = shared
    items = http.get(f"{V1}/connections", headers=auth).json()
    raw = {c.key: c.configuration for c in sim.world.connections()}
    masked_any = False
    for item in items:
        for key, value in item["configuration"].items():
            if key in (
                "password",
                "secretAccessKey",
                "sharedAccessKey",
                "privateKey",
                "hecToken",
                "apiToken",
                "applicationKey",
                "accessKeyId",
            ):
                assert value == MASK
                assert raw[item["id"]][key] != MASK
                masked_any = True
    assert masked_any
    assert "PRIVATE KEY" not in json.dumps(items)  # CA certificates are public, keys are not


def test_put_full_replacement_unknown_keys_and_mask_refused(
    http: httpx.Client, auth: dict, clock: ManualClock
) -> None:
    body = _example()
    body["brand"] = "DATACAKE"
    body["upOperations"] = [{"id": "op1", "type": "DECODE"}]
    created = _post(http, auth, body).json()
    cid = created["id"]
    assert created["brand"] == "DATACAKE"
    assert created["upOperations"] == [{"id": "op1", "type": "DECODE"}]
    clock.advance(SETTLE_SECONDS)

    # Sending back what GET returned (masked secrets) is refused.
    echoed = http.get(f"{V1}/connections/{cid}", headers=auth).json()
    r = http.put(f"{V1}/connections/{cid}", headers=auth, json=echoed)
    assert r.status_code == 400
    assert 'the masked placeholder "*****" is not a value' in r.json()["message"]

    replacement = _example()
    replacement["name"] = "Renamed"
    replacement["fooBar"] = {"nested": [1, 2]}
    del replacement["alarms"]
    replacement["configuration"].pop("certificateId")
    r = http.put(f"{V1}/connections/{cid}", headers=auth, json=replacement)
    assert r.status_code == 200, r.text
    got = http.get(f"{V1}/connections/{cid}", headers=auth).json()
    assert got["name"] == "Renamed"
    assert got["fooBar"] == {"nested": [1, 2]}
    assert "brand" not in got and "alarms" not in got  # full replacement
    assert "certificateId" not in got["configuration"]
    assert got["id"] == cid
    assert http.put(f"{V1}/connections/424242", headers=auth, json=replacement).status_code == 404


def test_delete(http: httpx.Client, auth: dict) -> None:
    assert http.delete(f"{DX}/connections/3", headers=auth).status_code == 204
    assert http.get(f"{DX}/connections/3", headers=auth).status_code == 404
    ids = [c["id"] for c in http.get(f"{V1}/connections", headers=auth).json()]
    assert "3" not in ids and len(ids) == 24


# -- states through the API ---------------------------------------------------------------------


def test_state_progression_via_api(
    http: httpx.Client, auth: dict, clock: ManualClock, sim: Simulator
) -> None:
    good = _post(http, auth, _example()).json()
    bad_body = _example()
    bad_body["configuration"]["secretAccessKey"] = "invalid-secret"
    bad = _post(http, auth, bad_body).json()
    clock.advance(1.0)
    assert http.get(f"{V1}/connections/{good['id']}", headers=auth).json()["state"] == "OPENING"
    clock.advance(1.5)
    assert sim.world.state(good["id"]) == "AUTHENTICATING"
    clock.advance(1.5)
    assert http.get(f"{V1}/connections/{good['id']}", headers=auth).json()["state"] == "OPENED"
    assert http.get(f"{V1}/connections/{bad['id']}", headers=auth).json()["state"] == (
        "AUTHENTICATION_FAILED"
    )
    # Deactivate.
    off = _example()
    off["active"] = False
    r = http.put(f"{V1}/connections/{good['id']}", headers=auth, json=off)
    assert r.json()["state"] == "CLOSING"
    clock.advance(SETTLE_SECONDS)
    got = http.get(f"{V1}/connections/{good['id']}", headers=auth).json()
    assert got["state"] == "DEACTIVATED"
    assert got["active"] is False


# -- paging -------------------------------------------------------------------------------------


@pytest.fixture
def big(clock: ManualClock):
    sim = Simulator(clock=clock, connections=260, seed=3)
    with SimulatorServer(sim) as srv, httpx.Client(base_url=srv.base_url, timeout=5) as client:
        yield sim, client, {"Authorization": f"Bearer {sim.issue_token()}"}


def _links(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(","):
        url, rel = part.split(";")
        out[rel.strip().split("=")[1].strip('"')] = url.strip().strip("<>")
    return out


def test_v1_paging_with_link_headers(big) -> None:
    sim, client, auth = big
    everything = client.get(f"{V1}/connections", headers=auth).json()
    assert len(everything) == 260
    assert [int(c["id"]) for c in everything] == sorted(int(c["id"]) for c in everything)
    seen: list[str] = []
    url = f"{V1}/connections?perPage=50&page=1&state=any"
    pages = 0
    while url:
        r = client.get(url, headers=auth)
        assert r.status_code == 200
        assert r.headers["X-Total"] == "260"
        assert r.headers["X-Total-Pages"] == "6"
        assert r.headers["X-Per-Page"] == "50"
        assert r.headers["X-Page"] == str(pages + 1)
        links = _links(r.headers["Link"])
        assert {"first", "last"} <= set(links)
        assert parse_qs(urlparse(links["last"]).query)["state"] == ["any"]
        assert urlparse(links["first"]).scheme == "http"
        seen += [c["id"] for c in r.json()]
        pages += 1
        url = links.get("next")
    assert pages == 6
    assert seen == [c["id"] for c in everything]
    r = client.get(f"{V1}/connections?page=0&perPage=10", headers=auth)
    assert r.status_code == 400
    assert r.json()["message"].startswith("page:")


def test_dx_core_paging(big) -> None:
    sim, client, auth = big
    seen: list[str] = []
    for index in range(1, 10):
        page = client.get(f"{DX}/connections", params={"pageIndex": index}, headers=auth).json()
        if not page:
            break
        assert len(page) <= 100
        seen += [c["id"] for c in page]
    assert index == 4  # 100 + 100 + 60, then []
    assert len(seen) == len(set(seen)) == 260
    assert seen == sorted(seen, key=int)
    assert len(client.get(f"{DX}/connections", headers=auth).json()) == 100
    small = client.get(f"{DX}/connections", params={"pageIndex": 3, "pageSize": 7}, headers=auth)
    assert [c["id"] for c in small.json()] == seen[14:21]
    assert client.get(f"{DX}/connections?pageIndex=99", headers=auth).json() == []
    r = client.get(f"{DX}/connections?pageSize=101", headers=auth)
    assert r.status_code == 400
    assert r.json()["code"] == "com-4000"
    assert r.json()["message"].startswith("pageSize:")


# -- faults -------------------------------------------------------------------------------------


def test_latency(
    http: httpx.Client, auth: dict, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The configured latency is waited before the answer (what is asked, not a stopwatch:
    a wall-clock bound is a timing assertion on a shared machine)."""
    import tui.simulator.faults as faults_module

    waits: list[float] = []
    real_sleep = faults_module.asyncio.sleep

    async def recorded(delay: float, *args: object) -> object:
        waits.append(delay)
        return await real_sleep(delay, *args)

    monkeypatch.setattr(faults_module.asyncio, "sleep", recorded)
    sim.faults.latency_ms = 250
    assert http.get(f"{V1}/connectors", headers=auth).status_code == 200
    assert 0.25 in waits
    sim.faults.latency_ms = 0


def test_error_rate(http: httpx.Client, auth: dict, sim: Simulator) -> None:
    sim.faults.error_rate = 1.0
    r = http.get(f"{V1}/connections", headers=auth)
    assert r.status_code == 500
    assert r.json()["code"] == "com-5000"
    # Token endpoints are spared.
    assert http.post(OIDC, data={"grant_type": "client_credentials", **CREDS}).status_code == 200
    sim.faults.error_rate = 0.5
    codes = [http.get(f"{V1}/connectors", headers=auth).status_code for _ in range(40)]
    assert 0 < codes.count(500) < 40
    sim.faults.error_rate = 0.0
    assert http.get(f"{V1}/connections", headers=auth).status_code == 200


def test_hang_then_release(server: SimulatorServer, auth: dict, sim: Simulator) -> None:
    sim.faults.hang = True
    with httpx.Client(base_url=server.base_url, timeout=0.3) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            impatient.get(f"{V1}/connections", headers=auth)
    results: list[int] = []
    done = threading.Event()

    def patient() -> None:
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            results.append(client.get(f"{V1}/connectors", headers=auth).status_code)
        done.set()

    worker = threading.Thread(target=patient)
    worker.start()
    deadline = time.monotonic() + 5
    while sim.faults.hung_requests < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not done.is_set()
    sim.faults.release()
    assert done.wait(5)
    worker.join()
    assert results == [200]


def test_stop_and_restart_same_port(server: SimulatorServer, auth: dict) -> None:
    port = server.port
    url = f"{server.base_url}{V1}/connectors"
    assert httpx.get(url, headers=auth).status_code == 200
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, headers=auth, timeout=2)
    server.start()
    assert server.port == port
    assert httpx.get(url, headers=auth).status_code == 200


def test_stop_while_hung_does_not_block(
    server: SimulatorServer, sim: Simulator, auth: dict
) -> None:
    sim.faults.hang = True
    with httpx.Client(base_url=server.base_url, timeout=0.2) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            impatient.get(f"{V1}/connections", headers=auth)
    thread = server._thread
    server.stop()  # joins the server thread with a timeout: a blocked stop leaves it alive
    assert thread is not None and not thread.is_alive()
    sim.faults.hang = False


# -- ASGI level ---------------------------------------------------------------------------------


async def test_asgi_transport(clock: ManualClock) -> None:
    sim = Simulator(clock=clock, connections=10)
    transport = httpx.ASGITransport(app=sim.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        token = await client.post(OIDC, data={"grant_type": "client_credentials", **CREDS})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        r = await client.get(f"{DX}/connections", headers=headers)
        assert r.status_code == 200
        assert len(r.json()) == 10
        assert {c["state"] for c in r.json()} >= {"OPENED"}
