"""Schemas too large for a form of fields: the whole configuration as one JSON editor.

A terminal form builds a few widgets per field; thousands of them (a 2 MB schema with
4,000 properties) take a minute to appear and make every keystroke slow. Above
:data:`FIELD_LIMIT` fields the form is one JSON text, still checked against the schema
as it is typed, with a sentence saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.forms import EXTRA, FormTree, JsonField, build_form

FIELD_LIMIT = 400
"""Fields above which the settings are edited as JSON (a form this long is slow to draw
and nobody scrolls through it)."""


def field_count(tree: FormTree) -> int:
    """Fields a form of ``tree`` would draw (groups and "other settings" boxes included)."""
    return sum(1 for _ in tree.walk())


def settings_count(tree: FormTree) -> int:
    """Settings as a person counts them: not the configuration itself, nor "other settings"."""
    return sum(1 for n in tree.walk() if n.parent is not None and n.name != EXTRA)


def too_large(tree: FormTree) -> bool:
    return field_count(tree) > FIELD_LIMIT


def json_form(schema: Mapping[str, Any], settings: int) -> FormTree:
    """A tree whose only field is the configuration as JSON, checked against ``schema``."""
    # allOf with one member is the same schema; the engine edits it as one JSON value
    tree = build_form({"allOf": [dict(schema)]})
    root = tree.root
    if isinstance(root, JsonField):
        root.reason = (
            f"this connector has {settings:,} settings, more than a form can show quickly in a "
            "terminal, so the configuration is one JSON object here (checked as you type)"
        )
        root.set_text("{}")
    return tree


def form_for(schema: Mapping[str, Any]) -> FormTree:
    """The form of a connector: fields, or one JSON editor when there are too many."""
    tree = build_form(schema)
    return json_form(schema, settings_count(tree)) if too_large(tree) else tree
