"""A group of settings (a JSON object with declared properties), plus its unknown keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..messages import FieldError
from ..schema import EXTRA
from .base import OMIT, FieldNode, Kind, NodeFactory, Origin
from .json_field import JsonField
from .map_field import MapField
from .scalar import ScalarField


class ObjectField(FieldNode):
    """A group of settings. ``fields`` maps property name → node, in schema order
    (``required`` marks the mandatory ones; the order is the connector author's).

    ``extra`` holds keys the schema does not declare: a :class:`JsonField` (name ``"*"``)
    when ``additionalProperties`` is absent/true (or false but a loaded configuration had
    unknown keys, which are then reported as not known), a :class:`MapField` when it is a
    schema, ``None`` otherwise.
    """

    kind = Kind.OBJECT

    def __init__(self, factory: NodeFactory, schema: Mapping[str, Any], **kw: Any) -> None:
        super().__init__(factory, schema, **kw)
        self.fields: dict[str, FieldNode] = {}
        self.extra: FieldNode | None = None
        self.present = False  # loaded as an object: send it even if all fields are empty
        self.left_out = False
        """The user chose "(not set)" for this optional group: not sent, whatever it holds
        (what was typed stays, for when they choose it again)."""

    @property
    def optional(self) -> bool:
        """An optional group of its own (not the root, a list item or a choice's variant):
        the form offers "(not set)" or "set", and only a chosen one is sent."""
        return not self.required and self.parent is not None and self.parent.kind != Kind.CHOICE

    @property
    def chosen(self) -> bool:
        """True when this group will be sent: chosen, loaded, or something typed in it."""
        return self.required or not self.is_blank()

    def choose(self, on: bool) -> None:
        """The user picks "set" (sent, its required fields checked) or "(not set)"."""
        self.left_out = not on
        self.present = on
        self.origin = Origin.USER

    def add_child(self, node: FieldNode) -> None:
        node.parent = self
        self.fields[node.name or ""] = node

    def set_extra(self, node: FieldNode | None) -> None:
        if node is not None:
            node.parent = self
        self.extra = node

    def other_settings(self, force: bool = False) -> JsonField:
        """The JSON field holding undeclared keys (created on demand).

        ``force``: even when the schema forbids other keys (a loaded configuration had
        some: they are kept there and reported as not known, never silently dropped).
        """
        if isinstance(self.extra, JsonField):
            return self.extra
        schema = self.schema
        props = schema.get("properties")
        sub: dict[str, Any] = {
            "type": "object",
            "properties": dict(props) if isinstance(props, Mapping) else {},
        }
        for key in ("additionalProperties", "patternProperties", "definitions"):
            if key in schema:
                sub[key] = schema[key]
        if force and "additionalProperties" not in sub:
            sub["additionalProperties"] = True
        extra = JsonField(
            self.factory,
            sub,
            "settings this form does not describe",
            name=EXTRA,
            required=False,
            label="Other settings (JSON)",
            help="Settings not described by the connector schema, as a JSON object",
            chain=self.chain,
            depth=self.depth + 1,
        )
        self.set_extra(extra)
        return extra

    def child_segments(self, child: FieldNode) -> list[str | int]:
        if child is self.extra and isinstance(child, JsonField):
            return [*self.segments(), EXTRA]
        return [*self.segments(), child.name or ""]

    def children(self) -> list[FieldNode]:
        out = list(self.fields.values())
        if self.extra is not None:
            out.append(self.extra)
        return out

    def reset(self) -> None:
        self.present, self.left_out, self.invalid = False, False, OMIT
        for child in self.children():
            child.reset()
        if isinstance(self.extra, MapField):
            self.extra.rows.clear()
        if "default" in self.schema and isinstance(self.schema["default"], Mapping):
            self._apply(self.schema["default"], "edit")
            for node in self.walk():
                # what the default filled in is a default, not a loaded configuration
                if isinstance(node, ScalarField | JsonField) and node.origin is Origin.LOADED:
                    node.origin = Origin.DEFAULT

    def load(self, value: Any, mode: str = "edit") -> None:
        self.reset()
        if not isinstance(value, Mapping):
            if value is not None:
                self.invalid = value
            return
        self.present = True
        self._apply(value, mode)

    def _apply(self, value: Mapping[str, Any], mode: str) -> None:
        unknown: dict[str, Any] = {}
        for key, item in value.items():
            child = self.fields.get(key)
            if child is not None:
                child.load(item, mode)
            else:
                unknown[key] = item
        if not unknown:
            return
        if isinstance(self.extra, MapField):
            for key, item in unknown.items():
                self.extra.add_row(str(key), item, mode)
            return
        extra = self.other_settings(force=True)
        current = extra.value if isinstance(extra.value, dict) else {}
        extra.load({**current, **unknown}, mode)

    def is_blank(self) -> bool:
        if self.left_out:
            return True
        return (
            not self.present and self.invalid is OMIT and all(c.is_blank() for c in self.children())
        )

    def validate_self(self) -> list[FieldError]:
        return self.invalid_errors("object")

    def payload_value(self) -> Any:
        if self.left_out:
            return OMIT
        if self.invalid is not OMIT:
            return self.invalid
        if not self.required and self.is_blank():
            return OMIT
        out: dict[str, Any] = {}
        for name, child in self.fields.items():
            v = child.payload_value()
            if v is not OMIT:
                out[name] = v
        if self.extra is not None:
            extra = self.extra.payload_value()
            if isinstance(extra, dict):
                for k, v in extra.items():
                    out.setdefault(k, v)
        return out
