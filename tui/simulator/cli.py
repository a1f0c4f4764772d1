"""Run the simulator in the foreground: ``python -m tui.simulator`` or ``iotflow simulate``."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tui.loopback import is_loopback

from .app import DX_CORE_PREFIX, DX_TOKEN_PATH, IOT_FLOW_PREFIX, OIDC_TOKEN_PATH
from .server import SimulatorServer
from .simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Simulator
from .token_routes import IOT_FLOW_TOKEN_PATH

__all__ = [
    "SECRET_ENV",
    "SecretError",
    "build_parser",
    "client_secret",
    "main",
    "print_banner",
    "run_simulator",
]

SECRET_ENV = "IOTFLOW_SIM_CLIENT_SECRET"


class SecretError(ValueError):
    """The client secret file cannot be read or is empty."""


def client_secret(secret_file: Path | str | None = None) -> tuple[str, str]:
    """(secret, where it came from): the file, else $IOTFLOW_SIM_CLIENT_SECRET, else the demo
    secret. Never a flag value: command lines are visible to every user of the machine."""
    if secret_file is not None:
        try:
            text = Path(secret_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretError(f"cannot read the client secret file {secret_file}: {exc}") from exc
        secret = text.rstrip("\r\n")
        if not secret:
            raise SecretError(f"the client secret file {secret_file} is empty")
        return secret, f"from {secret_file}"
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV], f"from ${SECRET_ENV}"
    return DEFAULT_CLIENT_SECRET, "the demo secret"


def print_banner(
    server: SimulatorServer,
    out: TextIO | None = None,
    *,
    hint: str = "Press Ctrl-C to stop.",
    secret_source: str | None = None,
) -> None:
    """How to reach the simulator, as lines a shell accepts when pasted as they are.

    Everything but the ``export`` lines is a comment, so pasting the whole banner into
    another terminal sets the profile, after which ``iotflow list`` works. A secret of the
    user's own (from a file or $IOTFLOW_SIM_CLIENT_SECRET) is never printed: the export
    refers to where it is, and curl reads it from a pipe, never from its command line.
    """
    sim, base = server.sim, server.base_url
    if sim.client_secret == DEFAULT_CLIENT_SECRET:
        secret_line = f"# client secret: {sim.client_secret} (the simulator's public demo secret)"
        secret_export = f"export IOTFLOW_CLIENT_SECRET={sim.client_secret}"
    elif secret_source and secret_source.startswith("from ") and "$" not in secret_source:
        path = secret_source.removeprefix("from ")
        secret_line = f"# client secret: {secret_source} (not shown)"
        secret_export = f"export IOTFLOW_CLIENT_SECRET=\"$(cat {shlex.quote(path)})\""
    else:
        # Only the simulator's shell is known to hold it. Pasted where it is not set, a plain
        # "$VAR" would export an empty secret without a word: ${VAR:?} stops and says so.
        secret_line = (f"# client secret: in ${SECRET_ENV} of the simulator's shell (not "
                       f"shown); export {SECRET_ENV} the same way in the other shell first")
        # (No quote inside the message: a shell reads quotes inside ${...} too.)
        secret_export = (f'export IOTFLOW_CLIENT_SECRET="${{{SECRET_ENV}:?is not set in this '
                         f'shell: export it first, as in the simulator shell}}"')
    client_id = shlex.quote(sim.client_id)
    others = sim.client_ids[1:]
    lines = [
        f"# IoT Flow simulator listening on {base}",
        f"#   {len(sim.world)} connections, {len(sim.catalogue)} connectors, seed {sim.seed}"
        + _refused_note(sim),
        f"# client id: {sim.client_id}",
        *(f"#   also: {other}" for other in others),
        secret_line,
        f"# token endpoints: {OIDC_TOKEN_PATH},",
        f"#   {IOT_FLOW_TOKEN_PATH}, {IOT_FLOW_TOKEN_PATH}Swagger,",
        f"#   {DX_TOKEN_PATH} (also without /thingpark/dx)",
        f"# OpenAPI description: {base}{IOT_FLOW_PREFIX}/openapi.json",
        "#",
        "# Paste these lines into another shell, then run `iotflow list` or `iotflow`:",
        "# (IoT Flow v1 with an OpenID Connect service account)",
        f"export IOTFLOW_URL={base}{IOT_FLOW_PREFIX}",
        f"export IOTFLOW_TOKEN_URL={base}{OIDC_TOKEN_PATH}",
        f"export IOTFLOW_CLIENT_ID={client_id}",
        "export IOTFLOW_FLAVOUR=iot-flow",
        "export IOTFLOW_AUTH=oidc",
        secret_export,
        "#",
        "# DX Core with a legacy DX Admin token instead: the same, with",
        f"#   export IOTFLOW_URL={base}{DX_CORE_PREFIX}",
        f"#   export IOTFLOW_TOKEN_URL={base}{DX_TOKEN_PATH}",
        "#   export IOTFLOW_FLAVOUR=dx-core IOTFLOW_AUTH=dx-admin",
        "#",
        "# With curl (the secret goes through a pipe, not the command line):",
        "#   TOKEN=$(printf %s \"$IOTFLOW_CLIENT_SECRET\" | curl -s "
        "--data-urlencode client_secret@- "
        f"-d grant_type=client_credentials --data-urlencode client_id={client_id} "
        f"{base}{OIDC_TOKEN_PATH} "
        "| python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f'#   curl -s -H "Authorization: Bearer $TOKEN" {base}{IOT_FLOW_PREFIX}/connections',
        "#",
        f"# {hint}",
    ]
    # (sys.stdout as it is now, not as it was at import: tests and wrappers replace it)
    print("\n".join(lines), file=sys.stdout if out is None else out, flush=True)


def _refused_note(sim: Simulator) -> str:
    refused = len(sim.catalogue.refused)
    if not refused:
        return ""
    return f" ({refused} connector file{'s' if refused > 1 else ''} refused, see stderr)"


def run_simulator(
    host: str = "127.0.0.1",
    port: int = 8080,
    connections: int = 25,
    seed: int = 0,
    connectors_dir: Path | str | None = None,
    token_ttl: float = 3600,
    latency_ms: float = 0,
    error_rate: float = 0.0,
    *,
    client_ids: Sequence[str] = (),
    secret_file: Path | str | None = None,
    stop_event: threading.Event | None = None,
    out: TextIO = sys.stdout,
) -> None:
    """Serve the simulator in the foreground until Ctrl-C (or ``stop_event`` is set).

    Accounts: every id of ``client_ids`` (default ``demo``), all with one secret taken from
    ``secret_file``, else $IOTFLOW_SIM_CLIENT_SECRET, else ``demo-secret``.
    """
    secret, secret_source = client_secret(secret_file)
    if not is_loopback(host):
        print(
            f"WARNING: binding {host}, not a loopback address: anyone who can reach this "
            "machine can use the simulator and its demo credentials.",
            file=sys.stderr,
            flush=True,
        )
    sim = Simulator(
        connections=connections,
        seed=seed,
        connectors_dir=connectors_dir,
        token_ttl=token_ttl,
        client_id=list(client_ids) or DEFAULT_CLIENT_ID,
        client_secret=secret,
        latency_ms=latency_ms,
        error_rate=error_rate,
    )
    # Files of the connector folder that cannot be served: said once, by name, before the
    # banner; the simulator serves the rest.
    for sentence in sim.catalogue.refused:
        print(f"warning: {sentence}", file=sys.stderr, flush=True)
    server = SimulatorServer(sim, host=host, port=port)
    server.start()
    try:
        print_banner(server, out, secret_source=secret_source)
        event = stop_event or threading.Event()
        while not event.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("\nStopping the simulator.", file=out, flush=True)
    finally:
        server.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tui.simulator", description="Run the embedded IoT Flow simulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free port)")
    parser.add_argument("--connections", type=int, default=25, help="seeded connections")
    parser.add_argument("--seed", type=int, default=0, help="seed of data and incidents")
    parser.add_argument("--connectors-dir", type=Path, default=None, help="descriptor folder")
    parser.add_argument("--token-ttl", type=float, default=3600, help="token lifetime, s")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay every answer")
    parser.add_argument("--error-rate", type=float, default=0.0, help="fraction of 500s")
    add_account_arguments(parser)
    return parser


def add_account_arguments(parser: argparse.ArgumentParser) -> None:
    """--client-id (repeatable) and --client-secret-file, shared with ``iotflow sim``."""
    parser.add_argument(
        "--client-id",
        dest="client_ids",
        action="append",
        default=[],
        metavar="ID",
        help="an account's client id, any text (repeatable; default demo)",
    )
    parser.add_argument(
        "--client-secret-file",
        dest="secret_file",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"file holding the accounts' secret (else ${SECRET_ENV}, else demo-secret)",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        client_secret(args.secret_file)
    except SecretError as exc:
        print(f"python -m tui.simulator: {exc}", file=sys.stderr)
        return 2
    run_simulator(
        host=args.host,
        port=args.port,
        connections=args.connections,
        seed=args.seed,
        connectors_dir=args.connectors_dir,
        token_ttl=args.token_ttl,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        client_ids=args.client_ids,
        secret_file=args.secret_file,
    )
    return 0
