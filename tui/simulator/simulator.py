"""The Simulator: catalogue + world + tokens + faults, ready to be served over HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette

from .app import create_app
from .auth import TokenStore
from .catalogue import load_catalogue
from .clock import Clock, SystemClock
from .events import EventLog
from .faults import Faults
from .seeding import populate
from .states import DEFAULT_RETRY_SCALE
from .traffic import Traffic
from .world import World

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "Simulator"]

DEFAULT_CLIENT_ID = "demo"
DEFAULT_CLIENT_SECRET = "demo-secret"


class Simulator:
    """An in-memory IoT Flow platform driven by a clock.

    ``world`` holds the connections and their state machine, ``clock`` drives it,
    ``faults`` injects latency, errors and hangs, ``traffic`` computes metrics, ``events``
    is the event log, ``catalogue`` maps connector ids to descriptors (``catalogue.refused``:
    a sentence per connector file that was skipped). Serve it with ``SimulatorServer`` or
    mount ``sim.app`` in an ASGI client.
    ``client_id`` may be several ids (any strings, such as ``ops@example.com`` or
    ``community-api/ops@example.com``); they share ``client_secret``.
    """

    def __init__(
        self,
        *,
        connections: int = 25,
        seed: int = 0,
        connectors_dir: Path | str | None = None,
        token_ttl: float = 3600,
        clock: Clock | None = None,
        client_id: str | Sequence[str] = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        latency_ms: float = 0,
        error_rate: float = 0.0,
        retry_scale: float = DEFAULT_RETRY_SCALE,
    ) -> None:
        self.seed = seed
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.catalogue = load_catalogue(connectors_dir)
        self.faults = Faults(latency_ms=latency_ms, error_rate=error_rate, seed=seed)
        self.auth = TokenStore(self.clock, client_id, client_secret, token_ttl)
        self.world = World(self.catalogue, self.clock, seed=seed, retry_scale=retry_scale)
        populate(self.world, connections)
        self.traffic = Traffic(self.world)
        self.events = EventLog(self.world, self.traffic)
        self._app: Starlette | None = None

    @property
    def client_id(self) -> str:
        """The first account's client id."""
        return self.auth.client_id

    @property
    def client_ids(self) -> list[str]:
        return list(self.auth.accounts)

    @property
    def client_secret(self) -> str:
        return self.auth.client_secret

    @property
    def token_ttl(self) -> float:
        return self.auth.ttl

    @property
    def app(self) -> Starlette:
        """The ASGI app (built once)."""
        if self._app is None:
            self._app = create_app(self)
        return self._app

    def issue_token(self, ttl: float | None = None) -> str:
        """A valid bearer token (expires after ``ttl`` sim seconds, default token_ttl)."""
        return self.auth.issue(ttl).value
