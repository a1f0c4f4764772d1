"""Putting a value at a dotted path of a connection payload (``configuration.proxy.password``).

The secrets prompt answers with the paths ``tui.secrets.masked_paths`` named; the one
path parser of the project (``tui.forms.schema.parse_path``, which also reads quoted
keys such as ``headers["X-Api.Key"]``) turns them back into keys and indexes.
"""

from __future__ import annotations

from typing import Any


def set_path(target: Any, path: str, value: Any) -> None:
    """Set the value at ``path`` inside ``target``; every container on the way must exist."""
    # Imported here: the forms package costs ~40 ms, and the dashboard imports this module
    # (through the secrets prompt) before its first frame, which needs no form.
    from .forms.schema import parse_path

    parts = parse_path(path)
    node = target
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
