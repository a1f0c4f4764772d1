"""Field nodes: the tree a connector's ``configurationSchema`` is turned into.

See :mod:`tui.forms` for the overview. Every node knows its schema, how to load a value,
how to validate itself alone (:meth:`FieldNode.validate`) and what it contributes to the
payload (:meth:`FieldNode.payload_value`, which returns :data:`OMIT` to leave it out).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.secrets import MASK, is_pem_name, is_secret_property, looks_like_pem

from .messages import (
    SECRET_UNCHANGED,
    FieldError,
    choices_sentence,
    items_sentence,
    length_sentence,
    maximum_sentence,
    minimum_sentence,
    pattern_sentence,
)
from .schema import EXTRA, describe_type, format_choice, humanise, join_path

if TYPE_CHECKING:
    from .builder import Builder


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"

    def __bool__(self) -> bool:
        return False


OMIT: Any = _Omit()
"""Returned by :meth:`FieldNode.payload_value` for a field left out of the payload."""

_uids = itertools.count(1)
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
MAX_PEM_BYTES = 1_000_000


class PemError(ValueError):
    """A file that cannot be used as certificate or key material; the message says why."""


def read_pem_file(path: str | Path) -> str:
    """The text of a PEM file, or :class:`PemError` with a sentence a person understands."""
    p = Path(path).expanduser()
    if not p.exists():
        raise PemError(f"{p}: no such file")
    if p.is_dir():
        raise PemError(f"{p} is a folder, not a file")
    try:
        size = p.stat().st_size
        if size > MAX_PEM_BYTES:
            raise PemError(f"{p} is too large ({size} bytes) to be a certificate or key")
        data = p.read_bytes()
    except OSError as exc:
        raise PemError(f"{p} cannot be read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PemError(
            f"{p} is not text (a binary DER file?): convert it to PEM, "
            "e.g. openssl x509 -inform der -in cert.der -out cert.pem"
        ) from exc
    if not looks_like_pem(text):
        raise PemError(
            f"{p} does not look like PEM: expected a -----BEGIN ...----- / -----END ...----- block"
        )
    return text.strip() + "\n"


class FieldNode:
    """Base class of every field.

    Attributes the UI reads: ``uid`` (stable across reorders, use it for widget ids),
    ``kind``, ``name`` (property name; ``None`` for array items and map values), ``label``,
    ``help`` (the schema description or ``None``), ``required``, ``nullable``, ``schema``
    (resolved sub-schema), ``error`` (the message shown under the field, or ``None``) and
    ``path`` (dotted, recomputed from the tree so it follows reorders).
    """

    kind = "node"

    def __init__(
        self,
        builder: Builder,
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
        self.builder = builder
        self.schema = schema
        self.name = name
        self.required = required
        self.nullable = nullable
        self.parent: FieldNode | None = None
        self.label = label or schema.get("title") or (humanise(name) if name else "Value")
        description = help if help is not None else schema.get("description")
        self.help: str | None = description if isinstance(description, str) else None
        self.error: str | None = None
        self.invalid: Any = OMIT  # a loaded value of the wrong shape, kept and reported
        self._chain = chain
        self._depth = depth

    # -- tree --------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return join_path(self.segments())

    def segments(self) -> list[str | int]:
        if self.parent is None:
            return []
        return self.parent._child_segments(self)

    def _child_segments(self, child: FieldNode) -> list[str | int]:
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

    def _err(self, message: str) -> FieldError:
        return FieldError(self.path, message)

    def to_draft(self) -> Any:
        return None

    def load_draft(self, data: Any) -> None:
        pass

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind} {self.path or '(root)'}>"


# ---------------------------------------------------------------------------------------
class ScalarField(FieldNode):
    """A single value edited as text, a switch (boolean) or a choice (enum).

    ``kind``: ``"string" | "integer" | "number" | "boolean" | "enum" | "secret" | "pem"``.
    ``text`` is what an input shows; ``value`` is the parsed value (``None`` when empty,
    null or invalid). ``options`` lists the enum values (``option_labels`` their text).
    ``secret`` is true for secrets (kinds "secret", and "pem" for keys/client certificates);
    ``secret_state`` is ``"unchanged"`` after loading a masked value in edit mode.
    ``multiline`` is true for PEM material.
    """

    def __init__(self, builder: Builder, schema: Mapping[str, Any], base_type: str, **kw: Any):
        super().__init__(builder, schema, **kw)
        self.base_type = base_type  # string | integer | number | boolean | enum
        name = self.name or ""
        enum = schema.get("enum")
        self.options: list[Any] = (
            [v for v in enum if v is not None] if isinstance(enum, list) else []
        )
        if isinstance(enum, list) and None in enum:
            self.nullable = True
        self.secret = (
            base_type in ("string", "integer", "number")
            and bool(name)
            and (is_secret_property(name, schema))
        )
        self.multiline = base_type == "string" and bool(name) and is_pem_name(name)
        if base_type == "enum":
            self.kind = "enum"
        elif self.multiline:
            self.kind = "pem"
        elif self.secret:
            self.kind = "secret"
        else:
            self.kind = base_type
        self.text = ""
        self._value: Any = None
        self._parse_error: str | None = None
        self.is_null = False
        self.unchanged = False
        self.origin: str | None = None  # None | "default" | "loaded" | "user"
        self.reset()

    # -- state -------------------------------------------------------------------------
    @property
    def option_labels(self) -> list[str]:
        return [format_choice(o) for o in self.options]

    @property
    def value(self) -> Any:
        if self.is_null or self.unchanged or self._parse_error or self.text == "":
            return None if self.base_type not in ("boolean", "enum") else self._value
        return self._value

    @property
    def secret_state(self) -> str | None:
        """``None`` for non-secrets; else ``"unchanged" | "empty" | "set"``."""
        if not self.secret:
            return None
        if self.unchanged:
            return "unchanged"
        return "empty" if self.text == "" else "set"

    def reset(self) -> None:
        self.text, self._value, self._parse_error = "", None, None
        self.is_null = self.unchanged = False
        self.origin = None
        if self.base_type == "boolean" and self.required:
            self._value, self.text = False, "false"
        if "default" in self.schema:
            default = self.schema["default"]
            if default is None and self.nullable:
                self.is_null = True
            elif default is not None:
                self._assign(default)
            self.origin = "default"

    def _assign(self, value: Any) -> None:
        """Set from a Python value (loaded or default), keeping odd values visible as text."""
        self.is_null = self.unchanged = False
        if self.base_type in ("boolean", "enum") or not isinstance(value, str):
            if isinstance(value, dict | list):
                text = json.dumps(value)
            else:
                text = format_choice(value)
        else:
            text = value
        if self.base_type == "enum" and value in self.options:
            self.text, self._value, self._parse_error = text, value, None
            return
        if self.base_type == "boolean" and isinstance(value, bool):
            self.text, self._value, self._parse_error = text, value, None
            return
        self.text = text
        self._value, self._parse_error = self.parse(text)

    # -- editing -----------------------------------------------------------------------
    def parse(self, text: str) -> tuple[Any, str | None]:
        """(value, error) for a text, without touching the field."""
        t = text.strip()
        if t == "" and self.base_type not in ("string",):
            return None, None
        if self.base_type == "integer":
            if _INTEGER.match(t):
                return int(t), None
            try:
                f = float(t)
            except ValueError:
                return None, "must be a whole number"
            if math.isfinite(f) and f.is_integer() and "e" not in t.lower():
                return int(f), None
            return None, "must be a whole number"
        if self.base_type == "number":
            if _INTEGER.match(t):
                return int(t), None
            try:
                f = float(t)
            except ValueError:
                return None, "must be a number"
            if not math.isfinite(f):
                return None, "must be a finite number"
            return f, None
        if self.base_type == "boolean":
            low = t.lower()
            if low in _TRUE:
                return True, None
            if low in _FALSE:
                return False, None
            return None, "must be true or false"
        if self.base_type == "enum":
            for option in self.options:
                if format_choice(option) == t:
                    return option, None
            return None, choices_sentence(self.options)
        return text, None

    def set_text(self, text: str) -> str | None:
        """Set what the user typed; returns (and stores in ``error``) this field's error."""
        self.text = text
        self.is_null = self.unchanged = False
        self.origin = "user"
        self._value, self._parse_error = self.parse(text)
        errors = self.validate_self()
        self.error = errors[0].message if errors else None
        return self.error

    def set_value(self, value: Any) -> str | None:
        """Set a typed value (a switch, a picked option); ``None`` clears the field."""
        if value is None:
            return self.set_text("")
        self._assign(value)
        self.origin = "user"
        errors = self.validate_self()
        self.error = errors[0].message if errors else None
        return self.error

    def set_null(self) -> None:
        """Clear an optional (``["...", "null"]``) field to an explicit JSON null."""
        if not self.nullable:
            raise ValueError(f"{self.path} cannot be null")
        self.text, self._value, self._parse_error = "", None, None
        self.is_null, self.unchanged, self.origin = True, False, "user"
        self.error = None

    def load_file(self, path: str | Path) -> str | None:
        """Load PEM text from a file into this field; raises :class:`PemError`."""
        return self.set_text(read_pem_file(path))

    # -- tree protocol -----------------------------------------------------------------
    def load(self, value: Any, mode: str = "edit") -> None:
        self.reset()
        self.origin = "loaded"
        if value is None:
            if self.nullable:
                self.is_null = True
            else:
                self.text, self._value = "", None
            return
        if value == MASK:
            self.secret = True
            if self.kind in ("string", "integer", "number"):
                self.kind = "secret"
            self.text, self._value, self._parse_error = "", None, None
            self.unchanged = mode == "edit"
            return
        if self.secret and mode == "clone":
            self.text, self._value, self._parse_error = "", None, None
            self.origin = None
            return
        self._assign(value)

    def is_blank(self) -> bool:
        if self.unchanged:
            return False
        if self.origin in (None, "default"):
            return True
        return self.text == "" and not self.is_null

    def _empty(self) -> bool:
        if self.base_type in ("boolean", "enum"):
            return self._value is None and not self._parse_error
        return self.text == ""

    def payload_value(self) -> Any:
        if self.unchanged or self._parse_error:
            return OMIT
        if self.is_null:
            return None
        if self._empty():
            return None if (self.required and self.nullable) else OMIT
        if self.base_type == "string" and not self.multiline and self.kind != "secret":
            return self.text
        return self._value

    def validate_self(self) -> list[FieldError]:
        if self.unchanged:
            return [self._err(SECRET_UNCHANGED)]
        if self._parse_error:
            return [self._err(self._parse_error)]
        if self.is_null:
            return []
        if self._empty():
            if self.required and not self.nullable:
                return [self._err("is required")]
            return []
        value = self.payload_value()
        return [self._err(m) for m in check_constraints(self.schema, value, self.kind)]

    def to_draft(self) -> Any:
        if self.secret or self.unchanged or self.origin in (None, "default"):
            return None
        if self.is_null:
            return {"null": True}
        return {"text": self.text}

    def load_draft(self, data: Any) -> None:
        if not isinstance(data, Mapping) or self.secret:
            return
        if data.get("null") and self.nullable:
            self.set_null()
        elif isinstance(data.get("text"), str):
            self.set_text(data["text"])


