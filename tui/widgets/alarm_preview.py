"""The live preview under (or beside) an alarm's fields: summary, RRULE text, next windows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from ..alarms import AlarmDraft, AlarmProblem
from ..alarms.cautions import alarm_cautions

PREVIEW_COUNT = 5


def zone_label(tz: tzinfo, at: datetime) -> str:
    """``Europe/Paris`` for IANA zones, else the zone's abbreviation at ``at``."""
    return getattr(tz, "key", None) or at.astimezone(tz).tzname() or "local"


class AlarmPreview(Static):
    """What the alarm does, as the operator edits it. ``show`` renders synchronously."""

    DEFAULT_CSS = """
    AlarmPreview {
        height: auto;
        width: 1fr;
        padding: 0 1;
        margin: 0 0 1 0;
        background: $boost;
        border-left: outer $accent 50%;
    }
    """

    def __init__(self, *, now: Callable[[], datetime], local_tz: tzinfo | None) -> None:
        super().__init__("", classes="alarm-preview")
        self.now = now
        self.local_tz = local_tz
        self.plain = ""
        """The preview as plain text (for tests)."""
        self.rows: list[str] = []
        """One line per window: mark, in the alarm's zone, in the operator's zone."""
        self._shown = False

    def show(self, draft: AlarmDraft, problems: list[AlarmProblem]) -> None:
        before = (self.plain, self.rows)
        renderable = self.build(draft, problems)
        if (self.plain, self.rows) != before or not self._shown:
            self._shown = True
            self.update(renderable)  # only when it changed: a re-layout per keystroke is slow

    def build(self, draft: AlarmDraft, problems: list[AlarmProblem]) -> RenderableType:
        self.rows = []
        head = Text()
        head.append("Preview\n", "bold underline")
        if problems:
            n = len(problems)
            head.append(
                f"Fix the {n} problem{'s' if n > 1 else ''} marked ✗ to see the windows.",
                "italic",
            )
            self.plain = head.plain
            return head
        try:
            cautions = alarm_cautions(draft.to_alarm())
            summary, rrule = draft.summary(), draft.rrule_text()
            now = self.now()
            windows = draft.preview(PREVIEW_COUNT, after=now)
        except Exception as exc:  # the preview must never break the editor
            head.append(f"No preview: {exc}", "italic")
            self.plain = head.plain
            return head
        head.append(summary + "\n", "bold")
        head.append("RRULE ", "dim")
        head.append((rrule or "(does not repeat)") + "\n")
        for caution in cautions:
            # The sign says it without colour (NO_COLOR); the colour helps where there is one.
            head.append(f"⚠ {caution}\n", "yellow")
        head.rstrip()
        parts: list[RenderableType] = [head]
        self.rows = []
        if not windows:
            parts.append(Text("No window from now on.", "italic"))
        else:
            parts.append(self._table(draft, windows, now))
        self.plain = "\n".join(
            [head.plain, *self.rows] if windows else [head.plain, "No window from now on."]
        )
        return Group(*parts)

    def _table(self, draft: AlarmDraft, windows: list, now: datetime) -> Text:
        """Windows as aligned text rows: "now" mark, alarm's zone, operator's zone."""
        alarm_zone = ZoneInfo(draft.timezone)
        local = self.local_tz or datetime.now().astimezone().tzinfo or alarm_zone
        same = zone_label(local, now) == draft.timezone
        cells = [
            ("now" if w.contains(now) else "", w.describe(alarm_zone), w.describe(local))
            for w in windows
        ]
        width = max(len(c[1]) for c in cells)
        out = Text()
        out.append(
            "    " + (f"{draft.timezone} (your zone too)" if same else draft.timezone), "bold"
        )
        if not same:
            pad = width - len(draft.timezone) + 2
            out.append(" " * pad + f"Local ({zone_label(local, now)})", "bold")
        self.rows = []
        for mark, zoned, local_text in cells:
            out.append("\n")
            out.append(f"{mark:3} ", "bold green")
            out.append(zoned)
            row = f"{mark:3}  {zoned}"
            if not same:
                out.append(" " * (width - len(zoned) + 2) + local_text, "dim")
                row += "  " + local_text
            self.rows.append(row)
        return out
