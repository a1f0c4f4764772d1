"""The connection form's steps and the line that shows where the user is."""

from __future__ import annotations

from rich.text import Text

from tui.api import Connection, Connector
from tui.terminal_text import one_line

STEPS = ("connector", "settings", "alarms", "review")
STEP_TITLES = {
    "connector": "Connector",
    "settings": "Settings",
    "alarms": "Alarms",
    "review": "Review",
}


def steps_text(step: str, mode: str) -> Text:
    """``[1 Connector]  ›  2 Settings  ›  …``: the current step reversed, done ones ✓; the
    connector step is struck out when it cannot change (edit and clone)."""
    text = Text()
    current = STEPS.index(step)
    for i, name in enumerate(STEPS):
        if i:
            text.append("  ›  ", style="dim")
        label = f"{i + 1} {STEP_TITLES[name]}"
        if name == step:
            text.append(f"[{label}]", style="bold reverse")
        elif name == "connector" and mode != "create":
            text.append(label, style="dim strike")
        elif i < current:
            text.append(label + " ✓", style="green")
        else:
            text.append(label, style="dim")
    return text


def form_title(mode: str, connection: Connection | None, connector: Connector | None) -> str:
    """``Edit connection “Lyon AWS” (id 5) · actility-aws-iot 1.2.0``."""
    what = {"create": "New connection", "edit": "Edit connection", "clone": "Clone connection"}
    title = what[mode]
    if connection is not None and mode != "create":
        title += f" “{one_line(connection.name)}” (id {one_line(connection.id)})"
    if connector is not None:
        title += f" · {connector.id} {connector.version}".rstrip()
    return title
