"""What an edit will change: the connection as the server has it against the body a PUT
sends, setting by setting, with secrets never shown (no Textual, no HTTP).

A secret is reported without its value: "changed" or "unchanged" when both sides are
known, and "typed again" when the server only ever showed it masked (then nobody can tell
whether it differs, so the review says so rather than guessing).

A setting the server's configuration lacks and the body holds at its schema default is a
"default added": the form filled it in from the schema, not the operator. It is sent all
the same, so it is listed, but apart (it read as changes the operator made).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tui.secrets import MASK, is_secret_property, mask_secrets

ChangeKind = Literal[
    "added",
    "default added",
    "removed",
    "changed",
    "secret changed",
    "secret unchanged",
    "secret typed again",
]
_MISSING = object()
SHOWN_CHARS = 40


@dataclass(frozen=True)
class Change:
    """One setting that differs: ``path`` (``configuration.proxy.port``), ``kind``, and the
    old and new values as short text (``None`` for a secret or a side that is missing)."""

    path: str
    kind: ChangeKind
    before: str | None = None
    after: str | None = None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _sub_schema(schema: Mapping[str, Any] | None, key: str | int) -> Mapping[str, Any] | None:
    if not isinstance(schema, Mapping):
        return None
    if isinstance(key, int):
        items = schema.get("items")
        return items if isinstance(items, Mapping) else None
    props = schema.get("properties")
    if isinstance(props, Mapping) and isinstance(props.get(key), Mapping):
        return props[key]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else None


def _is_default(value: Any, schema: Mapping[str, Any] | None) -> bool:
    """Whether ``value`` is what the schema's defaults alone give: its ``default``, or an
    object whose every setting is at its own default (the form builds those for a section
    the server's configuration lacks)."""
    if not isinstance(schema, Mapping):
        return False
    if "default" in schema:
        default = schema["default"]
        return value == default and type(value) is type(default)
    if isinstance(value, Mapping) and value:
        return all(_is_default(item, _sub_schema(schema, key)) for key, item in value.items())
    return False


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def _walk(
    before: Any, after: Any, path: str, schema: Mapping[str, Any] | None, secret: bool
) -> Iterator[Change]:
    if secret and not isinstance(before, Mapping | list) and not isinstance(after, Mapping | list):
        if after is _MISSING:
            if before is not _MISSING:
                yield Change(path, "removed", before="(secret)")
        elif before == MASK:
            yield Change(path, "secret typed again")
        elif before == after:
            yield Change(path, "secret unchanged")
        else:
            yield Change(path, "secret changed")
        return
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in [*before, *(k for k in after if k not in before)]:
            yield from _walk(
                before.get(key, _MISSING),
                after.get(key, _MISSING),
                _join(path, key),
                _sub_schema(schema, key),
                is_secret_property(str(key), _sub_schema(schema, key)),
            )
        return
    if isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            yield from _walk(
                before[index] if index < len(before) else _MISSING,
                after[index] if index < len(after) else _MISSING,
                _join(path, index),
                _sub_schema(schema, index),
                False,
            )
        return
    # a whole object or list added, removed or replaced: shown with its secrets masked
    if before is _MISSING:
        kind: ChangeKind = "default added" if _is_default(after, schema) else "added"
        yield Change(path, kind, after=_short(mask_secrets(after, schema)))
    elif after is _MISSING:
        yield Change(path, "removed", before=_short(mask_secrets(before, schema)))
    elif before != after or type(before) is not type(after):
        yield Change(
            path,
            "changed",
            _short(mask_secrets(before, schema)),
            _short(mask_secrets(after, schema)),
        )


def changes(
    server: Mapping[str, Any], sent: Mapping[str, Any], schema: Mapping[str, Any] | None = None
) -> list[Change]:
    """Every setting of ``sent`` that differs from ``server`` (both request bodies), and
    every secret sent, in the server's order then the new ones; ``schema`` is the
    configuration schema (it says which settings are secrets besides their names)."""
    out: list[Change] = []
    for key in [*server, *(k for k in sent if k not in server)]:
        sub = schema if key == "configuration" else None
        out.extend(
            _walk(server.get(key, _MISSING), sent.get(key, _MISSING), key, sub, secret=False)
        )
    return out


def made_by_the_operator(change: Change) -> bool:
    """Whether a change is the operator's doing: not an unchanged secret, not a default
    the schema adds."""
    return change.kind not in ("secret unchanged", "default added")


def describe(change: Change) -> str:
    """One line: ``~ configuration.region: "eu-west-1" → "eu-north-1"``."""
    if change.kind == "added":
        return f"+ {change.path}: {change.after}"
    if change.kind == "default added":
        return f"+ {change.path}: {change.after} (schema default)"
    if change.kind == "removed":
        return f"- {change.path}: {change.before} (removed)"
    if change.kind == "changed":
        return f"~ {change.path}: {change.before} → {change.after}"
    if change.kind == "secret changed":
        return f"~ {change.path}: secret changed (value hidden)"
    if change.kind == "secret unchanged":
        return f"= {change.path}: secret unchanged"
    return f"~ {change.path}: secret typed again (the server hides it: changed or not, it is sent)"
