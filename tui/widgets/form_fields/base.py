"""What every field widget shares: the form's view state, the typed messages, and the row
layout (label, control, help, error) of a single-value field.

Each field widget holds the node it edits, so an event is handled by the widget that owns
the control: nothing parses widget ids. Ids (``f-<uid>`` for the control that edits a node,
``e-<uid>`` for its error line) exist only so focus can jump to a field the engine names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from rich.text import Text
from textual import events
from textual._context import active_app
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.forms import FieldNode, JsonField, MapField, ScalarField

UNCHANGED_PLACEHOLDER = "type it again to keep it"
"""In an emptied secret of an edit (the line under it says why): short enough for the input
at 80 columns, beside its label and the show button."""


class FieldFactory(Protocol):
    """Builds the widgets of a node; groups call it for their children (the form implements
    it, so a group module never imports the form, and no module imports another's kinds)."""

    def __call__(self, node: FieldNode, label: Text | None = None) -> Iterator[Widget]: ...


@dataclass
class FormView:
    """View state the field widgets of one form share (values live in the tree)."""

    build: FieldFactory
    touched: set[int] = field(default_factory=set)
    """Fields the user has left: their errors show before a full check."""
    revealed: set[int] = field(default_factory=set)
    collapsed: dict[int, bool] = field(default_factory=dict)
    show_all_errors: bool = False
    """After a full check (next step, submit) every error shows, touched or not."""

    def visible_error(self, node: FieldNode) -> str | None:
        if not (self.show_all_errors or node.uid in self.touched):
            return None
        message = node.error
        parent = node.parent
        if isinstance(parent, MapField):
            for row in parent.rows:
                if row.value is node and row.key_error:
                    message = f"name: {row.key_error}" + (f"; {message}" if message else "")
        return message


class FieldEdited(Message):
    """A value changed; ``structural`` when items, rows or a variant changed."""

    def __init__(self, node: FieldNode, structural: bool = False) -> None:
        super().__init__()
        self.node = node
        self.structural = structural


def required_style() -> str:
    """The style of the required marker ``*``: bold red, or bold in the text's own colour
    without colour (NO_COLOR turns every colour grey by its brightness, and red becomes
    the dark grey of the background: the ``*`` vanished)."""
    try:
        no_color = active_app.get().no_color
    except LookupError:  # built outside a running app (a unit test)
        no_color = False
    return "bold" if no_color else "bold red"


def label_text(node: FieldNode, *, required: bool | None = None) -> Text:
    """A field's label with a ``*`` (:func:`required_style`) when it is required."""
    text = Text(node.label)
    if node.required if required is None else required:
        text.append(" *", style=required_style())
    return text


def help_lines(node: FieldNode, extra: str | None = None) -> Iterable[Widget]:
    texts = [t for t in (node.help, extra) if t]
    if texts:
        # A descriptor's help may end without a full stop ("Sent as Authorization: Bearer
        # <token>"): one goes in before the next sentence, so the two do not run together.
        joined = [t if i == len(texts) - 1 or t.rstrip()[-1:] in ".!?:" else t.rstrip() + "."
                  for i, t in enumerate(texts)]
        yield Static(Text(" ".join(joined)), classes="field--help")


def scalar_hint(node: FieldNode) -> str | None:
    """The sentence under a field that says why it is the way it is."""
    if isinstance(node, ScalarField) and node.unchanged:
        return (
            "The server masks secrets, and saving replaces the whole configuration: "
            "type this secret again."
        )
    if isinstance(node, JsonField) and node.reason:
        # the whole configuration (too large for fields): the engine's sentence says why
        return node.reason if node.parent is None else f"Edited as JSON: {node.reason}."
    return None


class ErrorLine(Static):
    """``✗ sentence`` under a field, hidden until the field was left or the form checked."""

    def __init__(self, node: FieldNode, view: FormView) -> None:
        message = view.visible_error(node)
        super().__init__(
            Text(f"✗ {message}" if message else ""),
            id=f"e-{node.uid}",
            classes="field--error" + ("" if message else " -hidden"),
        )
        self.node = node
        self.view = view
        self.shown = message

    def show(self) -> None:
        message = self.view.visible_error(self.node)
        if message == self.shown:
            return  # an update re-lays out the whole form: costly on a large one
        self.shown = message
        self.update(Text(f"✗ {message}" if message else ""))
        self.set_class(not message, "-hidden")


class FieldBox(Vertical):
    """A widget that edits one node (a row, a group): the form finds nodes through these."""

    def __init__(self, node: FieldNode, view: FormView, label: Text | None = None, **kw) -> None:
        super().__init__(**kw)
        self.node = node
        self.view = view
        self.label = label

    def edited(self, *, structural: bool = False) -> None:
        self.show_error()
        self.post_message(FieldEdited(self.node, structural))

    def show_error(self) -> None:
        for line in self.query(ErrorLine):
            if line.node is self.node:
                line.show()


class GroupBox(FieldBox):
    """A node whose children sit in a box titled with its label (object, list, map)."""

    def __init__(self, node: FieldNode, view: FormView, label: Text | None = None) -> None:
        super().__init__(node, view, label, classes="group", id=f"g-{node.uid}")
        self.border_title = (label or label_text(node)).markup


class FieldRow(FieldBox):
    """Label, control(s), help and error of one value (text, number, switch, choice)."""

    def __init__(self, node: FieldNode, view: FormView, label: Text | None = None) -> None:
        super().__init__(node, view, label, classes="field", id=f"row-{node.uid}")

    def controls(self) -> Iterable[Widget]:
        """The widgets on the label's line; the first one with id ``f-<uid>`` edits the node."""
        raise NotImplementedError

    def below(self) -> Iterable[Widget]:
        """Widgets under the line (a file input)."""
        return ()

    def compose(self) -> ComposeResult:
        yield Horizontal(
            Label(self.label or label_text(self.node), classes="field--label"),
            *self.controls(),
            classes="field--line",
        )
        yield from self.below()
        yield from help_lines(self.node, scalar_hint(self.node))
        yield ErrorLine(self.node, self.view)

    def is_control(self, widget: Widget) -> bool:
        return widget.id == f"f-{self.node.uid}"

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if not self.is_control(event.widget):
            return
        node = self.node
        self.view.touched.add(node.uid)
        if isinstance(node, ScalarField | JsonField) and not node.error:
            errors = node.validate_self()
            node.error = errors[0].message if errors else None
        self.show_error()
