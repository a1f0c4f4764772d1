"""One place for unexpected errors: log them, say so, reset busy screens, keep running.

Textual's default for an exception nobody caught (in a message handler, an action, a
timer or a worker) is to exit the app with a traceback, and a widget whose handler
raised stops processing messages for good. An operator watching connections over SSH
loses the dashboard, and whatever was typed into a form, because of one bug. So:

- :class:`GuardedNode` (mixed into our screens, and the app) catches what a handler
  raises and what a worker started from that node failed with, and hands it on;
- :class:`UnexpectedErrors` (mixed into the app) is where everything arrives, including
  what Textual itself reports through ``App._handle_exception``: it writes the
  traceback, redacted, to ``errors.log`` in the state directory, shows one sentence
  (what failed, that nothing was lost, where the log is), and posts
  :class:`~tui.messages.Recovered` to every open screen so none stays busy.

If errors keep coming (a bug that fires on every frame), the app stops after
``GIVE_UP_AFTER`` of them, as Textual would have at the first, rather than loop forever.
"""

from __future__ import annotations

from asyncio import CancelledError
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.worker import Worker, WorkerFailed, WorkerState

from .crashlog import sentence, write_entry
from .messages import Recovered

GIVE_UP_AFTER = 50
"""Unexpected errors in one run after which the app exits (it is clearly stuck in a loop)."""


class GuardedNode:
    """Mixin for a screen, widget or app: a raising handler never stops its messages."""

    async def _dispatch_message(self, message: Message) -> None:
        node: Any = self
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - this is the one place that catches all
            app = node.app
            if not isinstance(app, UnexpectedErrors):  # a widget tested alone: Textual's way
                raise
            app.report_unexpected(error, f"handling {_describe(message)} in {type(node).__name__}")
            return
        if isinstance(message, Worker.StateChanged) and message.state is WorkerState.ERROR:
            error, app = message.worker.error, node.app
            if isinstance(error, Exception) and isinstance(app, UnexpectedErrors):
                app.report_unexpected(error, f"running {_worker_name(message.worker)}")


class UnexpectedErrors:
    """Mixin for the App (before ``App`` in the bases): the single handler."""

    error_log_dir: Path | None = None
    """Where ``errors.log`` goes (the state directory); None: nowhere."""

    def setup_error_log(self, log_dir: Path | None) -> None:
        """Call from the app's ``__init__``."""
        self.error_log_dir = log_dir
        self.unexpected_errors: list[BaseException] = []
        self.error_log: Path | None = None
        self._reported: list[int] = []

    def report_unexpected(self, error: BaseException, where: str) -> None:
        """Log ``error``, tell the operator, and reset every open screen's busy state."""
        app: Any = self
        if id(error) in self._reported:  # the same failure, seen by two of our hooks
            return
        self._reported = [*self._reported[-63:], id(error)]
        self.unexpected_errors.append(error)
        if self.error_log_dir is not None:
            self.error_log = write_entry(self.error_log_dir, error, where) or self.error_log
        if len(self.unexpected_errors) >= GIVE_UP_AFTER:
            app.exit(return_code=1, message=sentence(where, self.error_log))
            return
        app.notify(
            sentence(where, self.error_log),
            title="Unexpected error",
            severity="error",
            timeout=12,
        )
        for screen in app.screen_stack:
            screen.post_message(Recovered())

    def _handle_exception(self, error: Exception) -> None:
        app: Any = self
        if not app._running or app._closing or app._exit:  # starting or ending: Textual's way
            super()._handle_exception(error)  # type: ignore[misc]
            return
        if isinstance(error, WorkerFailed) and isinstance(error.error, Exception):
            failed = next((w for w in app.workers if w.error is error.error), None)
            name = _worker_name(failed) if failed is not None else "a background task"
            self.report_unexpected(error.error, f"running {name}")
        else:
            self.report_unexpected(error, "updating the screen")


def _describe(message: Message) -> str:
    key = getattr(message, "key", None)
    if isinstance(key, str):
        return f"the key {key!r}"
    return type(message).__name__


def _worker_name(worker: Worker[Any]) -> str:
    return f"the task “{worker.name}”" if worker.name else "a background task"
