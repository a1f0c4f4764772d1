"""Sentences a person understands, from jsonschema errors and from server 400 messages."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .schema import describe_type, format_choice, format_number

UNKNOWN_SETTING = "is not a known setting for this connector"
SECRET_UNCHANGED = (
    "re-enter this secret: the API replaces the whole configuration and cannot keep the old value"
)


@dataclass(frozen=True)
class FieldError:
    """One problem, on the field at ``path`` (dotted; ``""`` is the form itself)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


MAX_LISTED_CHOICES = 12
"""Beyond this, a sentence names how many options there are and a few of them."""


def choices_sentence(options: list[Any]) -> str:
    if len(options) > MAX_LISTED_CHOICES:
        first = ", ".join(format_choice(o) for o in options[:3])
        return f"must be one of the {len(options)} options offered (e.g. {first})"
    return "must be one of: " + ", ".join(format_choice(o) for o in options)


def minimum_sentence(value: Any, exclusive: bool) -> str:
    n = format_number(value)
    return f"must be greater than {n}" if exclusive else f"must be at least {n}"


def maximum_sentence(value: Any, exclusive: bool) -> str:
    n = format_number(value)
    return f"must be less than {n}" if exclusive else f"must be at most {n}"


def pattern_sentence(pattern: str, schema: Mapping[str, Any] | None = None) -> str:
    example = example_for(schema or {}, pattern)
    sentence = f"must match the pattern {pattern}"
    return f"{sentence} (e.g. {example})" if example else sentence


def example_for(schema: Mapping[str, Any], pattern: str | None = None) -> str | None:
    """An example value for a pattern: from ``examples``/``example``/``default`` if it fits."""
    candidates: list[Any] = []
    if isinstance(schema.get("examples"), list):
        candidates.extend(schema["examples"])
    for key in ("example", "default"):
        if key in schema:
            candidates.append(schema[key])
    for cand in candidates:
        if isinstance(cand, str) and cand:
            if pattern is None:
                return cand
            try:
                if re.search(pattern, cand):
                    return cand
            except re.error:
                return None
    return None


def length_sentence(n: int, at_least: bool) -> str:
    if at_least:
        return "must not be empty" if n == 1 else f"must be at least {n} characters long"
    return f"must be at most {n} characters long"


def items_sentence(n: int, at_least: bool) -> str:
    unit = "item" if n == 1 else "items"
    return f"needs at least {n} {unit}" if at_least else f"can have at most {n} {unit}"


