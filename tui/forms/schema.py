"""Schema helpers: local ``$ref`` resolution, type normalisation, labels and paths.

Nothing here knows about fields; :mod:`tui.forms.fields` builds nodes with these helpers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

# Keywords whose meaning the engine cannot express as fields: a schema (part) that uses one
# of them becomes a JSON field validated against that sub-schema.
UNSUPPORTED_KEYWORDS = ("allOf", "not")

EXTRA = "*"
"""Path segment of an object's "other settings" JSON field (keys the schema doesn't declare)."""

SCALAR_TYPES = ("string", "integer", "number", "boolean")
KNOWN_TYPES = (*SCALAR_TYPES, "object", "array", "null")


class RefError(Exception):
    """A ``$ref`` that cannot be resolved inside the schema document (remote or broken)."""


class SchemaIndex:
    """Resolves local references in one root schema.

    Supports JSON pointers (``#/definitions/Foo``, ``#/properties/a``) and, for Jackson
    generated schemas, references to an ``id`` declared somewhere in the document
    (``urn:jsonschema:com:actility:...:ProxyConfig``). Anything else (``http://...``) is a
    remote reference: :meth:`resolve` raises :class:`RefError`, and the builder turns that
    part into a JSON field instead of fetching anything.
    """

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.root_id = root.get("id") if isinstance(root.get("id"), str) else None
        self.ids: dict[str, Mapping[str, Any]] = {}
        self._collect_ids(root, 0)

    def _collect_ids(self, node: Any, depth: int) -> None:
        if depth > 64:
            return
        if isinstance(node, Mapping):
            ident = node.get("id")
            if isinstance(ident, str) and ident and ident not in self.ids:
                self.ids[ident] = node
            for key, value in node.items():
                if key in ("enum", "default", "examples", "const"):
                    continue
                self._collect_ids(value, depth + 1)
        elif isinstance(node, list):
            for value in node:
                self._collect_ids(value, depth + 1)

    def resolve(self, ref: str) -> Mapping[str, Any]:
        if not isinstance(ref, str):
            raise RefError(f"$ref is not text: {ref!r}")
        base, _, fragment = ref.partition("#")
        if base:
            if base in self.ids:
                target: Any = self.ids[base]
            elif self.root_id and base == self.root_id.partition("#")[0]:
                target = self.root
            else:
                raise RefError(f"remote reference {ref!r} is not followed")
        else:
            target = self.root
        if fragment:
            if not fragment.startswith("/"):
                raise RefError(f"reference {ref!r} is not a JSON pointer")
            for raw in fragment.split("/")[1:]:
                part = unquote(raw).replace("~1", "/").replace("~0", "~")
                if isinstance(target, Mapping) and part in target:
                    target = target[part]
                elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                else:
                    raise RefError(f"reference {ref!r} points nowhere")
        if not isinstance(target, Mapping):
            raise RefError(f"reference {ref!r} is not a schema")
        return target


def schema_types(schema: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The declared non-null types of a schema and whether null is allowed.

    ``{"type": ["string", "null"]}`` → ``(["string"], True)``. Without ``type``, the type
    is inferred from the keywords present (properties → object, items → array).
    """
    declared = schema.get("type")
    if isinstance(declared, str):
        types = [declared]
    elif isinstance(declared, list):
        types = [t for t in declared if isinstance(t, str)]
        if len(types) != len(declared):
            types.append("?")  # a schema inside a type list (draft-03): unknown
    elif declared is None:
        if (
            "properties" in schema
            or "additionalProperties" in schema
            or ("patternProperties" in schema)
        ):
            types = ["object"]
        elif "items" in schema:
            types = ["array"]
        elif isinstance(schema.get("enum"), list) and schema["enum"]:
            types = []
        else:
            types = []
    else:
        types = ["?"]
    nullable = "null" in types
    types = [t for t in types if t != "null"]
    # de-duplicate, keep order
    seen: list[str] = []
    for t in types:
        if t not in seen:
            seen.append(t)
    return seen, nullable


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def humanise(name: str) -> str:
    """``uplinkTopicPattern`` → ``Uplink topic pattern``; ``fPort`` → ``F port``."""
    if not name:
        return name
    words = _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ").split()
    out = []
    for i, word in enumerate(words):
        keep = len(word) > 1 and word.isupper()  # acronyms: URL, ID, CA
        out.append(word if keep else (word.capitalize() if i == 0 else word.lower()))
    return " ".join(out)


# ---------------------------------------------------------------------------------------
# Paths: ``proxy.password``, ``mappingRules[0].slaveId``, ``headers["X-Api.Key"]``.

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_SEGMENT = re.compile(r'\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def join_path(segments: list[str | int]) -> str:
    """Dotted path text from segments (strings are keys, integers are array indexes)."""
    out = ""
    for seg in segments:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif seg == EXTRA:
            out += ".*" if out else "*"
        elif _IDENT.match(seg):
            out += f".{seg}" if out else seg
        else:
            import json

            out += f"[{json.dumps(seg)}]"
    return out


def parse_path(path: str) -> list[str | int]:
    """Segments of a dotted path (inverse of :func:`join_path`). Lenient with odd keys."""
    import json

    segments: list[str | int] = []
    pos = 0
    path = path.strip()
    while pos < len(path):
        if path.startswith(".*", pos) or (pos == 0 and path.startswith("*")):
            segments.append(EXTRA)
            pos += 2 if path[pos] == "." else 1
            continue
        match = _SEGMENT.match(path, pos)
        if not match or match.end() == pos:
            # an odd key such as "a b": take text up to the next separator
            nxt = re.compile(r"[.\[]").search(path, pos + 1)
            end = nxt.start() if nxt else len(path)
            segments.append(path[pos:end].lstrip("."))
            pos = end
            continue
        if match.group(1) is not None:
            segments.append(match.group(1))
        elif match.group(2) is not None:
            segments.append(int(match.group(2)))
        else:
            segments.append(json.loads(match.group(3)))
        pos = match.end()
    return segments


def describe_type(types: list[str] | str) -> str:
    names = {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "object": "an object (a group of settings)",
        "array": "a list",
        "null": "empty (null)",
    }
    if isinstance(types, str):
        types = [types]
    return " or ".join(names.get(t, t) for t in types)


def format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_choice(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value)
