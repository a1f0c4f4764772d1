"""The simulator against its own OpenAPI description, over a real loopback socket.

openapi-spec-validator checks both descriptions; schemathesis generates requests for every
operation (a few examples each, derandomised, so the default run stays short and repeatable;
``tests/benchmarks/contract_fuzz.py`` runs many more; both use ``tests/support/contract.py``)
and checks that every answer conforms (status code, content type, body, headers), that none
is a 5xx, and that every secured operation refuses a request without its token. Requests
that break the description (schemathesis' negative mode) must be refused with a 4xx.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from tests.support.contract import Served, fuzz, operations, served_simulator
from tui.simulator.app import API_PREFIXES, DX_CORE_PREFIX, IOT_FLOW_PREFIX
from tui.simulator.openapi import description

EXAMPLES_PER_OPERATION = 10
FLOW_PATHS = {"/connections/metrics", "/connections/{id}/metrics", "/connections/{id}/restart",
              "/events"}


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with served_simulator() as running:
        yield running


@pytest.mark.parametrize("prefix", API_PREFIXES)
def test_served_descriptions_are_valid_openapi_3(served: Served, prefix: str) -> None:
    r = httpx.get(f"{served.url(prefix)}/openapi.json")  # no token needed
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    spec = r.json()
    validate(spec)  # raises on any structural error
    assert spec["servers"] == [{"url": prefix}]
    assert {"/connections", "/connections/{id}", "/connectors", "/connectors/{id}"} <= set(
        spec["paths"]
    )
    assert FLOW_PATHS <= set(spec["paths"])
    # PATCH joins the path item of GET/PUT/DELETE instead of replacing it.
    assert {"get", "put", "delete", "patch"} <= set(spec["paths"]["/connections/{id}"])


def test_the_connection_schema_describes_what_the_simulator_round_trips() -> None:
    schemas = description()["components"]["schemas"]
    assert schemas["connection"]["properties"]["debug"]["type"] == "boolean"
    assert schemas["connectionRequest"]["properties"]["debug"]["type"] == "boolean"
    metrics = schemas["connectionMetrics"]
    assert {"connectionId", "uplinksLast1h", "downlinksLast24hLost", "lag"} <= set(
        metrics["required"]
    )
    assert set(schemas["event"]["required"]) == {"eventTime", "level", "code", "message"}
    patch = description()["paths"]["/connections/{id}"]["patch"]
    assert set(patch["requestBody"]["content"]) == {"application/merge-patch+json"}
    assert "415" in patch["responses"]


def test_only_iot_flow_describes_its_token_paths() -> None:
    assert {"/oauth/token", "/oauth/tokenSwagger"} <= set(description("iot-flow")["paths"])
    assert not any("oauth" in path for path in description("dx-core", DX_CORE_PREFIX)["paths"])


def _labels(flavour: str, prefix: str) -> list[str]:
    """Operation labels, read from the description itself at collection time."""
    schema = schemathesis.openapi.from_dict(description(flavour, prefix))
    return [result.ok().label for result in schema.get_all_operations()]


OPERATIONS = [
    (prefix, label)
    for flavour, prefix in (("iot-flow", IOT_FLOW_PREFIX), ("dx-core", DX_CORE_PREFIX))
    for label in _labels(flavour, prefix)
]


REACHES = {
    "GET /connections": 200,
    "POST /connections": 201,
    "PUT /connections/{id}": 200,
    "GET /connections/{id}": 200,
    "PATCH /connections/{id}": 200,
    "GET /connectors": 200,
    "GET /connectors/{id}": 200,
    "GET /connections/metrics": 200,
    "GET /connections/{id}/metrics": 200,
    "POST /connections/{id}/restart": 202,
    "GET /events": 200,
    "POST /oauth/token": 200,
    "POST /oauth/tokenSwagger": 200,
}
"""The success answer a run must reach, so that it checks more than the error answers
(DELETE is never sent to a connection that exists: the simulator tests delete)."""


def _operation(served: Served, prefix: str, label: str):
    """The operation as the running simulator describes it (fetched over the socket)."""
    return next(op for op in operations(served, prefix) if op.label == label)


def test_every_operation_is_fuzzed() -> None:
    labels = {label for _, label in OPERATIONS}
    assert {"GET /connections", "POST /connections", "PUT /connections/{id}"} <= labels
    assert {"DELETE /connections/{id}", "GET /connectors/{id}", "POST /oauth/token"} <= labels
    assert set(REACHES) <= labels
    # 13 IoT Flow v1 operations (11 under DX Core, which has no token paths of its own).
    assert len(OPERATIONS) == 26


@pytest.mark.parametrize(("prefix", "label"), OPERATIONS, ids=[f"{p}:{lb}" for p, lb in OPERATIONS])
def test_schemathesis_finds_nothing(served: Served, prefix: str, label: str) -> None:
    statuses = fuzz(_operation(served, prefix, label), served, prefix, EXAMPLES_PER_OPERATION)
    assert sum(statuses.values()) == EXAMPLES_PER_OPERATION
    if label in REACHES:
        assert REACHES[label] in statuses, dict(statuses)


@pytest.mark.parametrize(("prefix", "label"), OPERATIONS, ids=[f"{p}:{lb}" for p, lb in OPERATIONS])
def test_requests_that_break_the_description_are_refused(
    served: Served, prefix: str, label: str
) -> None:
    """Negative mode: wrong types, out-of-range numbers, missing required parts; each must be
    a 4xx with an answer as described (never a 5xx, never accepted)."""
    operation = _operation(served, prefix, label)
    fuzz(operation, served, prefix, EXAMPLES_PER_OPERATION, mode=GenerationMode.NEGATIVE)


def test_the_checks_do_catch_a_description_the_simulator_breaks(served: Served) -> None:
    """The run above cannot pass by checking nothing: the same checks against a description
    that requires a key the simulator never sends report a failure."""
    spec = copy.deepcopy(description("iot-flow"))
    spec["components"]["schemas"]["connectionMetrics"]["required"].append("neverSent")
    schema = schemathesis.openapi.from_dict(spec)
    operation = next(
        r.ok() for r in schema.get_all_operations() if r.ok().label == "GET /connections/metrics"
    )
    with pytest.raises(FailureGroup) as caught:
        fuzz(operation, served, IOT_FLOW_PREFIX, 3)
    assert "neverSent" in str(caught.value)


BAD_QUERIES = [
    ("/events", "startTime", "yesterday"),
    ("/events", "startTime", "2026-11-28T10:00:00"),  # no offset
    ("/events", "endTime", "2026-13-01T00:00:00Z"),
    ("/events", "page", "0"),
    ("/events", "page", "1.5"),
    ("/events", "perPage", "5001"),
    ("/events", "perPage", "9" * 5000),  # beyond Python's int conversion limit
    ("/connections", "page", "-1"),
    ("/connections", "perPage", "ten"),
]


@pytest.mark.parametrize(("path", "name", "value"), BAD_QUERIES)
def test_a_bad_query_value_is_a_400_naming_the_parameter(
    served: Served, path: str, name: str, value: str
) -> None:
    answer = httpx.get(
        f"{served.url(IOT_FLOW_PREFIX)}{path}",
        params={name: value},
        headers={"Authorization": f"Bearer {served.token}"},
    )
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == "com-4000" and body["data"] == {"field": name}
    assert body["message"].startswith(f"{name}: ") and len(body["message"]) < 200
    assert body["correlationId"] == answer.headers["X-Correlation-Id"]


@settings(max_examples=40)
@given(
    name=st.sampled_from(["startTime", "endTime", "page", "perPage", "q", "q_connectionId"]),
    value=st.text(max_size=40),
)
def test_any_query_text_on_events_is_answered_never_a_5xx(served_events, name, value) -> None:
    """Hypothesis text (control characters, digits in other scripts, huge numbers) in any
    event parameter: a 200, or a 400 naming that parameter."""
    base, token = served_events
    answer = httpx.get(
        f"{base}/events", params={name: value}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert answer.json()["data"] == {"field": name}


@pytest.fixture(scope="module")
def served_events(served: Served) -> tuple[str, str]:
    return served.url(IOT_FLOW_PREFIX), served.token


def test_a_patch_cannot_remove_active(served: Served) -> None:
    """RFC 7386 null removes a key, and a connection without ``active`` is active: refused
    rather than switching a deactivated connection on by accident."""
    conn = next(iter(served.sim.world.connections()))
    before = conn.active
    answer = httpx.patch(
        f"{served.url(IOT_FLOW_PREFIX)}/connections/{conn.id}",
        content=b'{"active": null}',
        headers={
            "Authorization": f"Bearer {served.token}",
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert answer.status_code == 400 and answer.json()["data"] == {"field": "active"}
    assert served.sim.world.get(str(conn.id)).active == before
