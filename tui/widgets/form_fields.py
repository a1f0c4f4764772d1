"""``SchemaForm``: a connector configuration form (a :class:`tui.forms.FormTree`) as widgets.

One widget per node kind: an Input for text and numbers (masked for secrets, revealed by
``ctrl+r``), a Select for enums and choices, a Switch for booleans, a TextArea for PEM and
JSON (with a "load from file" input), collapsible item groups for arrays of objects, and
key/value rows for maps. Widget ids carry the node's ``uid`` (``f-<uid>`` is the control
that edits a node), so focus can jump to any field the engine names.

The tree holds every value: widgets write to it as the user types and are rebuilt from it
when the structure changes (an item added, a variant picked).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Collapsible,
    Input,
    Label,
    Select,
    Static,
    Switch,
    TextArea,
)

from tui.forms import (
    ArrayField,
    ChoiceField,
    FieldNode,
    FormTree,
    JsonField,
    MapField,
    ObjectField,
    PemError,
    ScalarField,
)
from tui.secrets import looks_like_pem

UNCHANGED_PLACEHOLDER = "unchanged on the server: type it again to save"


def label_text(node: FieldNode, *, required: bool | None = None) -> Text:
    """A field's label with a red ``*`` when it is required."""
    text = Text(node.label)
    if node.required if required is None else required:
        text.append(" *", style="bold red")
    return text


def node_uid(widget_id: str | None) -> tuple[int, str] | None:
    """``f-12-add`` → (12, "add"); ``f-12`` → (12, ""); anything else → None."""
    if not widget_id or widget_id[:2] not in ("f-", "k-", "e-", "c-", "b-"):
        return None
    head, _, rest = widget_id[2:].partition("-")
    if not head.isdigit():
        return None
    prefix = widget_id[0]
    return int(head), (rest if prefix == "f" else f"{prefix}{('-' + rest) if rest else ''}")


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


