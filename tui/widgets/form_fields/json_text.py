"""A part of the schema the engine cannot make fields of, edited as JSON text."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import TextArea

from tui.forms import JsonField

from ..ordered_keys import OrderedTextArea
from .base import FieldRow


class JsonEditor(FieldRow):
    """A TextArea; the engine parses the text and checks it against the sub-schema."""

    node: JsonField

    def controls(self) -> Iterable[Widget]:
        area = OrderedTextArea(
            self.node.text,
            id=f"f-{self.node.uid}",
            soft_wrap=True,
            show_line_numbers=False,
            # the whole configuration (a schema too large for fields) gets room to work
            classes="-json" + (" -whole" if self.node.parent is None else ""),
        )
        try:
            area.language = "json"
        except Exception:  # noqa: BLE001 - the tree-sitter grammar is optional
            pass
        yield area

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area.text != self.node.text:
            self.node.set_text(event.text_area.text)
            self.edited()
