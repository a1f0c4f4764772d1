"""Objects and oneOf/anyOf choices: a bordered group of the child fields."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Select

from tui.forms import ArrayField, ChoiceField, FieldNode, MapField, ObjectField
from tui.forms.fields.choice import NOT_SET

from .base import ErrorLine, FieldBox, FormView, GroupBox, help_lines, label_text
from .dropdown import Dropdown


def object_fields(node: ObjectField, view: FormView) -> Iterator[Widget]:
    """The widgets of an object's fields, in schema order, then its unknown keys."""
    for child in node.fields.values():
        yield from view.build(child)
    if node.extra is not None:
        yield from view.build(node.extra)


def first_control_id(node: FieldNode) -> str:
    """The id of the first control that edits ``node`` or something inside it."""
    for inner in node.walk():
        if isinstance(inner, ObjectField) and inner.optional and not inner.chosen:
            return f"f-{inner.uid}"  # its "(not set)" Select: the fields are not shown
        if inner.kind in ("string", "integer", "number", "secret", "pem", "boolean", "enum"):
            return f"f-{inner.uid}"
        if inner.kind == "json" or isinstance(inner, ChoiceField):
            return f"f-{inner.uid}"
        if isinstance(inner, ArrayField | MapField) and not inner.children():
            return f"f-{inner.uid}-add"
    return f"f-{node.uid}"


class ObjectGroup(GroupBox):
    """A nested object: its fields in a box titled with its label."""

    node: ObjectField

    def compose(self) -> ComposeResult:
        yield from help_lines(self.node)
        yield from object_fields(self.node, self.view)
        yield ErrorLine(self.node, self.view)


class _PickedGroup(FieldBox):
    """A Select on the field's line and, under it, what the pick shows (``_body_widgets``).

    Picking replaces only the part under the Select, so the focus stays where it was and
    nothing typed elsewhere is touched.
    """

    _select: Select
    _body: Vertical

    def _body_widgets(self) -> Iterator[Widget]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="field"):
            yield Horizontal(
                Label(self.label or label_text(self.node), classes="field--label"),
                self._select,
                classes="field--line",
            )
            yield from help_lines(self.node)
            yield ErrorLine(self.node, self.view)
        with self._body:
            yield from self._body_widgets()

    async def _show_pick(self) -> None:
        await self._body.remove_children()
        await self._body.mount_all(list(self._body_widgets()))
        self.edited(structural=True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self._select:
            self.view.touched.add(self.node.uid)
            self.show_error()


class OptionalGroup(_PickedGroup):
    """An optional group (a proxy): "(not set)" or "set", and its fields once set.

    Shown only when chosen, so a group that will not be sent never shows fields marked
    required; choosing "set" sends it (its required fields then checked).
    """

    node: ObjectField

    def __init__(self, node: ObjectField, view: FormView, label: Text | None = None) -> None:
        super().__init__(node, view, label, classes="choice", id=f"row-{node.uid}")
        self._select = Dropdown(
            [("set", "set")],
            value="set" if node.chosen else Select.NULL,
            prompt=NOT_SET,
            allow_blank=True,
            compact=True,
            id=f"f-{node.uid}",
        )
        self._body = Vertical(classes="variant")

    def _body_widgets(self) -> Iterator[Widget]:
        node = self.node
        if not node.chosen:
            return
        group = Vertical(*object_fields(node, self.view), classes="group", id=f"g-{node.uid}")
        group.border_title = node.label
        yield group

    @on(Select.Changed)
    async def _picked(self, event: Select.Changed) -> None:
        if event.select is not self._select:
            return
        event.stop()
        on = event.value == "set"
        if on == self.node.chosen:
            return
        self.node.choose(on)
        await self._show_pick()


class ChoiceGroup(_PickedGroup):
    """A Select of the variants and, under it, the fields of the chosen one."""

    node: ChoiceField

    def __init__(self, node: ChoiceField, view: FormView, label: Text | None = None) -> None:
        super().__init__(node, view, label, classes="choice", id=f"row-{node.uid}")
        self._select = Dropdown(
            [(text, i) for i, text in enumerate(node.variant_labels)],
            value=node.selected,
            allow_blank=False,
            compact=True,
            id=f"f-{node.uid}",
        )
        self._body = Vertical(classes="variant")

    def _body_widgets(self) -> Iterator[Widget]:
        node = self.node
        active = node.active
        if active is None:
            return
        if isinstance(active, ObjectField):
            group = Vertical(
                *object_fields(active, self.view),
                ErrorLine(active, self.view),
                classes="group",
                id=f"g-{active.uid}",
            )
            group.border_title = f"{node.label}: {node.variant_labels[node.selected]}"
            yield group
        else:
            yield from self.view.build(active, Text("  value"))

    @on(Select.Changed)
    async def _picked(self, event: Select.Changed) -> None:
        if event.select is not self._select:
            return
        event.stop()
        if not isinstance(event.value, int) or event.value == self.node.selected:
            return
        self.node.select(event.value)
        await self._show_pick()
