"""The `?` screen: every key of the dashboard, as currently mapped, and what colours mean."""

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

LEGEND = {
    Health.ACTIVE: "OPENED: up and running",
    Health.INIT: "OPENING, AUTHENTICATING, CLOSING: on its way",
    Health.ERROR: "UNREACHABLE, AUTHENTICATION_FAILED, CLOSED while active",
    Health.DEACTIVATED: "switched off by a user",
}


class HelpScreen(ModalScreen[None]):
    """Keys (key, what it does) with the current keymap, and the health legend."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 76; max-width: 100%; height: auto; max-height: 100%;
            border: thick $accent; background: $surface; padding: 0 1;
        }
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, keys: list[tuple[str, str]], *, read_only: bool = False):
        super().__init__()
        self.keys = keys
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            table.add_row(key, description)
        legend = Table.grid(padding=(0, 1))
        legend.add_column(no_wrap=True)
        legend.add_column()
        styles = {
            Health.ACTIVE: "green",
            Health.INIT: "yellow",
            Health.ERROR: "bold red",
            Health.DEACTIVATED: "bright_black",
        }
        for health, meaning in LEGEND.items():
            legend.add_row(Text(f"{HEALTH_SYMBOL[health]} {health.value}", styles[health]), meaning)
        legend.add_row(Text("STUCK", "bold red"), "in a transient state longer than the threshold")
        legend.add_row(Text("FLAP", "bold red"), "changed state too often in the last hour")
        legend.add_row(Text("ALARM", "bold red"), "inside an alarm window but not OPENED")
        with VerticalScroll():
            title = "Keys" + (" (read-only: nothing can be changed)" if self.read_only else "")
            yield Static(Text(title, "bold"))
            yield Static(table)
            yield Static(Text("\nHealth", "bold"))
            yield Static(legend)
            yield Static(Text("\nesc closes · the same actions are in the palette (ctrl+p)", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
