"""The command line of ``events``, ``metrics`` and ``restart`` (tui/cli_flow.py runs them).

Apart from the commands themselves, so that building the ``iotflow`` parser imports
neither the tables nor the flow rules: every command builds it, ``list`` before it asks
the platform anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .flow import EVENT_LEVELS

__all__ = ["FLOW_COMMANDS", "add_flow_commands"]

FLOW_COMMANDS = ("events", "metrics", "restart")


def add_flow_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``events``, ``metrics`` and ``restart`` to the ``iotflow`` sub-parsers."""
    events = sub.add_parser("events", parents=[common], help="print the platform's event log")
    events.add_argument("--connection", "-c", metavar="ID", help="only this connection's events")
    events.add_argument("--since", default="1h", help="duration (30m, 1h, 2d) or ISO date-time")
    events.add_argument("--until", help="duration ago or ISO date-time (default: now)")
    events.add_argument("--level", choices=EVENT_LEVELS, type=str.lower,
                        help="this level and worse (e.g. warn: warn and error)")  # fmt: skip
    events.add_argument("--grep", "-q", dest="text", help="only events containing this text")
    events.add_argument("--follow", "-f", action="store_true",
                        help="keep polling and print new events until interrupted")  # fmt: skip
    events.add_argument("--output", "-o", choices=["table", "json", "jsonl"], default="table")

    metrics = sub.add_parser("metrics", parents=[common], help="print every connection's metrics")
    metrics.add_argument("--output", "-o", choices=["table", "json", "prometheus"], default="table")
    metrics.add_argument("--file", type=Path, metavar="PATH",
                         help="write to PATH atomically (temporary file, then rename)")  # fmt: skip

    restart = sub.add_parser("restart", parents=[common], help="restart one connection")
    restart.add_argument("id", help="the connection's id")
    restart.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
