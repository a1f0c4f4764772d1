"""Checkboxes and radio buttons that say their state in text: ``[x] Mo`` / ``[ ] Mo`` and
``(•) never`` / ``( ) never``. Textual's own draw the same ``X`` or ``●`` on and off and rely on
its colour, which reads the same either way under ``NO_COLOR`` or on a dim terminal."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class TextCheckbox(Checkbox):
    """A checkbox drawn ``[x]`` when on and ``[ ]`` when off."""

    @property
    def _button(self) -> Content:
        return Content.assemble(
            ("[x]" if self.value else "[ ]", self.get_visual_style("toggle--label"))
        )


class TextRadioButton(RadioButton):
    """A radio button drawn ``(•)`` when chosen and ``( )`` when not."""

    @property
    def _button(self) -> Content:
        return Content.assemble(
            ("(•)" if self.value else "( )", self.get_visual_style("toggle--label"))
        )
