"""``ConnectorPicker``: step 1 of a new connection, a filter over the connector catalogue.

The filter can be typed before the catalogue has arrived: the list is filtered as soon as
it does, and Enter picks nothing until then (it never opens a connector the filter does
not match).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.api import Connector

from .ordered_keys import OrderedInput

LOADING = "Loading the connectors…"
NO_MATCH = "No connector matches the filter."


def matches(connector: Connector, needle: str) -> bool:
    needle = needle.strip().lower()
    hay = f"{connector.id} {connector.description} {connector.short_name}".lower()
    return not needle or needle in hay


class ConnectorPicker(Vertical):
    """Filter input, connector list, and a line of keys; posts :class:`Picked`."""

    DEFAULT_CSS = """
    ConnectorPicker { height: 1fr; }
    ConnectorPicker #connector-filter { margin: 1 0 0 0; }
    ConnectorPicker #connector-list { height: 1fr; }
    ConnectorPicker .step-help { color: $text-muted; height: auto; }
    """

    class Picked(Message):
        def __init__(self, connector: Connector) -> None:
            super().__init__()
            self.connector = connector

    def __init__(self, has_draft: Callable[[str], bool], **kw) -> None:
        super().__init__(**kw)
        self.has_draft = has_draft
        self.connectors: list[Connector] | None = None
        """None until the catalogue has arrived."""

    def compose(self) -> ComposeResult:
        yield OrderedInput(
            placeholder="filter: part of a name or description",
            id="connector-filter",
            compact=True,
        )
        yield OptionList(Option(LOADING, disabled=True), id="connector-list")
        yield Static("type to filter · ↑↓ move · enter picks · esc cancels", classes="step-help")

    @property
    def filter_input(self) -> Input:
        return self.query_one("#connector-filter", Input)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#connector-list", OptionList)

    def set_connectors(self, connectors: list[Connector]) -> None:
        """The catalogue arrived: list it, filtered by whatever was typed meanwhile."""
        self.connectors = sorted(connectors, key=lambda c: c.id.lower())
        self.refill()

    def show_error(self, message: str) -> None:
        self.option_list.set_options([Option(message, disabled=True)])

    def refill(self) -> None:
        if self.connectors is None:
            return
        needle = self.filter_input.value
        options = [self._option(c) for c in self.connectors if matches(c, needle)]
        olist = self.option_list
        olist.set_options(options or [Option(NO_MATCH, disabled=True)])
        if options:
            olist.highlighted = 0

    def _option(self, c: Connector) -> Option:
        line = Text(c.id, style="bold")
        line.append(f"  {c.version}" if c.version else "", style="cyan")
        if c.beta:
            line.append("  beta", style="bold yellow")
        if self.has_draft(c.id):
            line.append("  draft saved", style="magenta")
        line.append(f"\n  {c.description or '(no description)'}", style="dim")
        return Option(line, id=c.id)

    def highlighted_connector(self) -> Connector | None:
        """The connector under the cursor; None while loading or when nothing matches."""
        olist = self.option_list
        if self.connectors is None or olist.highlighted is None:
            return None
        option = olist.get_option_at_index(olist.highlighted)
        if option.disabled:
            return None
        return next((c for c in self.connectors if c.id == option.id), None)

    def pick_highlighted(self) -> bool:
        connector = self.highlighted_connector()
        if connector is None:
            if self.connectors is None:
                self.notify("The connectors are still loading.", timeout=3)
            return False
        self.post_message(self.Picked(connector))
        return True

    @on(Input.Changed, "#connector-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    @on(Input.Submitted, "#connector-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.pick_highlighted()

    @on(OptionList.OptionSelected, "#connector-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick_highlighted()

    def move(self, step: int) -> None:
        """Move the list's highlight from the filter (the form's up and down keys)."""
        if step > 0:
            self.option_list.action_cursor_down()
        else:
            self.option_list.action_cursor_up()
