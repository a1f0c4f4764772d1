"""Leaving a changed connection form: keep editing, close keeping the draft, or discard."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

LeaveChoice = Literal["stay", "keep", "discard"]


class LeaveFormScreen(ModalScreen[LeaveChoice]):
    """Asks before a changed form is closed; nothing typed is lost by accident."""

    DEFAULT_CSS = """
    LeaveFormScreen {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 66; max-width: 100%; height: auto; padding: 1 2;
            border: thick $warning; background: $surface;
        }
        & .dialog--title { text-style: bold; width: 1fr; margin-bottom: 1; }
        & .dialog--hint { color: $text-muted; margin-top: 1; }
        & Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
        & Button { margin-left: 1; min-width: 10; }
    }
    """
    BINDINGS = [
        Binding("escape,s", "choose('stay')", "Keep editing", id="leave.stay"),
        Binding("k", "choose('keep')", "Close, keep draft", id="leave.keep"),
        Binding("d", "choose('discard')", "Discard", id="leave.discard"),
    ]

    def __init__(self, what: str, *, draft_saved: bool = True) -> None:
        super().__init__()
        self.what = what
        self.draft_saved = draft_saved

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Leave {self.what}?", classes="dialog--title")
            yield Static(
                "You changed this form and have not submitted it.\n"
                "Keep the draft to resume it later (secrets are never saved: "
                "you type them again), or discard what you typed."
            )
            yield Static(
                "s or esc: keep editing · k: keep draft · d: discard", classes="dialog--hint"
            )
            with Horizontal():
                yield Button("Keep editing", id="stay", variant="primary")
                yield Button("Keep draft", id="keep")
                yield Button("Discard", id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def action_choose(self, choice: LeaveChoice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]