def check_constraints(schema: Mapping[str, Any], value: Any, kind: str = "") -> list[str]:
    """Keyword checks of one scalar value (what a keystroke needs to know at once)."""
    out: list[str] = []
    if isinstance(value, bool):
        pass
    elif isinstance(value, int | float):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if isinstance(lo, int | float):
            exclusive = bool(schema.get("exclusiveMinimum"))
            if value < lo or (exclusive and value == lo):
                out.append(minimum_sentence(lo, exclusive))
        if isinstance(hi, int | float):
            exclusive = bool(schema.get("exclusiveMaximum"))
            if value > hi or (exclusive and value == hi):
                out.append(maximum_sentence(hi, exclusive))
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            q = value / step
            if not (isinstance(q, float) and q.is_integer() or isinstance(q, int)):
                if abs(q - round(q)) > 1e-9:
                    out.append(f"must be a multiple of {format_choice(step)}")
    elif isinstance(value, str):
        lo, hi = schema.get("minLength"), schema.get("maxLength")
        if isinstance(lo, int) and len(value) < lo:
            out.append(length_sentence(lo, True))
        if isinstance(hi, int) and len(value) > hi:
            out.append(length_sentence(hi, False))
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                if re.search(pattern, value) is None:
                    out.append(pattern_sentence(pattern, schema))
            except re.error:
                pass
        # PEM shape is checked only when the schema itself says nothing about the text
        shaped = "pattern" in schema or "maxLength" in schema or "format" in schema
        if kind == "pem" and not shaped and value.strip() and not looks_like_pem(value):
            out.append(
                "does not look like PEM: expected a -----BEGIN ...----- / -----END ...----- block"
            )
    enum = schema.get("enum")
    if isinstance(enum, list) and kind != "enum" and value not in enum:
        out.append(choices_sentence(enum))
    return out


