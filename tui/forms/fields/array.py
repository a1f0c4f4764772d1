"""A list of values built from one item schema: add, remove and reorder items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..messages import FieldError, items_sentence
from .base import OMIT, FieldNode, Kind, NodeFactory, Origin


class ArrayField(FieldNode):
    """A list. ``items`` are nodes built from ``item_schema``; add, remove and reorder them.

    ``min_items`` / ``max_items`` come from ``minItems`` / ``maxItems``;
    ``can_add`` says whether one more item is allowed.
    """

    kind = Kind.ARRAY

    def __init__(self, factory: NodeFactory, schema: Mapping[str, Any], **kw: Any) -> None:
        super().__init__(factory, schema, **kw)
        self.item_schema: Mapping[str, Any] = schema.get("items", {})
        self.items: list[FieldNode] = []
        mi, ma = schema.get("minItems"), schema.get("maxItems")
        self.min_items: int = mi if isinstance(mi, int) and not isinstance(mi, bool) else 0
        self.max_items: int | None = (
            ma if isinstance(ma, int) and not isinstance(ma, bool) else None
        )
        self.present = False

    def child_segments(self, child: FieldNode) -> list[str | int]:
        return [*self.segments(), self.items.index(child)]

    def children(self) -> list[FieldNode]:
        return list(self.items)

    @property
    def can_add(self) -> bool:
        return self.max_items is None or len(self.items) < self.max_items

    def new_item(self) -> FieldNode:
        """A node for one more item, not yet in the list."""
        item = self.item_schema
        title = item.get("title") if isinstance(item, Mapping) else None
        return self.factory.build(
            item,
            name=None,
            required=True,
            chain=self.chain,
            depth=self.depth + 1,
            label=title if isinstance(title, str) and title else f"{self.label} item",
        )

    def add_item(self, value: Any = None, mode: str = "edit") -> FieldNode:
        """Append a new item (pre-filled from ``value`` if given) and return its node."""
        node = self.new_item()
        node.parent = self
        self.items.append(node)
        if value is not None:
            node.load(value, mode)
        self.present = True
        if self.origin is not Origin.LOADED:
            self.origin = Origin.USER
        return node

    def remove_item(self, index: int) -> None:
        node = self.items.pop(index)
        node.parent = None
        self.origin = Origin.USER

    def move_item(self, index: int, delta: int) -> int:
        """Move an item by ``delta`` places (clamped); returns its new index."""
        new = max(0, min(len(self.items) - 1, index + delta))
        if new != index:
            self.items.insert(new, self.items.pop(index))
            self.origin = Origin.USER
        return new

    def reset(self) -> None:
        self.items.clear()
        self.present, self.origin, self.invalid = False, Origin.UNSET, OMIT
        default = self.schema.get("default")
        if isinstance(default, list):
            for value in default:
                self.add_item(value)
            self.origin = Origin.DEFAULT

    def load(self, value: Any, mode: str = "edit") -> None:
        self.items.clear()
        self.present, self.origin, self.invalid = False, Origin.UNSET, OMIT
        if value is None:
            return
        if not isinstance(value, list):
            self.invalid, self.origin = value, Origin.LOADED
            return
        for item in value:
            node = self.add_item(None)
            node.load(item, mode)
        self.present, self.origin = True, Origin.LOADED

    def restore(self, count: int) -> list[FieldNode]:
        """``count`` fresh items in place of the current ones (restoring a draft)."""
        self.items.clear()
        nodes = [self.add_item() for _ in range(count)]
        self.present, self.origin = True, Origin.USER
        return nodes

    def is_blank(self) -> bool:
        return (not self.origin.given and not self.items) or (
            self.origin is Origin.UNSET and not self.present
        )

    def payload_value(self) -> Any:
        if self.invalid is not OMIT:
            return self.invalid
        if not self.items and not self.required and not self.present:
            return OMIT
        out = []
        for node in self.items:
            v = node.payload_value()
            if v is not OMIT:
                out.append(v)
        return out

    def validate_self(self) -> list[FieldError]:
        if self.invalid is not OMIT:
            return self.invalid_errors("array")
        if not self.items and not self.required and not self.present:
            return []
        n = len(self.items)
        if self.required and n == 0 and self.min_items == 0 and not self.present:
            return []  # [] is a valid value for a required list
        if n < self.min_items:
            return [self.err(items_sentence(self.min_items, True))]
        if self.max_items is not None and n > self.max_items:
            return [self.err(items_sentence(self.max_items, False))]
        return []
