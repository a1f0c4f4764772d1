"""The client against a server that answers badly on purpose (tests/support/hostile_server).

Each case gets a sentence an operator can act on, never a traceback or a hang, and the
readable part of an answer is still used.
"""

from __future__ import annotations

import pytest

from tests.support.hostile_server import CLIPBOARD, HostileServer
from tui.api import ApiTimeout, MalformedResponse, ServerError, Unreachable
from tui.api.errors import TokenRejected
from tui.config import make_client


async def test_a_trickling_answer_meets_the_total_deadline() -> None:
    with HostileServer("trickle") as server:
        async with make_client(server.profile(timeout=0.3), retries=0) as client:
            with pytest.raises(ApiTimeout) as caught:
                await client.list_connections()
    message = caught.value.user_message
    assert "no complete answer within 0.3 s" in message and "bytes came" in message
    assert "iotflow tries again" in message


async def test_a_trickling_token_endpoint_meets_the_deadline_too() -> None:
    with HostileServer("token-trickle") as server:
        async with make_client(server.profile(timeout=0.3), retries=0) as client:
            with pytest.raises(ApiTimeout, match="0.3 s"):
                await client.list_connections()


async def test_a_slow_post_says_it_was_not_retried() -> None:
    with HostileServer("slow-post", stall=1.0) as server:
        async with make_client(server.profile(timeout=0.3)) as client:
            with pytest.raises(ApiTimeout) as caught:
                await client.create_connection({"name": "x", "configuration": {}})
        posts = [r for r in server.api_requests() if r[0] == "POST"]
    assert len(posts) == 1
    assert "not retried" in caught.value.user_message
    assert "tries again" not in caught.value.user_message


async def test_a_closed_keep_alive_connection_is_retried_at_once_without_backoff() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    with HostileServer("drop-once") as server:
        async with make_client(server.profile(), retries=0, sleep=sleep) as client:
            rows = await client.list_connections()
        gets = [r for r in server.api_requests() if r[0] == "GET"]
    assert [r.id for r in rows] == ["1", "2", "3"]
    assert len(gets) == 2 and slept == []


async def test_a_post_on_a_dropped_connection_is_not_sent_twice() -> None:
    with HostileServer("drop-once") as server:
        async with make_client(server.profile(), retries=3) as client:
            with pytest.raises(Unreachable) as caught:
                await client.create_connection({"name": "x", "configuration": {}})
        assert [r[0] for r in server.api_requests()] == ["POST"]
    assert not caught.value.idempotent


async def test_a_body_nested_100000_deep_is_refused_with_a_sentence() -> None:
    with HostileServer("deep") as server:
        async with make_client(server.profile(), retries=0) as client:
            with pytest.raises(MalformedResponse) as caught:
                await client.list_connections()
    assert "nested too deep" in caught.value.user_message


async def test_an_item_nested_500_deep_is_one_unreadable_row() -> None:
    with HostileServer("deep-item") as server:
        async with make_client(server.profile(), retries=0) as client:
            rows = await client.list_connections()
            again = await client.list_connections()  # the deep item is never compared
    assert [r.state for r in rows] == ["OPENED", "UNREADABLE"]
    assert rows[1].problem and "nested deeper than 32 levels" in rows[1].problem
    # Nothing downstream recurses into it: a payload copy of the readable row works.
    assert rows[0].to_payload()["name"] == "conn 1"
    assert [r.state for r in again] == ["OPENED", "UNREADABLE"]


async def test_a_body_over_the_limit_is_refused_with_the_setting_to_change() -> None:
    with HostileServer("huge-body") as server:
        async with make_client(server.profile(max_body_mb=1), retries=0) as client:
            with pytest.raises(MalformedResponse) as caught:
                await client.list_connections()
    assert "more than 1 MB" in caught.value.user_message
    assert "max_body_mb" in caught.value.user_message


