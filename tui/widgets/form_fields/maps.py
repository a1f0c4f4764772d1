"""Maps (an object whose keys the user chooses): one row per entry, name and value."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input

from tui.forms import FieldNode, MapField, ScalarField

from ..ordered_keys import OrderedInput
from .base import ErrorLine, FieldBox, FormView, GroupBox, help_lines
from .lists import AddButton, EntryButton, focus_within


def one_line(value: FieldNode) -> bool:
    """A value that fits on the row next to its name (text or a number)."""
    return (
        isinstance(value, ScalarField)
        and not value.multiline
        and value.kind not in ("enum", "boolean")
    )


class MapEntry(FieldBox):
    """The name input, the value (an input on the same line, or a field below) and ✕."""

    def __init__(self, field: MapField, value: FieldNode, view: FormView) -> None:
        super().__init__(value, view, classes="maprow", id=f"row-{value.uid}")
        self.map = field
        row = next(r for r in field.rows if r.value is value)
        self._key = OrderedInput(
            row.key,
            placeholder="name",
            compact=True,
            id=f"k-{value.uid}",
            classes="keyinput",
            select_on_focus=False,  # as in every form field: typing adds, never replaces
        )
        self._value: Input | None = None
        if isinstance(value, ScalarField) and one_line(value):
            self._value = OrderedInput(
                value.text,
                placeholder="value",
                compact=True,
                id=f"f-{value.uid}",
                password=value.secret and value.uid not in view.revealed,
                select_on_focus=False,
            )

    def compose(self) -> ComposeResult:
        remove = EntryButton("✕", self.node, "rm", variant="error", tooltip="remove this entry")
        if self._value is not None:
            yield Horizontal(self._key, self._value, remove, classes="field--line")
            yield ErrorLine(self.node, self.view)
        else:
            yield Horizontal(self._key, remove, classes="field--line")
            yield from self.view.build(self.node, Text("value"))

    @property
    def index(self) -> int:
        return next(i for i, r in enumerate(self.map.rows) if r.value is self.node)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        node = self.node
        if event.input is self._key:
            event.stop()
            if self.map.rows[self.index].key == event.value:
                return
            self.map.set_key(self.index, event.value)
            # a value becomes secret when its name says so (Authorization, *token*, ...)
            if self._value is not None and isinstance(node, ScalarField):
                self._value.password = node.secret and node.uid not in self.view.revealed
            self.edited()
        elif event.input is self._value and isinstance(node, ScalarField):
            event.stop()
            if event.value != node.text:
                node.set_text(event.value)
                self.edited()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if event.input in (self._key, self._value):
            event.stop()
            self.screen.focus_next()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget not in (self._key, self._value):
            return
        node = self.node
        self.view.touched.add(node.uid)
        if isinstance(node, ScalarField) and not node.error:
            errors = node.validate_self()
            node.error = errors[0].message if errors else None
        self.show_error()

    def toggle_reveal(self) -> None:
        if self._value is None:
            return
        uid = self.node.uid
        self.view.revealed ^= {uid}
        self._value.password = uid not in self.view.revealed


class MapGroup(GroupBox):
    """A map: its entries, then "+ add an entry"."""

    node: MapField

    def compose(self) -> ComposeResult:
        yield from help_lines(self.node)
        for row in self.node.rows:
            yield MapEntry(self.node, row.value, self.view)
        yield Horizontal(AddButton("+ add an entry", self.node), classes="toolbar")
        yield ErrorLine(self.node, self.view)

    def owns(self, button: Button) -> bool:
        """True for this map's own "+ add" and ✕ buttons (not a nested one's)."""
        node = self.node
        return (isinstance(button, AddButton) and button.adds_to is node) or (
            isinstance(button, EntryButton) and any(r.value is button.entry for r in node.rows)
        )

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        if self.owns(event.button):
            event.stop()
            await self.act(event.button)

    async def act(self, button: Button) -> None:
        """Add or remove an entry, then focus the new name or the next entry."""
        node = self.node
        if isinstance(button, AddButton):
            row = node.add_row()
            await self.changed(f"k-{row.value.uid}")
        elif isinstance(button, EntryButton):
            index = next(i for i, r in enumerate(node.rows) if r.value is button.entry)
            node.remove_row(index)
            rest = node.rows
            await self.changed(
                f"k-{rest[min(index, len(rest) - 1)].value.uid}" if rest else f"f-{node.uid}-add"
            )

    async def changed(self, focus_id: str) -> None:
        await self.recompose()
        self.edited(structural=True)
        focus_within(self, focus_id)
