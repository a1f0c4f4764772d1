"""The Textual app: the dashboard first, detail and dialogs on top.

``make_app`` is the one way to build it, for the command line, the tests, the
screenshots and the benchmarks alike: everything that varies (client, clock, time
zone, history file, polling) comes in through it.
"""

from __future__ import annotations

import gc
import random
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from . import messages
from .board import Board, poll_interval
from .config import Profile, history_file, make_client
from .health import HistoryStore, Thresholds
from .key_bursts import key_after_escape
from .notices import PlainNotices
from .readonly import refusal_notice, refuses
from .screens.dashboard import DashboardScreen
from .screens.help import HelpScreen
from .screens.keys import (
    KeyedScreen,
    binding_ids,
    key_help,
    keymap_clashes,
    palette_entries,
    unknown_keymap_ids,
)
from .terminal_driver import hangup_aware
from .unexpected import GuardedNode, UnexpectedErrors

HISTORY_FILE = "history.json"


def utc_now() -> datetime:
    return datetime.now(UTC)


class IoTFlowApp(PlainNotices, UnexpectedErrors, GuardedNode, App[None]):
    """ThingPark X IoT Flow connections, live.

    Screens ask for actions by message (:mod:`tui.messages`); the handlers here apply
    the read-only rule once and route each request to the form or the dashboard.
    Unexpected errors anywhere end up in :class:`~tui.unexpected.UnexpectedErrors`.
    """

    CSS_PATH = "app.tcss"
    TITLE = "iotflow"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding(
            "ctrl+p",
            "command_palette",
            "Command palette",
            show=False,
            id="app.palette",
            tooltip="The same actions by name",
        ),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="app.help",
            tooltip="The keys of this screen, with their ids",
        ),
    ]

    def __init__(
        self,
        profile: Profile,
        *,
        client: Any = None,
        clock: Callable[[], datetime] | None = None,
        display_tz: tzinfo | None = None,
        history_path: Path | None = None,
        poll: bool = True,
        read_only: bool | None = None,
        rng: random.Random | None = None,
        thresholds: Thresholds | None = None,
        keymap: dict[str, str] | None = None,
        error_log_dir: Path | None = None,
        first_listing: Awaitable[list[Any]] | None = None,
        board: Board | None = None,
        first_frame_drawn: bool = False,
        typed_early: bytes = b"",
    ):
        # (Before Textual's __init__, which asks get_driver_class.)
        self._first_frame_drawn = board is not None and first_frame_drawn
        self._typed_early = typed_early
        super().__init__()
        self.setup_error_log(error_log_dir)
        self.profile = profile
        self.read_only = profile.read_only if read_only is None else read_only
        self._owns_client = client is None
        if client is None:
            # The dashboard retries with its own backoff; the client should fail fast.
            client = make_client(profile, retries=0)
        if self.read_only:
            # Belt and braces: the client itself refuses POST, PUT and DELETE.
            client.read_only = True
        self.client = client
        self.clock = clock or utc_now
        self.display_tz = display_tz
        self.thresholds = thresholds or profile.thresholds
        if board is not None:
            # Built by tui.launch: history read, and the first list applied if it came in
            # time for the first frame (else the first poll applies it, as to a new board).
            self.board, self.history, self._history_unread = board, board.history, None
        else:
            # The file is read by load_history, while the first poll waits for the platform.
            self.history = HistoryStore(None)
            self.history.path = history_path
            self._history_unread = history_path
            self.board = Board(self.history, self.thresholds)
        self.poll = poll
        self.rng = rng or random.Random()
        self.interval = poll_interval(profile.refresh_interval)
        self._keymap = keymap or {}
        # The first list, already asked for while the app was imported (tui.launch).
        self._first_listing = first_listing

    # -- screens -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        screen = DashboardScreen(
            client=self.client,
            board=self.board,
            clock=self.clock,
            display_tz=self.display_tz,
            interval=self.interval,
            read_only=self.read_only,
            poll=self.poll,
            rng=self.rng,
            profile_name=self.profile.name,
            host=self.profile.host,
            first_listing=self._first_listing,
            load_history=self.load_history,
        )
        screen.loss_threshold = self.profile.loss_threshold
        return screen

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit (Textual's own notice is markup, and ours are plain)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {active.binding.key_display or key} to quit.", title="Quit?")
                return

    async def on_event(self, event: events.Event) -> None:
        # One terminal read holding Esc and the next key reaches us as alt+<key>
        # (tui.key_bursts): unless the operator bound that alt key, it is Esc, then the key.
        if isinstance(event, events.Key) and not event.is_forwarded:
            after = key_after_escape(event.key)
            if after is not None and event.key not in self.active_bindings:
                await self._escape_then(after)
                return
        await super().on_event(event)

    async def _escape_then(self, key: str) -> None:
        escape = self.active_bindings.get("escape")
        if escape is not None and escape.enabled:
            # Esc's action runs to its end before the key is read: forwarded as an event it
            # could still be queued when the key reached the widget that had the focus (a
            # "q" typed into the filter that Esc was closing).
            await self.run_action(escape.binding.action, escape.node)
        else:
            await super().on_event(events.Key("escape", "\x1b"))
        # Queued behind what Esc set in motion (a focus move, a screen closing), so the key
        # goes where it would have gone typed a moment later.
        self.post_message(events.Key(key, key))

    @property
    def dashboard(self) -> DashboardScreen:
        return next(s for s in self.screen_stack if isinstance(s, DashboardScreen))

    def run(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        # Everything loaded so far (Textual, Rich, httpx, our modules) lives as long as
        # the process: keep it out of every full garbage collection, which otherwise
        # walks it again while the first poll of thousands of connections is parsed.
        gc.freeze()
        return super().run(*args, **kwargs)

    async def refresh_now(self) -> None:
        """Poll once and return when the poll has ended (for tests and scripts)."""
        await self.dashboard.refresh_now()

    def on_mount(self) -> None:
        if self.no_color:
            self.add_class("-no-color")
        if self._keymap:
            self.set_keymap(self._keymap)
            self.call_after_refresh(self._check_keymap)
        for warning in self.profile.warnings:
            self.notify(warning, severity="warning", timeout=8)
        if not self.is_headless and sys.platform != "win32":
            # The SSH session went away: exit cleanly instead of lingering.
            import asyncio

            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                try:
                    loop.add_signal_handler(sig, self.exit)
                except (NotImplementedError, RuntimeError, ValueError):
                    pass

    def _check_keymap(self) -> None:
        # The form's bindings are declared in a module not loaded at start: load it, so
        # that its ids count as known.
        from .screens import connection_form  # noqa: F401

        clashes = keymap_clashes(self._keymap)
        if clashes:
            self.notify(
                f"[keymap] in config.toml: {'; '.join(clashes)}. Give one of them another "
                "key (press ? on a screen to see its keys and ids).",
                title="Keys that clash",
                severity="warning",
                timeout=10,
            )
        unknown = unknown_keymap_ids(self._keymap, binding_ids())
        if unknown:
            self.notify(
                f"[keymap] in config.toml names {', '.join(unknown)}, which no key has: "
                "press ? on a screen to see its ids.",
                title="Unknown key ids",
                severity="warning",
                timeout=10,
            )

    def load_history(self) -> None:
        """Read the state-history file, once, before the first poll is applied."""
        path, self._history_unread = self._history_unread, None
        if path is None:
            return
        loaded = HistoryStore(path)
        if not self.history.histories:
            self.history.histories = loaded.histories

    async def on_unmount(self) -> None:
        self.load_history()  # never write over a file that was not read
        self.history.save()
        if self._owns_client:
            await self.client.aclose()

    def get_driver_class(self):  # type: ignore[override]
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":
            return hangup_aware(
                driver, in_alternate_screen=self._first_frame_drawn, typed=self._typed_early
            )
        return driver

    # -- requests from the screens --------------------------------------------------

    def on_new_requested(self, _: messages.NewRequested) -> None:
        self.action_new_connection()

    def on_edit_requested(self, message: messages.EditRequested) -> None:
        self.action_edit_connection(message.connection_id)

    def on_clone_requested(self, message: messages.CloneRequested) -> None:
        self.action_clone_connection(message.connection_id)

    def on_toggle_requested(self, message: messages.ToggleRequested) -> None:
        if not self._refused("toggle_active"):
            self.dashboard.toggle_active(message.connection_id)

    def on_restart_requested(self, message: messages.RestartRequested) -> None:
        if not self._refused("restart"):
            self.dashboard.restart(message.connection_id)

    def on_delete_requested(self, message: messages.DeleteRequested) -> None:
        if not self._refused("delete"):
            self.dashboard.delete(message.connection_id)

    def on_refresh_requested(self, _: messages.RefreshRequested) -> None:
        self.dashboard.action_refresh()

    def _refused(self, action: str) -> bool:
        if refuses(action, self.read_only):
            origin = self.profile.read_only_from if self.profile.read_only else ""
            self.notify(refusal_notice(action, origin), title="Read-only", severity="warning")
            return True
        return False

    # -- connection forms ---------------------------------------------------------

    def action_new_connection(self) -> None:
        self._open_form("create")

    def action_edit_connection(self, connection_id: str) -> None:
        self._open_form("edit", connection_id)

    def action_clone_connection(self, connection_id: str) -> None:
        """A new connection pre-filled from an existing one, without its secrets."""
        self._open_form("clone", connection_id)

    def _open_form(self, mode: str, connection_id: str | None = None) -> None:
        """Push the connection form; the dashboard selects the saved row when it closes."""
        if self._refused({"create": "new"}.get(mode, mode)):
            return
        # Imported on first use: the form engine and jsonschema stay off the start-up path.
        from .screens.form_opener import open_connection_form

        open_connection_form(self, mode, connection_id, on_saved=self.dashboard.select_connection)

    # -- help and command palette ---------------------------------------------------

    def action_help(self) -> None:
        """The keys of the screen on top (every screen has ?, and f1 where ? is text)."""
        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        legend = isinstance(screen, KeyedScreen) and screen.HELP_LEGEND
        title = _screen_title(screen)
        self.push_screen(
            HelpScreen(title, key_help(screen), legend=legend, read_only=self.read_only)
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The screen's own actions first (from its bindings), then Textual's."""
        for entry in palette_entries(screen):
            yield SystemCommand(
                entry.title, entry.help or entry.title, _runner(screen, entry.action)
            )
        # Textual's own, less two that do not fit here: its Keys panel (? lists every
        # screen's keys with their ids; the panel narrowed the table and esc did not close
        # it) and its themes (the light ones make our header text unreadable).
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Theme"):
                yield command


def _screen_title(screen: Screen[Any]) -> str:
    """``ConnectionFormScreen`` → ``connection form``: what help calls the screen."""
    name = type(screen).__name__.removesuffix("Screen")
    words = "".join(f" {ch.lower()}" if ch.isupper() else ch for ch in name).strip()
    return words or "this screen"


def _runner(screen: Screen[Any], action: str) -> Callable[[], Any]:
    async def run() -> None:
        await screen.run_action(action)

    return run


def make_app(
    profile: Profile,
    *,
    client: Any = None,
    clock: Callable[[], datetime] | None = None,
    display_tz: tzinfo | None = None,
    history_path: Path | None = None,
    poll: bool = True,
    read_only: bool | None = None,
    rng: random.Random | None = None,
    thresholds: Thresholds | None = None,
    keymap: dict[str, str] | None = None,
    error_log_dir: Path | None = None,
    first_listing: Awaitable[list[Any]] | None = None,
    board: Board | None = None,
    first_frame_drawn: bool = False,
    typed_early: bytes = b"",
) -> IoTFlowApp:
    """The dashboard app for a profile.

    ``client``: an IoTFlowClient (or anything with its async methods); made from the
    profile when None. ``clock``: returns an aware UTC datetime (tests fix it).
    ``display_tz``: the zone for local times (None: the machine's). ``history_path``:
    the state-history file (default ``config.history_file(profile)``, which ``list`` reads; pass
    a path in tests). ``poll=False`` starts no loop: tests drive polls with
    ``await app.refresh_now()``. ``read_only`` overrides the profile's setting.
    ``keymap`` maps binding ids (``dashboard.delete``) to keys. ``error_log_dir``: where
    ``errors.log`` (unexpected errors, redacted) is written; default: beside the history.
    ``first_listing``: the answer to a token-and-list request already under way on this
    event loop (see ``tui.launch``); the first poll awaits it instead of asking again.
    ``board``: the board that list was already applied to (history read), and
    ``first_frame_drawn`` whether it is on the terminal already (``tui.first_frame``).
    ``typed_early``: keys typed before the terminal was held (``tui.held_keys``).
    """
    if history_path is None:
        history_path = history_file(profile)
    if error_log_dir is None:
        error_log_dir = history_path.parent
    if not gc.get_freeze_count():
        # Once per process: what is loaded by now (Textual, Rich, httpx, our modules)
        # lives as long as the process; full collections need not walk it again.
        gc.freeze()
    return IoTFlowApp(
        profile,
        client=client,
        clock=clock,
        display_tz=display_tz,
        history_path=history_path,
        poll=poll,
        read_only=read_only,
        rng=rng,
        thresholds=thresholds,
        keymap=keymap,
        error_log_dir=error_log_dir,
        first_listing=first_listing,
        board=board,
        first_frame_drawn=first_frame_drawn,
        typed_early=typed_early,
    )
