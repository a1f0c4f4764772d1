"""The two commands that open the dashboard: ``iotflow`` on a profile and ``iotflow demo``.

Both check the terminal first (a sentence instead of a traceback without one) and hold
its keys from then on (``tui.held_keys``), so what an operator types while the simulator
or the dashboard starts reaches the dashboard.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .cli_exit import EXIT_USAGE
from .config import ConfigError, Profile, load_keymap, load_profile
from .held_keys import HeldKeys
from .terminal_check import terminal_problem


def dashboard(profile: Profile, **options: Any) -> int:
    """``iotflow`` with a profile: the dashboard until the operator quits; its exit code."""
    try:
        profile.check()
    except ConfigError as error:
        print(f"iotflow: {error}", file=sys.stderr)
        return EXIT_USAGE
    problem = terminal_problem()
    if problem is not None:
        print(f"iotflow: {problem}", file=sys.stderr)
        return EXIT_USAGE
    # At once (before the launcher's imports): keys typed from here on reach the dashboard.
    keys = options.pop("held_keys", None) or HeldKeys.hold()
    try:
        from .launch import run_dashboard

        options.setdefault("keymap", load_keymap())
        return asyncio.run(run_dashboard(profile, held_keys=keys, **options))
    finally:
        if keys is not None:
            keys.release()


def demo(args: argparse.Namespace, flags: dict[str, Any]) -> int:
    """``iotflow demo``: the simulator on loopback and the dashboard on it (``flags``: the
    command line's profile settings, such as ``--refresh``)."""
    problem = terminal_problem()  # before the simulator starts and prints its settings
    if problem is not None:
        print(f"iotflow demo: {problem}", file=sys.stderr)
        return EXIT_USAGE
    keys = HeldKeys.hold()  # keys typed while the simulator starts are the dashboard's too
    try:
        return _run_demo(args, flags, keys)
    finally:
        if keys is not None:
            keys.release()


def _run_demo(args: argparse.Namespace, flags: dict[str, Any], keys: HeldKeys | None) -> int:
    from .simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Simulator, SimulatorServer
    from .simulator.cli import print_banner

    simulator = Simulator(connections=args.connections, seed=args.seed)
    with SimulatorServer(simulator) as server:
        # Stays in the terminal's scrollback: other tools (curl, `iotflow list`) can use
        # the simulator while the dashboard runs.
        print_banner(server, hint="Opening the dashboard; the simulator stops when it closes.")
        flags = dict(flags)
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
            return dashboard(profile, history_path=Path(scratch) / "history.json",
                              held_keys=keys)
