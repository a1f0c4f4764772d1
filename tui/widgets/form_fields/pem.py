"""Certificates and keys: a :class:`~tui.widgets.pem_input.PemInput` bound to a node."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Button

from tui.forms import ScalarField
from tui.widgets.pem_input import PemInput

from .base import UNCHANGED_PLACEHOLDER, FieldRow
from .text import reveal_button


class PemField(FieldRow):
    """Multi-line PEM text; a secret one stays masked until ``ctrl+r``."""

    node: ScalarField

    def controls(self) -> Iterable[Widget]:
        node = self.node
        yield PemInput(
            node.text,
            masked=node.secret and node.uid not in self.view.revealed,
            unchanged_hint=UNCHANGED_PLACEHOLDER if node.unchanged else None,
            editor_id=f"f-{node.uid}",
            file_id=f"f-{node.uid}-file",
        )
        if node.secret:
            yield reveal_button(node.uid, node.uid in self.view.revealed)

    @on(PemInput.Changed)
    def _changed(self, event: PemInput.Changed) -> None:
        event.stop()
        node = self.node
        if event.text == node.text and not event.loaded_from:
            return
        node.set_text(event.text)
        if event.loaded_from or event.text == "":
            self.view.touched.add(node.uid)
        self.edited()
        if event.loaded_from:
            self.notify(f"Loaded {node.label} from {event.loaded_from}.", timeout=3)

    @on(PemInput.Failed)
    def _failed(self, event: PemInput.Failed) -> None:
        event.stop()
        self.view.touched.add(self.node.uid)
        self.node.error = event.reason
        self.show_error()

    def load_file(self, path: str) -> bool:
        return self.query_one(PemInput).load_file(path)

    @on(Button.Pressed)
    async def _reveal_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.toggle_reveal()

    async def toggle_reveal(self) -> None:
        uid = self.node.uid
        revealed = self.view.revealed
        if uid in revealed:
            revealed.discard(uid)
        else:
            revealed.add(uid)
        await self.query_one(PemInput).set_masked(uid not in revealed)
        self.query_one(f"#f-{uid}-reveal", Button).label = "hide" if uid in revealed else "show"
        self.screen.set_focus(self.query_one(f"#f-{uid}"))
