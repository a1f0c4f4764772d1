"""Confirmations that name the connection; delete also wants the name typed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ..terminal_text import one_line, terminal_safe
from ..widgets.ordered_keys import OrderedInput

_DIALOG_CSS = """
NAME {
    align: center middle;
    background: $background 60%;
    & > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: thick $warning;
        background: $surface;
    }
    & .dialog--title { text-style: bold; width: 1fr; margin-bottom: 1; }
    & .dialog--hint { color: $text-muted; margin-top: 1; }
    & .dialog--hint.-problem { color: $text-warning; text-style: bold; }
    & Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    & Button { margin-left: 2; min-width: 12; }
}
"""


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no about one action on one named connection."""

    DEFAULT_CSS = _DIALOG_CSS.replace("NAME", "ConfirmScreen")
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, title: str, message: str, *, confirm_label: str = "Yes"):
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog--title", markup=False)
            yield Static(self.message)
            yield Static("y confirms · n or esc cancels", classes="dialog--hint")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(self.confirm_label, id="confirm", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")


HINT = "enter deletes once the name matches · esc cancels"


class DeleteConfirmScreen(ModalScreen[bool]):
    """Deleting is final: the operator types the connection's name to confirm."""

    DEFAULT_CSS = _DIALOG_CSS.replace("NAME", "DeleteConfirmScreen").replace("$warning", "$error")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="delete.cancel")]

    def __init__(self, connection_name: str, connection_id: str):
        super().__init__()
        self.connection_name = connection_name
        self.connection_id = connection_id

    def compose(self) -> ComposeResult:
        with Vertical():
            shown = one_line(self.connection_name)
            yield Label(
                f"Delete connection “{shown}” (id {one_line(self.connection_id)})?",
                classes="dialog--title",
                markup=False,
            )
            yield Static(
                "Its device traffic stops flowing to the cloud. This cannot be undone.\n"
                f"Type its name, “{shown}”, to confirm:",
                markup=False,
            )
            # no placeholder: the name in dim grey in the box read as if already typed
            yield OrderedInput(id="typed-name")
            yield Static(HINT, id="delete-hint", classes="dialog--hint")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Delete", id="delete", variant="error", disabled=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def matches(self) -> bool:
        # A name with control characters cannot be typed: its visible form counts too.
        typed = self.query_one(Input).value
        return typed in (self.connection_name, terminal_safe(self.connection_name))

    @on(Input.Changed)
    def _typed(self) -> None:
        self.query_one("#delete", Button).disabled = not self.matches
        hint = self.query_one("#delete-hint", Static)
        if hint.has_class("-problem"):
            hint.update(HINT)
            hint.remove_class("-problem")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.matches:
            self.dismiss(True)
            return
        typed = self.query_one(Input).value
        problem = "Type the name to confirm." if not typed else "The name does not match."
        # said in the dialog, where the eyes are (a toast can sit behind it, or go unread)
        hint = self.query_one("#delete-hint", Static)
        hint.update(f"{problem} Nothing was deleted · esc cancels")
        hint.add_class("-problem")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "delete" and self.matches)

    def action_cancel(self) -> None:
        self.dismiss(False)
