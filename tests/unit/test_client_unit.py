"""The client's retry, error, paging and token rules, against scripted HTTP answers.

These pin behaviours a live simulator cannot easily force in one exact order (a 401
mid-session, a malformed page); the simulator tests cover the same client end to end.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from tui.api import (
    ApiTimeout,
    ClientCredentials,
    Connection,
    Forbidden,
    IoTFlowClient,
    MalformedResponse,
    NotFound,
    ReadOnlyError,
    ServerError,
    StaticToken,
    Unauthenticated,
    Unreachable,
    ValidationFailed,
)
from tui.api.links import parse_link_header
from tui.connections import short_connector_name

BASE = "https://platform.example/iot-flow/v1"
TOKEN_URL = "https://platform.example/users-auth/protocol/openid-connect/token"


def conn(i: int, **extra: object) -> dict[str, object]:
    return {"id": str(i), "connectorId": "actility-aws-iot", "name": f"c{i}",
            "active": True, "state": "OPENED", "configuration": {}, **extra}


class Recorder:
    """A MockTransport handler that answers from a function and keeps every request."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]):
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def api_calls(self) -> list[httpx.Request]:
        return [r for r in self.requests if "token" not in r.url.path]


async def no_sleep(_: float) -> None:
    return None


def client_for(handler: Recorder, **options: object) -> IoTFlowClient:
    options.setdefault("sleep", no_sleep)
    return IoTFlowClient(
        BASE, StaticToken("t0k3n"), transport=httpx.MockTransport(handler), **options
    )


async def test_list_sends_bearer_token_and_keeps_unknown_keys() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=[conn(8, brand="TAGO", futureKey={"a": 1})]))
    async with client_for(rec) as client:
        [connection] = await client.list_connections()
    assert rec.requests[0].headers["authorization"] == "Bearer t0k3n"
    assert connection.extra == {"brand": "TAGO", "futureKey": {"a": 1}}
    payload = connection.to_payload()
    assert payload["brand"] == "TAGO" and payload["futureKey"] == {"a": 1}
    assert "id" not in payload and "state" not in payload


async def test_unknown_state_is_kept_as_text_and_missing_fields_tolerated() -> None:
    c = Connection.from_api({"id": 3, "state": "HIBERNATING"})
    assert (c.id, c.state, c.name, c.configuration, c.startup_time) == (
        "3", "HIBERNATING", "", {}, None)


async def test_an_answer_that_is_not_a_list_is_a_clear_error() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={"not": "a list"}))
    async with client_for(rec) as client:
        with pytest.raises(MalformedResponse, match="not a JSON array"):
            await client.list_connections()


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ({"name": "no id"}, "has no id"),
        (conn(1, configuration="oops"), "configuration is not an object"),
        (conn(1, startupTime="yesterday"), "unreadable timestamp"),
        (conn(1, startupTime=12345), "a timestamp is not text: 12345"),
        (conn(1, active="yes"), "active is 'yes', neither true nor false; the server says OPENED"),
        (conn(1, active=1), "active is 1, neither true nor false"),
        (conn(1, active=None), "active is None, neither true nor false"),
        ("just text", "it is 'just text', not an object"),
    ],
)
async def test_a_bad_item_is_one_unreadable_row_and_the_rest_reads(
    bad: object, fragment: str
) -> None:
    body = [conn(5), bad, conn(6)]
    rec = Recorder(lambda r: httpx.Response(200, json=body))
    async with client_for(rec) as client:
        rows = await client.list_connections()
    assert [r.state for r in rows] == ["OPENED", "UNREADABLE", "OPENED"]
    assert rows[0].id == "5" and rows[2].id == "6" and rows[0].problem is None
    assert rows[1].problem is not None and fragment in rows[1].problem
    assert rows[1].problem.startswith("Item 2 of the list cannot be read")
    assert rows[1].id == ("1" if isinstance(bad, dict) and "id" in bad else "(item 2)")


async def test_non_json_answer_is_malformed() -> None:
    rec = Recorder(lambda r: httpx.Response(200, text="<html>proxy login</html>"))
    async with client_for(rec) as client:
        with pytest.raises(MalformedResponse, match="did not answer JSON"):
            await client.list_connections()


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, Unauthenticated), (403, Forbidden), (404, NotFound), (400, ValidationFailed),
     (409, ValidationFailed)],
)
async def test_error_statuses_map_to_types(status: int, error: type) -> None:
    body = {"code": f"com-{status}0"[:8], "message": "configuration.region: 'region' is required"}
    rec = Recorder(lambda r: httpx.Response(status, json=body))
    async with client_for(rec) as client:
        with pytest.raises(error) as caught:
            await client.get_connection("1")
    assert caught.value.message == body["message"]
    assert caught.value.user_message  # a sentence, never empty


