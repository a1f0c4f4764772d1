"""Hypothesis strategies for connector schemas nobody tuned for (the screen tests' first
version; the engine's own strategy is to live in tests/support/schemas.py).

``connector_schemas()`` draws an object schema mixing every draft-04 construct the engine
turns into fields with hostile ones: recursive and missing ``$ref``, long enums, deep
nesting, unknown ``type``, ``properties`` that is not an object, ``enum`` holding objects,
``oneOf`` with many variants, ``patternProperties``, keys with dots and slashes,
``required`` naming a missing property, optional and nullable booleans and enums without
a default, ``const``, and ``default`` of the wrong type.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

KEYS = st.sampled_from(
    ["host", "port", "mode", "a.b", "x/y", "with space", "Authorization", "apiKey", "é", "n0"]
)


def _scalars() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda: {"type": "string"}),
        st.builds(
            lambda n: {"type": "string", "minLength": n, "maxLength": n + 8}, st.integers(0, 4)
        ),
        st.builds(lambda: {"type": "string", "pattern": "^[a-z]+$"}),
        st.builds(
            lambda lo: {"type": "integer", "minimum": lo, "maximum": lo + 10}, st.integers(-5, 5)
        ),
        st.builds(lambda: {"type": "number"}),
        st.builds(lambda: {"type": "boolean"}),  # optional, no default
        st.builds(lambda d: {"type": "boolean", "default": d}, st.booleans()),
        st.builds(lambda: {"type": ["boolean", "null"]}),
        st.builds(lambda: {"type": "string", "enum": ["a", "b", "c"]}),  # no default
        st.builds(lambda: {"type": ["string", "null"], "enum": ["a", "b", None]}),
        st.builds(lambda n: {"enum": [f"o{i}" for i in range(n)]}, st.sampled_from([1, 2, 500])),
        st.builds(lambda: {"enum": [{"k": 1}, {"k": 2}]}),  # enum holding objects
        st.builds(lambda: {"const": "fixed"}),
        st.builds(lambda: {"type": "integer", "default": "three"}),  # default of the wrong type
        st.builds(lambda: {"type": "quaternion"}),  # unknown type
        st.builds(lambda: {"type": "string", "format": "password"}),
        st.builds(lambda: {}),  # anything
    )


def _deep(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for i in range(depth):
        node = {"type": "object", "properties": {f"level{i}": node}}
    return node


@st.composite
def _values(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    if depth >= 2:
        return draw(_scalars())
    inner = _values(depth + 1)
    return draw(
        st.one_of(
            _scalars(),
            _scalars(),
            st.builds(lambda items: {"type": "array", "items": items}, inner),
            st.builds(
                lambda props: {"type": "object", "properties": props},
                st.dictionaries(KEYS, inner, min_size=1, max_size=3),
            ),
            st.builds(lambda v: {"type": "object", "additionalProperties": v}, _scalars()),
            st.builds(
                lambda variants: {"oneOf": variants},
                st.lists(
                    st.builds(
                        lambda props: {"type": "object", "properties": props},
                        st.dictionaries(KEYS, _scalars(), min_size=1, max_size=2),
                    ),
                    min_size=2,
                    max_size=10,
                ),
            ),
            st.builds(lambda: {"type": "object", "patternProperties": {"^x": {"type": "string"}}}),
            st.builds(lambda: {"type": "object", "properties": ["not", "an", "object"]}),
            st.builds(lambda: {"$ref": "#/definitions/missing"}),
            st.builds(lambda: {"$ref": "#/definitions/node"}),  # recursive
            st.builds(_deep, st.sampled_from([3, 30])),
        )
    )


@st.composite
def connector_schemas(draw: st.DrawFn) -> dict[str, Any]:
    """An object schema of 1 to 6 properties drawn from :func:`_values`."""
    props = draw(st.dictionaries(KEYS, _values(), min_size=1, max_size=6))
    required = draw(st.lists(st.sampled_from([*props, "ghost"]), unique=True, max_size=3))
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "properties": props,
        "definitions": {
            "node": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "child": {"$ref": "#/definitions/node"}},
            }
        },
    }
    if required:
        schema["required"] = required
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema
