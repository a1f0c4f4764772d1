"""``iotflow list`` and ``iotflow status``: one listing, read once and printed.

Headless (no Textual). ``tui/cli.py`` starts the requests and imports this module while
the platform works on the answer (see its ``_list``): nothing here is needed to ask.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime, timedelta

from .api.errors import ApiError
from .api.list_decoding import shallow_decoder
from .board_flow import apply_metrics
from .cli_exit import EXIT_ERROR, EXIT_INIT, EXIT_OK, EXIT_UNAVAILABLE, end_process, reader_gone
from .cli_flow import FlowStatus, flow_status_of, perfdata
from .cli_json import JsonRecords, binary_writer, write_json_lines
from .cli_listing import Listing, fetch_listing
from .cli_report import (
    cell,
    dashboard_board,
    dashboard_looks,
    flags_of,
    headers,
    read_history,
    table_rows,
)
from .cli_table import StatusLine, output_width, render
from .config import Profile, make_client
from .connections import Connection, short_connector_name
from .health import (
    CLOSED_GRACE,
    HEALTH_ORDER,
    Health,
    HistoryStore,
    count_healths,
    health_at,
    health_of,
)
from .terminal_text import terminal_safe

__all__ = ["fail", "prepare_printing", "print_listing", "status", "status_exit_code"]


def fail(text: str) -> None:
    """A sentence for the operator on stderr, inert (server text may be in it)."""
    print(f"iotflow: {terminal_safe(text, multiline=True)}", file=sys.stderr)


def prepare_printing(profile: Profile) -> HistoryStore:
    """What printing a listing needs that no answer changes, made while the platform
    computes the answer: the decoder of the answer built, the dashboard's history read
    (for ``print_listing``)."""
    shallow_decoder()
    return read_history(profile)


def print_listing(profile: Profile, args: argparse.Namespace, listing: Listing,
                  history: HistoryStore | None = None) -> int:
    """``list``'s output for ``listing``: filtered by ``--state`` and ``--health``, as a
    table or (``-o json``) one connection per line. ``history``: the dashboard's, as
    ``prepare_printing`` read it (else it is read now)."""
    state = args.state  # already an API state name (see cli._usage_state)
    wide = args.output == "wide"
    for note in listing.notes:
        fail(note)
    if listing.metrics_note:
        fail(listing.metrics_note)
    pairs = list(zip(listing.connections, listing.sent, strict=True))
    if state:
        pairs = [(c, s) for c, s in pairs if c.state == state]
    if args.health:
        pairs = [(c, s) for c, s in pairs if health_of(c.state, c.active) == args.health]
    connections = [c for c, _s in pairs]
    now = datetime.now(UTC)
    as_json = args.output in ("json", "jsonl")
    if as_json and not args.flags:
        # Time in state, STUCK and FLAP are all it prints of a row: no whole board.
        record = JsonRecords(dashboard_looks(profile, connections, now, history), now)
    else:
        board = dashboard_board(profile, connections, now, history)
        if listing.metrics is not None:
            apply_metrics(board, listing.metrics, now, loss_threshold=profile.loss_threshold)
        record = JsonRecords(board.rows, now, lambda c: flags_of(board, c, now))
    if as_json:
        records = (record(c, s) for c, s in pairs)
        write_json_lines(records, binary_writer(sys.stdout), array=args.output == "json")
        if args.end_at_once:
            # Now, before this frame lets go of the listing: freeing 10,000 connections,
            # their items, rows and records one by one would be the slowest step left.
            end_process(EXIT_OK)
        return EXIT_OK
    header = headers(wide, args.flags, now)
    rows = table_rows(connections, board, now, wide, args.flags)
    print(render(header, rows, output_width(sys.stdout)))
    return EXIT_OK


def status_exit_code(
    connections: list[Connection], now: datetime | None = None, grace: timedelta = CLOSED_GRACE
) -> int:
    """2 for any ERROR, 1 for any INIT, else 0; a connection CLOSED just after a start is
    INIT (``health_at``), so cron does not page for a normal start."""
    now = now or datetime.now(UTC)
    healths = {health_at(c.state, c.active, c.startup_time, now, grace) for c in connections}
    if Health.ERROR in healths:
        return EXIT_ERROR
    if Health.INIT in healths:
        return EXIT_INIT
    return EXIT_OK


async def status(profile: Profile, args: argparse.Namespace) -> int:
    """``iotflow status``: the unhealthy connections and a summary; the health code."""
    # One deadline for the whole run (token, every page, every retry), so that cron and
    # monitoring get an answer in time whatever the platform does.
    budget = profile.timeout
    client = make_client(profile)
    try:
        async with asyncio.timeout(budget):
            listing = await fetch_listing(profile, client)
            connections, notes = listing.connections, listing.notes
            flow = await flow_status_of(profile, connections, datetime.now(UTC))
            # STUCK and FLAP as the dashboard's board flags them, from its history file.
            rows = dashboard_board(profile, connections, datetime.now(UTC)).rows
            flow.stuck = [c for c in connections if getattr(rows.get(c.id), "stuck", False)]
            flow.flapping = [c for c in connections
                             if getattr(rows.get(c.id), "flapping", False)]
    except TimeoutError:
        if not args.quiet:
            seen = client.last_error
            why = f"{terminal_safe(seen.user_message)} " if seen else ""
            _say(f"UNAVAILABLE {why}No answer from the API within {budget:g} s (the whole "
                 "run: token, list and retries); raise --timeout if the platform is slow.")
        await client.aclose()
        return EXIT_UNAVAILABLE
    except ApiError as error:
        if not args.quiet:
            _say(f"UNAVAILABLE {terminal_safe(error.user_message)}")
        return EXIT_UNAVAILABLE
    now = datetime.now(UTC)
    grace = timedelta(minutes=profile.closed_grace_minutes)
    code = status_exit_code(connections, now, grace)
    # Silent, losing, under-rate or stuck: a warning (Nagios 1) even when every state is
    # fine; an ERROR elsewhere still makes it 2.
    code = max(code, EXIT_INIT) if flow.warning else code
    if not args.quiet:
        try:
            _print_status(connections, notes, flow, now, grace)
        except BrokenPipeError:
            reader_gone()  # `status | head`: the code is the platform's, whoever reads
    return code


def _say(line: str) -> None:
    """One line of ``status`` whose exit code must survive a reader that went away."""
    try:
        print(line)
    except BrokenPipeError:
        reader_gone()


def _print_status(connections: list[Connection], notes: list[str], flow: FlowStatus,
                  now: datetime, grace: timedelta) -> None:
    """The lines of ``status``: the unhealthy connections, the flags, the summary."""
    for note in notes:
        fail(note)
    healths = [health_at(c.state, c.active, c.startup_time, now, grace) for c in connections]
    width = output_width(sys.stdout)  # fitted at a terminal; monitoring reads a pipe
    status_line = StatusLine(width)
    for c, health in zip(connections, healths, strict=True):
        if health in (Health.ACTIVE, Health.DEACTIVATED):
            continue
        rest = f"{cell(c.name, 48)}  ({cell(short_connector_name(c.connector_id))})"
        if c.problem:
            rest += f"  {cell(c.problem, 200)}"
        print(status_line(health.value, cell(c.state or "?"), cell(c.id), rest))
    counts = count_healths(healths)
    for line in flow.lines(width):
        print(line)
    summary = "  ".join(f"{h.value} {counts[h]}" for h in HEALTH_ORDER)
    summary += f"  {flow.summary()}"
    print(f"{len(connections)} connections at {now:%Y-%m-%d %H:%M:%SZ}: {summary}"
          f" | {perfdata(connections, flow)}")
