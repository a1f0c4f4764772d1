"""The ``iotflow`` command line.

``iotflow`` opens the dashboard; ``demo`` opens it against an embedded simulator;
``sim`` serves the simulator; ``list``, ``status``, ``info`` and ``alarms`` are headless and
never import Textual, so they start fast and run from cron on a machine without a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .api.errors import ApiError
from .cli_args import health_name, positive_seconds
from .cli_exit import (
    EXIT_ERROR,
    EXIT_INIT,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    end_process,
    reader_gone,
)
from .cli_flow_args import FLOW_COMMANDS, add_flow_commands
from .cli_info import info
from .cli_listing import fetch_listing
from .config import ConfigError, Profile, load_profile, make_client
from .connections import gc_paused
from .terminal_text import terminal_safe

__all__ = ["EXIT_ERROR", "EXIT_INIT", "EXIT_OK", "EXIT_UNAVAILABLE", "EXIT_USAGE",
           "build_parser", "main", "run"]


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
    add("--timeout", type=positive_seconds, default=default,
        help="seconds before a call is too slow (more than 0)")


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
        "demo", parents=[common], help="open the dashboard against an embedded simulator",
        description="Start the simulator on loopback and open the dashboard on it; both stop "
        "together. --flavour dx-core reads the paged DX Core lists, --auth dx-admin gets its "
        "tokens from the legacy DX Admin endpoint. --profile, --url, --token-url and "
        "--client-id aim at a platform: they are for `iotflow` itself.",
    )
    demo.add_argument("--connections", type=int, default=25,
                      help="how many connections the simulator holds (default 25)")
    demo.add_argument("--seed", type=int, default=0,
                      help="the simulator's seed: the same seed, the same fleet (default 0)")

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
    # Accounts: any client ids (e-mail addresses, "<profile>-api/<login>"); their one secret
    # comes from a file or $IOTFLOW_SIM_CLIENT_SECRET, never from the command line.
    sim.add_argument("--client-id", dest="client_ids", action="append", default=[],
                     metavar="ID", help="an account's client id (repeatable; default demo)")
    sim.add_argument("--client-secret-file", dest="secret_file", type=Path, default=None,
                     metavar="PATH", help="file holding the accounts' secret")

    listing = sub.add_parser(
        "list", parents=[common], help="print connections",
        description="Print connections. -o wide adds time in state, flags and alarms; "
        "-o json prints a JSON array, one connection per line with health, time in state "
        "and flags; -o jsonl the same objects as JSON Lines (one object a line).")
    listing.add_argument("--output", "-o", choices=["table", "wide", "json", "jsonl"],
                         default="table")
    listing.add_argument("--state", type=_usage_state,
                         help="only this state, any case: UNREACHABLE, "
                         "auth_failed (AUTHENTICATION_FAILED), ...")
    listing.add_argument("--health", type=health_name, metavar="HEALTH",
                         help="only this health, any case: ACTIVE, INIT, ERROR, DEACTIVATED")
    listing.add_argument("--flags", action="store_true",
                         help="add the FLAGS column (STUCK, FLAP, ALARM, SILENT, LOSS, LOW; "
                         "fetches metrics too); with -o json, SILENT, LOSS and LOW in flags")

    status = sub.add_parser(
        "status", parents=[common],
        help="one line per unhealthy connection (also STUCK, FLAP, SILENT, LOSS, LOW), then "
        "Nagios perfdata after |; exit 0 ok, 1 INIT/STUCK/SILENT/LOSS/LOW, 2 ERROR, "
        "3 unreachable",
    )
    status.add_argument("--quiet", "-q", action="store_true", help="print nothing; exit code only")
    status.epilog = ("--timeout N bounds the whole run (token, list and retries): "
                     "after N seconds status says UNAVAILABLE and exits 3.")

    sub.add_parser("info", parents=[common], help="where settings come from, and the profile")

    alarms = sub.add_parser(
        "alarms", parents=[common], help="a connection's alarm windows, or them as iCalendar"
    )
    alarms.add_argument("id", help="the connection's id")
    alarms.add_argument(
        "--ics", action="store_true", help="write an iCalendar file to stdout (> alarms.ics)"
    )
    add_flow_commands(sub, common)
    return parser


def run() -> None:
    """The ``iotflow`` command as scripts installed before ``tui.cli_start`` start it (the
    entry point is now ``tui.cli_start.run``, which loads this module without the garbage
    collector; a copy installed earlier keeps working until it is reinstalled)."""
    sys.exit(main(end_at_once=True))


def main(argv: Sequence[str] | None = None, *, end_at_once: bool = False) -> int:
    """Run one command; its exit code.

    ``end_at_once`` (the ``iotflow`` command, never a caller in the same process): a
    headless command ends the process as soon as its output is written (``end_process``);
    the dashboard, ``demo`` and ``sim`` return as usual.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    args.end_at_once = end_at_once
    command = args.command or "dashboard"
    # Each command imports its own module as it starts: none waits for the others'
    # (``list`` sends its request before it imports even its own printing side).
    try:
        if command == "sim":
            return _sim(args)
        if command == "demo":
            from .cli_dashboard import demo

            return demo(args, _profile_flags(args))
        profile = load_profile(_profile_flags(args))
        for warning in profile.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if command == "dashboard":
            from .cli_dashboard import dashboard

            return dashboard(profile)
        code = _headless(command, profile, args)
        if end_at_once:
            end_process(code)
        return code
    except ConfigError as error:
        print(f"iotflow: {error}", file=sys.stderr)
        return (EXIT_UNAVAILABLE if command in ("status", "list", "alarms", *FLOW_COMMANDS)
                else EXIT_USAGE)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`iotflow list | head`): not an error of ours, and every
        # command that gets here had nothing left but output, so it is done (status keeps
        # its health code itself). See tui/cli_exit.py for why never 141.
        reader_gone()
        return EXIT_OK


