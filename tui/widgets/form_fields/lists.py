"""Arrays: one entry per item, with move up/down and remove, and an "add" button.

An item that holds several fields is a collapsible box titled with its first values; a
one-value item is a row. Adding, moving or removing rebuilds only this list, then puts
the focus on the new or moved entry (so the operator keeps their place).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Label

from tui.forms import ArrayField, ChoiceField, FieldNode, MapField, ObjectField, ScalarField

from .base import ErrorLine, FormView, GroupBox, help_lines
from .groups import first_control_id, object_fields


def item_title(array: ArrayField, index: int, item: FieldNode) -> str:
    """``#2 · 0011223344556677 · $.temperature``: the first filled values say which item."""
    parts = [f"#{index + 1}"]
    for node in item.walk():
        if isinstance(node, ScalarField) and not node.secret and node.text and node is not item:
            if node.origin in ("user", "loaded"):
                parts.append(node.text if len(node.text) <= 24 else node.text[:23] + "…")
        if len(parts) >= 3:
            break
    return " · ".join(parts)


class EntryButton(Button):
    """A button acting on one entry (``up``, ``down``, ``rm``) of a list or map."""

    def __init__(self, label: str, entry: FieldNode, action: str, **kw) -> None:
        super().__init__(label, id=f"b-{entry.uid}-{action}", compact=True, **kw)
        self.entry = entry
        self.entry_action = action


class AddButton(Button):
    """``+ add …`` under a list or map."""

    def __init__(self, label: str, target: FieldNode, **kw) -> None:
        super().__init__(label, id=f"f-{target.uid}-add", compact=True, **kw)
        self.adds_to = target


class ListItem(Collapsible):
    """An item with several fields; its title follows what is typed in it."""

    def __init__(self, *children: Widget, array: ArrayField, item: FieldNode, view: FormView):
        index = array.items.index(item)
        super().__init__(
            *children,
            title=item_title(array, index, item),
            collapsed=view.collapsed.get(item.uid, False),
            id=f"c-{item.uid}",
        )
        self.array = array
        self.item = item
        self.view = view

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if self.item in self.array.items:
            self.title = item_title(self.array, self.array.items.index(self.item), self.item)

    @on(Collapsible.Toggled)
    def _toggled(self, event: Collapsible.Toggled) -> None:
        if event.collapsible is self:
            self.view.collapsed[self.item.uid] = self.collapsed


class ListGroup(GroupBox):
    """An array of values or objects."""

    node: ArrayField

    def compose(self) -> ComposeResult:
        node = self.node
        yield from help_lines(node)
        count = len(node.items)
        for i, item in enumerate(node.items):
            yield from self._item(i, count, item)
        yield Horizontal(
            AddButton(
                f"+ add {'an item' if not count else 'another'}", node, disabled=not node.can_add
            ),
            classes="toolbar",
        )
        yield ErrorLine(node, self.view)

    def _item(self, i: int, count: int, item: FieldNode) -> Iterator[Widget]:
        buttons = [
            EntryButton("▲ up", item, "up", disabled=i == 0),
            EntryButton("▼ down", item, "down", disabled=i == count - 1),
            EntryButton("✕ remove", item, "rm", variant="error"),
        ]
        if isinstance(item, ObjectField | ArrayField | MapField | ChoiceField):
            inner: list[Widget] = [Horizontal(*buttons, classes="toolbar")]
            if isinstance(item, ObjectField):
                inner.extend(object_fields(item, self.view))
                inner.append(ErrorLine(item, self.view))
            else:
                inner.extend(self.view.build(item, Text("Value")))
            yield ListItem(*inner, array=self.node, item=item, view=self.view)
            return
        widgets = list(self.view.build(item, Text(f"#{i + 1}")))
        row = widgets[0] if len(widgets) == 1 else Vertical(*widgets, classes="field")
        yield Vertical(
            row,
            Horizontal(Label("", classes="field--label"), *buttons, classes="toolbar"),
            classes="field",
        )

    def owns(self, button: Button) -> bool:
        """True for this list's own "+ add" and entry buttons (not a nested list's)."""
        node = self.node
        return (isinstance(button, AddButton) and button.adds_to is node) or (
            isinstance(button, EntryButton) and button.entry in node.items
        )

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        if self.owns(event.button):
            event.stop()
            await self.act(event.button)

    async def act(self, button: Button) -> None:
        """Add, move or remove an item, then focus where the operator's place is now."""
        node = self.node
        if isinstance(button, AddButton):
            if not node.can_add:
                return
            item = node.add_item()
            self.view.collapsed[item.uid] = False
            await self.changed(first_control_id(item))
        elif isinstance(button, EntryButton):
            index = node.items.index(button.entry)
            if button.entry_action == "rm":
                node.remove_item(index)
                rest = node.items
                focus = f"b-{rest[min(index, len(rest) - 1)].uid}-rm" if rest else button.id
                await self.changed(focus if rest else f"f-{node.uid}-add")
            else:
                moved = node.move_item(index, -1 if button.entry_action == "up" else 1)
                # keep the focus on the same button of the moved item, unless it is now
                # disabled (at the top or bottom): then on the item's other move button
                action = button.entry_action
                if (action == "up" and moved == 0) or (
                    action == "down" and moved == len(node.items) - 1
                ):
                    action = "down" if action == "up" else "up"
                await self.changed(f"b-{button.entry.uid}-{action}")

    async def changed(self, focus_id: str) -> None:
        """Rebuild this list after a structural change and focus ``focus_id``."""
        await self.recompose()
        self.edited(structural=True)
        focus_within(self, focus_id)


def focus_within(widget: Widget, focus_id: str) -> bool:
    """Focus the descendant ``focus_id`` and scroll it into view (not to the top)."""
    found = widget.query(f"#{focus_id}")
    if not found:
        return False
    target = found.first()
    if target.disabled or not target.can_focus:
        return False
    # set_focus, not focus(): focus() is deferred, and keys already queued (a fast typist,
    # a laggy SSH link) would still go to the old focus
    target.screen.set_focus(target, scroll_visible=False)
    target.call_after_refresh(target.scroll_visible, animate=False)
    return True
