"""``$ref`` resolution shared by the simulator's validation and example generation.

Local JSON pointers (``#/definitions/X``, ``#``) and Jackson-style ids
(``urn:jsonschema:...``) found anywhere in the schema; a cycle or a dangling reference
resolves to ``{}`` (accept anything) instead of recursing for ever.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 20


class SchemaRefs:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.ids: dict[str, Mapping[str, Any]] = {}
        self._index(root)

    def _index(self, node: Any) -> None:
        if isinstance(node, Mapping):
            for key in ("id", "$id"):
                ident = node.get(key)
                if isinstance(ident, str) and ("type" in node or "properties" in node):
                    self.ids.setdefault(ident.rstrip("#"), node)
            for value in node.values():
                self._index(value)
        elif isinstance(node, list):
            for value in node:
                self._index(value)

    def resolve(self, schema: Any, depth: int = 0) -> Mapping[str, Any]:
        """The schema a ``$ref`` points to (followed transitively), or the schema itself."""
        if not isinstance(schema, Mapping):
            return {}
        ref = schema.get("$ref")
        if not isinstance(ref, str) or depth > MAX_DEPTH:
            return schema
        target: Any
        if ref in ("#", ""):
            target = self.root
        elif ref.startswith("#/"):
            target = self.root
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, Mapping) and part in target:
                    target = target[part]
                elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                else:
                    return {}
        else:
            target = self.ids.get(ref.rstrip("#"), {})
        return self.resolve(target, depth + 1)
