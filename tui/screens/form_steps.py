"""The connection form's steps and the line that shows where the user is."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
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


def form_title(
    mode: str,
    connection: Connection | None,
    connector: Connector | None,
    width: int | None = None,
) -> str:
    """``Edit connection “Lyon AWS” (id 5) · actility-aws-iot 1.2.0``.

    Within ``width`` cells the least useful part goes first: the connector's version, then
    the connector, then the end of the name (the id always stays: it names the connection
    for sure). Cut at the edge, the line ended in a dangling ``(id 13) ·``.
    """
    what = {"create": "New connection", "edit": "Edit connection", "clone": "Clone connection"}
    head = what[mode]
    name = ident = ""
    if connection is not None and mode != "create":
        name, ident = one_line(connection.name), f" (id {one_line(connection.id)})"
    tails = [""]
    if connector is not None:
        tails[:0] = [f" · {connector.id} {connector.version}".rstrip(), f" · {connector.id}"]

    def line(shown_name: str | None, tail: str) -> str:
        quoted = f" “{shown_name}”{ident}" if shown_name is not None else ""
        return head + quoted + tail

    named = name if connection is not None and mode != "create" else None
    if width is None:
        return line(named, tails[0])
    for tail in tails:
        if cell_len(line(named, tail)) <= width:
            return line(named, tail)
    if named is not None:
        room = width - cell_len(line("", ""))
        if room >= 4:
            return line(set_cell_size(named, room - 1).rstrip() + "…", "")
    full = line(named, "")
    return full if cell_len(full) <= width else set_cell_size(full, max(width - 1, 0)) + "…"
