"""The exact requests public ThingPark clients send (method, path, query, headers, body
bytes), replayed against the simulator over a real socket with the matching client id, and
the answers each of those clients relies on."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest

from tui.simulator import ManualClock, Simulator, SimulatorServer
from tui.simulator.openapi.connections import STATES

SECRET = "s3cret:with+odd/chars"
ACCOUNTS = ["ops@example.com", "community-api/ops@example.com", "demo"]
CONNECTIONS = 250
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"


@pytest.fixture(scope="module")
def platform() -> Iterator[tuple[Simulator, httpx.Client]]:
    sim = Simulator(
        clock=ManualClock(),
        seed=9,
        connections=CONNECTIONS,
        client_id=ACCOUNTS,
        client_secret=SECRET,
    )
    with SimulatorServer(sim) as server, httpx.Client(base_url=server.base_url) as http:
        yield sim, http


def _form(**fields: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode(fields).encode()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def test_node_cli_dx_admin_login_tokeninfo_and_pages_until_short(platform) -> None:
    sim, http = platform
    body = _form(
        grant_type="client_credentials",
        client_id="ops@example.com",
        client_secret=SECRET,
        renewToken="true",
        validityPeriod="90days",
    )
    r = http.post("/thingpark/dx/admin/latest/api/oauth/token", content=body, headers=FORM)
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    assert r.json()["expires_in"] == 90 * 86400
    info = http.get(
        "/thingpark/dx/admin/latest/api/oauth/tokeninfo", params={"access_token": token}
    ).json()
    assert info["client_id"] == "ops@example.com"
    assert info["customer_id"] == sim.auth.account("ops@example.com").customer_id
    assert info["customer_id"] and info["operator_id"]
    seen: list[str] = []
    page = 1
    while True:
        r = http.get(
            "/thingpark/dx/core/latest/api/connections",
            params={"pageIndex": page},
            headers=_bearer(token),
        )
        assert r.status_code == 200
        seen += [c["id"] for c in r.json()]
        if len(r.json()) < 100:
            break
        page += 1
    assert page == 3
    assert len(seen) == len(set(seen)) == CONNECTIONS


def test_rust_client_on_the_dx_api_host_layout(platform) -> None:
    _, http = platform
    r = http.post(
        "/admin/latest/api/oauth/token?validityPeriod=infinite",
        content=_form(
            grant_type="client_credentials",
            client_id="community-api/ops@example.com",
            client_secret=SECRET,
        ),
        headers=FORM,
    )
    assert r.status_code == 200, r.text
    assert r.json()["expires_in"] > 50 * 365 * 86400
    token = r.json()["access_token"]
    first = http.get("/core/latest/api/connections?pageIndex=1", headers=_bearer(token))
    assert first.status_code == 200 and len(first.json()) == 100
    same = http.get("/thingpark/dx/core/latest/api/connections?pageIndex=1", headers=_bearer(token))
    assert [c["id"] for c in first.json()] == [c["id"] for c in same.json()]


def test_java_integration_decodes_the_jwt_and_lists_without_paging(platform) -> None:
    sim, http = platform
    r = http.post(
        "/iot-flow/v1/oauth/token",
        content=_form(grant_type="client_credentials", client_id="demo", client_secret=SECRET),
        headers={**FORM, "Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    token, expires_in = r.json()["access_token"], r.json()["expires_in"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == expires_in
    assert claims["exp"] == int(sim.clock.now().timestamp()) + expires_in
    assert claims["sub"] == claims["azp"] == "demo"
    listing = http.get("/iot-flow/v1/connections", headers=_bearer(token))
    assert listing.status_code == 200
    assert "X-Total" not in listing.headers  # unpaged: the array is complete
    assert len(listing.json()) == CONNECTIONS


def test_java_integration_sends_null_for_optional_strings(platform) -> None:
    _, http = platform
    token = http.post(
        "/iot-flow/v1/oauth/token",
        content=_form(grant_type="client_credentials", client_id="demo", client_secret=SECRET),
        headers=FORM,
    ).json()["access_token"]
    body = json.loads(EXAMPLE.read_text())
    body.update(brand=None, alarms=None, debug=None)
    body["configuration"].update(description=None, downlinkAsId=None, uplinkTimeValidity=None)
    # Jackson writes its nulls in the body exactly like this (compact, UTF-8, no BOM).
    raw = json.dumps(body, separators=(",", ":")).encode()
    headers = {**_bearer(token), "Content-Type": "application/json; charset=UTF-8"}
    created = http.post("/iot-flow/v1/connections", content=raw, headers=headers)
    assert created.status_code == 201, created.text
    out = created.json()
    assert {"brand", "alarms", "debug"}.isdisjoint(out)
    assert {"description", "downlinkAsId", "uplinkTimeValidity"}.isdisjoint(out["configuration"])
    body["name"] = None
    replaced = http.put(
        f"/iot-flow/v1/connections/{out['id']}", content=json.dumps(body), headers=headers
    )
    assert replaced.status_code == 200, replaced.text
    assert "name" not in replaced.json()
    # Leave the shared platform as it was for the listing replays.
    assert http.delete(f"/iot-flow/v1/connections/{out['id']}", headers=headers).status_code == 204


def test_csharp_client_basic_auth_on_token_swagger_and_non_null_dates(platform) -> None:
    _, http = platform
    pair = base64.b64encode(f"community-api/ops@example.com:{SECRET}".encode()).decode()
    r = http.post(
        "/iot-flow/v1/oauth/tokenSwagger",
        content=b"grant_type=client_credentials",
        headers={**FORM, "Authorization": f"Basic {pair}"},
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    items = http.get("/iot-flow/v1/connections", headers=_bearer(token)).json()
    for item in items:
        # A generated client parses every date-time it is given: absent is fine, null is not.
        assert item.get("startupTime", "absent") is not None
        assert item["state"] in STATES
    assert any("startupTime" not in item for item in items)
    wrong = base64.b64encode(b"community-api/ops@example.com:nope").decode()
    r = http.post(
        "/iot-flow/v1/oauth/tokenSwagger",
        content=b"grant_type=client_credentials",
        headers={**FORM, "Authorization": f"Basic {wrong}"},
    )
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.headers["WWW-Authenticate"].startswith("Basic")


def test_shell_script_curl_users_auth(platform) -> None:
    _, http = platform
    # curl -d a -d b -d c joins the fields with & in the order given, as a form.
    raw = f"client_id=ops%40example.com&client_secret={SECRET}&grant_type=client_credentials"
    r = http.post(
        "/users-auth/protocol/openid-connect/token",
        content=raw.replace("+", "%2B").encode(),
        headers={**FORM, "User-Agent": "curl/8.5.0", "Accept": "*/*"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body["access_token"], str) and body["expires_in"] == 3600
    listing = http.get("/iot-flow/v1/connections", headers=_bearer(body["access_token"]))
    assert len(listing.json()) == CONNECTIONS


def test_wrong_secret_is_an_oauth_401_on_every_token_path(platform) -> None:
    _, http = platform
    paths = [
        "/users-auth/protocol/openid-connect/token",
        "/iot-flow/v1/oauth/token",
        "/iot-flow/v1/oauth/tokenSwagger",
        "/thingpark/dx/admin/latest/api/oauth/token",
        "/admin/latest/api/oauth/token",
    ]
    for path in paths:
        r = http.post(
            path,
            content=_form(grant_type="client_credentials", client_id="demo", client_secret="x"),
            headers=FORM,
        )
        assert r.status_code == 401, path
        assert r.json()["error"] == "invalid_client"
        assert r.json()["error_description"]
        unknown = http.post(
            path,
            content=_form(
                grant_type="client_credentials", client_id="nobody", client_secret=SECRET
            ),
            headers=FORM,
        )
        assert unknown.status_code == 401, path


def test_trailing_slashes_are_served_not_redirected(platform) -> None:
    _, http = platform
    token = http.post(
        "/users-auth/protocol/openid-connect/token/",
        content=_form(grant_type="client_credentials", client_id="demo", client_secret=SECRET),
        headers=FORM,
    )
    assert token.status_code == 200
    headers = _bearer(token.json()["access_token"])
    for path in (
        "/iot-flow/v1/connections/",
        "/iot-flow/v1/connections/1/",
        "/iot-flow/v1/connectors/",
        "/iot-flow/v1/connectors/actility-aws-iot/",
        "/thingpark/dx/core/latest/api/connections/?pageIndex=2",
        "/core/latest/api/connectors/",
        "/iot-flow/v1/openapi.json/",
    ):
        r = http.get(path, headers=headers)
        assert r.status_code == 200, path
        assert r.json() == http.get(path.replace("/?", "?").rstrip("/"), headers=headers).json()
    info = http.get(
        "/admin/latest/api/oauth/tokeninfo/", params={"access_token": headers["Authorization"][7:]}
    )
    assert info.status_code == 200
