"""Switching a connection on or off, and deleting it: confirm, ask for secrets, send.

Run inside a worker of the screen that asked (dialogs are awaited with
``push_screen_wait``). Each returns True when something was sent, so the caller knows
to poll again. A masked secret is never sent back as if it were the value: the
operator types it again, or nothing is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from textual.app import App

from ..api.errors import ApiError
from ..payload_paths import set_path
from ..secrets import MASK, masked_paths
from ..terminal_text import one_line
from .confirm import ConfirmScreen, DeleteConfirmScreen
from .ports import ConnectionsClient
from .secrets_prompt import SecretsPrompt

T = TypeVar("T")
NOT_SENT = object()  # what `_sent` returns when the platform refused: nothing changed


async def _sent(app: App[Any], request: Awaitable[T], failed: str) -> T | object:
    """The platform's answer to one request, or NOT_SENT after telling the operator why."""
    try:
        return await request
    except ApiError as error:
        app.notify(error.user_message, title=failed, severity="error")
        return NOT_SENT


async def toggle_active(app: App[Any], client: ConnectionsClient, ident: str) -> bool:
    try:
        connection = await client.get_connection(ident)
    except ApiError as error:
        app.notify(error.user_message, title="Cannot read the connection", severity="error")
        return False
    verb = "Deactivate" if connection.active else "Activate"
    effect = (
        "Its device traffic stops flowing within about a minute."
        if connection.active
        else "It starts opening; the row shows its state as it progresses."
    )
    confirmed = await app.push_screen_wait(
        ConfirmScreen(
            f"{verb} connection “{one_line(connection.name)}” (id {one_line(ident)})?",
            effect,
            confirm_label=verb,
        )
    )
    if not confirmed:
        return False
    done = f"{verb}d “{one_line(connection.name)}”. Watch its state in the list."
    set_active = getattr(client, "set_active", None)
    if set_active is not None:
        # Merge patch first: no secrets needed. None: the platform has no PATCH, use PUT.
        patched = await _sent(app, set_active(ident, not connection.active), f"{verb} failed")
        if patched is NOT_SENT:
            return False
        if patched is not None:
            app.notify(done, timeout=4)
            return True
    payload = connection.to_payload()
    payload["active"] = not connection.active
    paths = masked_paths(payload)
    if paths:
        values = await app.push_screen_wait(
            SecretsPrompt(f"{verb} “{one_line(connection.name)}”: secrets needed", paths)
        )
        if values is None:
            app.notify("Cancelled: nothing was sent.", timeout=3)
            return False
        for path, value in values.items():
            set_path(payload, path, value)
    if masked_paths(payload) or MASK in str(payload):
        app.notify("A secret is still masked; nothing was sent.", severity="error")
        return False
    if await _sent(app, client.update_connection(ident, payload), f"{verb} failed") is NOT_SENT:
        return False
    app.notify(done, timeout=4)
    return True


async def delete(app: App[Any], client: ConnectionsClient, ident: str, name: str) -> bool:
    if not await app.push_screen_wait(DeleteConfirmScreen(name, ident)):
        return False
    if await _sent(app, client.delete_connection(ident), "Delete failed") is NOT_SENT:
        return False
    app.notify(f"Deleted “{name}” (id {ident}).", timeout=4)
    return True


async def restart(app: App[Any], client: ConnectionsClient, ident: str, name: str) -> bool:
    """Confirm naming the connection, then ask the platform to restart it (202)."""
    confirmed = await app.push_screen_wait(
        ConfirmScreen(
            f"Restart connection “{name}” (id {ident})?",
            "It closes and opens again; its traffic pauses for a few seconds.",
            confirm_label="Restart",
        )
    )
    if not confirmed:
        return False
    if await _sent(app, client.restart(ident), "Restart failed") is NOT_SENT:
        return False
    app.notify(f"Restarting “{name}”: the row shows it closing and opening again.", timeout=4)
    return True
