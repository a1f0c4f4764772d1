"""Schemathesis against the simulator: shared by the contract test and the longer fuzz script.

``served_simulator`` runs a seeded simulator on a loopback socket with a long-lived token;
``operations`` reads the description the running simulator serves; ``fuzz`` sends
generated requests for one operation, checks every answer with ``CHECKS`` (conformance of
status, content type, body and headers, no 5xx, authentication enforced) and tells which
statuses came back, so a caller can prove a run reached the operation's success answer and
not only its error answers.

Generated path ids are random text and generated credentials are wrong, so only 404s and
401s would ever come back: half the cases of an operation on ``{id}`` go to a connection or
connector that exists instead (never for DELETE, so that a run leaves the population it
found), half the positive cases of a token path carry the account's real credentials, and
half those of a create or replace a configuration made for one of the simulator's
connectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from random import Random
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.clock import T0
from tui.simulator import ManualClock, Simulator, SimulatorServer
from tui.simulator.catalogue import example_configuration

__all__ = [
    "CHECKS",
    "NEGATIVE_CHECKS",
    "Served",
    "fuzz",
    "operations",
    "served_simulator",
]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]
"""For requests that break the description: also refused with a 4xx, never accepted."""
TOKEN_PATHS = ("/oauth/token", "/oauth/tokenSwagger")
WRITES = {("POST", "/connections"), ("PUT", "/connections/{id}")}
"""A generated configuration hardly ever fits a connector's own schema: half the positive
cases of these send one the simulator's example generator made for a real connector."""
TOKEN_TTL = 10**8
"""Sim seconds; the clock is manual, so the token outlives any run."""


@dataclass
class Served:
    sim: Simulator
    server: SimulatorServer
    token: str

    def url(self, prefix: str) -> str:
        return self.server.base_url + prefix


@contextmanager
def served_simulator(*, seed: int = 5, connections: int = 12) -> Iterator[Served]:
    sim = Simulator(clock=ManualClock(T0), seed=seed, connections=connections)
    with SimulatorServer(sim) as server:
        yield Served(sim, server, sim.issue_token(ttl=TOKEN_TTL))


def operations(served: Served, prefix: str) -> list[APIOperation]:
    """Every operation of the description served under ``prefix`` (fetched over the socket)."""
    schema = schemathesis.openapi.from_url(f"{served.url(prefix)}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(
    operation: APIOperation,
    served: Served,
    prefix: str,
    examples: int,
    *,
    seed: int | None = None,
    mode: GenerationMode = GenerationMode.POSITIVE,
) -> Counter[int]:
    """Send ``examples`` generated requests; raise schemathesis' FailureGroup on a failed
    check. ``seed=None`` derandomises (the same cases every run, for the test suite)."""
    statuses: Counter[int] = Counter()
    checks = NEGATIVE_CHECKS if mode is GenerationMode.NEGATIVE else CHECKS
    existing = _existing_ids(operation, served)
    # Only positive cases get real credentials or valid bodies: a negative one must stay invalid.
    positive = mode is GenerationMode.POSITIVE
    sign_in = positive and operation.path.endswith(TOKEN_PATHS)
    writes = positive and (operation.method.upper(), operation.path) in WRITES

    def make_real(case, data: st.DataObject) -> None:
        ids = existing() if existing is not None else []
        if ids:
            case.path_parameters = {
                **(case.path_parameters or {}),
                "id": data.draw(st.sampled_from(ids), label="id"),
            }
        if writes:
            case.body = _valid_connection(served, data)
        if sign_in and isinstance(case.body, dict):
            case.body = {
                **case.body,
                "client_id": served.sim.client_id,
                "client_secret": served.sim.client_secret,
            }

    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=seed is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, data) -> None:
        # One draw for every substitution, so that a replace goes to an existing connection
        # with a valid body in half the cases rather than a quarter.
        if data.draw(st.booleans(), label="real target"):
            make_real(case, data)
        response = case.call_and_validate(
            base_url=served.url(prefix),
            headers={"Authorization": f"Bearer {served.token}"},
            checks=checks,
            timeout=10,
        )
        statuses[response.status_code] += 1

    if seed is None:
        run()
    else:
        hypothesis_seed(seed)(run)()
    return statuses


def _existing_ids(operation: APIOperation, served: Served) -> Callable[[], list[str]] | None:
    """The ids that exist now for the operation's ``{id}``, or None (no id, or DELETE)."""
    if "{id}" not in operation.path or operation.method.upper() == "DELETE":
        return None
    if operation.path.startswith("/connectors/"):
        return lambda: sorted(served.sim.catalogue)
    return lambda: sorted(str(c.id) for c in served.sim.world.connections())


def _valid_connection(served: Served, data: st.DataObject) -> dict[str, Any]:
    connector_id = data.draw(st.sampled_from(sorted(served.sim.catalogue)), label="connector")
    seed = data.draw(st.integers(0, 2**16), label="example seed")
    configuration = example_configuration(served.sim.catalogue[connector_id], Random(seed))
    name = data.draw(st.text(min_size=1, max_size=30).filter(str.strip), label="name")
    return {"connectorId": connector_id, "name": name, "configuration": configuration}
