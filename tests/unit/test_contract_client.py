"""iotflow's own client against answers that follow the published description but that our
simulator never gives: missing optional fields, extra fields, startupTime absent or null, an
empty error message. Hand-picked answers, and answers generated from the description's own
schemas, served through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from tui.api import IoTFlowClient, NotFound, StaticToken, ValidationFailed
from tui.simulator.openapi import description

V1 = "/iot-flow/v1"
SCHEMAS = description()["components"]["schemas"]


def _inline(schema: Any) -> Any:
    """The schema with its #/components/schemas references replaced by their targets."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
        return {k: _inline(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(v) for v in schema]
    return schema


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_DATES = st.datetimes(timezones=st.timezones(), allow_imaginary=False).map(
    lambda d: d.isoformat(timespec="milliseconds")
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid against the small JSON Schema subset the description uses: any optional
    property may be left out, objects without additionalProperties: false get extra keys."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        base = st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required},
        )
        if schema.get("additionalProperties") is False or not props:
            return base if props else st.dictionaries(_TEXT, _JSON, max_size=3)
        extra = st.dictionaries(_TEXT.filter(lambda k: k not in props), _JSON, max_size=2)
        return st.tuples(base, extra).map(lambda pair: {**pair[1], **pair[0]})
    if kind == "array":
        return st.lists(from_schema(schema.get("items") or {}), max_size=3)
    if kind == "string":
        if schema.get("format") == "date-time":
            return _DATES
        if schema.get("format") == "uri":
            return _TEXT.map(
                lambda t: "https://example.net/" + "".join(c for c in t if c.isalnum())
            )
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return _TEXT
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers()
    return _JSON


def _published_connection() -> dict[str, Any]:
    """The connection as the published description requires it: only connectorId and
    configuration (plus id, without which no client can address it); state may be a value
    the description does not list, as new enum values appear without a version change."""
    schema = copy.deepcopy(_inline(SCHEMAS["connection"]))
    schema["required"] = ["id", "connectorId", "configuration"]
    schema["properties"]["state"] = {"type": "string"}
    schema["properties"]["id"] = {"type": "string", "pattern": "^[0-9]{1,9}$"}
    return schema


def _client(routes: dict[tuple[str, str], httpx.Response]) -> IoTFlowClient:
    def handler(request: httpx.Request) -> httpx.Response:
        answer = routes.get((request.method, request.url.path))
        return answer if answer is not None else httpx.Response(404, json={"code": "com-4004"})

    return IoTFlowClient(
        "https://platform.example" + V1,
        StaticToken("opaque-token"),
        transport=httpx.MockTransport(handler),
        retries=0,
        sleep=lambda _s: asyncio.sleep(0),
    )


async def test_bare_connections_and_absent_or_null_startup_time() -> None:
    items = [
        {"id": "1", "connectorId": "actility-mqtt-iot", "configuration": {}},
        {"id": "2", "connectorId": "actility-aws-iot", "configuration": {}, "startupTime": None},
        {
            "id": "3",
            "connectorId": "actility-http-iot",
            "configuration": {"destinationURL": "https://x.example"},
            "startupTime": "2019-09-27T10:08:08.309+02:00",
            "state": "OPENED",
            "name": "hooks",
            "active": False,
        },
    ]
    client = _client({("GET", f"{V1}/connections"): httpx.Response(200, json=items)})
    got = {c.id: c for c in await client.list_connections()}
    assert set(got) == {"1", "2", "3"}
    assert got["1"].startup_time is None and got["2"].startup_time is None
    assert got["1"].name == "" and got["1"].state is None and got["1"].active is True
    assert got["1"].alarms is None
    assert got["3"].startup_time is not None and got["3"].startup_time.utcoffset() is not None
    assert (got["3"].state, got["3"].name, got["3"].active) == ("OPENED", "hooks", False)


async def test_extra_fields_are_kept_and_written_back() -> None:
    item = {
        "id": "8",
        "connectorId": "actility-aws-iot",
        "configuration": {"region": "eu-central-1", "futureKey": {"a": [1]}},
        "debug": True,
        "dlOperations": [{"id": "op", "type": "ENCODE"}],
        "brandNewField": "kept",
        "state": "RESTARTING",  # a state this version does not know
    }
    client = _client({("GET", f"{V1}/connections/8"): httpx.Response(200, json=item)})
    conn = await client.get_connection("8")
    assert conn.state == "RESTARTING"
    payload = conn.to_payload()
    assert payload["debug"] is True and payload["brandNewField"] == "kept"
    assert payload["dlOperations"] == [{"id": "op", "type": "ENCODE"}]
    assert payload["configuration"]["futureKey"] == {"a": [1]}
    assert "state" not in payload and "id" not in payload


async def test_connectors_with_only_the_required_fields_and_more() -> None:
    items = [
        {
            "id": "acme-thing",
            "producerId": "acme",
            "moduleId": "thing",
            "version": "1.0.0",
            "description": "",
            "logo": "https://acme.example/logo.png",
            "beta": False,
            "urlDoc": "https://acme.example/doc",
        },
        {
            "id": "acme-other",
            "producerId": "acme",
            "moduleId": "other",
            "version": "2.0.0",
            "description": "Other",
            "logo": "data:image/svg+xml,%3Csvg%2F%3E",
            "beta": True,
            "urlDoc": "https://acme.example/doc",
            "connection": {"configurationSchema": {"type": "object"}},
            "flow": {"configurationSchema": {}},
            "category": "new-in-a-later-version",
        },
    ]
    client = _client({("GET", f"{V1}/connectors"): httpx.Response(200, json=items)})
    got = {c.id: c for c in await client.list_connectors()}
    assert got["acme-thing"].configuration_schema == {}
    assert got["acme-other"].beta is True
    assert got["acme-other"].raw["category"] == "new-in-a-later-version"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"code": "com-4000", "message": ""}, "Bad Request"),
        ({"code": "com-4000", "message": "", "data": {"field": "configuration.region"}}, None),
        ({"code": "com-4000"}, "Bad Request"),
    ],
)
async def test_an_empty_error_message_still_gives_a_sentence(body, expected) -> None:
    client = _client({("POST", f"{V1}/connections"): httpx.Response(400, json=body)})
    with pytest.raises(ValidationFailed) as caught:
        await client.create_connection(
            {"connectorId": "actility-aws-iot", "name": "n", "configuration": {}}
        )
    error = caught.value
    assert error.message  # never an empty sentence on the screen
    if expected is not None:
        assert error.message == expected
    else:
        assert error.field == "configuration.region"
    assert error.user_message.startswith("The server refused the request")


