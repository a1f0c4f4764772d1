"""Booleans and enums: a switch (``[x] on`` / ``[ ] off``), or a Select that can stay unset.

An optional boolean or enum without a default starts with no selection (``Select.NULL``,
the no-selection sentinel; ``Select.BLANK`` is Textual's ``Widget.BLANK``, i.e. ``False``,
and refused as a value) and is not sent until the user picks something.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Select, Switch

from tui.forms import ScalarField

from .base import FieldRow
from .dropdown import Dropdown
from .switch import TextSwitch

YES_NO = [("yes", "yes"), ("no", "no")]


class BooleanField(FieldRow):
    """A :class:`TextSwitch` when the field always has a value, else yes/no/(not set)."""

    node: ScalarField

    @property
    def uses_switch(self) -> bool:
        return self.node.required or "default" in self.node.schema

    def controls(self) -> Iterable[Widget]:
        node = self.node
        if self.uses_switch:
            yield TextSwitch(bool(node.value), id=f"f-{node.uid}")
            return
        value = Select.NULL if node.value is None else ("yes" if node.value else "no")
        yield Dropdown(
            YES_NO,
            value=value,
            prompt="(not set)",
            allow_blank=True,
            compact=True,
            id=f"f-{node.uid}",
        )

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        event.stop()
        if self.node.value != event.value:
            self.node.set_value(event.value)
            self.edited()

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        new = None if event.value is Select.NULL else event.value == "yes"
        if new == self.node.value:
            return
        self.node.set_value(new)
        self.view.touched.add(self.node.uid)
        self.edited()


class EnumField(FieldRow):
    """A Select of the schema's options; "(not set)" unless required with a value."""

    node: ScalarField

    def controls(self) -> Iterable[Widget]:
        node = self.node
        options = [(text, i) for i, text in enumerate(node.option_labels)]
        index = node.options.index(node.value) if node.value in node.options else None
        yield Dropdown(
            options,
            value=Select.NULL if index is None else index,
            prompt="(choose one)" if node.required else "(not set)",
            allow_blank=index is None or not node.required,
            compact=True,
            id=f"f-{node.uid}",
        )

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        node = self.node
        value = event.value
        new = node.options[value] if isinstance(value, int) else None
        if new == node.value and (new is not None or node.text == ""):
            return
        node.set_value(new)
        self.view.touched.add(node.uid)
        self.edited()