async def test_validation_error_names_the_field() -> None:
    body = {"code": "com-4000", "message": "configuration.region: 'region' is a required property"}
    rec = Recorder(lambda r: httpx.Response(400, json=body))
    async with client_for(rec) as client:
        with pytest.raises(ValidationFailed) as caught:
            await client.create_connection({"name": "x"})
    assert caught.value.field == "configuration.region"
    assert caught.value.code == "com-4000"


async def test_get_retries_server_errors_with_backoff_then_succeeds() -> None:
    answers = iter([httpx.Response(500, json={"code": "com-5000", "message": "boom"}),
                    httpx.Response(503), httpx.Response(200, json=[conn(1)])])
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    rec = Recorder(lambda r: next(answers))
    async with client_for(rec, sleep=sleep, backoff=1.0, backoff_cap=1.5) as client:
        result = await client.list_connections()
    assert [c.id for c in result] == ["1"]
    assert len(rec.api_calls()) == 3
    assert len(delays) == 2 and delays[0] <= 1.0 and delays[1] <= 1.5


async def test_get_gives_up_after_retries() -> None:
    rec = Recorder(lambda r: httpx.Response(500, json={"code": "com-5000", "message": "down"}))
    async with client_for(rec, retries=2) as client:
        with pytest.raises(ServerError, match="down"):
            await client.list_connections()
    assert len(rec.api_calls()) == 3


@pytest.mark.parametrize("method", ["create", "update", "delete"])
async def test_mutations_never_retry(method: str) -> None:
    rec = Recorder(lambda r: httpx.Response(502))
    async with client_for(rec) as client:
        with pytest.raises(ServerError):
            if method == "create":
                await client.create_connection({"name": "x"})
            elif method == "update":
                await client.update_connection("1", {"name": "x"})
            else:
                await client.delete_connection("1")
    assert len(rec.api_calls()) == 1


async def test_transport_failures_are_typed() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    async with client_for(Recorder(refuse), retries=1) as client:
        with pytest.raises(Unreachable) as caught:
            await client.list_connections()
    assert "Cannot reach the API" in caught.value.user_message
    async with client_for(Recorder(slow), retries=0) as client:
        with pytest.raises(ApiTimeout):
            await client.list_connections()


async def test_read_only_client_refuses_every_mutation_without_a_request() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=[]))
    async with client_for(rec, read_only=True) as client:
        for call in (client.create_connection({}), client.update_connection("1", {}),
                     client.delete_connection("1")):
            with pytest.raises(ReadOnlyError):
                await call
        assert await client.list_connections() == []
    assert [r.method for r in rec.requests] == ["GET"]


async def test_ids_are_url_encoded_in_paths() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=conn(1)))
    async with client_for(rec) as client:
        await client.get_connection("a/b c")
    assert rec.requests[0].url.raw_path.endswith(b"/connections/a%2Fb%20c")


async def test_post_with_202_and_location_reads_the_connection_back() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(202, headers={"Location": "/iot-flow/v1/connections/77"})
        return httpx.Response(200, json=conn(77))

    async with client_for(Recorder(answer)) as client:
        created = await client.create_connection({"name": "x"})
    assert created.id == "77"


# -- paging ---------------------------------------------------------------------------


def test_link_header_parsing() -> None:
    header = ('<https://h/c?page=1&perPage=2>; rel="first", <https://h/c?page=3&perPage=2>; '
              'rel="next", <https://h/c?page=9&perPage=2>; rel="last"')
    links = parse_link_header(header)
    assert links["next"] == "https://h/c?page=3&perPage=2"
    assert links["last"].endswith("page=9&perPage=2")


def dx_pages(store: list[dict[str, object]], size: int = 100,
             before_page: Callable[[int], None] | None = None) -> Recorder:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/connections/metrics"):  # the listing's census
            return httpx.Response(200, json=[{"connectionId": c["id"]} for c in store])
        index = int(request.url.params.get("pageIndex", "1"))
        if before_page:
            before_page(index)
        return httpx.Response(200, json=store[(index - 1) * size: index * size])
    return Recorder(answer)


