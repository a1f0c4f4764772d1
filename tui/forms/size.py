"""How big a form is, measured before building it, and when a screen should hold back.

A 2.2 MB schema with 4,000 properties builds in about 0.2 s here, but one widget per
field makes a screen unusable. A screen asks :func:`measure_schema` first (a few
milliseconds, no tree built), then shows every field, or sections that mount their
fields when opened (:mod:`tui.forms.sections`), or the JSON editor (``build_form(schema,
as_json=True)``) with :data:`LARGE_FORM_SENTENCE`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTIONED_FORM_FIELDS = 80
"""Settings beyond which the form is in sections mounted when opened (tui/forms/sections.py):
the largest shipped connector has ~60, shown whole."""
LARGE_FORM_FIELDS = 400
"""Settings beyond which the screen offers the JSON editor (tui/forms/large.py)."""
JSON_EDITOR_FIELDS = 2000
"""Settings beyond which even lazy mounting is a poor form: offer the JSON editor."""
JSON_EDITOR_BYTES = 1_000_000
"""Schema size (bytes of JSON) beyond which the JSON editor is offered whatever the count."""

LARGE_FORM_SENTENCE = (
    "This connector describes {fields:,} settings ({size}): they are edited as one JSON "
    "document, checked against the connector's schema when you submit."
)


@dataclass(frozen=True)
class FormSize:
    """``fields``: declared properties that are not groups themselves (what become
    inputs); ``schema_bytes``: length of the schema as JSON; ``depth``: deepest nesting of
    schema objects seen."""

    fields: int
    schema_bytes: int
    depth: int

    @property
    def sectioned(self) -> bool:
        """Shown in sections that mount their fields when opened."""
        return self.fields > SECTIONED_FORM_FIELDS

    @property
    def large(self) -> bool:
        """Too many settings for fields: the screen offers the JSON editor."""
        return self.fields > LARGE_FORM_FIELDS

    @property
    def needs_json_editor(self) -> bool:
        """Too big for fields at all: edit it as JSON instead."""
        return self.fields > JSON_EDITOR_FIELDS or self.schema_bytes > JSON_EDITOR_BYTES

    def sentence(self) -> str:
        """Why the form is a JSON editor, for the screen to show."""
        size = f"{self.schema_bytes / 1_000_000:.1f} MB schema"
        if self.schema_bytes < 100_000:
            size = f"{self.schema_bytes / 1000:.0f} kB schema"
        return LARGE_FORM_SENTENCE.format(fields=self.fields, size=size)


def measure_schema(schema: Any) -> FormSize:
    """Count what a form of ``schema`` would hold, without building it (never raises)."""
    try:
        size = len(json.dumps(schema, default=str))
    except (TypeError, ValueError, RecursionError):
        size = 0
    fields, depth = _count(schema, 0, set())
    return FormSize(fields=fields, schema_bytes=size, depth=depth)


def _is_group(schema: Any) -> bool:
    return isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping)


def _count(schema: Any, depth: int, active: set[int]) -> tuple[int, int]:
    # a schema is a tree of dicts, but a hostile one may share or nest them deeply
    if not isinstance(schema, Mapping) or id(schema) in active or depth > 200:
        return 0, depth
    active.add(id(schema))
    fields, deepest = 0, depth
    for key, value in schema.items():
        if key in ("enum", "default", "examples", "const"):
            continue
        if key in ("properties", "definitions", "patternProperties") and isinstance(value, Mapping):
            if key == "properties":  # a group of settings is not an input itself
                fields += sum(1 for v in value.values() if not _is_group(v))
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        elif isinstance(value, Mapping):
            children = [value]
        else:
            continue
        for child in children:
            f, d = _count(child, depth + 1, active)
            fields, deepest = fields + f, max(deepest, d)
    active.discard(id(schema))
    return fields, deepest
