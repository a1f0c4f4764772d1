"""The connection form's notices are the form's: they go when it closes.

A notice such as "Fix the fields marked ✗ first; nothing was sent." is about the form
on screen. Textual keeps every notice app-wide until its timeout, so after a quick fix and
a send it was still shown over the dashboard, beside "Created …", saying the opposite.
The form therefore keeps the notices it raised and takes back those still shown when it
is dismissed; what the app says on its way out ("Created …", "Draft kept …") is raised
after that, by the app, and stays.
"""

from __future__ import annotations

from typing import Any

from textual.notifications import Notification

from ..notices import PlainNotices


class FormNotices(PlainNotices):
    """Mixin for :class:`~.connection_form.ConnectionFormScreen` (a Screen)."""

    def raise_notice(self, notice: Notification) -> None:
        """Keep the notice, to take it back when the form closes, then show it."""
        self._raised().append(notice)
        super().raise_notice(notice)

    def _raised(self) -> list[Notification]:
        raised: list[Notification] | None = getattr(self, "_form_notices", None)
        if raised is None:
            raised = []
            self._form_notices = raised
        return raised

    def withdraw_notices(self) -> None:
        """Take back the form's notices still shown (Textual has no public call for one
        notice: ``_unnotify`` is what a click on a toast uses)."""
        app = self.app
        raised = self._raised()
        shown = [notice for notice in raised if notice in app._notifications]
        for notice in raised:
            notice.timeout = 0  # one still on its way to the app is reaped as it arrives
        raised.clear()
        for notice in shown:
            app._unnotify(notice, refresh=False)
        if shown:
            app._refresh_notifications()

    def dismiss(self, result: Any = None) -> Any:
        self.withdraw_notices()
        return super().dismiss(result)  # type: ignore[misc]
