"""The ``iotflow`` command line.

``iotflow`` opens the dashboard; ``demo`` opens it against an embedded simulator;
``sim`` serves the simulator; ``list``, ``status`` and ``info`` are headless and never
import Textual, so they start fast and run from cron on a machine without a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .api import ApiError, Connection, short_connector_name
from .api.errors import Unauthenticated, Unreachable
from .config import (
    ConfigError,
    Profile,
    config_path,
    load_keymap,
    load_profile,
    make_client,
    state_dir,
)
from .health import HEALTH_ORDER, Health, count_by_health, health_of
from .timefmt import format_duration, format_local

EXIT_OK, EXIT_INIT, EXIT_ERROR, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_USAGE = 64


def _profile_flags(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "profile": args.profile,
        "url": args.url,
        "token_url": args.token_url,
        "client_id": args.client_id,
        "flavour": args.flavour,
        "auth": args.auth,
        "read_only": True if args.read_only else None,
        "refresh_interval": args.refresh,
        "timeout": args.timeout,
    }


def _add_profile_options(parser: argparse.ArgumentParser, default: Any) -> None:
    add = parser.add_argument
    add("--profile", default=default, help="profile name in the config file")
    add("--url", default=default, help="API base URL (or platform URL)")
    add("--token-url", dest="token_url", default=default, help="OAuth2 token endpoint")
    add("--client-id", dest="client_id", default=default, help="OAuth2 client id")
    add("--flavour", "--flavor", default=default, choices=["iot-flow", "dx-core"])
    add("--auth", default=default, choices=["oidc", "dx-admin", "token"])
    add("--read-only", action="store_true", default=default or False,
        help="refuse every change")
    add("--refresh", type=float, default=default, help="seconds between polls (min 2)")
    add("--timeout", type=float, default=default, help="seconds before a call is too slow")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iotflow",
        description="Terminal dashboard for ThingPark X IoT Flow connections.",
        epilog="Secrets are read from the environment or the config file, never from flags.",
    )
    parser.add_argument("--version", action="version", version=f"iotflow {__version__}")
    # Profile options work before or after the command: `iotflow --profile p list` and
    # `iotflow list --profile p`. On commands they default to SUPPRESS so they never
    # overwrite a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    _add_profile_options(common, argparse.SUPPRESS)
    _add_profile_options(parser, None)

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("dashboard", parents=[common], help="open the dashboard (the default)")

    demo = sub.add_parser(
        "demo", parents=[common], help="open the dashboard against an embedded simulator"
    )
    demo.add_argument("--connections", type=int, default=25)
    demo.add_argument("--seed", type=int, default=0)

    sim = sub.add_parser("sim", help="serve the IoT Flow simulator until interrupted")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8080)
    sim.add_argument("--connections", type=int, default=25)
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--connectors", type=Path, help="directory of connector descriptors")
    sim.add_argument("--token-ttl", dest="token_ttl", type=float, default=3600.0)
    sim.add_argument("--latency", type=float, default=0.0, help="milliseconds added per answer")
    sim.add_argument("--error-rate", dest="error_rate", type=float, default=0.0,
                     help="fraction of API answers that fail with 500 (0..1)")

    listing = sub.add_parser("list", parents=[common], help="print connections")
    listing.add_argument("--output", "-o", choices=["table", "json"], default="table")
    listing.add_argument("--state", help="only this state (e.g. UNREACHABLE)")
    listing.add_argument("--health", choices=[h.value for h in Health], type=str.upper)

    status = sub.add_parser(
        "status", parents=[common],
        help="one line per unhealthy connection; exit 0 ok, 1 INIT, 2 ERROR, 3 unreachable",
    )
    status.add_argument("--quiet", "-q", action="store_true", help="print nothing; exit code only")

    sub.add_parser("info", parents=[common], help="where settings come from, and the profile")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "dashboard"
    try:
        if command == "sim":
            return _sim(args)
        if command == "demo":
            return _demo(args)
        profile = load_profile(_profile_flags(args))
        for warning in profile.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if command == "info":
            return _info(profile)
        if command == "list":
            return asyncio.run(_list(profile, args))
        if command == "status":
            return asyncio.run(_status(profile, args))
        return _dashboard(profile)
    except ConfigError as error:
        print(f"iotflow: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE if command in ("status", "list") else EXIT_USAGE
    except KeyboardInterrupt:
        return 130


# -- headless commands ---------------------------------------------------------------


async def _fetch(profile: Profile) -> list[Connection]:
    async with make_client(profile) as client:
        return await client.list_connections()


def _since(moment: datetime | None, now: datetime) -> str:
    return format_duration(now - moment) if moment else "-"


def _rows(connections: list[Connection], now: datetime) -> list[list[str]]:
    rows = []
    for c in connections:
        health = health_of(c.state, c.active)
        started = format_local(c.startup_time)
        uptime = _since(c.startup_time, now) if c.state == "OPENED" else "-"
        rows.append([health.value, c.state or "?", c.name, short_connector_name(c.connector_id),
                     c.id, "yes" if c.active else "no", started, uptime])
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


async def _list(profile: Profile, args: argparse.Namespace) -> int:
    try:
        connections = await _fetch(profile)
    except ApiError as error:
        print(f"iotflow: {error.user_message}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if args.state:
        connections = [c for c in connections if (c.state or "").upper() == args.state.upper()]
    if args.health:
        connections = [c for c in connections if health_of(c.state, c.active) == args.health]
    if args.output == "json":
        json.dump([c.to_api() for c in connections], sys.stdout, indent=2)
        print()
        return EXIT_OK
    now = datetime.now(UTC)
    header = ["HEALTH", "STATE", "NAME", "CONNECTOR", "ID", "ACTIVE", "STARTED", "UPTIME"]
    print(_table(header, _rows(connections, now)))
    return EXIT_OK


def status_exit_code(connections: list[Connection]) -> int:
    healths = {health_of(c.state, c.active) for c in connections}
    if Health.ERROR in healths:
        return EXIT_ERROR
    if Health.INIT in healths:
        return EXIT_INIT
    return EXIT_OK


async def _status(profile: Profile, args: argparse.Namespace) -> int:
    try:
        connections = await _fetch(profile)
    except (Unreachable, Unauthenticated, ApiError) as error:
        if not args.quiet:
            print(f"UNAVAILABLE {error.user_message}")
        return EXIT_UNAVAILABLE
    now = datetime.now(UTC)
    if not args.quiet:
        for c in connections:
            health = health_of(c.state, c.active)
            if health in (Health.ACTIVE, Health.DEACTIVATED):
                continue
            print(f"{health.value:<6} {c.state or '?':<22} {c.id:>6}  {c.name}"
                  f"  ({short_connector_name(c.connector_id)})")
        counts = count_by_health((c.state, c.active) for c in connections)
        summary = "  ".join(f"{h.value} {counts[h]}" for h in HEALTH_ORDER)
        print(f"{len(connections)} connections at {now:%Y-%m-%d %H:%M:%SZ}: {summary}")
    return status_exit_code(connections)


def _info(profile: Profile) -> int:
    path = config_path()
    print(f"config file   {path} ({'present' if path.exists() else 'absent'})")
    print(f"state dir     {state_dir()}")
    print(f"profile       {profile.name}")
    print(f"API URL       {profile.api_url or '(not set)'}")
    print(f"flavour       {profile.flavour}")
    print(f"auth          {profile.auth}")
    if profile.auth != "token":
        print(f"token URL     {profile.resolved_token_url if profile.url else '(not set)'}")
        print(f"client id     {profile.client_id or '(not set)'}")
        source = profile.client_secret_env or "IOTFLOW_CLIENT_SECRET"
        print(f"secret        {'set' if profile.client_secret else 'missing'} (from {source} "
              "or the config file)")
    print(f"read-only     {'yes' if profile.read_only else 'no'}")
    print(f"refresh       {profile.refresh_interval:g} s")
    return EXIT_OK


# -- simulator and dashboard ---------------------------------------------------------


def _sim(args: argparse.Namespace) -> int:
    from .simulator import CatalogueError
    from .simulator.cli import run_simulator

    try:
        _run_sim(run_simulator, args)
    except CatalogueError as error:
        print(f"iotflow sim: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:  # the port is taken, or the address cannot be bound
        print(f"iotflow sim: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _run_sim(run_simulator: Any, args: argparse.Namespace) -> None:
    run_simulator(
        host=args.host,
        port=args.port,
        connections=args.connections,
        seed=args.seed,
        connectors_dir=args.connectors,
        token_ttl=args.token_ttl,
        latency_ms=args.latency,
        error_rate=args.error_rate,
    )


def _dashboard(profile: Profile, **options: Any) -> int:
    try:
        profile.check()
    except ConfigError as error:
        print(f"iotflow: {error}", file=sys.stderr)
        return EXIT_USAGE
    from .launch import run_dashboard

    options.setdefault("keymap", load_keymap())
    return asyncio.run(run_dashboard(profile, **options)) or EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from .simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Simulator, SimulatorServer
    from .simulator.cli import print_banner

    simulator = Simulator(connections=args.connections, seed=args.seed)
    with SimulatorServer(simulator) as server:
        # Stays in the terminal's scrollback: other tools (curl, `iotflow list`) can use
        # the simulator while the dashboard runs.
        print_banner(server, hint="Opening the dashboard; the simulator stops when it closes.")
        flags = _profile_flags(args)
        flags.pop("profile", None)
        flags.update(
            name="demo (simulator)",
            url=server.base_url + "/iot-flow/v1",
            flavour="iot-flow",
            auth="oidc",
            token_url=server.base_url + "/users-auth/protocol/openid-connect/token",
            client_id=DEFAULT_CLIENT_ID,
        )
        env = {"IOTFLOW_CLIENT_SECRET": DEFAULT_CLIENT_SECRET}
        profile = load_profile(flags, env=env, path=Path(os.devnull))
        # The simulator starts afresh each time: so does the demo's state history.
        with tempfile.TemporaryDirectory(prefix="iotflow-demo-") as scratch:
            return _dashboard(profile, history_path=Path(scratch) / "history.json")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