async def test_a_one_megabyte_name_makes_its_row_unreadable() -> None:
    with HostileServer("huge-name") as server:
        async with make_client(server.profile(), retries=0) as client:
            rows = await client.list_connections()
    assert [r.state for r in rows] == ["UNREADABLE", "OPENED"]
    assert rows[0].problem and "1,000,000 characters long" in rows[0].problem
    assert rows[0].name == ""  # the megabyte is not carried on


async def test_bad_items_are_rows_and_a_duplicate_is_reported_once() -> None:
    with HostileServer("bad-items") as server:
        async with make_client(server.profile(), retries=0) as client:
            rows = await client.list_connections()
            notes = client.notes
    by_id = {r.id: r for r in rows}
    assert list(by_id) == ["1", "(item 2)", "3", "4", "5", "6", "8"]
    assert {i for i, r in by_id.items() if r.state == "UNREADABLE"} == {
        "(item 2)", "3", "4", "5"}
    assert by_id["6"].state == "UNREACHABLE" and by_id["6"].name == "conn 6"
    assert notes == ["id 6 appears 2 times in the list; only the first is shown."]


async def test_an_html_500_has_no_empty_code_and_no_invented_one() -> None:
    with HostileServer("html-500") as server:
        async with make_client(server.profile(), retries=0) as client:
            with pytest.raises(ServerError) as caught:
                await client.list_connections()
    message = caught.value.user_message
    assert message.startswith("The server failed (500): Internal Server Error.")
    assert "com-" not in message and "( " not in message and " )" not in message


async def test_a_401_for_a_fresh_token_does_not_blame_the_credentials() -> None:
    with HostileServer("api-401") as server:
        async with make_client(server.profile(), retries=0) as client:
            with pytest.raises(TokenRejected) as caught:
                await client.list_connections()
        tokens = [r for r in server.requests if r[0] == "POST"]
    message = caught.value.user_message
    assert "client id and secret were accepted" in message
    assert "Check the client id" not in message
    assert len(tokens) == 2  # the first token, then one fresh one


async def test_server_text_in_an_error_is_made_inert() -> None:
    import httpx

    from tui.api.client import error_from_response

    response = httpx.Response(400, json={"code": "com-4000", "message": CLIPBOARD * 50})
    message = error_from_response(response).user_message
    assert "\x1b" not in message and "\x07" not in message and "␛]52" in message
    assert len(message) < 400


async def test_a_next_page_link_to_another_host_is_not_followed() -> None:
    import httpx

    from tui.api import IoTFlowClient, StaticToken

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[], headers={
            "Link": '<https://collector.example/steal>; rel="next"'})

    async with IoTFlowClient("https://platform.example/iot-flow/v1", StaticToken("t"),
                             transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(MalformedResponse, match="another site"):
            await client.list_connections()


async def test_an_unreachable_server_is_a_sentence() -> None:
    with HostileServer() as server:
        profile = server.profile()
    async with make_client(profile, retries=0) as client:
        with pytest.raises(Unreachable) as caught:
            await client.list_connections()
    assert "Cannot reach the API" in caught.value.user_message


async def test_the_board_shows_every_readable_row_and_counts_unreadable_as_error() -> None:
    from datetime import UTC, datetime

    from tui.board import Board
    from tui.health import Health

    with HostileServer("bad-items") as server:
        async with make_client(server.profile(), retries=0) as client:
            board = Board()
            board.apply(await client.list_connections(), datetime.now(UTC))
    counts = board.counts()
    assert len(board.rows) == 7
    assert counts[Health.ERROR] == 5  # four unreadable items and the UNREACHABLE one
    assert counts[Health.ACTIVE] == 2
    assert board.rows["3"].state == "UNREADABLE"


def test_a_plain_http_profile_builds_no_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    from tui.config import Profile

    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    plain = Profile(url="http://127.0.0.1:8080", client_id="a", client_secret="b")
    make_client(plain)
    assert loads == []  # loading the CA bundle is what costs tens of milliseconds
    secure = Profile(url="https://iot.example.com", client_id="a", client_secret="b")
    make_client(secure)
    assert loads
