"""``AlarmsStep``: step 3 of the connection form, the connection's alarms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.widgets.alarm_editor import AlarmListEditor


class AlarmsStep(VerticalScroll):
    """Holds the :class:`AlarmListEditor` once the connection is known."""

    def __init__(self, *, now: Callable[[], datetime], local_tz: tzinfo | None, **kw: Any):
        super().__init__(Static("Loading…", classes="loading"), **kw)
        self.now = now
        self.local_tz = local_tz
        self.editor: AlarmListEditor | None = None
        self.original: list[dict[str, Any]] | None = None
        """The alarms as loaded (None: the connection had no ``alarms`` key)."""

    async def show(self, alarms: list[dict[str, Any]] | None) -> None:
        self.original = list(alarms) if alarms is not None else None
        await self.remove_children()
        self.editor = AlarmListEditor(list(alarms or []), now=self.now, local_tz=self.local_tz)
        await self.mount(self.editor)

    def payload(self) -> list[dict[str, Any]] | None:
        """The ``alarms`` to send; None leaves the key out (none before, none now)."""
        if self.editor is None:
            return self.original
        alarms = self.editor.alarms_json()
        if not alarms and self.original is None:
            return None
        return alarms

    def check(self) -> bool:
        """True when every alarm is valid; else say which is not and go to it."""
        if self.editor is None:
            return True
        problems = self.editor.problems()
        if not problems:
            return True
        index, problem = problems[0]
        self.notify(
            f"Alarm {index + 1}: {problem.message}", title="Fix the alarms first", severity="error"
        )
        self.editor.focus_first_problem()
        return False

    def enter(self) -> None:
        """The step is shown: the cursor goes to the first problem, else the editor."""
        if self.editor is not None:
            self.editor.focus_first_problem() or self.editor.focus()
