"""A form's draft: what was typed, as JSON-able data, never a secret.

``node_draft(node)`` returns ``None`` for a node that holds nothing worth keeping
(untouched, a default, a secret); ``restore_draft(node, data)`` puts a draft back over a
freshly built node and ignores anything it does not recognise (an old draft, a schema that
changed since). The shapes: ``{"text": ...}`` / ``{"null": true}`` for a scalar,
``{"fields": {...}}``, ``{"items": [...]}``, ``{"rows": [[key, ...], ...]}``,
``{"variant": i, "value": ...}`` and ``{"json": ...}`` for JSON fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tui.secrets import strip_secrets

from .fields import (
    ArrayField,
    ChoiceField,
    FieldNode,
    JsonField,
    MapField,
    ObjectField,
    ScalarField,
)
from .schema import EXTRA


def node_draft(node: FieldNode) -> Any:
    """The draft of one node and its subtree, or ``None``."""
    if isinstance(node, ScalarField):
        if node.secret or node.unchanged or not node.origin.given:
            return None
        return {"null": True} if node.is_null else {"text": node.text}
    if isinstance(node, ObjectField):
        if node.left_out:
            return None
        out = {}
        for name, child in node.fields.items():
            d = node_draft(child)
            if d is not None:
                out[name] = d
        if node.extra is not None:
            d = node_draft(node.extra)
            if d is not None:
                out[EXTRA] = d
        return {"fields": out} if out or node.present else None
    if isinstance(node, ArrayField):
        if not node.origin.given:
            return None
        return {"items": [node_draft(item) for item in node.items]}
    if isinstance(node, MapField):
        if not node.origin.given:
            return None
        return {"rows": [[row.key, node_draft(row.value)] for row in node.rows]}
    if isinstance(node, ChoiceField):
        active = node.active
        inner = node_draft(active) if active is not None else None
        if inner is None and not node.origin.given:
            return None
        return {"variant": node.selected, "value": inner}
    if isinstance(node, JsonField):
        return _json_draft(node)
    return None


def _json_draft(node: JsonField) -> Any:
    if not node.origin.given or not node.text.strip():
        return None
    try:
        return {"json": strip_secrets(json.loads(node.text))}
    except json.JSONDecodeError:
        return {"text": node.text}


def restore_draft(node: FieldNode, data: Any) -> None:
    """Put ``data`` (from :func:`node_draft`) back into ``node``; secrets stay empty."""
    if not isinstance(data, Mapping):
        return
    if isinstance(node, ScalarField):
        if node.secret:
            return
        if data.get("null") and node.nullable:
            node.set_null()
        elif isinstance(data.get("text"), str):
            node.set_text(data["text"])
    elif isinstance(node, ObjectField):
        _restore_object(node, data)
    elif isinstance(node, ArrayField):
        items = data.get("items")
        if isinstance(items, list):
            for item, d in zip(node.restore(len(items)), items, strict=True):
                restore_draft(item, d)
    elif isinstance(node, MapField):
        _restore_map(node, data)
    elif isinstance(node, ChoiceField):
        index = data.get("variant")
        if isinstance(index, int) and 0 <= index < len(node.variants):
            active = node.select(index)
            if active is not None:
                restore_draft(active, data.get("value"))
    elif isinstance(node, JsonField):
        if "json" in data:
            node.set_text(json.dumps(data["json"], indent=2, ensure_ascii=False))
        elif isinstance(data.get("text"), str):
            node.set_text(data["text"])


def _restore_object(node: ObjectField, data: Mapping[str, Any]) -> None:
    fields = data.get("fields")
    if not isinstance(fields, Mapping):
        return
    node.present = True
    for name, d in fields.items():
        if name == EXTRA:
            extra = node.extra if node.extra is not None else node.other_settings(force=True)
            restore_draft(extra, d)
        elif name in node.fields:
            restore_draft(node.fields[name], d)


def _restore_map(node: MapField, data: Mapping[str, Any]) -> None:
    rows = data.get("rows")
    if not isinstance(rows, list):
        return
    pairs = [p for p in rows if isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)]
    for row, pair in zip(node.restore([p[0] for p in pairs]), pairs, strict=True):
        restore_draft(row.value, pair[1])
