"""``oneOf`` / ``anyOf`` (or a type list such as ``["string", "integer"]``): pick a variant."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from .base import OMIT, FieldNode, Kind, NodeFactory, Origin
from .variant_fit import similarity

NOT_SET = "(not set)"
"""The label of the choice that sends nothing (as an optional Select shows it)."""


class ChoiceKeyword(StrEnum):
    """What made a choice: the schema keyword, or a list of types."""

    ONE_OF = "oneOf"
    ANY_OF = "anyOf"
    TYPE = "type"


class Variant:
    """One alternative of a :class:`ChoiceField`: ``label``, resolved ``schema``, ``is_null``."""

    def __init__(
        self,
        label: str,
        schema: Mapping[str, Any],
        is_null: bool = False,
        chain: tuple[str, ...] = (),
        *,
        unset: bool = False,
    ) -> None:
        self.label = label
        self.schema = schema
        self.is_null = is_null
        self.chain = chain
        self.unset = unset
        """The "(not set)" choice of an optional choice: nothing is sent (not even null)."""

    def __repr__(self) -> str:
        return f"<Variant {self.label}>"


class ChoiceField(FieldNode):
    """``oneOf`` / ``anyOf`` (or a type list such as ``["string", "integer"]``).

    ``variants`` lists the alternatives; ``selected`` is the index picked; ``active`` the node
    built for it (``None`` for a null variant). ``select(i)`` switches (each variant keeps what
    was typed in it); ``guess(value)`` returns the index of the variant matching a value.
    The active node has the same path as the choice itself.
    """

    kind = Kind.CHOICE

    def __init__(
        self,
        factory: NodeFactory,
        schema: Mapping[str, Any],
        variants: list[Variant],
        keyword: str,
        **kw: Any,
    ) -> None:
        super().__init__(factory, schema, **kw)
        if (
            keyword != ChoiceKeyword.TYPE
            and not self.required
            and "default" not in schema
            and not any(v.is_null for v in variants)
        ):
            # an optional choice the user has not made must not look made: it starts on
            # "(not set)", and picking a variant is what puts it in the payload
            variants = [Variant(NOT_SET, {}, True, unset=True), *variants]
        self.variants = variants
        self.keyword = ChoiceKeyword(keyword)
        self.selected: int = 0
        # variants are built when first shown, and keep what was typed in them
        self._nodes: dict[int, FieldNode | None] = {}
        self.reset()

    @property
    def active(self) -> FieldNode | None:
        if self.selected not in self._nodes:
            variant = self.variants[self.selected]
            node = None if variant.is_null else self._build(variant)
            if node is not None:
                node.parent = self
            self._nodes[self.selected] = node
        return self._nodes[self.selected]

    def _build(self, variant: Variant) -> FieldNode:
        return self.factory.build(
            variant.schema,
            name=self.name,
            required=self.required,
            chain=variant.chain,
            depth=self.depth + 1,
            label=self.label,
            help=self.help,
        )

    @property
    def variant_labels(self) -> list[str]:
        return [v.label for v in self.variants]

    def select(self, index: int) -> FieldNode | None:
        if not 0 <= index < len(self.variants):
            raise IndexError(f"{self.path}: no variant {index}")
        self.selected = index
        self.origin = Origin.USER
        return self.active

    @property
    def schema_index(self) -> int | None:
        """The index of the chosen variant in the schema's oneOf/anyOf (None: "(not set)")."""
        if self.variants[self.selected].unset:
            return None
        return self.selected - (1 if self.variants[0].unset else 0)

    def guess(self, value: Any) -> int:
        """Index of the variant that fits ``value`` best (first valid, else most similar)."""
        best, best_score = 1 if self.variants[0].unset else 0, -1e9
        for i, variant in enumerate(self.variants):
            if variant.unset:
                continue
            if variant.is_null:
                if value is None:
                    return i
                continue
            if self.factory.is_valid(variant.schema, value):
                return i
            score = similarity(variant.schema, value)
            if score > best_score:
                best, best_score = i, score
        return best

    def children(self) -> list[FieldNode]:
        node = self.active
        return [node] if node is not None else []

    def reset(self) -> None:
        self._nodes.clear()
        self.origin = Origin.UNSET
        self.selected = 0
        if "default" in self.schema:
            self.selected = self.guess(self.schema["default"])
            node = self.active
            if node is not None:
                node.load(self.schema["default"])
                for n in node.walk():  # filled by the default, not loaded
                    if n.origin is Origin.LOADED:
                        n.origin = Origin.DEFAULT
            self.origin = Origin.DEFAULT

    def load(self, value: Any, mode: str = "edit") -> None:
        self._nodes.clear()
        self.selected = self.guess(value)
        node = self.active
        if node is not None:
            node.load(value, mode)
        self.origin = Origin.LOADED

    def is_blank(self) -> bool:
        node = self.active
        if self.variants[self.selected].unset:
            return True
        if node is None:
            return not self.origin.given
        return node.is_blank()

    def payload_value(self) -> Any:
        node = self.active
        if self.variants[self.selected].unset:
            return OMIT
        if node is None:
            if self.required or self.origin.given:
                return None
            return OMIT
        if not self.required and node.is_blank():
            return OMIT
        return node.payload_value()