def humanise_validation_error(error: Any) -> list[tuple[list[str | int], str]]:
    """(path segments, sentence) pairs for one ``jsonschema.ValidationError``.

    Paths are relative to the validated instance (``error.absolute_path``). ``required`` and
    ``additionalProperties`` errors are moved onto the property they are about.
    """
    path: list[str | int] = list(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    if kind == "required":
        match = re.match(r"^'(.*)' is a required property$", error.message)
        if match:
            return [([*path, match.group(1)], "is required")]
        missing = [n for n in value if isinstance(instance, Mapping) and n not in instance]
        return [([*path, n], "is required") for n in missing] or [(path, "is required")]
    if kind == "additionalProperties" and isinstance(instance, Mapping):
        props = schema.get("properties", {}) or {}
        patterns = list((schema.get("patternProperties") or {}).keys())
        extras = []
        for key in instance:
            if key in props:
                continue
            if any(_safe_search(p, key) for p in patterns):
                continue
            extras.append(key)
        if value is False:
            return [([*path, k], UNKNOWN_SETTING) for k in extras] or [(path, UNKNOWN_SETTING)]
        return [(path, error.message)]
    if kind == "enum":
        return [(path, choices_sentence(list(value)))]
    if kind == "type":
        return [(path, f"must be {describe_type(value)}")]
    if kind == "minimum":
        return [(path, minimum_sentence(value, bool(schema.get("exclusiveMinimum"))))]
    if kind == "maximum":
        return [(path, maximum_sentence(value, bool(schema.get("exclusiveMaximum"))))]
    if kind == "minLength":
        return [(path, length_sentence(value, True))]
    if kind == "maxLength":
        return [(path, length_sentence(value, False))]
    if kind == "pattern":
        return [(path, pattern_sentence(value, schema))]
    if kind == "minItems":
        return [(path, items_sentence(value, True))]
    if kind == "maxItems":
        return [(path, items_sentence(value, False))]
    if kind == "uniqueItems":
        return [(path, "must not contain the same value twice")]
    if kind == "multipleOf":
        return [(path, f"must be a multiple of {format_number(value)}")]
    if kind == "minProperties":
        return [(path, f"needs at least {value} entr{'y' if value == 1 else 'ies'}")]
    if kind == "maxProperties":
        return [(path, f"can have at most {value} entr{'y' if value == 1 else 'ies'}")]
    if kind == "oneOf":
        if "is valid under each of" in error.message:
            return [(path, "matches more than one of the allowed forms; make it match one")]
        return [(path, "does not match any of the allowed forms")]
    if kind == "anyOf":
        return [(path, "does not match any of the allowed forms")]
    if kind == "not":
        return [(path, "is a value that is not allowed here")]
    if kind == "dependencies":
        match = re.match(r"^'(.*)' is a dependency of '(.*)'$", error.message)
        if match:
            return [([*path, match.group(2)], f"needs {match.group(1)} to be set as well")]
        return [(path, error.message)]
    if kind == "format":
        return [(path, f"must be a valid {value}")]
    return [(path, error.message)]


def _safe_search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


# ---------------------------------------------------------------------------------------
# Server messages (Python jsonschema wording, and the Java networknt validator wording).

_TYPE_WORDS = {
    "integer": "integer",
    "int": "integer",
    "long": "integer",
    "number": "number",
    "double": "number",
    "string": "string",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
    "null": "null",
}


def _literal_list(text: str) -> list[Any] | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return list(value) if isinstance(value, list | tuple) else None


def humanise_server_text(message: str) -> tuple[str | None, str]:
    """(a property name the message is about or None, sentence) for a bare message text."""
    text = message.strip()
    m = re.match(r"^'(.+)' is a required property$", text)
    if m:
        return m.group(1), "is required"
    m = re.match(r"^required property '(.+)' not found$", text)
    if m:
        return m.group(1), "is required"
    if re.search(r"is missing but it is required$", text):
        return None, "is required"
    m = re.match(r"^Additional properties are not allowed \((.+?) (?:was|were) unexpected\)$", text)
    if m:
        names = re.findall(r"'([^']*)'", m.group(1))
        return (names[0] if names else None), UNKNOWN_SETTING
    m = re.match(r"^property '(.+)' is not defined in the schema", text)
    if m:
        return m.group(1), UNKNOWN_SETTING
    if "is not defined in the schema and the schema does not allow additional" in text:
        return None, UNKNOWN_SETTING
    m = re.match(r"^.* is not one of (\[.*\])$", text)
    if m:
        options = _literal_list(m.group(1))
        if options is not None:
            return None, choices_sentence(options)
        return None, "must be one of: " + m.group(1).strip("[]")
    m = re.search(r"does not have a value in the enumeration \[(.*)\]", text)
    if m:
        return None, "must be one of: " + m.group(1)
    m = re.match(r"^.* is not of type (.+)$", text)
    if m:
        types = re.findall(r"'(\w+)'", m.group(1))
        return None, f"must be {describe_type([_TYPE_WORDS.get(t, t) for t in types])}"
    m = re.search(r"(\w+) found, (\w+) expected", text)
    if m:
        return None, f"must be {describe_type(_TYPE_WORDS.get(m.group(2), m.group(2)))}"
    m = re.match(r"^.* is less than or equal to the minimum of (\S+)$", text)
    if m:
        return None, minimum_sentence(_num(m.group(1)), True)
    m = re.match(r"^.* is less than the minimum of (\S+)$", text)
    if m:
        return None, minimum_sentence(_num(m.group(1)), False)
    m = re.match(r"^.* is greater than or equal to the maximum of (\S+)$", text)
    if m:
        return None, maximum_sentence(_num(m.group(1)), True)
    m = re.match(r"^.* is greater than the maximum of (\S+)$", text)
    if m:
        return None, maximum_sentence(_num(m.group(1)), False)
    m = re.search(r"must have a minimum value of (\S+)", text)
    if m:
        return None, minimum_sentence(_num(m.group(1)), False)
    m = re.search(r"must have a maximum value of (\S+)", text)
    if m:
        return None, maximum_sentence(_num(m.group(1)), False)
    m = re.match(r"^.* does not match '(.*)'$", text)
    if m:
        return None, pattern_sentence(m.group(1))
    m = re.search(r"does not match the regex pattern (.+)$", text)
    if m:
        return None, pattern_sentence(m.group(1).strip())
    if re.search(r"is too short$", text):
        return None, "is too short"
    if re.search(r"is too long$", text):
        return None, "is too long"
    return None, text


def _num(text: str) -> Any:
    text = text.rstrip(".,;")
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text
