"""Example configurations that validate against a connector's draft-04 configurationSchema.

The generator walks the schema (``$ref``, ``allOf``/``anyOf``/``oneOf``, enums, defaults,
bounds, patterns, arrays, ``additionalProperties`` maps) and fills well-known keys with
plausible values (AWS regions, MQTT host names, topic patterns, PEM-looking keys), so that
the demo population looks like a real operator's account. Every result is checked with
``jsonschema.Draft4Validator``; a schema that cannot be satisfied raises ``ExampleError``.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

from .plausible import WORDS, norm, plausible_number, plausible_string, uuid_text
from .regexgen import string_matching
from .schema_refs import SchemaRefs

__all__ = ["ExampleError", "example_configuration", "configuration_schema"]

_MAX_DEPTH = 8


class ExampleError(ValueError):
    """The generator could not build a configuration that validates."""


def configuration_schema(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """The connection configurationSchema of a connector descriptor ({} when absent)."""
    connection = descriptor.get("connection") or {}
    schema = connection.get("configurationSchema") if isinstance(connection, Mapping) else None
    return schema if isinstance(schema, dict) else {}


class _Generator(SchemaRefs):
    def __init__(
        self, root: Mapping[str, Any], rng: random.Random, connector_id: str, optional_ratio: float
    ) -> None:
        super().__init__(root)
        self.rng = rng
        self.connector_id = connector_id
        self.optional_ratio = optional_ratio

    def merged(self, schema: Any) -> dict[str, Any]:
        """The schema with $ref resolved and allOf folded in."""
        schema = dict(self.resolve(schema))
        for part in schema.pop("allOf", None) or []:
            part = self.merged(part)
            for key, value in part.items():
                if key == "properties":
                    schema["properties"] = {**schema.get("properties", {}), **value}
                elif key == "required":
                    schema["required"] = list(dict.fromkeys([*schema.get("required", []), *value]))
                else:
                    schema.setdefault(key, value)
        return schema

    # -- values -----------------------------------------------------------------------------
    def value(self, schema: Any, key: str = "", parent: str = "", depth: int = 0) -> Any:
        rng = self.rng
        schema = self.merged(schema)
        for combinator in ("oneOf", "anyOf"):
            branches = schema.get(combinator)
            if isinstance(branches, list) and branches:
                rest = {k: v for k, v in schema.items() if k != combinator}
                branch = self.merged(rng.choice(branches))
                return self.value({**rest, **branch}, key, parent, depth)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            default = schema.get("default")
            if default in enum and rng.random() < 0.6:
                return default
            return rng.choice(enum)
        kind = self._type_of(schema)
        default = schema.get("default")
        if default is not None and kind in ("string", "integer", "number", "boolean"):
            if rng.random() < 0.6 and _matches_type(default, kind):
                return default
        if kind == "object":
            return self.object_value(schema, key, depth)
        if kind == "array":
            return self.array_value(schema, key, depth)
        if kind == "string":
            return self.string_value(schema, key, parent)
        if kind in ("integer", "number"):
            return self.number_value(schema, key, kind)
        if kind == "boolean":
            return bool(default) if isinstance(default, bool) else rng.random() < 0.5
        if kind == "null":
            return None
        return self.string_value(schema, key, parent)

    def _type_of(self, schema: Mapping[str, Any]) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            concrete = [k for k in kind if k != "null"]
            kind = concrete[0] if concrete else "null"
        if isinstance(kind, str):
            return kind
        if "properties" in schema or "additionalProperties" in schema or "required" in schema:
            return "object"
        if "items" in schema:
            return "array"
        if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
            return "number"
        return "string"

    def object_value(self, schema: Mapping[str, Any], key: str, depth: int) -> dict[str, Any]:
        rng = self.rng
        props = schema.get("properties") or {}
        required = [r for r in schema.get("required") or [] if isinstance(r, str)]
        deps = schema.get("dependencies") or {}
        out: dict[str, Any] = {}
        chosen: list[str] = []
        for name in props:
            if name in required:
                chosen.append(name)
            elif depth < _MAX_DEPTH - 2 and rng.random() < self._optional_chance(name):
                chosen.append(name)
        for name in list(chosen):
            dep = deps.get(name)
            if isinstance(dep, list):
                chosen.extend(d for d in dep if d not in chosen)
        for name in required:
            if name not in chosen:
                chosen.append(name)
        for name in chosen:
            out[name] = self.value(self._property_schema(schema, name), name, key, depth + 1)
        extra = schema.get("additionalProperties")
        is_map = isinstance(extra, Mapping) and not props
        want = int(schema.get("minProperties") or 0)
        maximum = schema.get("maxProperties")
        if is_map and depth < _MAX_DEPTH:
            want = max(want, rng.randint(1, 3))
        if maximum is not None:
            want = min(want, int(maximum))
        spare = [n for n in props if n not in out]
        counter = 0
        while len(out) < want:
            if spare:
                name = spare.pop(0)
            elif extra is False:
                break
            else:
                counter += 1
                name = self._map_key(key, counter)
            out[name] = self.value(self._property_schema(schema, name), name, key, depth + 1)
        return out

    def _optional_chance(self, name: str) -> float:
        if norm(name) in ("proxy", "topics", "chainedwithconnectionids"):
            return self.optional_ratio * 0.3
        return self.optional_ratio

    def _property_schema(self, schema: Mapping[str, Any], name: str) -> Any:
        props = schema.get("properties") or {}
        if name in props:
            return props[name]
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            try:
                if re.search(pattern, name):
                    return sub
            except re.error:
                continue
        extra = schema.get("additionalProperties")
        return extra if isinstance(extra, Mapping) else {"type": "string"}

    def _map_key(self, key: str, counter: int) -> str:
        if norm(key) == "headers":
            return (
                ["X-Source", "X-Device", "X-Tenant"][counter - 1 : counter][0]
                if counter <= 3
                else f"X-Extra-{counter}"
            )
        return f"{(norm(key) or 'key')[:12]}{counter}"

    def array_value(self, schema: Mapping[str, Any], key: str, depth: int) -> list[Any]:
        rng = self.rng
        items = schema.get("items", {})
        lo = int(schema.get("minItems") or 0)
        hi = schema.get("maxItems")
        if isinstance(items, list):
            out = [self.value(item, key, key, depth + 1) for item in items]
            extra = schema.get("additionalItems")
            while len(out) < lo and extra is not False:
                out.append(self.value(extra if isinstance(extra, Mapping) else {}, key, key, depth))
            return out if hi is None else out[: int(hi)]
        count = 0 if depth >= _MAX_DEPTH else rng.randint(1, 2)
        count = max(count, lo)
        if hi is not None:
            count = min(count, int(hi))
        out = []
        for _ in range(count * 4):
            if len(out) >= count:
                break
            item = self.value(items, _singular(key), key, depth + 1)
            if schema.get("uniqueItems") and item in out:
                continue
            out.append(item)
        return out

    def string_value(self, schema: Mapping[str, Any], key: str, parent: str) -> str:
        rng = self.rng
        lo = int(schema.get("minLength") or 0)
        hi = schema.get("maxLength")
        hi = int(hi) if hi is not None else None
        pattern = schema.get("pattern")
        candidates: list[str] = []
        plausible = plausible_string(key, parent, self.connector_id, rng)
        if plausible is not None:
            candidates.append(plausible)
        fmt = _format_value(schema.get("format"), rng)
        if fmt is not None:
            candidates.insert(0, fmt)
        candidates.append(f"{rng.choice(WORDS)}-{rng.randint(1, 99)}")
        for text in candidates:
            if _fits(text, pattern, lo, hi):
                return text
        if isinstance(pattern, str):
            text = string_matching(pattern, rng, min_length=lo, max_length=hi)
            if text is not None:
                return text
        text = candidates[-1]
        if len(text) < lo:
            text += "x" * (lo - len(text))
        if hi is not None:
            text = text[:hi]
        return text

    def number_value(self, schema: Mapping[str, Any], key: str, kind: str) -> int | float:
        rng = self.rng
        lo = schema.get("minimum")
        hi = schema.get("maximum")
        step = schema.get("multipleOf")
        if lo is not None and schema.get("exclusiveMinimum") is True:
            lo = lo + (1 if kind == "integer" else 1e-6)
        if hi is not None and schema.get("exclusiveMaximum") is True:
            hi = hi - (1 if kind == "integer" else 1e-6)
        if kind == "integer":
            lo = math.ceil(lo) if lo is not None else None
            hi = math.floor(hi) if hi is not None else None
        value: float = plausible_number(key) or 0
        if not value:
            if lo is not None and hi is not None:
                value = rng.uniform(lo, hi)
            elif lo is not None:
                value = lo + rng.randint(0, 10)
            elif hi is not None:
                value = hi - rng.randint(0, 10)
            else:
                value = rng.randint(1, 100)
        if lo is not None and value < lo:
            value = lo
        if hi is not None and value > hi:
            value = hi
        if isinstance(step, int | float) and step > 0:
            value = math.ceil(value / step) * step
            if hi is not None and value > hi:
                value -= step
        if kind == "integer":
            return int(round(value))
        return float(value)


def _singular(key: str) -> str:
    return key[:-1] if key.endswith("s") else key


def _matches_type(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False


def _fits(text: str, pattern: Any, lo: int, hi: int | None) -> bool:
    if len(text) < lo or (hi is not None and len(text) > hi):
        return False
    if isinstance(pattern, str):
        try:
            return re.search(pattern, text) is not None
        except re.error:
            return True
    return True


def _format_value(fmt: Any, rng: random.Random) -> str | None:
    word = rng.choice(WORDS)
    return (
        {
            "uri": f"https://{word}.example.net/thingpark",
            "url": f"https://{word}.example.net/thingpark",
            "email": f"ops@{word}.example.net",
            "hostname": f"{word}.example.net",
            "host-name": f"{word}.example.net",
            "ipv4": f"192.0.2.{rng.randint(1, 254)}",
            "ip-address": f"192.0.2.{rng.randint(1, 254)}",
            "ipv6": f"2001:db8::{rng.randint(1, 0xFFFF):x}",
            "date-time": "2026-01-15T09:00:00+01:00",
            "date": "2026-01-15",
            "time": "09:00:00",
            "uuid": uuid_text(rng),
        }.get(fmt)
        if isinstance(fmt, str)
        else None
    )


_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft4Validator]] = {}


def _validator(schema: Mapping[str, Any]) -> Draft4Validator:
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    validator = Draft4Validator(schema)
    _VALIDATORS[id(schema)] = (schema, validator)
    return validator


def example_configuration(descriptor: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """A configuration valid (jsonschema Draft4Validator) against the descriptor's schema."""
    schema = configuration_schema(descriptor)
    connector_id = str(descriptor.get("id", ""))
    if not schema:
        return {}
    validator = _validator(schema)
    last: Any = None
    for attempt in range(12):
        ratio = 0.5 if attempt < 6 else (0.15 if attempt < 9 else 0.0)
        generator = _Generator(schema, rng, connector_id, ratio)
        config = generator.value(schema)
        if not isinstance(config, dict):
            config = {}
        if validator.is_valid(config):
            return config
        last = config
    error = best_match(validator.iter_errors(last))
    where = ".".join(str(p) for p in error.absolute_path) if error else ""
    raise ExampleError(
        f"cannot build a valid example configuration for connector {connector_id!r}: "
        f"{where + ': ' if where else ''}{error.message if error else 'unknown error'}"
    )