# ---------------------------------------------------------------------------------------
class JsonField(FieldNode):
    """Fallback: a part of the schema edited as JSON text, checked against its sub-schema.

    ``reason`` says why the engine could not make fields of it (e.g. "uses allOf").
    For an object's unknown keys (``name == "*"``) the text holds a JSON object whose keys
    are merged into the object's payload.
    """

    kind = "json"

    def __init__(self, builder: Builder, schema: Mapping[str, Any], reason: str, **kw: Any):
        super().__init__(builder, schema, **kw)
        self.reason = reason
        self.multiline = True
        self.text = ""
        self._value: Any = None
        self._parse_error: str | None = None
        self.origin: str | None = None
        self.reset()

    @property
    def value(self) -> Any:
        return None if self._parse_error or self.text.strip() == "" else self._value

    def reset(self) -> None:
        self.text, self._value, self._parse_error, self.origin = "", None, None, None
        if "default" in self.schema:
            self._assign(self.schema["default"])
            self.origin = "default"

    def _assign(self, value: Any) -> None:
        self.text = json.dumps(value, indent=2, ensure_ascii=False)
        self._value, self._parse_error = value, None

    def set_text(self, text: str) -> str | None:
        self.text = text
        self.origin = "user"
        if text.strip() == "":
            self._value, self._parse_error = None, None
        else:
            try:
                self._value, self._parse_error = json.loads(text), None
            except json.JSONDecodeError as exc:
                self._value = None
                where = f"line {exc.lineno}, column {exc.colno}"
                self._parse_error = f"is not valid JSON: {exc.msg} ({where})"
        errors = self.validate_self()
        self.error = errors[0].message if errors else None
        return self.error

    def set_value(self, value: Any) -> str | None:
        return self.set_text("" if value is None else json.dumps(value, indent=2))

    def load(self, value: Any, mode: str = "edit") -> None:
        self.reset()
        if mode == "clone":
            value = strip_secrets(value)
        self._assign(value)
        self.origin = "loaded"

    def is_blank(self) -> bool:
        return self.origin in (None, "default") or self.text.strip() == ""

    def payload_value(self) -> Any:
        if self._parse_error or self.text.strip() == "":
            return OMIT
        return self._value

    def validate_self(self) -> list[FieldError]:
        if self._parse_error:
            return [self._err(self._parse_error)]
        if self.text.strip() == "":
            return [self._err("is required")] if self.required else []
        if self.name == EXTRA and self._value == {}:
            return []
        if self.name == EXTRA and not isinstance(self._value, dict):
            return [self._err("must be a JSON object of setting names and values")]
        messages = self.builder.check_subschema(self.schema, self._value)
        if self.name == EXTRA:
            return [
                FieldError(
                    join_path([*self.parent.segments(), *p]) if self.parent else join_path(p), m
                )
                for p, m in messages
            ]
        return [FieldError(join_path([*self.segments(), *p]), m) for p, m in messages]

    def to_draft(self) -> Any:
        if self.origin in (None, "default"):
            return None
        try:
            return {"json": strip_secrets(json.loads(self.text))} if self.text.strip() else None
        except json.JSONDecodeError:
            return {"text": self.text}

    def load_draft(self, data: Any) -> None:
        if isinstance(data, Mapping):
            if "json" in data:
                self.set_text(json.dumps(data["json"], indent=2, ensure_ascii=False))
            elif isinstance(data.get("text"), str):
                self.set_text(data["text"])


