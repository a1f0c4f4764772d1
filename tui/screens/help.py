"""The `?` screen: the keys of the screen it was opened on, as mapped now, with their ids.

The rows come from the screen's own bindings (see :mod:`tui.screens.keys`), so what
help says is what the keys do; the id column is what ``[keymap]`` in config.toml
remaps. Screens that show health (dashboard, detail) also get the colour legend.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..board import HEALTH_SYMBOL
from ..health import Health
from ..unexpected import GuardedNode
from .keys import KeyHelp

LEGEND = {
    Health.ACTIVE: "OPENED: up and running.",
    Health.INIT: "OPENING, AUTHENTICATING, CLOSING, or CLOSED just after a start.",
    Health.ERROR: "UNREACHABLE, AUTHENTICATION_FAILED, or CLOSED while active.",
    Health.DEACTIVATED: "Switched off by a user.",
}
STYLES = {
    Health.ACTIVE: "green",
    Health.INIT: "yellow",
    Health.ERROR: "bold red",
    Health.DEACTIVATED: "bright_black",
}
FLAGS = [
    ("STUCK", "In a transient state for longer than the threshold."),
    ("FLAP", "Bounced between OPENED, CLOSED and failures too often in the last hour."),
    ("ALARM", "Inside an alarm window, but not OPENED."),
    ("SILENT", "OPENED, no uplink in the last hour, traffic in the last 24 hours."),
    ("LOSS", "Failed or lost uplinks in the last hour above loss_threshold."),
    ("LOW", "Inside an alarm window with fewer uplinks/h than its minimum."),
]
FIGURES = [
    ("UP/H", "Uplinks delivered in the last hour."),
    ("FAIL/H", "Uplinks failed or lost in the last hour."),
    ("LAG", "Messages waiting on Kafka (shown when not zero)."),
    ("⚠ DATA n", "ACTIVE connections with SILENT, LOSS or LOW (in the header)."),
]
"""The data-flow columns and the header's count: figures, not faults, so drawn plain."""
LOWER_BOUND = ("≥ 5m", "Time in state at least this long: the state was held when first seen.")
"""Not a fault, so not drawn like the flags: a note on how to read the IN STATE column."""


class HelpScreen(GuardedNode, ModalScreen[None]):
    """Keys (keys, what they do, binding id) and, if asked, the health legend."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 96; max-width: 100%; height: auto; max-height: 100%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
        & .help--title { text-style: bold; }
        & .help--section { text-style: bold; margin-top: 1; }
        & .help--hint { color: $text-muted; margin-top: 1; }
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def __init__(
        self,
        title: str,
        keys: list[KeyHelp],
        *,
        legend: bool = False,
        read_only: bool = False,
    ):
        super().__init__()
        self.title_text = title
        self.keys = keys
        self.legend = legend
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        table.add_column(style="dim", no_wrap=True)
        for row in self.keys:
            table.add_row(Text(row.keys), Text(row.description), Text(row.binding_id))
        title = f"Keys: {self.title_text}"
        if self.read_only:
            title += " (read-only: keys that change things are switched off)"
        with VerticalScroll():
            yield Static(Text(title), classes="help--title")
            yield Static(table)
            if self.legend:
                yield Static("Health", classes="help--section")
                yield Static(_legend())
            yield Static(
                Text(
                    "esc closes. The right-hand column is the id that remaps a key in "
                    'config.toml, e.g. under [keymap]: "dashboard.faults" = "F". '
                    "The same actions are in the command palette (ctrl+p)."
                ),
                classes="help--hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)


def _legend() -> Table:
    # Two spaces between the columns: with one, "○ DEACTIVATED" ran into its meaning.
    legend = Table.grid(padding=(0, 2))
    legend.add_column(no_wrap=True)
    legend.add_column()
    for health, meaning in LEGEND.items():
        legend.add_row(Text(f"{HEALTH_SYMBOL[health]} {health.value}", STYLES[health]), meaning)
    for flag, meaning in FLAGS:
        legend.add_row(Text(flag, "bold red"), meaning)
    mark, meaning = LOWER_BOUND
    legend.add_row(Text(mark, "bold"), meaning)
    for label, meaning in FIGURES:
        legend.add_row(Text(label, "bold"), meaning)
    return legend
