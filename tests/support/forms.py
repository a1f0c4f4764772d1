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
