"""What the connection form sends and what it says about problems (no Textual, no HTTP).

The form screen collects the common settings (name, active), the configuration tree and
the alarms; this module turns them into the body of the POST or PUT, the draft, the
problem list with places a person reads (``Mapping rules › #1 › DevEUI``), and the
field a server refusal names.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

# the package's public names (not its modules, which the engine may rearrange)
from tui.forms import (
    EXTRA,
    ArrayField,
    ChoiceField,
    FieldError,
    FieldNode,
    FormTree,
    JsonField,
    MapField,
    ScalarField,
)
from tui.secrets import MASK, mask_secrets, masked_paths

Mode = Literal["create", "edit", "clone"]
NAME = "name"
"""The path the problem list uses for the connection's name (not a configuration field)."""


def typed_masks(tree: FormTree) -> list[FieldNode]:
    """Secret fields whose typed value is the server's mask (never a real secret)."""
    return [
        n for n in tree.walk() if isinstance(n, ScalarField) and n.secret and n.text.strip() == MASK
    ]


def place_of(tree: FormTree, path: str) -> str:
    """A field path as labels a person reads: ``Mapping rules › #1 › DevEUI``."""
    if path == NAME:
        return "Name"
    if not path:
        return "Configuration"
    node: FieldNode | None = tree.locate(path)
    parts: list[str] = []
    while node is not None and node.parent is not None:
        parent = node.parent
        if isinstance(parent, ArrayField):
            parts.append(f"#{parent.items.index(node) + 1}")
        elif isinstance(parent, MapField):
            key = next((r.key for r in parent.rows if r.value is node), "")
            parts.append(repr(key))
        elif node.name == EXTRA:
            parts.append("Other settings")
        elif not isinstance(parent, ChoiceField):
            parts.append(node.label)
        node = parent
    return " › ".join(reversed(parts)) or "Configuration"


def name_problem(name: str) -> str | None:
    return "is required" if not name.strip() else None


def settings_errors(tree: FormTree, name: str) -> list[FieldError]:
    """Every problem of the settings step, name first, in form order.

    A secret typed as the server's mask is an error on its field (the mask is never sent).
    """
    errors = []
    problem = name_problem(name)
    if problem:
        errors.append(FieldError(NAME, problem))
    errors.extend(tree.validate())
    for node in typed_masks(tree):
        message = f"{MASK} is the mask the server shows, not the secret: type the real value"
        node.error = message
        errors.append(FieldError(node.path, message))
    for node in tree.walk():
        if isinstance(node, JsonField) and (hidden := masked_paths(node.value)):
            message = (
                f"{', '.join(hidden[:3])} still hold {MASK}, the mask the server shows: "
                "type the real secrets"
            )
            node.error = message
            errors.append(FieldError(node.path, message))
    return errors


def summary_lines(tree: FormTree, errors: list[FieldError], *, limit: int = 4) -> list[str]:
    """``3 problems to fix …`` then one ``✗ Place: sentence`` per problem (at most ``limit``)."""
    if not errors:
        return []
    count = len(errors)
    lines = [f"{count} problem{'s' if count != 1 else ''} to fix · ctrl+f goes to the first"]
    lines.extend(f"✗ {place_of(tree, e.path)}: {e.message}" for e in errors[:limit])
    if count > limit:
        lines.append(f"… and {count - limit} more")
    return lines


@dataclass(frozen=True)
class Common:
    """The settings every connection has, whatever its connector."""

    connector_id: str
    name: str
    active: bool


def build_payload(
    tree: FormTree,
    common: Common,
    alarms: list[dict[str, Any]] | None,
    *,
    server_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body to POST, or to PUT over ``server_body`` (the connection as read, so fields
    iotflow does not edit are sent back unchanged). Raises FormInvalid on form errors."""
    body: dict[str, Any] = copy.deepcopy(dict(server_body)) if server_body else {}
    body.update(
        {
            "connectorId": common.connector_id,
            "name": common.name.strip(),
            "active": common.active,
            "configuration": tree.payload(),
        }
    )
    if alarms is not None:
        body["alarms"] = alarms
    else:
        body.pop("alarms", None)
    return body


def draft_data(
    tree: FormTree,
    common: Common,
    alarms: list[dict[str, Any]] | None,
    *,
    mode: Mode,
    connection_id: str | None,
) -> dict[str, Any]:
    """What a draft holds (no secret: the tree's draft leaves them out)."""
    data: dict[str, Any] = {
        "mode": mode,
        "connectorId": common.connector_id,
        "connectionId": connection_id,
        "name": common.name,
        "active": common.active,
        "form": tree.draft(),
    }
    if alarms is not None:
        data["alarms"] = alarms
    return data


def draft_common(data: Mapping[str, Any], fallback: Common) -> Common:
    """Name and active from a draft, keeping ``fallback``'s where the draft is odd."""
    name = data.get("name")
    active = data.get("active")
    return Common(
        fallback.connector_id,
        name if isinstance(name, str) else fallback.name,
        active if isinstance(active, bool) else fallback.active,
    )


def refusal(tree: FormTree, field: str | None, message: str) -> FieldError:
    """Where a server refusal (a 400) lands: the name, a configuration field, or the whole
    form (path ``""``); the field's ``error`` is set so it shows under it."""
    if (field or "").split(".")[0].split("[")[0] == NAME:
        return FieldError(NAME, f"the server says: {message}")
    found = tree.apply_server_error(message)
    error = FieldError(found.path, f"{found.message} (the server refused it)")
    if found.path:
        tree.locate(found.path).error = error.message
    return error


def masked_body(body: Mapping[str, Any], schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of a body safe to show: the configuration's secrets masked."""
    shown = dict(body)
    if "configuration" in shown:
        shown["configuration"] = mask_secrets(shown["configuration"], schema)
    return shown
