"""A free map (``additionalProperties`` with a schema), e.g. HTTP headers: key/value rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.secrets import is_secret_name

from ..messages import FieldError
from ..schema import EXTRA
from .base import OMIT, FieldNode, Kind, NodeFactory, Origin
from .scalar import ScalarField


class MapRow:
    """One key/value row of a :class:`MapField`. ``key_error`` is set by validation."""

    def __init__(self, key: str, value: FieldNode) -> None:
        self.key = key
        self.value = value
        self.key_error: str | None = None


class MapField(FieldNode):
    """A free map (``additionalProperties`` with a schema), e.g. HTTP headers.

    ``rows`` are :class:`MapRow` (key text + value node built from ``value_schema``).
    Keys must be non-empty and unique. A value node's path uses its key:
    ``headers.X-Tenant`` or ``headers["a b"]``. A value is a secret when its key is
    (``Authorization``, ``X-Api-Key``, ``*token*``...: :func:`tui.secrets.is_secret_name`).
    """

    kind = Kind.MAP

    def __init__(self, factory: NodeFactory, schema: Mapping[str, Any], **kw: Any) -> None:
        super().__init__(factory, schema, **kw)
        ap = schema.get("additionalProperties")
        self.value_schema: Mapping[str, Any] = ap if isinstance(ap, Mapping) else {}
        props = schema.get("properties")
        self.declared = set(props.keys()) if isinstance(props, Mapping) else set()
        self.holds_extra = self.name == EXTRA
        self.rows: list[MapRow] = []
        self.present = False

    def child_segments(self, child: FieldNode) -> list[str | int]:
        # the other-settings map speaks for its object: a row is a key of that object
        owner = self.parent if self.holds_extra and self.parent is not None else self
        base = owner.segments()
        for row in self.rows:
            if row.value is child:
                return [*base, row.key]
        return base

    def children(self) -> list[FieldNode]:
        return [row.value for row in self.rows]

    def add_row(self, key: str = "", value: Any = None, mode: str = "edit") -> MapRow:
        node = self.factory.build(
            self.value_schema,
            name=key or None,
            required=True,
            chain=self.chain,
            depth=self.depth + 1,
            label=key or "Value",
        )
        node.parent = self
        _secret_by_key(node, key)
        row = MapRow(key, node)
        self.rows.append(row)
        if value is not None:
            node.load(value, mode)
        self.present = True
        if self.origin is Origin.UNSET:
            self.origin = Origin.USER
        return row

    def remove_row(self, index: int) -> None:
        self.rows.pop(index)
        self.origin = Origin.USER

    def move_row(self, index: int, delta: int) -> int:
        new = max(0, min(len(self.rows) - 1, index + delta))
        if new != index:
            self.rows.insert(new, self.rows.pop(index))
        return new

    def set_key(self, index: int, key: str) -> str | None:
        """Rename a row; returns the key's error (empty or duplicate key) or ``None``."""
        row = self.rows[index]
        row.key = key
        self.origin = Origin.USER
        _secret_by_key(row.value, key)
        self._check_keys()
        return row.key_error

    def _check_keys(self) -> list[FieldError]:
        errors = []
        seen: set[str] = set()
        for i, row in enumerate(self.rows):
            row.key_error = None
            if row.key.strip() == "":
                row.key_error = "the name is empty"
            elif row.key in seen:
                row.key_error = f"the name {row.key!r} is used twice"
            elif row.key in self.declared:
                row.key_error = f"{row.key!r} is already a setting of its own"
            else:
                seen.add(row.key)
            if row.key_error:
                errors.append(self.err(f"row {i + 1}: {row.key_error}"))
        return errors

    def reset(self) -> None:
        self.rows.clear()
        self.present, self.origin, self.invalid = False, Origin.UNSET, OMIT
        default = self.schema.get("default")
        if isinstance(default, Mapping) and not self.holds_extra:
            for k, v in default.items():
                self.add_row(str(k), v)
            self.origin = Origin.DEFAULT

    def load(self, value: Any, mode: str = "edit") -> None:
        self.rows.clear()
        self.present, self.origin, self.invalid = False, Origin.UNSET, OMIT
        if not isinstance(value, Mapping):
            if value is not None:
                self.invalid, self.origin = value, Origin.LOADED
            return
        for k, v in value.items():
            row = self.add_row(str(k))
            row.value.load(v, mode)
        self.present, self.origin = True, Origin.LOADED

    def restore(self, keys: list[str]) -> list[MapRow]:
        """Fresh rows with these keys in place of the current ones (restoring a draft)."""
        self.rows.clear()
        rows = [self.add_row(key) for key in keys]
        self.present, self.origin = True, Origin.USER
        return rows

    def is_blank(self) -> bool:
        return not self.origin.given and not self.rows

    def payload_value(self) -> Any:
        if self.invalid is not OMIT:
            return self.invalid
        if not self.rows and not self.required and not self.present:
            return OMIT
        out: dict[str, Any] = {}
        for row in self.rows:
            if row.key.strip() == "" or row.key in out:
                continue
            v = row.value.payload_value()
            if v is not OMIT:
                out[row.key] = v
        return out

    def validate_self(self) -> list[FieldError]:
        if self.invalid is not OMIT:
            return self.invalid_errors("object")
        errors = self._check_keys()
        n = len(self.rows)
        lo, hi = self.schema.get("minProperties"), self.schema.get("maxProperties")
        if (self.required or self.present) and isinstance(lo, int) and n < lo:
            errors.append(self.err(f"needs at least {lo} entr{'y' if lo == 1 else 'ies'}"))
        if isinstance(hi, int) and n > hi:
            errors.append(self.err(f"can have at most {hi} entr{'y' if hi == 1 else 'ies'}"))
        return errors


def _secret_by_key(node: FieldNode, key: str) -> None:
    """A row's value is a secret when its key names one (``Authorization``...)."""
    if isinstance(node, ScalarField) and node.base_type in ("string", "integer", "number"):
        node.mark_secret(is_secret_name(key) or _secret_by_schema(node))


def _secret_by_schema(node: ScalarField) -> bool:
    return node.schema.get("format") == "password" or node.schema.get("writeOnly") is True
