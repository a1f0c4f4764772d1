"""Shared fixtures: a seeded simulator on loopback with a manual clock, a profile
pointing at it, a client, and a factory for the dashboard app.

Everything runs on one fixed instant (``T0``) that only moves when a test advances
``sim_clock``; the app reads the same clock, so durations, stuck and flapping are
deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.support.clock import T0
from tests.support.home import REAL_STATE_DIR, inside, isolate
from tui.config import Profile, make_client, state_dir
from tui.simulator import ManualClock, Simulator, SimulatorServer

# Property tests are part of the default run, so they must give the same answer on every
# run and on a busy CI machine: examples derived from each test (not from a random seed or
# from examples saved by an earlier run), and no per-example deadline (a deadline is a
# timing assertion; the shared 2-core machine makes any one example slow now and then).
# A longer exploratory run: ``pytest --hypothesis-profile=explore``.
settings.register_profile("deterministic", derandomize=True, deadline=None, database=None)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile("deterministic")


@pytest.fixture(autouse=True)
def _state_and_config_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test keeps drafts, history and error log in its own temporary directory and
    reads no config file of the person running it (tests/support/home.py says how)."""
    isolate(monkeypatch, tmp_path)
    resolved = state_dir()
    assert inside(resolved, tmp_path) and not inside(resolved, REAL_STATE_DIR), resolved


@pytest.fixture
def sim_clock() -> ManualClock:
    """The simulator's clock; ``sim_clock.advance(seconds)`` moves the world on."""
    return ManualClock(T0)


@pytest.fixture
def sim_connections() -> int:
    """How many connections the simulator seeds; override in a module to change it."""
    return 25


@pytest.fixture
def simulator(sim_clock: ManualClock, sim_connections: int) -> Simulator:
    return Simulator(connections=sim_connections, seed=0, clock=sim_clock)


@pytest.fixture
def sim_server(simulator: Simulator) -> Iterator[SimulatorServer]:
    """The simulator served over HTTP on a free loopback port (stopped afterwards)."""
    with SimulatorServer(simulator) as server:
        yield server


@pytest.fixture
def sim_profile(sim_server: SimulatorServer) -> Profile:
    """A profile for the running simulator (OIDC client credentials demo/demo-secret)."""
    return Profile(
        name="sim",
        url=sim_server.base_url,
        client_id="demo",
        client_secret="demo-secret",
        # The simulator answers in milliseconds, but it serves from a thread of the test's own
        # process: on a shared 2-core machine at load 10+, 2 s was seen to run out for a
        # connector or events read. Tests of timeouts set their own short one.
        timeout=10.0,
    )


@pytest.fixture
async def sim_client(sim_profile: Profile):
    """An IoTFlowClient on the simulator that fails fast (no retries)."""
    client = make_client(sim_profile, retries=0)
    yield client
    await client.aclose()


@pytest.fixture
def make_dashboard(
    sim_profile: Profile, sim_clock: ManualClock, tmp_path: Path
) -> Callable[..., Any]:
    """Build the dashboard app on the simulator with test defaults.

    No poll loop (``poll=False``: drive polls with ``await app.refresh_now()``), UTC
    display, a history file in ``tmp_path``, seeded jitter. Keyword arguments override
    any of these, or pass ``profile=`` / ``client=``.
    """
    from tui.app import make_app

    def build(**overrides: Any):
        profile = overrides.pop("profile", sim_profile)
        options: dict[str, Any] = {
            "clock": sim_clock.now,
            "display_tz": UTC,
            "history_path": tmp_path / "history.json",
            "poll": False,
            "rng": random.Random(0),
        }
        options.update(overrides)
        return make_app(profile, **options)

    return build


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "unexpected_errors: the test injects failures the app's error handler must contain",
    )


@pytest.fixture(autouse=True)
def _unexpected_errors_fail_the_test(request: pytest.FixtureRequest, monkeypatch):
    """The app contains unexpected errors (a sentence, a log, it keeps running), which
    would let a test pass over a bug that Textual used to re-raise: any such error fails
    the test, unless it is marked ``unexpected_errors`` (it injects them on purpose)."""
    import sys

    module = sys.modules.get("tui.unexpected")  # UI tests only: unit tests stay Textual-free
    if module is None or request.node.get_closest_marker("unexpected_errors"):
        yield
        return
    seen: list[tuple[str, BaseException]] = []
    original = module.UnexpectedErrors.report_unexpected

    def record(self, error: BaseException, where: str) -> None:
        seen.append((where, error))
        original(self, error, where)

    monkeypatch.setattr(module.UnexpectedErrors, "report_unexpected", record)
    yield
    if seen:
        where, error = seen[0]
        pytest.fail(f"unexpected error in the app while {where}: {error!r}", pytrace=False)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sim_server: SimulatorServer) -> None:
    """The command line pointed at the test simulator by environment alone, as an operator
    would set it up: no config file, a state directory of its own, no stray profile."""
    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("IOTFLOW_URL", sim_server.base_url + "/iot-flow/v1")
    monkeypatch.setenv(
        "IOTFLOW_TOKEN_URL", sim_server.base_url + "/users-auth/protocol/openid-connect/token"
    )
    monkeypatch.setenv("IOTFLOW_CLIENT_ID", "demo")
    monkeypatch.setenv("IOTFLOW_CLIENT_SECRET", "demo-secret")
    for var in ("IOTFLOW_FLAVOUR", "IOTFLOW_AUTH", "IOTFLOW_PROFILE", "IOTFLOW_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    # Tables are fitted to COLUMNS when it is set (pytest-xdist's workers have it): the
    # tests read the full table a pipe gets unless they set a width themselves.
    monkeypatch.delenv("COLUMNS", raising=False)
    (tmp_path / "state").mkdir(exist_ok=True)
