"""``CommonSettings``: the name and the active switch every connection has."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static, Switch

from tui.forms.submission import name_problem

from .form_fields.base import required_style
from .form_fields.switch import TextSwitch
from .ordered_keys import OrderedInput


class CommonSettings(Vertical):
    """Name (required) and Active; the create-only hint shows only when creating.

    Posts :class:`Changed` when the user changes either (not when :meth:`set_values` does).
    """

    DEFAULT_CSS = """
    CommonSettings { height: auto; }
    CommonSettings .field { height: auto; margin-bottom: 1; }
    CommonSettings .field--line { height: auto; }
    CommonSettings .field--label { width: 26; padding-right: 1; }
    CommonSettings Input { width: 1fr; }
    CommonSettings .field--error { color: $text-error; text-style: bold; padding-left: 26; }
    CommonSettings .field--error.-hidden { display: none; }
    CommonSettings .field--help { color: $text-muted; padding-left: 26; }
    """

    class Changed(Message):
        """The user changed the name or the active switch."""

    def __init__(self, *, creating: bool, **kw: Any) -> None:
        super().__init__(**kw)
        self.creating = creating
        self.checking = False
        """Once the form was checked, the name's error follows every keystroke."""
        self._shown = ("", True)

    def compose(self) -> ComposeResult:
        with Vertical(classes="field"):
            with Horizontal(classes="field--line"):
                yield Label(Text.assemble("Name", (" *", required_style())), classes="field--label")
                yield OrderedInput(id="conn-name", compact=True, select_on_focus=False)
            yield Static("Shown in the connection list", classes="field--help")
            yield Static(id="e-name", classes="field--error -hidden")
        with Vertical(classes="field"):
            with Horizontal(classes="field--line"):
                yield Label("Active", classes="field--label")
                yield TextSwitch(True, id="conn-active")
            if self.creating:
                # an edit changes an existing connection: "creates" would mislead there
                yield Static("Off creates it stopped (DEACTIVATED)", classes="field--help")

    @property
    def connection_name(self) -> str:
        return self.query_one("#conn-name", Input).value

    @property
    def is_active(self) -> bool:
        return self.query_one("#conn-active", Switch).value

    def set_values(self, name: str, active: bool) -> None:
        self._shown = (name, active)
        self.query_one("#conn-name", Input).value = name
        self.query_one("#conn-active", Switch).value = active

    def show_name_error(self, message: str | None) -> None:
        box = self.query_one("#e-name", Static)
        box.update(Text(f"✗ {message}" if message else ""))
        box.set_class(not message, "-hidden")

    @on(Input.Changed, "#conn-name")
    def _name_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._shown[0]:
            return
        self._shown = (event.value, self._shown[1])
        self.post_message(self.Changed())
        if self.checking:
            self.show_name_error(name_problem(event.value))

    @on(Input.Blurred, "#conn-name")
    def _name_left(self, event: Input.Blurred) -> None:
        self.show_name_error(name_problem(event.value))

    @on(Switch.Changed, "#conn-active")
    def _active_changed(self, event: Switch.Changed) -> None:
        event.stop()
        if event.value != self._shown[1]:
            self._shown = (self._shown[0], event.value)
            self.post_message(self.Changed())
