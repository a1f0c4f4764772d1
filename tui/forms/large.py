"""Schemas too large for a form of fields: the whole configuration as one JSON editor.

A terminal form builds a few widgets per field; thousands of them (a 2 MB schema with
4,000 properties) take a minute to appear and make every keystroke slow. The engine
measures a schema before building it (:func:`tui.forms.measure_schema`); above its
``large`` mark the form is one JSON text checked against the schema, with the engine's
sentence saying why. Below that mark, a form of more than ``SECTIONED_FORM_FIELDS``
settings is shown in sections that mount their fields when opened
(:mod:`tui.forms.sections`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.forms import FormTree, JsonField, build_form, measure_schema


def form_for(schema: Mapping[str, Any]) -> FormTree:
    """The form of a connector: fields, or one JSON editor when there are too many."""
    size = measure_schema(schema)
    if not (size.large or size.needs_json_editor):
        return build_form(schema)
    tree = build_form(schema, as_json=True)
    if isinstance(tree.root, JsonField):
        tree.root.set_text("{}")  # an object to fill in, not an empty box
    return tree