async def test_dx_core_follows_page_index_until_a_short_page() -> None:
    store = [conn(i) for i in range(1, 261)]
    rec = dx_pages(store)
    async with client_for(rec, flavour="dx-core") as client:
        result = await client.list_connections()
    assert [c.id for c in result] == [str(i) for i in range(1, 261)]
    pages = [int(r.url.params["pageIndex"]) for r in rec.api_calls() if "pageIndex" in r.url.params]
    # Pages 1-3 hold the list (3 is short: the end), each asked once; the first poll asks
    # a few at a time, one guess ahead: at most one past the end.
    assert len(pages) == len(set(pages)) <= 4 and set(pages) >= {1, 2, 3}


async def test_dx_core_exact_multiple_ends_on_an_empty_page() -> None:
    store = [conn(i) for i in range(1, 201)]
    rec = dx_pages(store)
    async with client_for(rec, flavour="dx-core") as client:
        result = await client.list_connections()
    assert len(result) == 200 and len({c.id for c in result}) == 200


async def test_delete_between_pages_loses_nothing_and_repeats_nothing() -> None:
    store = [conn(i) for i in range(1, 301)]
    deleted = False

    def delete_before_page_2(index: int) -> None:
        nonlocal deleted
        if index == 2 and not deleted:
            deleted = True
            del store[10]  # id 11 goes: every later connection shifts one place left

    rec = dx_pages(store, before_page=delete_before_page_2)
    async with client_for(rec, flavour="dx-core") as client:
        result = await client.list_connections()
    ids = [c.id for c in result]
    assert len(ids) == len(set(ids)) == 299
    assert "11" not in ids and "101" in ids  # 101 had shifted onto page 1 during the read


async def test_create_between_pages_is_seen_once() -> None:
    store = [conn(i) for i in range(1, 251)]

    def create_before_page_3(index: int) -> None:
        if index == 3 and len(store) == 250:
            store.insert(0, conn(999))  # a server that lists newest first shifts right

    rec = dx_pages(store, before_page=create_before_page_3)
    async with client_for(rec, flavour="dx-core") as client:
        result = await client.list_connections()
    ids = [c.id for c in result]
    assert len(ids) == len(set(ids)) == 251 and "999" in ids


async def test_iot_flow_follows_link_headers_when_the_server_pages() -> None:
    store = [conn(i) for i in range(1, 8)]

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        per = 3
        headers = {"X-Total": str(len(store)), "X-Total-Pages": "3", "X-Page": str(page)}
        if page < 3:
            headers["Link"] = f'<{BASE}/connections?page={page + 1}&perPage={per}>; rel="next"'
        return httpx.Response(200, json=store[(page - 1) * per: page * per], headers=headers)

    rec = Recorder(answer)
    async with client_for(rec) as client:
        result = await client.list_connections()
    assert [c.id for c in result] == [str(i) for i in range(1, 8)]


async def test_iot_flow_follows_total_pages_without_link() -> None:
    store = [conn(i) for i in range(1, 6)]

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        headers = {"X-Total-Pages": "3", "X-Page": str(page), "X-Per-Page": "2"}
        return httpx.Response(200, json=store[(page - 1) * 2: page * 2], headers=headers)

    async with client_for(Recorder(answer), page_size=2) as client:
        result = await client.list_connections()
    assert [c.id for c in result] == ["1", "2", "3", "4", "5"]


async def test_unpaged_list_is_one_call() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=[conn(i) for i in range(500)]))
    async with client_for(rec) as client:
        assert len(await client.list_connections()) == 500
    assert len(rec.api_calls()) == 1 and client.calls == 1


# -- tokens ---------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token_server(ttl: int = 300, revoke_first: bool = False) -> Recorder:
    issued: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            form = dict(httpx.QueryParams(request.content.decode()))
            if form.get("client_secret") != "s3cret":
                return httpx.Response(401, json={"error": "invalid_client"})
            issued.append(f"tok{len(issued) + 1}")
            return httpx.Response(200, json={"access_token": issued[-1], "expires_in": ttl,
                                             "token_type": "Bearer"})
        auth = request.headers.get("authorization", "")
        if revoke_first and auth == "Bearer tok1":
            return httpx.Response(401, json={"code": "com-4001", "message": "token expired"})
        return httpx.Response(200, json=[])
    return Recorder(answer)


