"""Property tests: generated draft-04 schemas never crash the engine or lose a property,
and a form filled from its field constraints yields a payload jsonschema accepts."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tests.support.forms import fill_valid
from tui.forms import JsonField, ObjectField, build_form

settings.register_profile(
    "forms",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FORMS = settings.get_profile("forms")

NAMES = st.sampled_from(
    [
        "alpha",
        "beta",
        "port",
        "hostName",
        "password",
        "certificate",
        "mode",
        "items",
        "x-y",
        "a b",
        "description",
        "token",
    ]
)


@st.composite
def integer_schema(draw: Any, kind: str = "integer") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    lo = draw(st.none() | st.integers(-50, 50))
    hi = draw(st.none() | st.integers(0, 10))
    if lo is not None:
        schema["minimum"] = lo
        if draw(st.booleans()):
            schema["exclusiveMinimum"] = True
    if hi is not None:
        hi = (lo if lo is not None else 0) + 2 + hi
        schema["maximum"] = hi
        if draw(st.booleans()):
            schema["exclusiveMaximum"] = True
    return schema


@st.composite
def string_schema(draw: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if draw(st.booleans()):
        schema["pattern"] = draw(st.sampled_from(["^[a-z]+$", "^[0-9]{3}$", "^[0-9]+[smhd]$"]))
    else:
        lo = draw(st.integers(0, 3))
        if draw(st.booleans()):
            schema["minLength"] = lo
        if draw(st.booleans()):
            schema["maxLength"] = lo + draw(st.integers(1, 5))
    if draw(st.booleans()):
        schema["title"] = "A title"
        schema["description"] = "Some help"
    return schema


@st.composite
def enum_schema(draw: Any) -> dict[str, Any]:
    values = draw(
        st.lists(
            st.sampled_from(["A", "B", "C", 1, 2, True]),
            min_size=1,
            max_size=4,
            unique_by=lambda v: (type(v), v),
        )
    )
    schema: dict[str, Any] = {"enum": values}
    if draw(st.booleans()):
        schema["default"] = values[-1]
    return schema


def nullable(s: st.SearchStrategy) -> st.SearchStrategy:
    return s.map(lambda d: {**d, "type": [d["type"], "null"]} if "type" in d else d)


UNKNOWN = st.sampled_from(
    [
        {"allOf": [{"type": "integer"}, {"minimum": 0}], "x-example": 3},
        {"not": {"type": "string"}, "x-example": 5},
        {
            "type": "object",
            "patternProperties": {"^x-": {"type": "string"}},
            "x-example": {"x-a": "s"},
        },
        {
            "type": "array",
            "items": [{"type": "string"}, {"type": "integer"}],
            "x-example": ["a", 1],
        },
        {"type": "weird", "x-example": 1},
        {"$ref": "http://example.com/remote.json", "x-example": {"any": 1}},
        {"type": "object", "x-example": {"free": True}},
    ]
)

LEAVES = st.one_of(
    integer_schema(),
    integer_schema("number"),
    string_schema(),
    st.just({"type": "boolean"}),
    st.just({"type": "boolean", "default": True}),
    enum_schema(),
    nullable(string_schema()),
    nullable(integer_schema()),
    UNKNOWN,
)


def refable(s: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(s, st.booleans()).map(lambda t: {**t[0], "x-ref": True} if t[1] else t[0])


@st.composite
def object_of(draw: Any, children: st.SearchStrategy) -> dict[str, Any]:
    props = draw(st.dictionaries(NAMES, children, min_size=1, max_size=4))
    required = [n for n in props if draw(st.booleans())]
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema


@st.composite
def array_of(draw: Any, children: st.SearchStrategy) -> dict[str, Any]:
    lo = draw(st.integers(0, 2))
    schema = {"type": "array", "items": draw(children), "minItems": lo}
    if draw(st.booleans()):
        schema["maxItems"] = lo + draw(st.integers(1, 2))
    return schema


@st.composite
def one_of(draw: Any, children: st.SearchStrategy) -> dict[str, Any]:
    variants = []
    for tag in ("a", "b")[: draw(st.integers(1, 2))]:
        props = {"kind": {"enum": [tag]}, **draw(st.dictionaries(NAMES, children, max_size=2))}
        props["kind"] = {"enum": [tag]}
        variants.append(
            {
                "type": "object",
                "required": ["kind"],
                "properties": props,
                "additionalProperties": False,
            }
        )
    return {"oneOf": variants}


def extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return refable(
        st.one_of(
            object_of(children),
            array_of(children),
            children.map(lambda c: {"type": "object", "additionalProperties": c}),
            one_of(children),
            st.lists(children, min_size=1, max_size=3).map(lambda cs: {"anyOf": cs}),
        )
    )


SCHEMAS = st.recursive(refable(LEAVES), extend, max_leaves=12)
ROOTS = object_of(SCHEMAS)


def hoist_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Move every sub-schema flagged ``x-ref`` into ``definitions`` behind a ``$ref``."""
    schema = copy.deepcopy(schema)
    defs: dict[str, Any] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if out.pop("x-ref", False):
                name = f"D{len(defs)}"
                defs[name] = out
                return {"$ref": f"#/definitions/{name}"}
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    root = walk(schema)
    if defs:
        root["definitions"] = defs
    return root


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema and schema["$ref"].startswith("#/definitions/"):
        schema = root["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


@FORMS
@given(ROOTS.map(hoist_refs))
def test_building_never_crashes_nor_drops_a_property(schema):
    tree = build_form(schema)
    assert isinstance(tree.root, ObjectField)
    assert set(schema["properties"]) <= set(tree.root.fields)
    for node in tree.walk():
        if isinstance(node, ObjectField):
            declared = resolve(dict(node.schema), schema).get("properties", {})
            assert set(declared) <= set(node.fields), node.path
    tree.validate()
    json.dumps(tree.draft())


def schema_problems(schema: dict[str, Any], payload: Any) -> list[str]:
    """jsonschema's messages for ``payload``; parts it cannot run are checked without them.

    jsonschema raises on the ``"weird"`` type of the generated schemas. Rather than skip
    the check, the unknown type is replaced by "accept anything" (which is what the engine
    does with it: a JSON field) and the rest of the schema is still checked.
    """

    def known(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("type") == "weird":
                node = {k: v for k, v in node.items() if k != "type"}
            return {k: known(v) for k, v in node.items()}
        if isinstance(node, list):
            return [known(v) for v in node]
        return node

    checked = known(schema)
    assert "weird" not in json.dumps(checked)
    # like the engine, a remote reference is not fetched: it accepts anything
    registry: Registry = Registry(retrieve=lambda uri: DRAFT4.create_resource({}))
    validator = Draft4Validator(checked, registry=registry)
    return [e.message for e in validator.iter_errors(payload)]


@FORMS
@given(ROOTS.map(hoist_refs))
def test_payload_from_valid_values_validates(schema):
    tree = build_form(schema)
    fill_valid(tree.root)
    payload, errors = tree.try_payload()
    assert errors == [], errors
    assert set(schema["properties"]) <= set(payload) or not all(
        isinstance(n, JsonField) for n in tree.root.fields.values()
    )
    assert schema_problems(schema, payload) == []
    again = build_form(schema)
    again.load(payload, mode="edit")
    assert again.try_payload()[0] == payload
