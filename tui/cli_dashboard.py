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
    problem = _demo_refuses(flags) or terminal_problem()  # before the simulator starts
    if problem is not None:
        print(f"iotflow demo: {problem}", file=sys.stderr)
        return EXIT_USAGE
    keys = HeldKeys.hold()  # keys typed while the simulator starts are the dashboard's too
    try:
        return _run_demo(args, flags, keys)
    finally:
        if keys is not None:
            keys.release()


def _demo_refuses(flags: dict[str, Any]) -> str | None:
    """Why the demo cannot do what the command line asks, or None."""
    aimed = [f"--{name.replace('_', '-')}" for name in ("profile", "url", "token_url", "client_id")
             if flags.get(name)]
    if aimed:
        return (f"{', '.join(aimed)} aims at a platform, but the demo runs its own simulator: "
                "run `iotflow` (or `iotflow dashboard`) with them instead.")
    if flags.get("auth") == "token":
        return ("--auth token needs a token of yours; the demo's simulator hands them out: "
                "use --auth oidc or --auth dx-admin.")
    return None


def _run_demo(args: argparse.Namespace, flags: dict[str, Any], keys: HeldKeys | None) -> int:
    from .simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Simulator, SimulatorServer
    from .simulator.app import DX_CORE_PREFIX, DX_TOKEN_PATH, IOT_FLOW_PREFIX, OIDC_TOKEN_PATH
    from .simulator.cli import print_banner

    simulator = Simulator(connections=args.connections, seed=args.seed)
    with SimulatorServer(simulator) as server:
        # Stays in the terminal's scrollback: other tools (curl, `iotflow list`) can use
        # the simulator while the dashboard runs.
        print_banner(server, hint="Opening the dashboard; the simulator stops when it closes.")
        flags = dict(flags)
        flags.pop("profile", None)
        # The simulator serves both flavours and both ways to a token: the demo takes
        # the ones asked for (DX Core pages its lists, so --flavour dx-core shows paging).
        flavour = flags.get("flavour") or "iot-flow"
        auth = flags.get("auth") or "oidc"
        flags.update(
            name="demo (simulator)",
            url=server.base_url + (DX_CORE_PREFIX if flavour == "dx-core" else IOT_FLOW_PREFIX),
            flavour=flavour,
            auth=auth,
            token_url=server.base_url + (DX_TOKEN_PATH if auth == "dx-admin" else OIDC_TOKEN_PATH),
            client_id=DEFAULT_CLIENT_ID,
        )
        env = {"IOTFLOW_CLIENT_SECRET": DEFAULT_CLIENT_SECRET}
        profile = load_profile(flags, env=env, path=Path(os.devnull))
        # The simulator starts afresh each time: so does the demo's state history.
        with tempfile.TemporaryDirectory(prefix="iotflow-demo-") as scratch:
            return dashboard(profile, history_path=Path(scratch) / "history.json",
                              held_keys=keys)