class MaskedText(Static, can_focus=True):
    """Secret multi-line text (a private key): shows only its shape; takes a paste."""

    DEFAULT_CSS = """
    MaskedText { width: 1fr; height: auto; padding: 0 1; background: $boost; color: $text-muted; }
    MaskedText:focus { background: $primary 30%; color: $text; }
    """
    BINDINGS = []

    class Pasted(Message):
        def __init__(self, masked: MaskedText, text: str) -> None:
            super().__init__()
            self.masked = masked
            self.text = text

        @property
        def control(self) -> MaskedText:
            return self.masked

    def __init__(self, node: ScalarField, **kw) -> None:
        super().__init__(**kw)
        self.node = node

    def render(self) -> Text:
        node = self.node
        if node.unchanged:
            return Text(f"●●●●● {UNCHANGED_PLACEHOLDER}: paste it here")
        if not node.text:
            return Text("(empty) paste it here, or load a file below")
        lines = node.text.strip().count("\n") + 1
        shape = "PEM ✓" if looks_like_pem(node.text) else "not PEM ✗"
        return Text(f"●●●●● {lines} lines, {len(node.text)} characters, {shape} · ctrl+r shows it")

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.post_message(self.Pasted(self, event.text))

    def on_key(self, event: events.Key) -> None:
        if event.key in ("backspace", "delete"):
            event.stop()
            self.post_message(self.Pasted(self, ""))


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
    SchemaForm Switch { border: none; height: 1; padding: 0; width: auto; }
    SchemaForm TextArea { width: 1fr; height: 6; }
    SchemaForm TextArea.-json { height: 5; }
    SchemaForm .group {
        height: auto; border: round $primary 50%; padding: 0 1; margin-bottom: 1;
        border-title-color: $text; border-title-style: bold;
    }
    SchemaForm .group > .field--help, SchemaForm .group > .field--error { padding-left: 0; }
    SchemaForm .toolbar { height: 1; margin-bottom: 1; }
    SchemaForm Button { min-width: 0; margin-right: 1; }
    SchemaForm .reveal { width: 8; }
    SchemaForm Collapsible { padding-left: 0; padding-bottom: 0; border-top: none; }
    SchemaForm Collapsible > Contents { padding-left: 2; }
    SchemaForm .keyinput { width: 20; margin-right: 1; }
    SchemaForm .maprow { height: auto; margin-bottom: 1; }
    SchemaForm .file { margin-top: 0; }
    """

    class Edited(Message):
        """A value changed (``structure`` when items, rows or a variant changed)."""

        def __init__(self, form: SchemaForm, node: FieldNode | None, structure: bool = False):
            super().__init__()
            self.form = form
            self.node = node
            self.structure = structure

        @property
        def control(self) -> SchemaForm:
            return self.form

    def __init__(self, tree: FormTree, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.form_tree = tree
        self.nodes: dict[int, FieldNode] = {}
        self.collapsed: dict[int, bool] = {}
        self.revealed: set[int] = set()
        self.touched: set[int] = set()
        self.show_all_errors = False
        """After a full check (next step, submit) every error shows, touched or not."""

    # -- building ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.nodes.clear()
        root = self.form_tree.root
        self.nodes[root.uid] = root
        if isinstance(root, ObjectField):
            yield from self._object_fields(root)
            if root.error:
                yield self._error(root)
        else:
            yield from self._node(root)

    def _object_fields(self, node: ObjectField) -> Iterator[Widget]:
        for child in node.fields.values():
            yield from self._node(child)
        if node.extra is not None:
            yield from self._node(node.extra)

    def _node(self, node: FieldNode, *, label: Text | None = None) -> Iterator[Widget]:
        self.nodes[node.uid] = node
        if isinstance(node, ScalarField):
            yield self._scalar(node, label)
        elif isinstance(node, JsonField):
            yield self._json(node, label)
        elif isinstance(node, ObjectField):
            yield self._group(node, label, list(self._object_fields(node)))
        elif isinstance(node, ArrayField):
            yield self._group(node, label, list(self._array(node)))
        elif isinstance(node, MapField):
            yield self._group(node, label, list(self._map(node)))
        elif isinstance(node, ChoiceField):
            yield from self._choice(node, label)

    def _help(self, node: FieldNode, extra: str | None = None) -> Iterable[Widget]:
        texts = [t for t in (node.help, extra) if t]
        if texts:
            yield Static(Text(" ".join(texts)), classes="field--help")

    def _error(self, node: FieldNode) -> Static:
        message = self._visible_error(node)
        return Static(
            Text(f"✗ {message}" if message else ""),
            id=f"e-{node.uid}",
            classes="field--error" + ("" if message else " -hidden"),
        )

    def _visible_error(self, node: FieldNode) -> str | None:
        if not (self.show_all_errors or node.uid in self.touched):
            return None
        message = node.error
        parent = node.parent
        if isinstance(parent, MapField):
            for row in parent.rows:
                if row.value is node and row.key_error:
                    message = f"name: {row.key_error}" + (f"; {message}" if message else "")
        return message

    def _line(
        self, node: FieldNode, label: Text | None, *controls: Widget, below: Iterable[Widget] = ()
    ) -> Vertical:
        line = Horizontal(
            Label(label or label_text(node), classes="field--label"),
            *controls,
            classes="field--line",
        )
        return Vertical(
            line,
            *below,
            *self._help(node, self._scalar_hint(node)),
            self._error(node),
            classes="field",
            id=f"row-{node.uid}",
        )

    @staticmethod
    def _scalar_hint(node: FieldNode) -> str | None:
        if isinstance(node, ScalarField) and node.unchanged:
            return (
                "The server masks secrets, and saving replaces the whole configuration: "
                "type this secret again."
            )
        if isinstance(node, JsonField) and node.reason:
            return f"Edited as JSON: {node.reason}."
        return None

    def _scalar(self, node: ScalarField, label: Text | None) -> Widget:
        uid = node.uid
        if node.kind == "boolean":
            if node.required or "default" in node.schema:
                control: Widget = Switch(bool(node.value), id=f"f-{uid}")
            else:
                value = Select.BLANK if node.value is None else ("yes" if node.value else "no")
                control = Select(
                    [("yes", "yes"), ("no", "no")],
                    value=value,
                    prompt="(not set)",
                    allow_blank=True,
                    compact=True,
                    id=f"f-{uid}",
                )
            return self._line(node, label, control)
        if node.kind == "enum":
            options = [(text, i) for i, text in enumerate(node.option_labels)]
            index = node.options.index(node.value) if node.value in node.options else None
            control = Select(
                options,
                value=Select.BLANK if index is None else index,
                prompt="(not set)" if not node.required else "(choose one)",
                allow_blank=index is None or not node.required,
                compact=True,
                id=f"f-{uid}",
            )
            return self._line(node, label, control)
        if node.multiline:
            return self._pem(node, label)
        placeholder = ""
        if node.unchanged:
            placeholder = UNCHANGED_PLACEHOLDER
        elif node.kind in ("integer", "number"):
            lo, hi = node.schema.get("minimum"), node.schema.get("maximum")
            if lo is not None and hi is not None:
                placeholder = f"{lo}–{hi}"
        controls: list[Widget] = [
            Input(
                node.text,
                placeholder=placeholder,
                password=node.secret and uid not in self.revealed,
                compact=True,
                id=f"f-{uid}",
                select_on_focus=False,
            )
        ]
        if node.secret:
            controls.append(self._reveal_button(node))
        return self._line(node, label, *controls)

    def _reveal_button(self, node: FieldNode) -> Button:
        button = Button(
            "hide" if node.uid in self.revealed else "show",
            id=f"f-{node.uid}-reveal",
            classes="reveal",
            tooltip="ctrl+r shows or hides the secret under the cursor",
            compact=True,
        )
        button.can_focus = False  # ctrl+r is the keyboard way; keeps tab stops few
        return button

    def _pem(self, node: ScalarField, label: Text | None) -> Widget:
        uid = node.uid
        if node.secret and uid not in self.revealed:
            editor: Widget = MaskedText(node, id=f"f-{uid}")
        else:
            editor = TextArea(node.text, id=f"f-{uid}", soft_wrap=True, show_line_numbers=False)
        controls = [editor]
        if node.secret:
            controls.append(self._reveal_button(node))
        file_input = Input(
            placeholder="…or a file path (~/keys/x.pem), enter loads it",
            compact=True,
            id=f"f-{uid}-file",
            classes="file",
        )
        # the file input sits under the editor, aligned with it
        row = Horizontal(Label("", classes="field--label"), file_input, classes="field--line")
        return self._line(node, label, *controls, below=[row])

    def _json(self, node: JsonField, label: Text | None) -> Widget:
        area = TextArea(
            node.text,
            id=f"f-{node.uid}",
            soft_wrap=True,
            show_line_numbers=False,
            classes="-json",
        )
        try:
            area.language = "json"
        except Exception:  # noqa: BLE001 - tree-sitter grammar not installed
            pass
        return self._line(node, label, area)

    def _group(self, node: FieldNode, label: Text | None, body: list[Widget]) -> Widget:
        title = label or label_text(node)
        group = Vertical(
            *self._help(node), *body, self._error(node), classes="group", id=f"g-{node.uid}"
        )
        group.border_title = title.markup if isinstance(title, Text) else str(title)
        return group

    def _array(self, node: ArrayField) -> Iterator[Widget]:
        count = len(node.items)
        for i, item in enumerate(node.items):
            self.nodes[item.uid] = item
            buttons = [
                Button("▲ up", id=f"b-{item.uid}-up", disabled=i == 0, compact=True),
                Button("▼ down", id=f"b-{item.uid}-down", disabled=i == count - 1, compact=True),
                Button("✕ remove", id=f"b-{item.uid}-rm", variant="error", compact=True),
            ]
            if isinstance(item, ObjectField | ArrayField | MapField | ChoiceField):
                inner: list[Widget] = [Horizontal(*buttons, classes="toolbar")]
                if isinstance(item, ObjectField):
                    inner.extend(self._object_fields(item))
                    inner.append(self._error(item))
                else:
                    inner.extend(self._node(item, label=Text("Value")))
                yield Collapsible(
                    *inner,
                    title=item_title(node, i, item),
                    collapsed=self.collapsed.get(item.uid, False),
                    id=f"c-{item.uid}",
                )
            else:
                row = self._node_single(item, Text(f"#{i + 1}"))
                yield Vertical(
                    row,
                    Horizontal(Label("", classes="field--label"), *buttons, classes="toolbar"),
                    classes="field",
                )
        add = Button(
            f"+ add {'an item' if not count else 'another'}",
            id=f"f-{node.uid}-add",
            disabled=not node.can_add,
            compact=True,
        )
        yield Horizontal(add, classes="toolbar")

    def _node_single(self, node: FieldNode, label: Text) -> Widget:
        widgets = list(self._node(node, label=label))
        return widgets[0] if len(widgets) == 1 else Vertical(*widgets, classes="field")

    def _map(self, node: MapField) -> Iterator[Widget]:
        for row in node.rows:
            value = row.value
            self.nodes[value.uid] = value
            key = Input(
                row.key, placeholder="name", compact=True, id=f"k-{value.uid}", classes="keyinput"
            )
            remove = Button(
                "✕",
                id=f"b-{value.uid}-rm",
                variant="error",
                tooltip="remove this entry",
                compact=True,
            )
            if (
                isinstance(value, ScalarField)
                and not value.multiline
                and value.kind
                not in (
                    "enum",
                    "boolean",
                )
            ):
                self.nodes[value.uid] = value
                control = Input(
                    value.text,
                    placeholder="value",
                    compact=True,
                    id=f"f-{value.uid}",
                    password=value.secret and value.uid not in self.revealed,
                )
                yield Vertical(
                    Horizontal(key, control, remove, classes="field--line"),
                    self._error(value),
                    classes="maprow",
                    id=f"row-{value.uid}",
                )
            else:
                yield Horizontal(key, remove, classes="field--line")
                yield from self._node(value, label=Text("value"))
        yield Horizontal(
            Button("+ add an entry", id=f"f-{node.uid}-add", compact=True), classes="toolbar"
        )

    def _choice(self, node: ChoiceField, label: Text | None) -> Iterator[Widget]:
        select = Select(
            [(text, i) for i, text in enumerate(node.variant_labels)],
            value=node.selected,
            allow_blank=False,
            compact=True,
            id=f"f-{node.uid}",
        )
        yield self._line(node, label, select)
        active = node.active
        if active is None:
            return
        if isinstance(active, ObjectField):
            self.nodes[active.uid] = active
            group = Vertical(
                *self._object_fields(active),
                self._error(active),
                classes="group",
                id=f"g-{active.uid}",
            )
            group.border_title = f"{node.label}: {node.variant_labels[node.selected]}"
            yield group
        else:
            yield from self._node(active, label=Text("  value"))

    # -- reading events ----------------------------------------------------------------
    def _target(self, widget: Widget | None) -> tuple[FieldNode, str] | None:
        parsed = node_uid(getattr(widget, "id", None))
        if parsed is None:
            return None
        uid, role = parsed
        node = self.nodes.get(uid)
        return (node, role) if node is not None else None

    def _edited(self, node: FieldNode | None, structure: bool = False) -> None:
        self.post_message(self.Edited(self, node, structure))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        found = self._target(event.input)
        if found is None:
            return
        node, role = found
        event.stop()
        if role == "" and isinstance(node, ScalarField | JsonField):
            if event.value == node.text and not getattr(node, "unchanged", False):
                return
            if event.value == "" and getattr(node, "unchanged", False):
                return
            node.set_text(event.value)
            self._refresh_error(node)
            self._edited(node)
        elif role == "k" and isinstance(node.parent, MapField):
            field = node.parent
            index = next(i for i, r in enumerate(field.rows) if r.value is node)
            if field.rows[index].key == event.value:
                return
            field.set_key(index, event.value)
            if isinstance(node, ScalarField):
                try:
                    control = self.query_one(f"#f-{node.uid}", Input)
                    control.password = node.secret and node.uid not in self.revealed
                except Exception:  # noqa: BLE001 - value is not a one-line input
                    pass
            self._refresh_error(node)
            self._edited(node)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        found = self._target(event.input)
        if found is None:
            return
        node, role = found
        event.stop()
        if role == "file" and isinstance(node, ScalarField):
            self.load_file(node, event.value)
            return
        self.screen.focus_next()

    def load_file(self, node: ScalarField, path: str) -> None:
        """Load PEM text from ``path`` into a certificate or key field."""
        self.touched.add(node.uid)
        if not path.strip():
            node.error = "type a file path first, then press enter"
            self._refresh_error(node)
            return
        try:
            node.load_file(path.strip())
        except PemError as exc:
            node.error = str(exc)
            self._refresh_error(node)
            return
        self._edited(node, structure=True)
        self.app.call_later(self.rebuild, f"f-{node.uid}")
        self.notify(f"Loaded {node.label} from {path.strip()}.", timeout=3)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        found = self._target(event.text_area)
        if found is None:
            return
        node, _role = found
        event.stop()
        if isinstance(node, ScalarField | JsonField) and event.text_area.text != node.text:
            node.set_text(event.text_area.text)
            self._refresh_error(node)
            self._edited(node)

    @on(MaskedText.Pasted)
    def _pasted(self, event: MaskedText.Pasted) -> None:
        event.stop()
        node = event.masked.node
        node.set_text(event.text.strip() + "\n" if event.text.strip() else "")
        self.touched.add(node.uid)
        event.masked.refresh(layout=True)
        self._refresh_error(node)
        self._edited(node)

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        found = self._target(event.switch)
        if found is None:
            return
        node, _role = found
        event.stop()
        if isinstance(node, ScalarField) and node.value != event.value:
            node.set_value(event.value)
            self._edited(node)

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        found = self._target(event.select)
        if found is None:
            return
        node, _role = found
        event.stop()
        value = event.value
        if isinstance(node, ChoiceField):
            if isinstance(value, int) and value != node.selected:
                node.select(value)
                self._edited(node, structure=True)
                self.app.call_later(self.rebuild, f"f-{node.uid}")
            return
        if not isinstance(node, ScalarField):
            return
        if node.kind == "boolean":
            new = None if value == Select.BLANK else value == "yes"
        else:
            new = node.options[value] if isinstance(value, int) else None
        if new == node.value and (new is not None or node.text == ""):
            return
        node.set_value(new)
        self.touched.add(node.uid)
        self._refresh_error(node)
        self._edited(node)

    @on(Collapsible.Toggled)
    def _toggled(self, event: Collapsible.Toggled) -> None:
        parsed = node_uid(event.collapsible.id)
        if parsed is not None:
            self.collapsed[parsed[0]] = event.collapsible.collapsed

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        found = self._target(event.button)
        if found is None:
            return
        node, role = found
        event.stop()
        if role == "reveal":
            await self.toggle_reveal(node)
        elif role == "add":
            await self._add(node)
        elif role in ("b-up", "b-down", "b-rm"):
            await self._item_action(node, role[2:])

    async def _add(self, node: FieldNode) -> None:
        if isinstance(node, ArrayField):
            if not node.can_add:
                return
            item = node.add_item()
            self.collapsed[item.uid] = False
            focus = self._first_control_id(item)
        elif isinstance(node, MapField):
            row = node.add_row()
            focus = f"k-{row.value.uid}"
        else:
            return
        self._edited(node, structure=True)
        await self.rebuild(focus)

    async def _item_action(self, item: FieldNode, action: str) -> None:
        parent = item.parent
        if isinstance(parent, ArrayField):
            index = parent.items.index(item)
            if action == "rm":
                parent.remove_item(index)
                rest = parent.items
                focus = (
                    f"b-{rest[min(index, len(rest) - 1)].uid}-rm" if rest else f"f-{parent.uid}-add"
                )
            else:
                parent.move_item(index, -1 if action == "up" else 1)
                focus = f"b-{item.uid}-{action}"
        elif isinstance(parent, MapField):
            index = next(i for i, r in enumerate(parent.rows) if r.value is item)
            if action != "rm":
                return
            parent.remove_row(index)
            focus = f"f-{parent.uid}-add"
        else:
            return
        self._edited(parent, structure=True)
        await self.rebuild(focus)

    def _first_control_id(self, node: FieldNode) -> str:
        for n in node.walk():
            if isinstance(n, ScalarField | JsonField | ChoiceField):
                return f"f-{n.uid}"
        return f"f-{node.uid}"

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        found = self._target(event.widget)
        if found is None:
            return
        node, role = found
        if role in ("", "k"):
            self.touched.add(node.uid)
            if isinstance(node, ScalarField | JsonField) and not node.error:
                errors = node.validate_self()
                node.error = errors[0].message if errors else None
            self._refresh_error(node)
            if isinstance(node.parent, ArrayField):
                return
            # an array item's title shows its first values: keep it current
            for ancestor in self._ancestors(node):
                if isinstance(ancestor.parent, ArrayField):
                    self._retitle(ancestor)

    def _retitle(self, item: FieldNode) -> None:
        array = item.parent
        if not isinstance(array, ArrayField) or item not in array.items:
            return
        try:
            box = self.query_one(f"#c-{item.uid}", Collapsible)
        except Exception:  # noqa: BLE001 - scalar items have no title
            return
        box.title = item_title(array, array.items.index(item), item)

    # -- actions the screen calls ------------------------------------------------------
    async def rebuild(self, focus_id: str | None = None) -> None:
        """Re-create the widgets from the tree (after a structural change)."""
        await self.recompose()
        if focus_id:
            self.focus_id(focus_id)

    def focus_id(self, widget_id: str) -> bool:
        try:
            widget = self.query_one(f"#{widget_id}")
        except Exception:  # noqa: BLE001 - no such widget (any more)
            return False
        if widget.disabled or not widget.can_focus:
            return False
        widget.focus()
        self.call_after_refresh(widget.scroll_visible, top=False, animate=False)
        return True

    def _ancestors(self, node: FieldNode) -> list[FieldNode]:
        out = []
        parent = node.parent
        while parent is not None:
            out.append(parent)
            parent = parent.parent
        return out

    def focus_node(self, node: FieldNode) -> bool:
        """Focus the control of ``node`` (expanding any collapsed item on the way)."""
        for ancestor in [node, *self._ancestors(node)]:
            if ancestor.uid in self.collapsed and self.collapsed[ancestor.uid]:
                self.collapsed[ancestor.uid] = False
                try:
                    self.query_one(f"#c-{ancestor.uid}", Collapsible).collapsed = False
                except Exception:  # noqa: BLE001
                    pass
        candidates = [f"f-{node.uid}", f"k-{node.uid}", f"f-{node.uid}-add"]
        if isinstance(node, ChoiceField) and node.active is not None:
            candidates.append(self._first_control_id(node.active))
        if isinstance(node, ObjectField | ArrayField):
            candidates.append(self._first_control_id(node))
        for widget_id in candidates:
            if self.focus_id(widget_id):
                return True
        return False

    def focused_node(self) -> FieldNode | None:
        found = self._target(self.screen.focused)
        return found[0] if found else None

    async def toggle_reveal(self, node: FieldNode | None = None) -> bool:
        """Show or hide the secret ``node`` (default: the focused one); False if none."""
        node = node or self.focused_node()
        if not isinstance(node, ScalarField) or not node.secret:
            return False
        if node.uid in self.revealed:
            self.revealed.discard(node.uid)
        else:
            self.revealed.add(node.uid)
        if node.multiline:
            await self.rebuild(f"f-{node.uid}")
            return True
        try:
            control = self.query_one(f"#f-{node.uid}", Input)
            control.password = node.uid not in self.revealed
            button = self.query_one(f"#f-{node.uid}-reveal", Button)
            button.label = "hide" if node.uid in self.revealed else "show"
        except Exception:  # noqa: BLE001
            await self.rebuild(f"f-{node.uid}")
        return True

    def _refresh_error(self, node: FieldNode) -> None:
        try:
            box = self.query_one(f"#e-{node.uid}", Static)
        except Exception:  # noqa: BLE001 - not on screen
            return
        message = self._visible_error(node)
        box.update(Text(f"✗ {message}" if message else ""))
        box.set_class(not message, "-hidden")

    def refresh_errors(self) -> None:
        """Show the errors the engine last found (all of them after :attr:`show_all_errors`)."""
        for node in self.nodes.values():
            self._refresh_error(node)
