"""Validation messages that speak JSON, not Python.

jsonschema's own messages quote Python reprs (``None is not of type 'string'``,
``True is not one of ['CALM', ...]``): a person who sent ``null`` or ``true`` should read
``must be a string, got null``. Every message starts with the JSON path of the field it is
about (``configuration.proxy.hostname: ...``), which clients use to put the error in place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

__all__ = ["describe", "field_path", "json_kind", "json_text"]

_KINDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def json_kind(value: Any) -> str:
    """The JSON kind of a value, as a person reads it: ``null``, ``a string``, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def json_text(value: Any, limit: int = 60) -> str:
    """A value as JSON text, shortened for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_path(prefix: str, parts: Iterable[Any]) -> str:
    out = prefix
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _kinds(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected or [])
    words = [_KINDS.get(str(n), str(n)) for n in names]
    return " or ".join(words) if words else "a valid value"


def _got(value: Any) -> str:
    kind = json_kind(value)
    return "got null" if kind == "null" else f"got {kind} ({json_text(value, 30)})"


def describe(error: ValidationError, prefix: str) -> tuple[str, str]:
    """(field path, message) for one draft-04 validation error under ``prefix``."""
    parts = list(error.absolute_path)
    value, arg = error.instance, error.validator_value
    kind = error.validator
    if kind == "required":
        missing = [name for name in arg if isinstance(value, dict) and name not in value]
        if missing:
            parts.append(missing[0])
        return field_path(prefix, parts), "is required"
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = set((error.schema.get("properties") or {}).keys())
        extra = sorted(k for k in value if k not in allowed)
        if extra:
            parts.append(extra[0])
        return field_path(prefix, parts), "is not a property this connector knows"
    path = field_path(prefix, parts)
    texts = {
        "type": lambda: f"must be {_kinds(arg)}, {_got(value)}",
        "enum": lambda: (
            f"must be one of {', '.join(json_text(v) for v in arg)}, got {json_text(value)}"
        ),
        "pattern": lambda: f"must match the pattern {json_text(arg)}, got {json_text(value)}",
        "minLength": lambda: f"must be at least {arg} characters long",
        "maxLength": lambda: f"must be at most {arg} characters long",
        "minimum": lambda: (
            f"must be {'greater than' if error.schema.get('exclusiveMinimum') else 'at least'} "
            f"{json_text(arg)}, got {json_text(value)}"
        ),
        "maximum": lambda: (
            f"must be {'less than' if error.schema.get('exclusiveMaximum') else 'at most'} "
            f"{json_text(arg)}, got {json_text(value)}"
        ),
        "multipleOf": lambda: f"must be a multiple of {json_text(arg)}, got {json_text(value)}",
        "minItems": lambda: f"must hold at least {arg} items",
        "maxItems": lambda: f"must hold at most {arg} items",
        "uniqueItems": lambda: "must not repeat an item",
        "minProperties": lambda: f"must hold at least {arg} properties",
        "maxProperties": lambda: f"must hold at most {arg} properties",
        "format": lambda: f"must be a valid {arg}, got {json_text(value)}",
        "oneOf": lambda: "must match exactly one of the allowed shapes",
        "anyOf": lambda: "must match one of the allowed shapes",
        "allOf": lambda: "must match every required shape",
        "not": lambda: "is a value this field does not allow",
        "dependencies": lambda: "needs other properties that are missing",
    }
    text = texts.get(str(kind))
    return path, text() if text else "is not valid for this connector"
