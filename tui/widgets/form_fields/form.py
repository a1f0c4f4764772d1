"""``SchemaForm``: a connector configuration form (a :class:`tui.forms.FormTree`) as widgets.

The form picks one widget per node kind (see :meth:`SchemaForm.build`); each widget edits
its node and posts :class:`~.base.FieldEdited`. The tree holds every value; the form holds
only view state (which fields were left, revealed, collapsed) in a :class:`~.base.FormView`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Collapsible

from tui.forms import (
    ArrayField,
    ChoiceField,
    FieldNode,
    FormTree,
    JsonField,
    MapField,
    ObjectField,
    ScalarField,
)
from tui.forms.sections import Section, sections_of

from .base import ErrorLine, FieldBox, FormView
from .choices import BooleanField, EnumField
from .groups import ChoiceGroup, ObjectGroup, OptionalGroup, first_control_id, object_fields
from .json_text import JsonEditor
from .lists import ListGroup, focus_within
from .maps import MapEntry, MapGroup
from .pem import PemField
from .sections import FormSection
from .text import TextField


class SchemaForm(Vertical):
    """Widgets for every node of a :class:`FormTree`; see the module docstring."""

    DEFAULT_CSS = """
    SchemaForm { height: auto; }
    SchemaForm .field { height: auto; margin-bottom: 1; }
    SchemaForm .field--line { height: auto; }
    SchemaForm .field--label { width: 26; padding-right: 1; }
    SchemaForm .field--help { color: $text-muted; padding-left: 26; }
    SchemaForm .field--error { color: $text-error; text-style: bold; padding-left: 26; }
    SchemaForm .field--error.-hidden { display: none; }
    SchemaForm Input { width: 1fr; }
    SchemaForm Select { width: 1fr; }
    SchemaForm TextArea { width: 1fr; height: 6; }
    SchemaForm TextArea.-json { height: 5; }
    SchemaForm TextArea.-whole { height: 16; }
    SchemaForm .group {
        height: auto; border: round $primary 50%; padding: 0 1; margin-bottom: 1;
        border-title-color: $text; border-title-style: bold;
    }
    SchemaForm .choice, SchemaForm .variant { height: auto; }
    SchemaForm .group > .field--help, SchemaForm .group > .field--error { padding-left: 0; }
    SchemaForm .toolbar { height: 1; margin-bottom: 1; }
    SchemaForm Button { min-width: 0; margin-right: 1; }
    SchemaForm .reveal { width: 8; }
    SchemaForm Collapsible { padding-left: 0; padding-bottom: 0; border-top: none; }
    SchemaForm Collapsible > Contents { padding-left: 2; }
    SchemaForm .keyinput { width: 20; margin-right: 1; }
    SchemaForm .maprow { height: auto; margin-bottom: 1; }
    SchemaForm .pem--file { margin-top: 0; }
    SchemaForm FormSection.section { padding-left: 0; margin-bottom: 1; }
    SchemaForm FormSection.section > Contents { padding: 1 0 0 0; }
    """

    def __init__(self, tree: FormTree, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.form_tree = tree
        self.view = FormView(build=self.build)
        root = tree.root
        self.sections: list[Section] = (
            sections_of(root) if isinstance(root, ObjectField) and tree.size.sectioned else []
        )
        """Empty unless the form is large: then its fields mount section by section."""

    @property
    def touched(self) -> set[int]:
        return self.view.touched

    @property
    def show_all_errors(self) -> bool:
        return self.view.show_all_errors

    @show_all_errors.setter
    def show_all_errors(self, value: bool) -> None:
        self.view.show_all_errors = value

    def compose(self) -> ComposeResult:
        root = self.form_tree.root
        if self.sections:
            for section in self.sections:
                yield FormSection(section, self.view, collapsed=section.index > 0)
            if isinstance(root, ObjectField) and root.extra is not None:
                yield from self.build(root.extra)
            yield ErrorLine(root, self.view)
        elif isinstance(root, ObjectField):
            yield from object_fields(root, self.view)
            yield ErrorLine(root, self.view)
        else:
            yield from self.build(root)

    def build(self, node: FieldNode, label: Text | None = None) -> Iterator[Widget]:
        """The widget that edits ``node`` (the factory every group calls for its children)."""
        view = self.view
        if isinstance(node, ScalarField):
            if node.kind == "boolean":
                yield BooleanField(node, view, label)
            elif node.kind == "enum":
                yield EnumField(node, view, label)
            elif node.multiline:
                yield PemField(node, view, label)
            else:
                yield TextField(node, view, label)
        elif isinstance(node, JsonField):
            yield JsonEditor(node, view, label)
        elif isinstance(node, ObjectField) and node.optional:
            yield OptionalGroup(node, view, label)
        elif isinstance(node, ObjectField):
            yield ObjectGroup(node, view, label)
        elif isinstance(node, ArrayField):
            yield ListGroup(node, view, label)
        elif isinstance(node, MapField):
            yield MapGroup(node, view, label)
        elif isinstance(node, ChoiceField):
            yield ChoiceGroup(node, view, label)

    # -- what the screen asks ----------------------------------------------------------
    def box_of(self, node: FieldNode) -> FieldBox | None:
        """The widget that edits ``node`` (None when it is not shown)."""
        for box in self.query(FieldBox):
            if box.node is node:
                return box
        return None

    def focus_id(self, widget_id: str) -> bool:
        return focus_within(self, widget_id)

    def section_of(self, node: FieldNode) -> FormSection | None:
        """The section holding ``node`` (None when the form has no sections)."""
        for section in self.query(FormSection):
            if section.section.holds(node):
                return section
        return None

    def focus_node(self, node: FieldNode, then: Callable[[], object] | None = None) -> bool:
        """Focus the control of ``node`` (opening its section and any collapsed item on
        the way; in a section still closed, the focus moves once its fields are mounted).
        ``then`` runs once the focus has moved (when this returns True)."""
        section = self.section_of(node)
        if section is not None and not section.filled:
            section.open(lambda: self.focus_node(node, then))
            return True
        ancestor: FieldNode | None = node
        while ancestor is not None:
            if self.view.collapsed.get(ancestor.uid):
                self.view.collapsed[ancestor.uid] = False
                for box in self.query(f"#c-{ancestor.uid}").results(Collapsible):
                    box.collapsed = False
            ancestor = ancestor.parent
        candidates = [f"f-{node.uid}", f"k-{node.uid}", f"f-{node.uid}-add"]
        if isinstance(node, ChoiceField) and node.active is not None:
            candidates.append(first_control_id(node.active))
        if isinstance(node, ObjectField | ArrayField):
            candidates.append(first_control_id(node))
        focused = any(self.focus_id(widget_id) for widget_id in candidates)
        if focused and then is not None:
            then()
        return focused

    def focused_box(self) -> FieldBox | None:
        focused = self.screen.focused
        if focused is None:
            return None
        for widget in focused.ancestors_with_self:
            if isinstance(widget, FieldBox):
                return widget
            if widget is self:
                break
        return None

    def focused_node(self) -> FieldNode | None:
        box = self.focused_box()
        return box.node if box is not None else None

    async def toggle_reveal(self, node: FieldNode | None = None) -> bool:
        """Show or hide the secret ``node`` (default: the focused one); False if none."""
        box = self.box_of(node) if node is not None else self.focused_box()
        if box is None or not isinstance(box.node, ScalarField) or not box.node.secret:
            return False
        if isinstance(box, PemField):
            await box.toggle_reveal()
        elif isinstance(box, TextField | MapEntry):
            box.toggle_reveal()
        else:
            return False
        return True

    def load_file(self, node: ScalarField, path: str) -> bool:
        """Load PEM text from ``path`` into a certificate or key field."""
        box = self.box_of(node)
        return isinstance(box, PemField) and box.load_file(path)

    def refresh_errors(self) -> None:
        """Show the errors the engine last found (all of them after :attr:`show_all_errors`)."""
        for line in self.query(ErrorLine):
            line.show()
        for section in self.query(FormSection):
            section.show_problems()