async def test_a_404_with_an_empty_message() -> None:
    client = _client({("GET", f"{V1}/connections/9"): httpx.Response(404, json={"code": "x"})})
    with pytest.raises(NotFound) as caught:
        await client.get_connection("9")
    assert caught.value.message == "Not Found"


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(from_schema(_published_connection()), max_size=5, unique_by=lambda c: c["id"]))
def test_any_listing_the_description_allows_is_read(items: list[dict[str, Any]]) -> None:
    for item in items:  # the generator keeps to the description
        Draft4Validator(_published_connection()).validate(item)
    client = _client({("GET", f"{V1}/connections"): httpx.Response(200, json=items)})
    got = asyncio.run(client.list_connections())
    assert [c.id for c in got] == [item["id"] for item in items]
    for conn, item in zip(got, items, strict=True):
        assert conn.connector_id == item["connectorId"]
        assert conn.state == item.get("state")
        assert (conn.startup_time is None) == ("startupTime" not in item)
        known = {"id", "connectorId", "name", "active", "alarms", "configuration"}
        known |= {"startupTime", "state"}
        assert set(conn.extra) == set(item) - known


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(from_schema(_inline(SCHEMAS["connector"])), max_size=4))
def test_any_connector_list_the_description_allows_is_read(items: list[dict[str, Any]]) -> None:
    client = _client({("GET", f"{V1}/connectors"): httpx.Response(200, json=items)})
    got = asyncio.run(client.list_connectors())
    assert [c.id for c in got] == [item["id"] for item in items]
    for conn, item in zip(got, items, strict=True):
        assert conn.beta is item["beta"]
