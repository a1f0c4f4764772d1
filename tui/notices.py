"""Every notice we raise is plain text, and is built in one place.

Notices carry names from the server and from files; a name like ``[/]`` read as Rich
markup would garble the notice or fail to draw. The app and the connection form both
raise notices (the form keeps its own to take them back when it closes,
tui.screens.form_notices), so both mix in :class:`PlainNotices` and differ only in
what :meth:`PlainNotices.raise_notice` does with the finished notice.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel


class PlainNotices:
    """Mixin for the App and for screens: ``notify`` as Textual's, never read as markup."""

    app: Any

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """As ``App.notify`` (thread-safe too: it only posts a message), but ``markup`` is
        ignored: every notice is plain text."""
        app = self._notices_app()
        notice = Notification(
            message,
            title,
            severity,
            app.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=False,
        )
        self.raise_notice(notice)

    def raise_notice(self, notice: Notification) -> None:
        """Show a finished notice (what Textual's ``App.notify`` does with it)."""
        self._notices_app().post_message(Notify(notice))

    def _notices_app(self) -> Any:
        # The app itself, not its ``app`` property: that reads the running app from the
        # asyncio context, which a thread calling ``notify`` does not have.
        return self if isinstance(self, App) else self.app