def _headless(command: str, profile: Profile, args: argparse.Namespace) -> int:
    if command == "info":
        return info(profile)
    if command in ("list", "status"):
        # One listing, read and printed once: its items, connections, rows and records
        # make no reference cycles, and the collections their allocations trigger would
        # walk the whole growing heap again and again (10-20 ms at 10,000 connections).
        with gc_paused():
            if command == "list":
                return asyncio.run(_list(profile, args))
            from .cli_list import status

            return asyncio.run(status(profile, args))
    if command == "alarms":
        return asyncio.run(_alarms(profile, args))
    from .cli_flow import run_flow_command

    return run_flow_command(command, profile, args)


# -- headless commands ---------------------------------------------------------------


def _usage_state(text: str) -> str:
    """``--state`` as argparse reads it: an unknown state is a usage error (exit 2)."""
    # Imported when --state is given: the state names come with the board, which a
    # listing without --state imports only once its request is out (see _list).
    from .cli_report import UnknownState, parse_state

    try:
        return parse_state(text)
    except UnknownState as error:
        raise argparse.ArgumentTypeError(terminal_safe(str(error))) from None


async def _list(profile: Profile, args: argparse.Namespace) -> int:
    """``list``: the requests go out first, and what reads and prints the answer (the
    board, the tables, the JSON encoder: about 20 ms of imports, the answer's decoder,
    the dashboard's history file) is imported, built and read while the platform
    computes it, instead of before asking."""
    client = make_client(profile, once=True)
    sent = asyncio.Event()
    client.on_request_out = sent.set
    # The flow flags (SILENT, LOSS, LOW) need metrics; only fetched when flags are shown.
    fetching = asyncio.ensure_future(
        fetch_listing(profile, client, metrics=args.output == "wide" or args.flags))
    waiting = asyncio.ensure_future(sent.wait())
    await asyncio.wait((fetching, waiting), return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()  # (or the listing failed before asking: its error is said below)
    from .cli_list import fail, prepare_printing, print_listing

    history = prepare_printing(profile)
    try:
        listing = await fetching
    except ApiError as error:
        fail(error.user_message)
        return EXIT_UNAVAILABLE
    return print_listing(profile, args, listing, history)


async def _alarms(profile: Profile, args: argparse.Namespace) -> int:
    """``iotflow alarms ID``: each alarm and its next windows; ``--ics``: the calendar file."""
    # Only this command needs them: icalendar alone takes 50 ms to import, which every
    # other command (list, status from cron) would pay for nothing.
    from .alarms.display import alarm_detail_lines
    from .alarms.ics import alarms_calendar
    from .cli_flow import exit_code_of

    try:
        async with make_client(profile) as client:
            connection = await client.get_connection(args.id)
    except ApiError as error:
        # No such id is 4, as for restart and events; 3 is for an API that did not answer.
        print(f"iotflow: {terminal_safe(error.user_message)}", file=sys.stderr)
        return exit_code_of(error)
    now = datetime.now(UTC)
    if not args.ics:
        # Names and messages come from the server: shown inert, never as terminal controls.
        print(terminal_safe(f"{connection.name} ({connection.id})"))
        for line in alarm_detail_lines(connection.alarms, now, None, n=5):
            print(terminal_safe(line))
        return EXIT_OK
    calendar = alarms_calendar(
        connection.alarms, connection_id=connection.id, name=connection.name, stamp=now
    )
    for sentence in calendar.skipped:
        print(terminal_safe(f"warning: {sentence}"), file=sys.stderr)
    if not calendar.events:
        print(terminal_safe(f"warning: {connection.name} has no alarm to export."), file=sys.stderr)
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)  # bytes as built: CRLF line ends, UTF-8
    if binary is not None:
        binary.write(calendar.data)
        binary.flush()
    else:
        sys.stdout.write(calendar.data.decode())
    return EXIT_OK


# -- simulator and dashboard ---------------------------------------------------------


def _sim(args: argparse.Namespace) -> int:
    from .simulator import CatalogueError
    from .simulator.cli import SecretError, run_simulator

    try:
        _run_sim(run_simulator, args)
    except (CatalogueError, SecretError) as error:
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
        client_ids=args.client_ids,
        secret_file=args.secret_file,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
