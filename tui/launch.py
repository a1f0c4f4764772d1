"""Starting the dashboard: the platform is asked for the list while Textual is imported.

Importing Textual, Rich and our screens takes a few hundred milliseconds; getting a token
and the first page of connections takes about as long on a real platform. Done one after
the other (import, build the app, then ask), an operator waits for both. Here the token and
list requests start first, on the event loop the app will run on, and the app is imported in
a worker thread meanwhile; the dashboard's first poll then takes that answer instead of
asking again. The client is the one the app keeps using, so the token, the open keep-alive
connection and the error handling are the same as for every later poll.

When the list is in before the app is ready, its first screen of rows is drawn at once
(``tui.first_frame``) and the dashboard takes over the same board and the same screen;
keys typed meanwhile wait for it as typed (``tui.held_keys``).
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .config import Profile, history_file, make_client
from .held_keys import HeldKeys
from .large_buffers import return_large_buffers

if TYPE_CHECKING:
    from .board import Board
    from .health import HistoryStore

ENTER = "\x1b[?1049h\x1b[?25l"
"""The alternate screen (the operator's scrollback stays as it was), no cursor."""
LEAVE = "\x1b[?1049l\x1b[?25h"
SYNC_START, SYNC_END = "\x1b[?2026h", "\x1b[?2026l"
"""Terminals that know synchronized output show the frame whole, never half drawn."""

START_SWITCH_INTERVAL = 0.05
"""Seconds a thread may keep the GIL before it is made to hand it over, until the app runs.

Two threads share the interpreter at the start: this loop (the answer: decoding, the
board, the first frame) and the app's import. At Python's 5 ms they trade the GIL back
and forth, each handover a wake-up on the other core: building the 5,000-connection board
during the import took 1.5-2x as long as alone, and the import itself longer. The import
gives the GIL up on its own at every file it reads, so at 50 ms the loop's work runs about
as fast as alone (tests/benchmarks/bench_dashboard.py ``gil``), and the import no slower.
Python's own interval is back before Textual starts its threads (input, output)."""

LIST_GRACE = 0.3
"""Seconds the launcher waits for a list still on its way once the app is imported.

The app's own start (CSS, screens, layout: about 0.3 s, on the event loop the answer
is read on) would put the rows on screen that long after the list arrives; the first
frame does it within a few milliseconds. A list that arrives later than this finds the
app started, which says it is loading: a slow platform never leaves a blank terminal
for longer than the app's own start takes again."""


async def first_listing(client: Any) -> list[Any]:
    """Token first, then the list: what the dashboard's first poll would do."""
    await client.authenticate()
    return await client.list_connections()


def _read_history(profile: Profile, path: Path | None) -> HistoryStore:
    """The state history, read in a thread while the platform prepares the list; the
    board's modules are imported here too (health rules, time zones: 15-30 ms that would
    otherwise come before the token request, or after the answer)."""
    from .board import Board  # noqa: F401
    from .health import HistoryStore

    return HistoryStore(path or history_file(profile))


def _make_app_factory() -> Callable[..., Any]:
    # The slow imports, run in a thread while the network waits. The first frame's own
    # (Rich's styles, the columns) first: a list that comes in meanwhile is drawn at once,
    # not after the loop has imported them itself.
    from . import first_frame  # noqa: F401
    from .app import make_app

    return make_app


class FirstFrame:
    """The first frame on the operator's terminal until the dashboard draws over it;
    ``leave`` takes it away again, for when the dashboard never started."""

    def __init__(self, fd: int):
        self.fd = fd

    @classmethod
    def draw(cls, board: Board, profile: Profile, read_only: bool, *,
             out: TextIO | None = None,
             env: Mapping[str, str] | None = None) -> FirstFrame | None:
        """Draw the frame on the dashboard's terminal, or None where there is none.

        ``out``: the stream Textual's driver draws on (``sys.__stderr__``) unless given."""
        from . import first_frame  # (imported by _make_app_factory: there when it is needed)
        from .board import poll_interval

        env = os.environ if env is None else env
        out = sys.__stderr__ if out is None else out
        try:
            if out is None or not out.isatty():
                return None
            fd = out.fileno()
            width, height = os.get_terminal_size(fd)
        except (OSError, ValueError):
            return None
        if width < 1 or height < 1:  # a terminal that does not say its size
            return None
        info = first_frame.header_info(board, profile.name, profile.host, read_only,
                                       poll_interval(profile.refresh_interval))
        now = datetime.now(UTC)
        lines = first_frame.frame_lines(board, info, width, height, now, None)
        text = first_frame.render(lines, first_frame.color_system_of(env), "NO_COLOR" in env)
        frame = cls(fd)
        try:
            os.write(fd, (ENTER + SYNC_START + text + SYNC_END).encode("utf-8"))
        except OSError:
            frame.leave()
            return None
        return frame

    def leave(self) -> None:
        try:
            os.write(self.fd, LEAVE.encode())
        except OSError:
            pass


async def _grace(listing: asyncio.Future[list[Any]]) -> None:
    """The app is imported, the list not in yet: give it LIST_GRACE seconds more."""
    await asyncio.wait({listing}, timeout=LIST_GRACE)


def _let_go(future: asyncio.Future[Any]) -> None:
    """A start-up future no longer wanted: cancelled if still running, else its error
    retrieved (asyncio would log it as never retrieved)."""
    if not future.done():
        future.cancel()
    elif not future.cancelled():
        future.exception()


def _listed(listing: asyncio.Future[list[Any]]) -> bool:
    return listing.done() and not listing.cancelled() and listing.exception() is None


async def run_dashboard(profile: Profile, held_keys: HeldKeys | None = None,
                        **options: Any) -> int:
    """Run the dashboard for ``profile`` until the operator quits; its exit code.

    ``held_keys``: the terminal's keys, held since the command started (``tui.held_keys``);
    given back just before Textual's driver takes the terminal."""
    # Until the app starts, nothing made is garbage with cycles: Textual's modules, the
    # first list, the first board. Cyclic collections would only walk them again and
    # again (a full one takes 50 ms with 5,000 connections); make_app freezes them all.
    gc.disable()
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(START_SWITCH_INTERVAL)
    return_large_buffers()  # each poll's answer goes back to the system when freed
    # The dashboard retries with its own backoff; the client should fail fast.
    client = make_client(profile, retries=0)
    listing = asyncio.ensure_future(first_listing(client))
    importing = asyncio.ensure_future(asyncio.to_thread(_make_app_factory))
    # The state history (300 KB and 35-100 ms for 5,000 connections) is read while the
    # platform prepares the list, not after it has come.
    history = asyncio.ensure_future(
        asyncio.to_thread(_read_history, profile, options.get("history_path")))
    frame: FirstFrame | None = None
    started = False
    try:
        await asyncio.wait({listing, importing}, return_when=asyncio.FIRST_COMPLETED)
        if not listing.done():
            await _grace(listing)
        # The dashboard's board: its history read, the first list applied when it is in
        # (else the dashboard's first poll applies it).
        from .board import Board  # (imported by _read_history)

        board = Board(await history, options.get("thresholds") or profile.thresholds)
        if _listed(listing):
            board.apply(listing.result(), datetime.now(UTC))
            read_only = options.get("read_only")
            frame = FirstFrame.draw(board, profile,
                                    profile.read_only if read_only is None else read_only)
        make_app = await importing
        typed = held_keys.take_typed() if held_keys is not None else b""
        app = make_app(profile, client=client, first_listing=listing, board=board,
                       first_frame_drawn=frame is not None, typed_early=typed, **options)
        gc.freeze()  # (again: the first list may have arrived after make_app's freeze)
        gc.enable()
        sys.setswitchinterval(switch_interval)
        if held_keys is not None:
            held_keys.release()
        started = True
        await app.run_async()
        return app.return_code or 0
    finally:
        gc.enable()
        sys.setswitchinterval(switch_interval)
        if held_keys is not None:
            held_keys.release()
        if frame is not None and not started:
            frame.leave()
        _let_go(listing)  # (the app reported its error, or never got that far)
        _let_go(history)  # (raised above already, if it was ever awaited)
        await client.aclose()