def _invalid_error(node: FieldNode, expected: str) -> list[FieldError]:
    if node.invalid is OMIT:
        return []
    return [node._err(f"must be {describe_type(expected)}, found {json.dumps(node.invalid)}")]


def strip_secrets(value: Any) -> Any:
    """A copy of a JSON value without secret keys (for clones and drafts)."""
    if isinstance(value, Mapping):
        return {
            k: strip_secrets(v)
            for k, v in value.items()
            if not (is_secret_property(str(k)) and not isinstance(v, dict | list))
        }
    if isinstance(value, list):
        return [strip_secrets(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------
class ObjectField(FieldNode):
    """A group of settings. ``fields`` maps property name → node, in schema order
    (``required`` marks the mandatory ones; the order is the connector author's).

    ``extra`` holds keys the schema does not declare: a :class:`JsonField` (name ``"*"``)
    when ``additionalProperties`` is absent/true (or false but a loaded configuration had
    unknown keys, which are then reported as not known), a :class:`MapField` when it is a
    schema, ``None`` otherwise.
    """

    kind = "object"

    def __init__(self, builder: Builder, schema: Mapping[str, Any], **kw: Any):
        super().__init__(builder, schema, **kw)
        self.fields: dict[str, FieldNode] = {}
        self.extra: FieldNode | None = None
        self.present = False  # loaded as an object: send it even if all fields are empty

    def add_child(self, node: FieldNode) -> None:
        node.parent = self
        self.fields[node.name or ""] = node

    def set_extra(self, node: FieldNode | None) -> None:
        if node is not None:
            node.parent = self
        self.extra = node

    def _child_segments(self, child: FieldNode) -> list[str | int]:
        if child is self.extra and isinstance(child, JsonField):
            return [*self.segments(), EXTRA]
        return [*self.segments(), child.name or ""]

    def children(self) -> list[FieldNode]:
        out = list(self.fields.values())
        if self.extra is not None:
            out.append(self.extra)
        return out

    def reset(self) -> None:
        self.present, self.invalid = False, OMIT
        for child in self.children():
            child.reset()
        if isinstance(self.extra, MapField):
            self.extra.rows.clear()
        if "default" in self.schema and isinstance(self.schema["default"], Mapping):
            self._apply(self.schema["default"], "edit")
            for node in self.walk():
                if isinstance(node, ScalarField | JsonField) and node.origin == "loaded":
                    node.origin = "default"

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
                self.extra.add_row(key, item, mode)
            return
        extra = self.extra if isinstance(self.extra, JsonField) else None
        if extra is None:
            extra = self.builder.extra_field(self, force=True)
        current = extra.value if isinstance(extra.value, dict) else {}
        extra.load({**current, **unknown}, mode)

    def is_blank(self) -> bool:
        return (
            not self.present and self.invalid is OMIT and all(c.is_blank() for c in self.children())
        )

    def validate_self(self) -> list[FieldError]:
        return _invalid_error(self, "object")

    def payload_value(self) -> Any:
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

    def to_draft(self) -> Any:
        out = {}
        for name, child in self.fields.items():
            d = child.to_draft()
            if d is not None:
                out[name] = d
        if self.extra is not None:
            d = self.extra.to_draft()
            if d is not None:
                out[EXTRA] = d
        return {"fields": out} if out or self.present else None

    def load_draft(self, data: Any) -> None:
        if not isinstance(data, Mapping) or not isinstance(data.get("fields"), Mapping):
            return
        self.present = True
        for name, d in data["fields"].items():
            if name == EXTRA:
                if self.extra is None:
                    self.builder.extra_field(self, force=True)
                if self.extra is not None:
                    self.extra.load_draft(d)
            elif name in self.fields:
                self.fields[name].load_draft(d)


# ---------------------------------------------------------------------------------------
class ArrayField(FieldNode):
    """A list. ``items`` are nodes built from ``item_schema``; add, remove and reorder them.

    ``min_items`` / ``max_items`` come from ``minItems`` / ``maxItems``;
    ``can_add`` says whether one more item is allowed.
    """

    kind = "array"

    def __init__(self, builder: Builder, schema: Mapping[str, Any], **kw: Any):
        super().__init__(builder, schema, **kw)
        self.item_schema: Mapping[str, Any] = schema.get("items", {})
        self.items: list[FieldNode] = []
        mi, ma = schema.get("minItems"), schema.get("maxItems")
        self.min_items: int = mi if isinstance(mi, int) else 0
        self.max_items: int | None = ma if isinstance(ma, int) else None
        self.present = False
        self.origin: str | None = None

    def _child_segments(self, child: FieldNode) -> list[str | int]:
        return [*self.segments(), self.items.index(child)]

    def children(self) -> list[FieldNode]:
        return list(self.items)

    @property
    def can_add(self) -> bool:
        return self.max_items is None or len(self.items) < self.max_items

    def add_item(self, value: Any = None, mode: str = "edit") -> FieldNode:
        """Append a new item (pre-filled from ``value`` if given) and return its node."""
        node = self.builder.build_item(self)
        node.parent = self
        self.items.append(node)
        if value is not None:
            node.load(value, mode)
        self.present = True
        self.origin = "user" if self.origin != "loaded" else self.origin
        return node

    def remove_item(self, index: int) -> None:
        node = self.items.pop(index)
        node.parent = None
        self.origin = "user"

    def move_item(self, index: int, delta: int) -> int:
        """Move an item by ``delta`` places (clamped); returns its new index."""
        new = max(0, min(len(self.items) - 1, index + delta))
        if new != index:
            self.items.insert(new, self.items.pop(index))
            self.origin = "user"
        return new

    def reset(self) -> None:
        self.items.clear()
        self.present, self.origin, self.invalid = False, None, OMIT
        default = self.schema.get("default")
        if isinstance(default, list):
            for value in default:
                self.add_item(value)
            self.origin = "default"

    def load(self, value: Any, mode: str = "edit") -> None:
        self.items.clear()
        self.present, self.origin, self.invalid = False, None, OMIT
        if value is None:
            return
        if not isinstance(value, list):
            self.invalid, self.origin = value, "loaded"
            return
        for item in value:
            node = self.add_item(None)
            node.load(item, mode)
        self.present, self.origin = True, "loaded"

    def is_blank(self) -> bool:
        return (
            self.origin in (None, "default")
            and not self.items
            or (self.origin is None and not self.present)
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
            return _invalid_error(self, "array")
        if not self.items and not self.required and not self.present:
            return []
        n = len(self.items)
        if self.required and n == 0 and self.min_items == 0 and not self.present:
            return []  # [] is a valid value for a required list
        if n < self.min_items:
            return [self._err(items_sentence(self.min_items, True))]
        if self.max_items is not None and n > self.max_items:
            return [self._err(items_sentence(self.max_items, False))]
        return []

    def to_draft(self) -> Any:
        if self.origin in (None, "default"):
            return None
        return {"items": [node.to_draft() for node in self.items]}

    def load_draft(self, data: Any) -> None:
        if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
            return
        self.items.clear()
        for d in data["items"]:
            self.add_item().load_draft(d)
        self.present, self.origin = True, "user"


# ---------------------------------------------------------------------------------------
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
    ``headers.X-Tenant`` or ``headers["a b"]``.
    """

    kind = "map"

    def __init__(self, builder: Builder, schema: Mapping[str, Any], **kw: Any):
        super().__init__(builder, schema, **kw)
        ap = schema.get("additionalProperties")
        self.value_schema: Mapping[str, Any] = ap if isinstance(ap, Mapping) else {}
        self.declared = set((schema.get("properties") or {}).keys())
        self.rows: list[MapRow] = []
        self.present = False
        self.origin: str | None = None

    def _child_segments(self, child: FieldNode) -> list[str | int]:
        base = self.segments() if self.name != EXTRA else self.parent.segments()  # type: ignore[union-attr]
        for row in self.rows:
            if row.value is child:
                return [*base, row.key]
        return base

    def children(self) -> list[FieldNode]:
        return [row.value for row in self.rows]

    def add_row(self, key: str = "", value: Any = None, mode: str = "edit") -> MapRow:
        node = self.builder.build_map_value(self, key)
        node.parent = self
        row = MapRow(key, node)
        self.rows.append(row)
        if value is not None:
            node.load(value, mode)
        self.present = True
        self.origin = self.origin or "user"
        return row

    def remove_row(self, index: int) -> None:
        self.rows.pop(index)
        self.origin = "user"

    def move_row(self, index: int, delta: int) -> int:
        new = max(0, min(len(self.rows) - 1, index + delta))
        if new != index:
            self.rows.insert(new, self.rows.pop(index))
        return new

    def set_key(self, index: int, key: str) -> str | None:
        """Rename a row; returns the key's error (empty or duplicate key) or ``None``."""
        row = self.rows[index]
        row.key = key
        self.origin = "user"
        node = row.value
        if isinstance(node, ScalarField) and node.base_type == "string":
            node.secret = is_secret_property(key, node.schema)
            if node.kind in ("string", "secret"):
                node.kind = "secret" if node.secret else "string"
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
                errors.append(self._err(f"row {i + 1}: {row.key_error}"))
        return errors

    def reset(self) -> None:
        self.rows.clear()
        self.present, self.origin, self.invalid = False, None, OMIT
        default = self.schema.get("default")
        if isinstance(default, Mapping) and self.name != EXTRA:
            for k, v in default.items():
                self.add_row(k, v)
            self.origin = "default"

    def load(self, value: Any, mode: str = "edit") -> None:
        self.rows.clear()
        self.present, self.origin, self.invalid = False, None, OMIT
        if not isinstance(value, Mapping):
            if value is not None:
                self.invalid, self.origin = value, "loaded"
            return
        for k, v in value.items():
            row = self.add_row(str(k))
            row.value.load(v, mode)
        self.present, self.origin = True, "loaded"

    def is_blank(self) -> bool:
        return self.origin in (None, "default") and not self.rows

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
            return _invalid_error(self, "object")
        errors = self._check_keys()
        n = len(self.rows)
        lo, hi = self.schema.get("minProperties"), self.schema.get("maxProperties")
        if (self.required or self.present) and isinstance(lo, int) and n < lo:
            errors.append(self._err(f"needs at least {lo} entr{'y' if lo == 1 else 'ies'}"))
        if isinstance(hi, int) and n > hi:
            errors.append(self._err(f"can have at most {hi} entr{'y' if hi == 1 else 'ies'}"))
        return errors

    def to_draft(self) -> Any:
        if self.origin in (None, "default"):
            return None
        return {"rows": [[row.key, row.value.to_draft()] for row in self.rows]}

    def load_draft(self, data: Any) -> None:
        if not isinstance(data, Mapping) or not isinstance(data.get("rows"), list):
            return
        self.rows.clear()
        for pair in data["rows"]:
            if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str):
                row = self.add_row(pair[0])
                row.value.load_draft(pair[1])
        self.present, self.origin = True, "user"


# ---------------------------------------------------------------------------------------
class Variant:
    """One alternative of a :class:`ChoiceField`: ``label``, resolved ``schema``, ``is_null``."""

    def __init__(
        self,
        label: str,
        schema: Mapping[str, Any],
        is_null: bool = False,
        chain: tuple[str, ...] = (),
    ) -> None:
        self.label = label
        self.schema = schema
        self.is_null = is_null
        self.chain = chain

    def __repr__(self) -> str:
        return f"<Variant {self.label}>"


class ChoiceField(FieldNode):
    """``oneOf`` / ``anyOf`` (or a type list such as ``["string", "integer"]``).

    ``variants`` lists the alternatives; ``selected`` is the index picked; ``active`` the node
    built for it (``None`` for a null variant). ``select(i)`` switches (each variant keeps what
    was typed in it); ``guess(value)`` returns the index of the variant matching a value.
    The active node has the same path as the choice itself.
    """

    kind = "choice"

    def __init__(
        self,
        builder: Builder,
        schema: Mapping[str, Any],
        variants: list[Variant],
        keyword: str,
        **kw: Any,
    ):
        super().__init__(builder, schema, **kw)
        self.variants = variants
        self.keyword = keyword  # "oneOf" | "anyOf" | "type"
        self.selected: int = 0
        self._nodes: dict[int, FieldNode | None] = {}
        self.origin: str | None = None
        self.reset()

    @property
    def active(self) -> FieldNode | None:
        if self.selected not in self._nodes:
            variant = self.variants[self.selected]
            node = None if variant.is_null else self.builder.build_variant(self, variant)
            if node is not None:
                node.parent = self
            self._nodes[self.selected] = node
        return self._nodes[self.selected]

    @property
    def variant_labels(self) -> list[str]:
        return [v.label for v in self.variants]

    def select(self, index: int) -> FieldNode | None:
        if not 0 <= index < len(self.variants):
            raise IndexError(f"{self.path}: no variant {index}")
        self.selected = index
        self.origin = "user"
        return self.active

    def guess(self, value: Any) -> int:
        """Index of the variant that fits ``value`` best (first valid, else most similar)."""
        best, best_score = 0, -1e9
        for i, variant in enumerate(self.variants):
            if variant.is_null:
                if value is None:
                    return i
                continue
            if self.builder.is_valid(variant.schema, value):
                return i
            score = _similarity(variant.schema, value)
            if score > best_score:
                best, best_score = i, score
        return best

    def children(self) -> list[FieldNode]:
        node = self.active
        return [node] if node is not None else []

    def reset(self) -> None:
        self._nodes.clear()
        self.origin = None
        self.selected = 0
        if "default" in self.schema:
            self.selected = self.guess(self.schema["default"])
            node = self.active
            if node is not None:
                node.load(self.schema["default"])
                for n in node.walk():
                    if hasattr(n, "origin") and getattr(n, "origin", None) == "loaded":
                        n.origin = "default"
            self.origin = "default"

    def load(self, value: Any, mode: str = "edit") -> None:
        self._nodes.clear()
        self.selected = self.guess(value)
        node = self.active
        if node is not None:
            node.load(value, mode)
        self.origin = "loaded"

    def is_blank(self) -> bool:
        node = self.active
        if node is None:
            return self.origin in (None, "default")
        return node.is_blank()

    def payload_value(self) -> Any:
        node = self.active
        if node is None:
            if self.required or self.origin in ("user", "loaded"):
                return None
            return OMIT
        if not self.required and node.is_blank():
            return OMIT
        return node.payload_value()

    def to_draft(self) -> Any:
        node = self.active
        inner = node.to_draft() if node is not None else None
        if inner is None and self.origin in (None, "default"):
            return None
        return {"variant": self.selected, "value": inner}

    def load_draft(self, data: Any) -> None:
        if not isinstance(data, Mapping) or not isinstance(data.get("variant"), int):
            return
        if 0 <= data["variant"] < len(self.variants):
            node = self.select(data["variant"])
            if node is not None:
                node.load_draft(data.get("value"))


def _similarity(schema: Mapping[str, Any], value: Any) -> float:
    types = schema.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    score = 0.0
    py = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "integer": int,
        "number": int | float,
    }
    for t in types:
        cls = py.get(t)
        if (
            cls is not None
            and isinstance(value, cls)
            and not (t in ("integer", "number") and isinstance(value, bool))
        ):
            score += 10
    if isinstance(value, Mapping):
        props = schema.get("properties") or {}
        score += sum(3 for k in value if k in props)
        score -= sum(1 for k in value if k not in props)
        score -= sum(2 for k in schema.get("required") or [] if k not in value)
        for k, sub in props.items():
            if k in value and isinstance(sub, Mapping) and isinstance(sub.get("enum"), list):
                score += 20 if value[k] in sub["enum"] else -20
    return score
