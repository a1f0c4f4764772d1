"""The simulator against its own OpenAPI description, over a real loopback socket.

openapi-spec-validator checks both descriptions; schemathesis generates requests for every
operation (a few examples each, derandomised, so the default run stays short and repeatable;
``tests/benchmarks/contract_fuzz.py`` runs many more) and checks that every answer conforms
(status code, content type, body, headers), that none is a 5xx, and that every secured
operation refuses a request without its token.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tui.simulator import ManualClock, Simulator, SimulatorServer
from tui.simulator.app import API_PREFIXES, DX_CORE_PREFIX, IOT_FLOW_PREFIX
from tui.simulator.openapi import description

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]
EXAMPLES_PER_OPERATION = 10


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Simulator, SimulatorServer, str]]:
    sim = Simulator(clock=ManualClock(), seed=5, connections=12)
    with SimulatorServer(sim) as server:
        yield sim, server, sim.issue_token(ttl=10**7)


@pytest.mark.parametrize("prefix", API_PREFIXES)
def test_served_descriptions_are_valid_openapi_3(served, prefix: str) -> None:
    _, server, _ = served
    r = httpx.get(f"{server.base_url}{prefix}/openapi.json")  # no token needed
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    spec = r.json()
    validate(spec)  # raises on any structural error
    assert spec["servers"] == [{"url": prefix}]
    assert {"/connections", "/connections/{id}", "/connectors", "/connectors/{id}"} <= set(
        spec["paths"]
    )


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


def _operation(server: SimulatorServer, prefix: str, label: str):
    """The operation as the running simulator describes it (fetched over the socket)."""
    schema = schemathesis.openapi.from_url(f"{server.base_url}{prefix}/openapi.json")
    return next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)


def _fuzz(operation, base_url: str, token: str, examples: int) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            checks=CHECKS,
            timeout=10,
        )

    run()


def test_every_operation_is_fuzzed() -> None:
    labels = {label for _, label in OPERATIONS}
    assert {"GET /connections", "POST /connections", "PUT /connections/{id}"} <= labels
    assert {"DELETE /connections/{id}", "GET /connectors/{id}", "POST /oauth/token"} <= labels
    assert len(OPERATIONS) == 16


@pytest.mark.parametrize(("prefix", "label"), OPERATIONS, ids=[f"{p}:{lb}" for p, lb in OPERATIONS])
def test_schemathesis_finds_nothing(served, prefix: str, label: str) -> None:
    _, server, token = served
    operation = _operation(server, prefix, label)
    _fuzz(operation, server.base_url + prefix, token, EXAMPLES_PER_OPERATION)


def test_the_checks_do_catch_a_description_the_simulator_breaks(served) -> None:
    """The run above cannot pass by checking nothing: the same checks against a description
    that requires a key the simulator never sends report a failure."""
    _, server, token = served
    spec = copy.deepcopy(description("iot-flow"))
    spec["components"]["schemas"]["connector"]["required"].append("neverSent")
    schema = schemathesis.openapi.from_dict(spec)
    operation = next(
        r.ok() for r in schema.get_all_operations() if r.ok().label == "GET /connectors"
    )
    with pytest.raises(FailureGroup) as caught:
        _fuzz(operation, server.base_url + IOT_FLOW_PREFIX, token, 3)
    assert "neverSent" in str(caught.value)
