"""One-line text: strings, integers, numbers and one-line secrets (masked until revealed)."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Button, Input

from tui.forms import ScalarField

from ..ordered_keys import OrderedInput
from .base import UNCHANGED_PLACEHOLDER, FieldRow


def reveal_button(uid: int, revealed: bool) -> Button:
    button = Button(
        "hide" if revealed else "show",
        id=f"f-{uid}-reveal",
        classes="reveal",
        tooltip="ctrl+r shows or hides the secret under the cursor",
        compact=True,
    )
    button.can_focus = False  # ctrl+r is the keyboard way; keeps tab stops few
    return button


class TextField(FieldRow):
    """An Input; numbers show their range as the placeholder."""

    node: ScalarField

    def controls(self) -> Iterable[Widget]:
        node = self.node
        placeholder = ""
        if node.unchanged:
            placeholder = UNCHANGED_PLACEHOLDER
        elif node.kind in ("integer", "number"):
            lo, hi = node.schema.get("minimum"), node.schema.get("maximum")
            if lo is not None and hi is not None:
                placeholder = f"{lo}–{hi}"
        yield OrderedInput(
            node.text,
            placeholder=placeholder,
            password=node.secret and node.uid not in self.view.revealed,
            compact=True,
            id=f"f-{node.uid}",
            select_on_focus=False,
        )
        if node.secret:
            yield reveal_button(node.uid, node.uid in self.view.revealed)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        node = self.node
        if event.value == node.text and not node.unchanged:
            return
        if event.value == "" and node.unchanged:
            return
        node.set_text(event.value)
        self.edited()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    @on(Button.Pressed)
    def _reveal_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.toggle_reveal()

    def toggle_reveal(self) -> None:
        """Show or hide the secret (the view remembers it across rebuilds)."""
        uid = self.node.uid
        revealed = self.view.revealed
        if uid in revealed:
            revealed.discard(uid)
        else:
            revealed.add(uid)
        self.query_one(f"#f-{uid}", Input).password = uid not in revealed
        self.query_one(f"#f-{uid}-reveal", Button).label = "hide" if uid in revealed else "show"