def oauth_client(rec: Recorder, clock: FakeTime, secret: str = "s3cret",
                 style: str = "oidc") -> tuple[IoTFlowClient, ClientCredentials]:
    auth = ClientCredentials(TOKEN_URL, "svc", secret, clock=clock, style=style)
    return IoTFlowClient(BASE, auth, transport=httpx.MockTransport(rec), sleep=no_sleep), auth


async def test_token_is_cached_and_renewed_before_expiry() -> None:
    clock = FakeTime()
    rec = token_server(ttl=300)
    client, auth = oauth_client(rec, clock)
    async with client:
        await client.list_connections()
        clock.now += 200
        await client.list_connections()
        assert auth.fetches == 1
        clock.now += 71  # 271 s: within the 30 s margin before the 300 s lifetime ends
        await client.list_connections()
        assert auth.fetches == 2
    tokens = [r.headers["authorization"] for r in rec.api_calls()]
    assert tokens == ["Bearer tok1", "Bearer tok1", "Bearer tok2"]
    form = dict(httpx.QueryParams(rec.requests[0].content.decode()))
    assert form == {"grant_type": "client_credentials", "client_id": "svc",
                    "client_secret": "s3cret"}


async def test_a_401_renews_the_token_and_retries_once() -> None:
    rec = token_server(revoke_first=True)
    client, auth = oauth_client(rec, FakeTime())
    async with client:
        assert await client.list_connections() == []
    assert auth.fetches == 2
    assert [r.headers["authorization"] for r in rec.api_calls()] == ["Bearer tok1", "Bearer tok2"]


async def test_wrong_secret_is_unauthenticated_and_not_in_any_message() -> None:
    rec = token_server()
    client, auth = oauth_client(rec, FakeTime(), secret="wrong-secret-value")
    async with client:
        with pytest.raises(Unauthenticated) as caught:
            await client.list_connections()
    assert "wrong-secret-value" not in caught.value.user_message
    assert "wrong-secret-value" not in repr(auth)


async def test_dx_admin_token_request_asks_for_a_renewed_token() -> None:
    rec = token_server()
    client, _ = oauth_client(rec, FakeTime(), style="dx-admin")
    async with client:
        await client.list_connections()
    form = dict(httpx.QueryParams(rec.requests[0].content.decode()))
    assert form["renewToken"] == "true" and form["grant_type"] == "client_credentials"


def test_short_connector_names() -> None:
    assert short_connector_name("actility-aws-iot") == "aws"
    assert short_connector_name("actility-azure-event-hub") == "azure-event-hub"
    assert short_connector_name("actility-amqp-0.9.1-iot") == "amqp-0.9.1"
    assert short_connector_name("acme-thing") == "acme-thing"


def test_connection_round_trip_keeps_alarms_and_extra() -> None:
    data = conn(5, alarms=[{"startTime": "x", "custom": 1}], upOperations=[{"id": 1}])
    data["startupTime"] = "2019-09-27T10:08:08.309+02:00"
    c = Connection.from_api(json.loads(json.dumps(data)))
    assert c.startup_time is not None and c.startup_time.utcoffset().total_seconds() == 7200
    assert c.to_payload()["alarms"] == [{"startTime": "x", "custom": 1}]
    assert c.to_payload()["upOperations"] == [{"id": 1}]


async def test_the_mask_is_never_sent_whatever_the_caller() -> None:
    rec = Recorder(lambda r: httpx.Response(201, json=conn(1)))
    payload = {"connectorId": "actility-aws-iot", "name": "x",
               "configuration": {"region": "eu", "proxy": {"password": "*****"}}}
    async with client_for(rec) as client:
        with pytest.raises(ValidationFailed) as caught:
            await client.create_connection(payload)
        assert caught.value.field == "configuration.proxy.password"
        with pytest.raises(ValidationFailed):
            await client.update_connection("1", payload)
    assert rec.requests == []


def test_a_server_failure_names_iotflow_in_lower_case() -> None:
    """The next-step sentence starts a sentence, but the tool's name stays "iotflow"."""
    from tui.api.errors import ServerError

    error = ServerError("backend down", status=500, code="com-5000")
    error.idempotent = True
    message = error.user_message
    assert message.endswith("backend down. iotflow tries again.") and "Iotflow" not in message
