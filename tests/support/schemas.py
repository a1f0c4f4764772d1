"""Connector schemas nobody on the team wrote: a Hypothesis strategy, plus a large one.

``connector_schemas()`` draws a ``configurationSchema`` mixing every draft-04 construct the
form engine handles (scalars with their keywords, objects, lists, maps, ``oneOf``/``anyOf``,
type lists, ``$ref``) with hostile ones: recursive and missing ``$ref``, 500-option enums,
30 levels of nesting, an unknown ``type``, ``properties`` that is not an object, ``enum``
holding objects, ``oneOf`` with ten variants, ``patternProperties``, keys with dots and
slashes, ``required`` naming a missing property, optional and nullable booleans and enums
without a default, ``const``, ``default`` of the wrong type, ``allOf``/``not``, tuples and
remote references. ``tame_connector_schemas()`` leaves the hostile parts out, for tests
that need jsonschema (and hypothesis-jsonschema) to handle every part.

``large_schema()`` builds the 2.2 MB, 4,000-property kind of schema that made the form
unusable (issue 10), deterministically, for benchmarks and size tests.

Used by the engine tests (tests/unit/test_forms_hostile.py) and the screen tests.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]

NAMES = st.sampled_from(
    [
        "host",
        "port",
        "mode",
        "enabled",
        "password",
        "certificate",
        "privateKey",
        "apiToken",
        "region",
        "timeoutSeconds",
        "a.b",
        "x/y",
        "with space",
        "héllo",
        "Authorization",
        "items",
        "type",
        "$weird",
    ]
)

RECURSIVE = "#/definitions/Node"
MISSING = "#/definitions/Missing"
DEFINITIONS: Schema = {
    # a tree of nodes: expanding it without a bound never ends
    "Node": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "child": {"$ref": RECURSIVE},
            "children": {"type": "array", "items": {"$ref": RECURSIVE}},
        },
    },
    "Port": {"type": "integer", "minimum": 1, "maximum": 65535, "title": "Port"},
}
BIG_ENUM = [f"option-{i:03d}" for i in range(500)]


def deep_object(levels: int = 30) -> Schema:
    """An object nested ``levels`` deep, with a required text at the bottom."""
    schema: Schema = {"type": "object", "properties": {"leaf": {"type": "string"}}}
    for i in range(levels - 1):
        schema = {"type": "object", "properties": {f"level{i}": schema}}
    return schema


def ten_variants() -> Schema:
    """A ``oneOf`` of ten objects told apart by a one-value enum ``kind``."""
    return {
        "oneOf": [
            {
                "type": "object",
                "title": f"Variant {i}",
                "required": ["kind"],
                "properties": {"kind": {"enum": [f"k{i}"]}, f"value{i}": {"type": "integer"}},
                "additionalProperties": False,
            }
            for i in range(10)
        ]
    }


# -- scalars -------------------------------------------------------------------------------
@st.composite
def string_schema(draw: Any) -> Schema:
    schema: Schema = {"type": "string"}
    choice = draw(st.integers(0, 4))
    if choice == 1:
        schema["pattern"] = draw(st.sampled_from(["^[a-z]+$", "^[0-9]{2,4}$", "^[0-9]+[smh]$"]))
    elif choice == 2:
        lo = draw(st.integers(0, 3))
        schema.update(minLength=lo, maxLength=lo + draw(st.integers(0, 5)))
    elif choice == 3:
        schema["format"] = draw(st.sampled_from(["uri", "hostname", "password", "email"]))
    elif choice == 4:
        schema["default"] = draw(st.sampled_from(["abc", "42s", ""]))
    return schema


@st.composite
def number_schema(draw: Any) -> Schema:
    schema: Schema = {"type": draw(st.sampled_from(["integer", "number"]))}
    if draw(st.booleans()):
        lo = draw(st.integers(-10, 10))
        schema["minimum"] = lo
        schema["maximum"] = lo + draw(st.integers(2, 50))
        if draw(st.booleans()):
            schema["exclusiveMinimum"] = True
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([1, 2, 5]))
    return schema


@st.composite
def choice_schema(draw: Any) -> Schema:
    """Booleans and enums: optional or not, nullable or not, with and without a default."""
    if draw(st.booleans()):
        schema: Schema = {"type": draw(st.sampled_from(["boolean", ["boolean", "null"]]))}
        if draw(st.booleans()):
            schema["default"] = draw(st.booleans())
        return schema
    options = draw(
        st.sampled_from([["a", "b", "c"], ["ON", "OFF"], [1, 2, 3], ["x", None], BIG_ENUM])
    )
    schema = {"enum": list(options)}
    if draw(st.booleans()):
        schema["default"] = options[-1]
    return schema


HOSTILE_LEAVES: list[Schema] = [
    {"const": "fixed"},
    {"type": "integer", "default": "not a number"},  # default of the wrong type
    {"type": "boolean", "default": "yes"},
    {"type": "string", "default": 7},
    {"enum": ["a", "b"], "default": "z"},
    {"type": "quantum"},  # unknown type
    {"type": ["string", "integer"]},
    {"type": ["string", "integer", "null"]},
    {"type": "object", "properties": "not an object"},
    {"enum": [{"a": 1}, {"b": 2}]},  # enum holding objects
    {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
    {"allOf": [{"type": "integer"}, {"minimum": 0}]},
    {"not": {"type": "string"}},
    {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
    {"$ref": "http://example.com/remote.json"},
    {"$ref": MISSING},
    {"$ref": RECURSIVE},
    {"$ref": "#/definitions/Port"},
    {"type": "object"},
    {},
    {"oneOf": []},
]
"""Single odd properties; each is also tried alone by the engine tests."""

# odd leaves drawn as often as the ordinary ones together
LEAVES = st.one_of(
    st.one_of(string_schema(), number_schema(), choice_schema()),
    st.sampled_from(HOSTILE_LEAVES),
)
TAME_LEAVES = st.one_of(string_schema(), number_schema(), choice_schema())


# -- containers ----------------------------------------------------------------------------
@st.composite
def object_schema(draw: Any, children: st.SearchStrategy, hostile: bool = True) -> Schema:
    props = draw(st.dictionaries(NAMES, children, min_size=1, max_size=5))
    required = [n for n in props if draw(st.booleans())]
    if hostile and draw(st.integers(0, 5)) == 0:
        required.append("notDescribed")  # required but missing from properties
    schema: Schema = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    ap = draw(st.integers(0, 3))
    if ap == 1:
        schema["additionalProperties"] = False
    elif ap == 2 and not hostile:
        schema["additionalProperties"] = False
    return schema


@st.composite
def array_schema(draw: Any, children: st.SearchStrategy) -> Schema:
    lo = draw(st.integers(0, 2))
    schema: Schema = {"type": "array", "items": draw(children), "minItems": lo}
    if draw(st.booleans()):
        schema["maxItems"] = lo + draw(st.integers(1, 3))
    return schema


@st.composite
def tagged_one_of(draw: Any, children: st.SearchStrategy) -> Schema:
    count = draw(st.integers(1, 3))
    variants = []
    for i in range(count):
        props = {f"p{i}": draw(children), "kind": {"enum": [f"tag{i}"]}}
        variants.append(
            {
                "type": "object",
                "required": ["kind"],
                "properties": props,
                "additionalProperties": False,
            }
        )
    return {"oneOf": variants}


def containers(children: st.SearchStrategy, hostile: bool) -> st.SearchStrategy:
    options = [
        object_schema(children, hostile),
        array_schema(children),
        children.map(lambda c: {"type": "object", "additionalProperties": c}),  # a map
        tagged_one_of(children),
        st.lists(children, min_size=1, max_size=3).map(lambda cs: {"anyOf": cs}),
    ]
    if hostile:
        options.append(st.just(ten_variants()))
    return st.one_of(*options)


HOSTILE_PARTS: list[Schema] = [deep_object(30), ten_variants(), {"$ref": RECURSIVE}]
"""Whole hostile sub-trees."""


def _root(props: dict[str, Schema], required: list[str]) -> Schema:
    schema: Schema = {
        "type": "object",
        "properties": props,
        "definitions": copy.deepcopy(DEFINITIONS),
    }
    if required:
        schema["required"] = required
    return schema


@st.composite
def connector_schemas(draw: Any, max_leaves: int = 10) -> Schema:
    """A hostile ``configurationSchema`` (a JSON object schema at the root)."""
    parts = st.recursive(LEAVES, lambda c: containers(c, True), max_leaves=max_leaves)
    props = draw(st.dictionaries(NAMES, parts, min_size=1, max_size=6))
    if draw(st.booleans()):
        props["hostile"] = draw(st.sampled_from(HOSTILE_PARTS))
    required = [n for n in props if draw(st.booleans())]
    if draw(st.booleans()):
        required.append("missingButRequired")
    return _root(props, required)


@st.composite
def tame_connector_schemas(draw: Any, max_leaves: int = 8) -> Schema:
    """Well-formed schemas only: every part can be checked by jsonschema and generated by
    hypothesis-jsonschema (no unknown types, recursion, remote or missing references)."""
    parts = st.recursive(TAME_LEAVES, lambda c: containers(c, False), max_leaves=max_leaves)
    props = draw(st.dictionaries(NAMES, parts, min_size=1, max_size=5))
    required = [n for n in props if draw(st.booleans())]
    schema = _root(props, required)
    del schema["definitions"]
    return schema


# -- one large schema ----------------------------------------------------------------------
def large_schema(properties: int = 4000, description_words: int = 68) -> Schema:
    """A flat-ish schema of ``properties`` settings in groups of 40, each described at
    length (about 2.2 MB for 4,000 properties: the size a generated schema reaches)."""
    words = ("the value the connector sends to the platform when the device reports " * 9).split()
    text = " ".join(words[:description_words])
    groups: dict[str, Schema] = {}
    for g in range(0, properties, 40):
        props: Schema = {}
        for i in range(g, min(g + 40, properties)):
            kind = i % 5
            base: Schema = {"title": f"Setting {i}", "description": f"Setting {i}: {text}"}
            if kind == 0:
                base.update(type="string", maxLength=200, pattern="^[A-Za-z0-9._-]*$")
            elif kind == 1:
                base.update(type="integer", minimum=0, maximum=100000, default=i)
            elif kind == 2:
                base.update(type="boolean")
            elif kind == 3:
                base.update(enum=[f"choice-{j}" for j in range(12)])
            else:
                base.update(type="number", minimum=0, exclusiveMinimum=True)
            props[f"setting{i:04d}"] = base
        groups[f"group{g // 40:03d}"] = {
            "type": "object",
            "title": f"Group {g // 40}",
            "description": text,
            "properties": props,
        }
    return {"type": "object", "properties": groups, "required": ["group000"]}


# -- values a schema accepts ---------------------------------------------------------------
def accepted_values(schema: Any) -> st.SearchStrategy:
    """Values valid for a (tame) schema: hypothesis-jsonschema for every part but objects
    and lists, which are composed here (its object generator does not run on the Hypothesis
    we use: ``'many' object has no attribute 'more'``)."""
    from hypothesis_jsonschema import from_schema

    if not isinstance(schema, dict):
        return st.none()
    for keyword in ("oneOf", "anyOf"):
        if isinstance(schema.get(keyword), list) and schema[keyword]:
            return st.one_of(*[accepted_values(v) for v in schema[keyword]])
    declared = schema.get("type")
    if declared == "object" or (declared is None and "properties" in schema):
        return _object_values(schema)
    if declared == "array":
        lo = schema.get("minItems", 0)
        hi = schema.get("maxItems", lo + 3)
        return st.lists(accepted_values(schema.get("items", {})), min_size=lo, max_size=hi)
    return from_schema(schema)


def _object_values(schema: Schema) -> st.SearchStrategy:
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    if not props:
        ap = schema.get("additionalProperties")
        if isinstance(ap, dict):  # a map
            keys = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1)
            return st.dictionaries(keys, accepted_values(ap), max_size=3)
        return st.just({})
    must = {k: accepted_values(v) for k, v in props.items() if k in required}
    may = {k: accepted_values(v) for k, v in props.items() if k not in required}
    return st.fixed_dictionaries(must, optional=may)
