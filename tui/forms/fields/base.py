"""What every field node shares: the tree links, the state words and the factory protocol.

Nodes never import the builder: when they need a child (a new list item, a map row, the
node of a variant) they ask the :class:`NodeFactory` they were built with. The builder
implements it, so the dependency only points one way (``builder`` → ``fields``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any, Protocol

from ..messages import FieldError
from ..schema import describe_type, humanise, join_path


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"

    def __bool__(self) -> bool:
        return False


OMIT: Any = _Omit()
"""Returned by :meth:`FieldNode.payload_value` for a field left out of the payload."""


class Origin(StrEnum):
    """Where a node's current value came from (decides what is sent and what a draft keeps)."""

    UNSET = "unset"
    """Nothing given: neither a default, nor a loaded configuration, nor the user."""
    DEFAULT = "default"
    LOADED = "loaded"
    USER = "user"

    @property
    def given(self) -> bool:
        """True when someone (the user or a loaded configuration) gave the value."""
        return self in (Origin.LOADED, Origin.USER)


class FormMode(StrEnum):
    """What a form is for; a node's ``load`` takes EDIT or CLONE."""

    NEW = "new"
    EDIT = "edit"
    """Loaded from the server: a masked secret is "unchanged" and must be typed again."""
    CLONE = "clone"
    """A copy: secrets are emptied, never carried over."""


class Kind(StrEnum):
    """What a node is, i.e. which widget shows it. Compares equal to its plain text."""

    NODE = "node"
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ENUM = "enum"
    SECRET = "secret"
    PEM = "pem"
    OBJECT = "object"
    ARRAY = "array"
    MAP = "map"
    CHOICE = "choice"
    JSON = "json"


class NodeFactory(Protocol):
    """What a node may ask of the tree that built it (the builder implements this)."""

    def build(
        self,
        schema: Any,
        *,
        name: str | None,
        required: bool,
        chain: tuple[str, ...] = (),
        depth: int = 0,
        label: str | None = None,
        help: str | None = None,
    ) -> FieldNode:
        """The node for a (sub-)schema; never raises on odd schemas."""
        ...

    def is_valid(self, schema: Mapping[str, Any], value: Any) -> bool:
        """True when ``value`` is valid for ``schema`` (False when it cannot tell)."""
        ...

    def check_subschema(
        self, schema: Mapping[str, Any], value: Any
    ) -> list[tuple[list[str | int], str]]:
        """Sentences (with relative paths) saying why ``value`` does not fit ``schema``."""
        ...


_uids = itertools.count(1)


class FieldNode:
    """Base class of every field.

    Attributes the UI reads: ``uid`` (stable across reorders, use it for widget ids),
    ``kind``, ``name`` (property name; ``None`` for array items and map values), ``label``,
    ``help`` (the schema description or ``None``), ``required``, ``nullable``, ``schema``
    (resolved sub-schema), ``error`` (the message shown under the field, or ``None``),
    ``origin`` (:class:`Origin`) and ``path`` (dotted, recomputed from the tree so it
    follows reorders).
    """

    kind: Kind = Kind.NODE

    def __init__(
        self,
        factory: NodeFactory,
        schema: Mapping[str, Any],
        *,
        name: str | None,
        required: bool,
        label: str | None = None,
        help: str | None = None,
        nullable: bool = False,
        chain: tuple[str, ...] = (),
        depth: int = 0,
    ) -> None:
        self.uid = next(_uids)
        self.factory = factory
        self.schema = schema
        self.name = name
        self.required = required
        self.nullable = nullable
        self.parent: FieldNode | None = None
        self.label = label or schema.get("title") or (humanise(name) if name else "Value")
        description = help if help is not None else schema.get("description")
        self.help: str | None = description if isinstance(description, str) else None
        self.error: str | None = None
        self.origin = Origin.UNSET
        self.invalid: Any = OMIT  # a loaded value of the wrong shape, kept and reported
        # $refs expanded on the way here and the nesting depth: they bound recursion when
        # this node builds children later (list items, map rows, variants).
        self.chain = chain
        self.depth = depth

    # -- tree --------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return join_path(self.segments())

    def segments(self) -> list[str | int]:
        if self.parent is None:
            return []
        return self.parent.child_segments(self)

    def child_segments(self, child: FieldNode) -> list[str | int]:
        return self.segments()

    def children(self) -> list[FieldNode]:
        return []

    def walk(self) -> Iterator[FieldNode]:
        yield self
        for child in self.children():
            yield from child.walk()

    # -- values ------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the state just after building (defaults applied)."""

    def load(self, value: Any, mode: str = "edit") -> None:
        raise NotImplementedError

    def is_blank(self) -> bool:
        """True when the user (or a loaded configuration) gave no value: only defaults."""
        return True

    def payload_value(self) -> Any:
        return OMIT

    def validate_self(self) -> list[FieldError]:
        """Problems of this node alone (not its children)."""
        return []

    def validate(self) -> list[FieldError]:
        """Problems of this node and its children, checked field by field (no jsonschema).

        Also sets ``error`` on every node of the subtree.
        """
        children = self.children()
        if children and not self.required and self.is_blank():
            # left out of the payload: what its fields would need does not matter
            for node in self.walk():
                node.error = None
            return []
        errors = self.validate_self()
        self.error = errors[0].message if errors else None
        for child in children:
            errors.extend(child.validate())
        return errors

    def err(self, message: str) -> FieldError:
        return FieldError(self.path, message)

    def invalid_errors(self, expected: str) -> list[FieldError]:
        """The error for a loaded value of the wrong shape (kept in ``invalid``)."""
        if self.invalid is OMIT:
            return []
        found = json.dumps(self.invalid)
        return [self.err(f"must be {describe_type(expected)}, found {found}")]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind} {self.path or '(root)'}>"
