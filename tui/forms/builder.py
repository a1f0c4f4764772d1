"""Turning a (sub-)schema into field nodes; compiled validators shared by one tree.

:class:`Builder` is the :class:`~tui.forms.fields.NodeFactory` the nodes are given: they
call back into it for children built later (list items, map rows, variants).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from .fields import (
    ArrayField,
    ChoiceField,
    FieldNode,
    JsonField,
    MapField,
    ObjectField,
    ScalarField,
    Variant,
)
from .messages import humanise_validation_error
from .schema import (
    EXTRA,
    KNOWN_TYPES,
    SCALAR_TYPES,
    UNSUPPORTED_KEYWORDS,
    RefError,
    SchemaIndex,
    format_choice,
    humanise,
    schema_types,
)

MAX_DEPTH = 20
"""Nesting depth beyond which a part of the schema becomes a JSON field."""
MAX_REF_REPEAT = 2
"""How many times one ``$ref`` may be expanded along a path (recursive definitions)."""

_ANNOTATIONS = {"title", "description", "default", "$schema", "id", "definitions", "examples"}
_TYPE_LABELS = {
    "string": "Text",
    "integer": "Whole number",
    "number": "Number",
    "boolean": "True/false",
    "object": "Object",
    "array": "List",
}


def _no_remote(uri: str) -> Any:
    """Remote references are never fetched: they accept anything."""
    return DRAFT4.create_resource({})


class Builder:
    """The :class:`NodeFactory` of one form: builds the nodes of one root schema and
    validates values against its sub-schemas.

    The root :class:`~jsonschema.Draft4Validator` is compiled once; sub-schema validators
    are derived from it (sharing the reference registry) and cached.
    """

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.index = SchemaIndex(root)
        self.validator = Draft4Validator(root, registry=Registry(retrieve=_no_remote))
        self._validators: dict[int, tuple[Any, Any]] = {}

    # -- validation helpers ------------------------------------------------------------
    def sub_validator(self, schema: Mapping[str, Any]) -> Any:
        hit = self._validators.get(id(schema))
        if hit is None or hit[0] is not schema:
            hit = (schema, self.validator.evolve(schema=schema))
            self._validators[id(schema)] = hit
        return hit[1]

    def is_valid(self, schema: Mapping[str, Any], value: Any) -> bool:
        try:
            return bool(self.sub_validator(schema).is_valid(value))
        except Exception:  # a broken pattern or reference: cannot tell
            return False

    def check_subschema(
        self, schema: Mapping[str, Any], value: Any
    ) -> list[tuple[list[str | int], str]]:
        out: list[tuple[list[str | int], str]] = []
        try:
            for error in self.sub_validator(schema).iter_errors(value):
                out.extend(humanise_validation_error(error))
        except Exception:  # noqa: BLE001 - a schema jsonschema cannot run (unknown type...)
            return []  # cannot be checked here; the server will say
        return out

    # -- building ----------------------------------------------------------------------
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
        if schema is True or schema is None:
            schema = {}
        if not isinstance(schema, Mapping):
            schema = {"not": {}}
            return self._json(
                schema, "is not a schema object", name, required, chain, depth, label, help
            )
        # follow $ref (siblings of $ref only lend their title and description)
        while "$ref" in schema:
            ref = schema["$ref"]
            label = label or _text(schema.get("title"))
            help = help if help is not None else _text(schema.get("description"))
            if depth > MAX_DEPTH or chain.count(str(ref)) >= MAX_REF_REPEAT:
                return self._json(
                    schema,
                    "recursive definition, edited as JSON",
                    name,
                    required,
                    chain,
                    depth,
                    label,
                    help,
                )
            try:
                target = self.index.resolve(ref)
            except RefError as exc:
                return self._json(schema, str(exc), name, required, chain, depth, label, help)
            chain = (*chain, str(ref))
            schema = target
        kw: dict[str, Any] = dict(
            name=name, required=required, chain=chain, depth=depth, label=label, help=help
        )
        if depth > MAX_DEPTH:
            return JsonField(self, schema, "nested too deeply, edited as JSON", **kw)
        for keyword in UNSUPPORTED_KEYWORDS:
            if keyword in schema:
                return JsonField(self, schema, f"uses {keyword}, edited as JSON", **kw)
        if "oneOf" in schema and "anyOf" in schema:
            return JsonField(self, schema, "uses both oneOf and anyOf, edited as JSON", **kw)
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                return self._choice(schema, keyword, kw)
        types, nullable = schema_types(schema)
        kw["nullable"] = nullable
        unknown = [t for t in types if t not in KNOWN_TYPES]
        if unknown:
            return JsonField(self, schema, f"unknown type {unknown[0]!r}, edited as JSON", **kw)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            if any(isinstance(v, dict | list) for v in enum):
                return JsonField(self, schema, "a choice among structured values", **kw)
            return ScalarField(self, schema, "enum", **kw)
        if len(types) > 1:
            return self._type_choice(schema, types, nullable, kw)
        if not types:
            return JsonField(self, schema, "accepts any JSON value", **kw)
        kind = types[0]
        if kind in SCALAR_TYPES:
            return ScalarField(self, schema, kind, **kw)
        if kind == "object":
            return self._object(schema, kw)
        if kind == "array":
            items = schema.get("items", {})
            if isinstance(items, list):
                return JsonField(self, schema, "a fixed list of positions (tuple)", **kw)
            return ArrayField(self, schema, **kw)
        return JsonField(self, schema, f"type {kind!r}, edited as JSON", **kw)

    def _json(
        self,
        schema: Any,
        reason: str,
        name: str | None,
        required: bool,
        chain: tuple[str, ...],
        depth: int,
        label: str | None,
        help: str | None,
    ) -> JsonField:
        return JsonField(
            self,
            schema,
            reason,
            name=name,
            required=required,
            chain=chain,
            depth=depth,
            label=label,
            help=help,
        )

    def _object(self, schema: Mapping[str, Any], kw: dict[str, Any]) -> FieldNode:
        props = schema.get("properties", {})
        if not isinstance(props, Mapping):
            return JsonField(self, schema, "malformed properties, edited as JSON", **kw)
        required = [r for r in schema.get("required", []) or [] if isinstance(r, str)]
        ap = schema.get("additionalProperties", True)
        pp = schema.get("patternProperties")
        if not props and not required:
            if isinstance(ap, Mapping) and not pp:
                return MapField(self, schema, **kw)
            if ap is not False or pp:
                return JsonField(self, schema, "free-form object, edited as JSON", **kw)
        node = ObjectField(self, schema, **kw)
        depth, chain = kw["depth"], kw["chain"]
        for pname, psch in props.items():
            node.add_child(
                self.build(
                    psch, name=pname, required=pname in required, chain=chain, depth=depth + 1
                )
            )
        for pname in required:
            if pname not in props:  # required but not described: keep a JSON field for it
                sub = ap if isinstance(ap, Mapping) else {}
                node.add_child(
                    self.build(sub, name=pname, required=True, chain=chain, depth=depth + 1)
                )
        if isinstance(ap, Mapping) and not pp:
            extra = MapField(
                self,
                {"additionalProperties": ap, "properties": props},
                name=EXTRA,
                required=False,
                label="Other settings",
                help="Settings not described by the connector",
                chain=chain,
                depth=depth + 1,
            )
            node.set_extra(extra)
        elif ap is not False or pp:
            node.other_settings()
        return node

    # -- choices -----------------------------------------------------------------------
    def _choice(self, schema: Mapping[str, Any], keyword: str, kw: dict[str, Any]) -> FieldNode:
        raw = schema.get(keyword)
        if not isinstance(raw, list) or not raw:
            return JsonField(self, schema, f"malformed {keyword}, edited as JSON", **kw)
        base = {
            k: v
            for k, v in schema.items()
            if k not in ("oneOf", "anyOf", "title", "description", "default")
        }
        merge = any(k not in _ANNOTATIONS for k in base)
        chain: tuple[str, ...] = kw["chain"]
        variants: list[Variant] = []
        for i, sub in enumerate(raw):
            vchain = chain
            ref_name = None
            if isinstance(sub, Mapping) and "$ref" in sub:
                ref = str(sub["$ref"])
                ref_name = ref.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
                if chain.count(ref) < MAX_REF_REPEAT:
                    try:
                        sub = {
                            **self.index.resolve(ref),
                            **{k: v for k, v in sub.items() if k in ("title", "description")},
                        }
                        vchain = (*chain, ref)
                    except RefError:
                        pass
            if merge and isinstance(sub, Mapping) and "$ref" not in sub:
                sub = _merge(base, sub)
            if not isinstance(sub, Mapping):
                sub = {} if sub is True else {"not": {}}
            types, nullable = schema_types(sub)
            is_null = nullable and not types and "enum" not in sub and "$ref" not in sub
            variants.append(
                Variant(_variant_label(sub, i, ref_name, is_null), sub, is_null, vchain)
            )
        _unique_labels(variants)
        return ChoiceField(self, schema, variants, keyword, **kw)

    def _type_choice(
        self, schema: Mapping[str, Any], types: list[str], nullable: bool, kw: dict[str, Any]
    ) -> FieldNode:
        variants = [
            Variant(_TYPE_LABELS.get(t, t), {**schema, "type": t}, False, kw["chain"])
            for t in types
        ]
        if nullable:
            variants.append(Variant("None (null)", {"type": "null"}, True, kw["chain"]))
        return ChoiceField(self, schema, variants, "type", **kw)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _merge(base: Mapping[str, Any], variant: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in variant.items():
        if key == "properties" and isinstance(value, Mapping):
            out["properties"] = {**(base.get("properties") or {}), **value}
        elif key == "required" and isinstance(value, list):
            merged = list(base.get("required") or [])
            out["required"] = merged + [r for r in value if r not in merged]
        else:
            out[key] = value
    return out


def _variant_label(
    schema: Mapping[str, Any], index: int, ref_name: str | None, is_null: bool
) -> str:
    title = schema.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    if is_null:
        return "None (null)"
    props = schema.get("properties") or {}
    if isinstance(props, Mapping):
        ordered = list(schema.get("required") or []) + list(props)
        for pname in ordered:
            sub = props.get(pname)
            if isinstance(sub, Mapping):
                enum = sub.get("enum")
                if isinstance(enum, list) and len(enum) == 1:
                    return format_choice(enum[0])
                if "const" in sub:
                    return format_choice(sub["const"])
    if ref_name:
        return humanise(ref_name)
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return format_choice(enum[0])
    desc = schema.get("description")
    if isinstance(desc, str) and 0 < len(desc) <= 40:
        return desc
    if isinstance(props, Mapping) and props:
        names = list(schema.get("required") or []) or list(props)
        text = ", ".join(humanise(str(n)).lower() for n in names[:3])
        return text[0].upper() + text[1:] if text else f"Option {index + 1}"
    types, _ = schema_types(schema)
    if len(types) == 1 and types[0] in _TYPE_LABELS:
        return _TYPE_LABELS[types[0]]
    return f"Option {index + 1}"


def _unique_labels(variants: list[Variant]) -> None:
    seen: dict[str, int] = {}
    for v in variants:
        seen[v.label] = seen.get(v.label, 0) + 1
    for i, v in enumerate(variants):
        if seen[v.label] > 1:
            v.label = f"{v.label} ({i + 1})"
