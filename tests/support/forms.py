"""Helpers shared by the form tests: fill a form with values valid for its constraints."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st

from tui.forms import (
    ArrayField,
    ChoiceField,
    FieldNode,
    JsonField,
    MapField,
    ObjectField,
    ScalarField,
)
from tui.forms.fields import check_constraints

CONNECTORS = sorted(
    (Path(__file__).resolve().parents[2] / "tui/simulator/connectors").glob("*.json")
)
PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"


def connector_schema(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())["connection"]["configurationSchema"]


@lru_cache(maxsize=256)
def _string_for(schema_json: str, kind: str) -> str:
    schema = json.loads(schema_json)
    lo = schema.get("minLength", 0) or 0
    candidates = [
        "value",
        "x",
        "5m",
        "a" * max(lo, 1),
        "eu-west-1",
        "0.0.0.0",
        "broker.example.com:8883",
        "broker.example.com",
        "https://example.com/up",
        "/ns/path",
        "0ne0000ABCD",
        "0123456789abcdef",
        "ab" * 32,
        "t123",
        "myhub.azure-devices.net",
        "10",
        "123",
        "mynamespace.servicebus.windows.net:9093",
        "myapp.azureiotcentral.com",
    ]
    if "default" in schema and isinstance(schema["default"], str):
        candidates.insert(0, schema["default"])
    if kind == "pem":
        candidates.insert(0, PEM)
    for cand in candidates:
        if not check_constraints(schema, cand, kind):
            return cand
    pattern = schema.get("pattern")
    if pattern and kind != "pem":
        return find(
            st.from_regex(pattern, fullmatch=True),
            lambda s: not check_constraints(schema, s, kind),
            settings=settings(
                derandomize=True,
                database=None,
                max_examples=2000,
                suppress_health_check=list(HealthCheck),
            ),
        )
    raise AssertionError(f"no valid text known for {schema} ({kind})")


def number_for(schema: dict[str, Any], integer: bool) -> int | float:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    ex_lo, ex_hi = bool(schema.get("exclusiveMinimum")), bool(schema.get("exclusiveMaximum"))
    if lo is None and hi is None:
        return 1
    if lo is not None:
        v = math.floor(lo) + 1 if ex_lo and integer else (lo + 0.5 if ex_lo else lo)
        v = math.ceil(v) if integer else v
    else:
        v = math.ceil(hi) - 1 if ex_hi else hi
        v = math.floor(v) if integer else v
    if hi is not None and (v > hi or (ex_hi and v == hi)):
        v = (lo + hi) / 2 if not integer else v
    return int(v) if integer else v


def fill_valid(node: FieldNode) -> None:
    """Give every field of the subtree a value that satisfies its constraints."""
    if isinstance(node, ScalarField):
        if node.kind == "enum":
            node.set_value(node.options[0])
        elif node.kind == "boolean":
            node.set_value(True)
        elif node.base_type in ("integer", "number"):
            node.set_text(str(number_for(dict(node.schema), node.base_type == "integer")))
        else:
            node.set_text(_string_for(json.dumps(node.schema, sort_keys=True), node.kind))
    elif isinstance(node, ObjectField):
        for child in node.fields.values():
            fill_valid(child)
    elif isinstance(node, ArrayField):
        n = max(node.min_items, 1)
        if node.max_items is not None:
            n = min(n, node.max_items)
        for _ in range(n):
            fill_valid(node.add_item())
    elif isinstance(node, MapField):
        if node.name == "*":
            return
        hi = node.schema.get("maxProperties")
        if hi is None or hi >= 1:
            row = node.add_row("k1")
            fill_valid(row.value)
    elif isinstance(node, ChoiceField):
        index = next((i for i, v in enumerate(node.variants) if not v.is_null), 0)
        active = node.select(index)
        if active is not None:
            fill_valid(active)
    elif isinstance(node, JsonField):
        if "x-example" in node.schema:
            node.set_text(json.dumps(node.schema["x-example"]))


# -- exercising any form (generated schemas) ------------------------------------------------
_NOT_SENTENCES = ("Traceback", " object at 0x", "Error(", "\n")


def is_sentence(message: object) -> bool:
    """A message a person can read: short text, no traceback, no Python repr."""
    return (
        isinstance(message, str)
        and 2 <= len(message) <= 400
        and message == message.strip()
        and not any(bad in message for bad in _NOT_SENTENCES)
    )


def set_every_field(tree: Any, limit: int = 3000) -> list[str]:
    """Visit every node (breadth first, children after their parent changed), set each one
    the way a person would: type wrong text then right text, pick options, null what is
    nullable, add and remove items and rows, rename a row, switch variants. Returns the
    messages the fields answered with (all must be sentences); stops after ``limit`` nodes.
    """
    answers: list[str] = []
    queue = [tree.root]
    seen = 0
    while queue and seen < limit:
        node = queue.pop(0)
        seen += 1
        answers.extend(m for m in _exercise(node) if m is not None)
        queue.extend(node.children())
    return answers


def _exercise(node: FieldNode) -> list[str | None]:
    out: list[str | None] = []
    if isinstance(node, ScalarField):
        if node.nullable:
            node.set_null()
        if node.kind == "enum":
            out.append(node.set_text("certainly not an option"))
            out.append(node.set_value(None))
            out.append(node.set_value(node.options[0]) if node.options else None)
        elif node.kind == "boolean":
            out.append(node.set_text("maybe"))
            out.append(node.set_value(True))
        elif node.base_type in ("integer", "number"):
            out.append(node.set_text("twelve"))
            integer = node.base_type == "integer"
            out.append(node.set_text(str(number_for(dict(node.schema), integer))))
        elif node.kind == "pem":
            out.append(node.set_text(PEM.replace("\n", "\r")))
        else:
            out.append(node.set_text("x"))
    elif isinstance(node, JsonField):
        out.append(node.set_text("{not json"))
        out.append(node.set_text(json.dumps(node.schema.get("default", {}))))
    elif isinstance(node, ArrayField):
        if node.can_add:
            node.add_item()
            node.remove_item(len(node.items) - 1)
        while node.can_add and len(node.items) < max(node.min_items, 1):
            node.add_item()
    elif isinstance(node, MapField):
        node.add_row("")
        out.append(node.set_key(len(node.rows) - 1, "Authorization"))
        out.append(node.set_key(len(node.rows) - 1, "k1"))
    elif isinstance(node, ChoiceField):
        for index in range(len(node.variants)):
            node.select(index)
        node.select(next((i for i, v in enumerate(node.variants) if not v.is_null), 0))
    return out


def accept_unknown_types(schema: Any) -> Any:
    """A copy where a ``type`` jsonschema cannot run accepts anything (what the engine does
    with it: a JSON field), so the rest of the schema can still be checked whole."""
    known = {"string", "integer", "number", "boolean", "object", "array", "null"}
    if isinstance(schema, dict):
        out = {k: accept_unknown_types(v) for k, v in schema.items() if k != "type"}
        declared = schema.get("type")
        if isinstance(declared, str) and declared in known:
            out["type"] = declared
        elif isinstance(declared, list) and all(_known(t, known) for t in declared):
            out["type"] = declared
        elif "type" in schema and not isinstance(declared, str | list):
            out["type"] = accept_unknown_types(declared)
        return out
    if isinstance(schema, list):
        return [accept_unknown_types(v) for v in schema]
    return schema


def _known(t: Any, known: set[str]) -> bool:
    return isinstance(t, str) and t in known


def schema_problems(schema: Any, payload: Any) -> list[str]:
    """jsonschema's messages for ``payload`` (unknown types accept anything, remote
    references are not fetched: the engine's own rules)."""
    from jsonschema import Draft4Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT4

    registry: Registry = Registry(retrieve=lambda uri: DRAFT4.create_resource({}))
    validator = Draft4Validator(accept_unknown_types(schema), registry=registry)
    return [e.message for e in validator.iter_errors(payload)]
