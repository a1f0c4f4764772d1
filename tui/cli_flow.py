"""Headless data-flow commands: ``events``, ``metrics``, ``restart``; the flow part of ``status``.

Never imports Textual (a test checks it), so these start fast and run from cron or a
node exporter's textfile job.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from .api import ApiError, Connection, short_connector_name
from .api.errors import Forbidden, NotFound, ValidationFailed
from .cli_table import StatusLine, output_width, render
from .config import Profile, make_client
from .flow import ConnectionMetrics, Event, level_rank
from .flow_health import alarm_minimum, flow_flags
from .health import Health, health_of
from .readonly import refusal_notice
from .terminal_text import terminal_safe

__all__ = [
    "FlowStatus",
    "flow_status",
    "flow_status_of",
    "parse_moment",
    "prometheus_text",
    "run_flow_command",
]

EXIT_OK, EXIT_ERROR, EXIT_UNAVAILABLE, EXIT_USAGE = 0, 2, 3, 64
EXIT_BAD_ARGUMENTS = 2
"""A value on the command line iotflow cannot use: argparse's own usage-error code."""
EXIT_REFUSED = 4
"""The platform answered and refused: no such connection (404), not allowed (403), or not
in a state for it (400/409, e.g. restarting a deactivated connection). Distinct from 3,
which ``status`` and every command use for "the API could not be reached or asked"."""
_pause = asyncio.sleep
"""How ``--follow`` waits between polls (tests replace it to move the simulator's clock)."""
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_moment(text: str, now: datetime) -> datetime:
    """``30m``, ``1h``, ``2d`` (that long before ``now``) or an ISO-8601 date-time.

    A date-time without an offset is read as UTC. Raises ValueError with a sentence.
    """
    match = _DURATION.match(text)
    if match:
        return now - timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match[2].lower()])
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"'{text}' is neither a duration (30m, 1h, 2d) nor a date-time "
            "(2026-11-28T09:00:00+01:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_flow_command(command: str, profile: Profile, args: argparse.Namespace) -> int:
    runner = {"events": _events, "metrics": _metrics, "restart": _restart}[command]
    try:
        return asyncio.run(runner(profile, args))
    except ApiError as error:
        print(f"iotflow: {terminal_safe(error.user_message)}", file=sys.stderr)
        return exit_code_of(error)


def exit_code_of(error: ApiError) -> int:
    """4 when the platform refused (see EXIT_REFUSED), else 3 (unreachable, too slow,
    credentials refused, a server error): a script can tell "fix the request" from "try
    again later"."""
    return EXIT_REFUSED if isinstance(error, NotFound | Forbidden | ValidationFailed) else (
        EXIT_UNAVAILABLE)


# -- events -----------------------------------------------------------------------------------
def event_line(event: Event, names: dict[str, str]) -> str:
    when = event.time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if event.time else "?"
    who = event.connection_id or "-"
    name = names.get(who, "")
    where = f"{who} {name}".strip()
    return terminal_safe(
        f"{when}  {event.level.upper():<5}  {event.code:<9}  {where}: {event.message}"
    )


def _keep(event: Event, level: str | None) -> bool:
    return level is None or event.rank >= level_rank(level)


async def _events(profile: Profile, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    try:
        since = parse_moment(args.since, now)
        until = parse_moment(args.until, now) if args.until else None
    except ValueError as error:
        print(f"iotflow events: error: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    async with make_client(profile) as client:
        names = {c.id: c.name for c in await client.list_connections()}
        found = await client.events(
            since=since, until=until, connection_id=args.connection, text=args.text
        )
        shown = sorted((e for e in found if _keep(e, args.level)), key=_time_key)
        _print_events(shown, args.output, names, sys.stdout, whole=not args.follow)
        if not shown:
            # An empty answer must not read as "the command did nothing".
            print(f"iotflow: {no_events_sentence(args, names)}", file=sys.stderr)
            if args.connection and args.connection not in names:
                # No such connection, and no event left by one deleted: nothing can come
                # (ids are the platform's to give), so not-found, as alarms and restart.
                return EXIT_REFUSED
        if not args.follow:
            return EXIT_OK
        seen = {_identity(e) for e in found}
        last = max((e.time for e in found if e.time), default=since)
        try:
            while True:
                await _pause(profile.refresh_interval)
                try:
                    fresh = await client.events(
                        since=last, connection_id=args.connection, text=args.text
                    )
                except ApiError as error:
                    # The platform blinked: say so once per failure and keep following.
                    print(f"iotflow: {terminal_safe(error.user_message)}", file=sys.stderr)
                    continue
                new = [e for e in fresh if _identity(e) not in seen]
                seen.update(_identity(e) for e in new)
                last = max((e.time for e in new if e.time), default=last)
                new = sorted((e for e in new if _keep(e, args.level)), key=_time_key)
                _print_events(new, args.output, names, sys.stdout, whole=False)
        except (KeyboardInterrupt, asyncio.CancelledError):
            return EXIT_OK


def no_events_sentence(args: argparse.Namespace, names: dict[str, str]) -> str:
    """``no event for connection 999 in the last 1h (no connection has that id)``."""
    what = "no event"
    if args.level:
        what += f" at level {args.level} or worse"
    if args.connection:
        what += f" for connection {args.connection}"
    if args.text:
        what += f" containing {args.text!r}"
    if args.until:
        what += f" between {args.since} and {args.until}"
    elif _DURATION.match(args.since):
        what += f" in the last {args.since.strip()}"
    else:
        what += f" since {args.since}"
    if args.connection and args.connection not in names:
        what += " (no connection has that id)"
    elif args.follow:
        what += "; waiting for new ones (Ctrl-C stops)"
    return terminal_safe(what + ".")


def _time_key(event: Event) -> datetime:
    return event.time or datetime.min.replace(tzinfo=UTC)


def _identity(event: Event) -> tuple:
    return (event.time, event.code, event.connection_id, event.message)


def _print_events(
    events: Sequence[Event], output: str, names: dict[str, str], out: IO[str], *, whole: bool
) -> None:
    if output == "json" and whole:
        json.dump([e.to_api() for e in events], out, indent=2)
        out.write("\n")
    elif output in ("json", "jsonl"):
        for event in events:
            out.write(json.dumps(event.to_api()) + "\n")
    else:
        for event in events:
            out.write(event_line(event, names) + "\n")
    out.flush()


# -- metrics ----------------------------------------------------------------------------------
PROMETHEUS_SERIES: tuple[tuple[str, str, str], ...] = (
    ("uplinks_1h", "iotflow_uplinks_last_1h", "Uplinks delivered in the last hour"),
    ("uplinks_24h", "iotflow_uplinks_last_24h", "Uplinks delivered in the last 24 hours"),
    ("uplinks_failed_1h", "iotflow_uplinks_failed_last_1h", "Uplinks that failed in the last hour"),
    ("uplinks_failed_24h", "iotflow_uplinks_failed_last_24h", "Uplinks that failed in 24 hours"),
    ("uplinks_lost_1h", "iotflow_uplinks_lost_last_1h", "Uplinks lost in the last hour"),
    ("uplinks_lost_24h", "iotflow_uplinks_lost_last_24h", "Uplinks lost in the last 24 hours"),
    ("downlinks_1h", "iotflow_downlinks_last_1h", "Downlinks delivered in the last hour"),
    ("downlinks_24h", "iotflow_downlinks_last_24h", "Downlinks delivered in the last 24 hours"),
    ("downlinks_failed_1h", "iotflow_downlinks_failed_last_1h", "Downlinks failed, last hour"),
    ("downlinks_failed_24h", "iotflow_downlinks_failed_last_24h", "Downlinks failed, 24 hours"),
    ("downlinks_lost_1h", "iotflow_downlinks_lost_last_1h", "Downlinks lost in the last hour"),
    ("downlinks_lost_24h", "iotflow_downlinks_lost_last_24h", "Downlinks lost in 24 hours"),
    ("active_things_1h", "iotflow_active_things_last_1h", "Devices seen in the last hour"),
    ("active_things_24h", "iotflow_active_things_last_24h", "Devices seen in the last 24 hours"),
    ("lag", "iotflow_lag_messages", "Messages waiting on the connection's Kafka topic"),
)


def _label(value: str) -> str:
    """A Prometheus label value: backslash, double quote and newline escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def prometheus_text(metrics: Sequence[ConnectionMetrics], connections: Sequence[Connection]) -> str:
    """The text exposition format: HELP and TYPE per metric, one gauge per connection.

    Counters are windows ("last hour"), not ever-growing totals, so they are gauges.
    A figure the platform does not report is left out rather than written as 0.
    """
    by_id = {c.id: c for c in connections}
    lines: list[str] = []
    for attr, name, help_text in PROMETHEUS_SERIES:
        lines.append(f"# HELP {name} {help_text}.")
        lines.append(f"# TYPE {name} gauge")
        for m in metrics:
            value = getattr(m, attr)
            if value is None:
                continue
            conn = by_id.get(m.connection_id)
            labels = {
                "connection_id": m.connection_id,
                "name": conn.name if conn else "",
                "connector": conn.connector_id if conn else "",
            }
            text = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
            lines.append(f"{name}{{{text}}} {value}")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader never sees half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # the exporter runs as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _metrics_table(metrics: Sequence[ConnectionMetrics], connections: Sequence[Connection],
                   width: int | None = None) -> str:
    """Full when ``width`` is None, else fitted to it (tui/cli_table.py)."""
    by_id = {c.id: c for c in connections}
    header = ["ID", "NAME", "CONNECTOR", "STATE", "UP/H", "FAIL/H", "UP/24H", "FAIL/24H",
              "DOWN/H", "DEVICES", "LAG"]  # fmt: skip
    rows = []
    for m in metrics:
        conn = by_id.get(m.connection_id)
        rows.append([
            m.connection_id,
            terminal_safe(conn.name) if conn else "?",
            short_connector_name(conn.connector_id) if conn else "?",
            (conn.state or "?") if conn else "?",
            *(_n(v) for v in (m.uplinks_1h, m.failures_1h, m.uplinks_24h, m.failures_24h,
                              m.downlinks_1h, m.active_things_1h, m.lag)),
        ])  # fmt: skip
    return render(header, rows, width)


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


async def _metrics(profile: Profile, args: argparse.Namespace) -> int:
    async with make_client(profile) as client:
        connections, metrics = await asyncio.gather(client.list_connections(), client.metrics())
    if args.output == "prometheus":
        text = prometheus_text(metrics, connections)
    elif args.output == "json":
        text = json.dumps([m.to_api() for m in metrics], indent=2) + "\n"
    else:
        # Fitted only on a terminal (or with COLUMNS): a --file is read by scripts.
        width = None if args.file is not None else output_width(sys.stdout)
        text = _metrics_table(metrics, connections, width) + "\n"
    if args.file is not None:
        try:
            write_atomically(args.file, text)
        except OSError as error:
            print(f"iotflow: cannot write {args.file}: {error.strerror}", file=sys.stderr)
            return EXIT_ERROR
    else:
        sys.stdout.write(text)
    return EXIT_OK


# -- restart ----------------------------------------------------------------------------------
async def _restart(
    profile: Profile, args: argparse.Namespace, ask: Callable[[str], str] = input
) -> int:
    if profile.read_only:
        print(f"iotflow: {refusal_notice('restart', profile.read_only_from)}", file=sys.stderr)
        return EXIT_USAGE
    async with make_client(profile) as client:
        connection = await client.get_connection(args.id)
        label = f"“{terminal_safe(connection.name)}” (id {connection.id})"
        if not args.yes:
            if not sys.stdin.isatty():
                print(f"iotflow: restarting {label} needs --yes when not run from a terminal.",
                      file=sys.stderr)  # fmt: skip
                return EXIT_BAD_ARGUMENTS
            answer = ask(f"Restart {label}? Its traffic pauses while it reopens. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Cancelled: nothing was sent.")
                return EXIT_OK
        await client.restart(connection.id)
    print(f"Restart of {label} accepted; it closes, then opens again (iotflow list shows it).")
    return EXIT_OK


# -- status -----------------------------------------------------------------------------------
@dataclass
class FlowStatus:
    """What ``status`` adds to the states: SILENT, LOSS and LOW (from metrics, the
    dashboard's rules in flow_health), STUCK and FLAP (from the dashboard's board and
    history), fleet rates and perfdata."""

    silent: list[Connection]
    low: list[Connection]
    uplinks_per_hour: int | None
    failures_per_hour: int | None
    loss: list[Connection] = field(default_factory=list)
    stuck: list[Connection] = field(default_factory=list)
    flapping: list[Connection] = field(default_factory=list)

    def groups(self) -> tuple[tuple[str, list[Connection]], ...]:
        """Each flag word and its connections, in the order the dashboard's FLAGS reads."""
        return (("STUCK", self.stuck), ("FLAP", self.flapping), ("SILENT", self.silent),
                ("LOSS", self.loss), ("LOW", self.low))  # fmt: skip

    @property
    def warning(self) -> bool:
        """A warning (Nagios 1) even when every state is fine. FLAP is reported but is no
        warning of its own: a connection that flaps is ERROR or INIT between its OPENED
        spells, and those states already set the exit code."""
        return bool(self.silent or self.low or self.loss or self.stuck)

    def lines(self, width: int | None = None) -> list[str]:
        """One line per flagged connection; fitted to ``width`` when given (StatusLine)."""
        out = []
        line = StatusLine(width)
        for word, group in self.groups():
            for c in group:
                connector = short_connector_name(c.connector_id)
                out.append(line(word, terminal_safe(c.state or "?"), terminal_safe(c.id),
                                terminal_safe(f"{c.name}  ({connector})")))
        return out

    def summary(self) -> str:
        return "  ".join(f"{word} {len(group)}" for word, group in self.groups())


async def flow_status(client: Any, connections: Sequence[Connection], now: datetime,
                      loss_threshold: int = 0) -> FlowStatus:
    """SILENT, LOSS and LOW connections from one metrics call; rates None if metrics are
    unavailable. STUCK and FLAP need the board: the caller adds them."""
    try:
        metrics = {m.connection_id: m for m in await client.metrics()}
    except ApiError:
        return FlowStatus([], [], None, None)
    silent, loss, low = [], [], []
    for c in connections:
        m = metrics.get(c.id)
        flags = flow_flags(
            c.state or "", m, minimum=alarm_minimum(c.alarms, now) if c.alarms else None,
            loss_threshold=loss_threshold,
        )
        for group, on in ((silent, flags.silent), (loss, flags.loss), (low, flags.low)):
            if on:
                group.append(c)
    up = sum(m.uplinks_1h or 0 for m in metrics.values())
    failed = sum(m.failures_1h or 0 for m in metrics.values())
    return FlowStatus(silent, low, up, failed, loss)


async def flow_status_of(
    profile: Profile, connections: Sequence[Connection], now: datetime
) -> FlowStatus:
    """:func:`flow_status` on a client of its own (the listing's client is closed by then)."""
    async with make_client(profile) as client:
        return await flow_status(client, connections, now, profile.loss_threshold)


def perfdata(connections: Sequence[Connection], flow: FlowStatus) -> str:
    """Nagios performance data: counts by health, SILENT, LOW, LOSS, STUCK, FLAP, fleet
    uplinks/h and failures/h."""
    counts = {h: 0 for h in Health}
    for c in connections:
        counts[health_of(c.state, c.active)] += 1
    parts = [f"{h.value.lower()}={counts[h]};;;0" for h in Health]
    parts += [f"silent={len(flow.silent)};;;0", f"low={len(flow.low)};;;0",
              f"loss={len(flow.loss)};;;0", f"stuck={len(flow.stuck)};;;0",
              f"flapping={len(flow.flapping)};;;0"]
    if flow.uplinks_per_hour is not None:
        parts.append(f"uplinks_per_hour={flow.uplinks_per_hour};;;0")
    if flow.failures_per_hour is not None:
        parts.append(f"failures_per_hour={flow.failures_per_hour};;;0")
    return " ".join(parts)
