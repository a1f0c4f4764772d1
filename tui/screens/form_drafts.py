"""The connection form's draft: every edit is in it at once, and on disk right after.

A draft timer would leave the last second of typing in memory only, lost to the next
exception, exit or dropped SSH session; so each edit hands the form's draft data to a
:class:`~tui.drafts.DraftKeeper` and the write runs as soon as the edit's message is
handled (several edits in one message cost one write), and again on unmount, suspend
and recovery from an unexpected error. Secrets never reach it (the engine and the store
both leave them out).
"""

from __future__ import annotations

from typing import Any

from tui.drafts import draft_key
from tui.forms import submission as sub


class FormDrafts:
    """Mixin for :class:`~.connection_form.ConnectionFormScreen` (its ``draft`` keeper,
    ``form_tree``, ``connector``, ``mode``, ``connection_id``, ``alarms``, ``now``)."""

    dirty: bool

    @property
    def draft_key(self) -> str:
        form: Any = self
        if form.mode == "create":
            connector = form.connector.id if form.connector else "-"
            return draft_key("create", connector_id=connector)
        return draft_key(form.mode, connection_id=str(form.connection_id))

    def draft_data(self) -> dict[str, Any]:
        """What the draft holds (no secret: the engine leaves them out)."""
        form: Any = self
        assert form.form_tree is not None
        return sub.draft_data(
            form.form_tree,
            form._common(),
            form.alarms.payload(),
            mode=form.mode,
            connection_id=form.connection_id,
        )

    def _changed(self) -> None:
        """Every edit: the draft in memory now, on disk once this message is handled."""
        form: Any = self
        self.dirty = True
        if form.form_tree is None or form.connector is None:
            return
        if form.draft.keep(self.draft_key, self.draft_data(), now=form.now()):
            form.call_next(self.flush_draft)

    def save_draft(self) -> None:
        """Write what the form holds now (before leaving, after a failure)."""
        form: Any = self
        if form.form_tree is None or form.connector is None or not self.dirty:
            return
        form.draft.keep(self.draft_key, self.draft_data(), now=form.now())
        self.flush_draft()

    def flush_draft(self) -> None:
        form: Any = self
        try:
            form.draft.flush()
        except OSError as exc:
            form.notify(f"The draft could not be saved: {exc}", severity="warning", timeout=5)

    def on_unmount(self) -> None:
        self.flush_draft()  # the app exits (or crashes) with the form open
