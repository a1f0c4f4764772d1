"""Opening the connection form from the app, which the form must not import (no cycle)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any, Protocol

from .connection_form import ConnectionFormScreen, Mode


class FormOpener(Protocol):
    """What :func:`open_connection_form` needs of the app (declared, not guessed)."""

    client: Any
    clock: Callable[[], datetime]
    display_tz: tzinfo | None

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...


def open_connection_form(
    app: FormOpener,
    mode: Mode,
    connection_id: str | None = None,
    on_saved: Callable[[str], None] | None = None,
) -> None:
    """Push the form; ``on_saved`` gets the id of the connection created or updated.

    The caller decides whether the profile may change anything (the read-only rule).
    """

    def done(result: str | None) -> None:
        if result and on_saved is not None:
            on_saved(str(result))

    app.push_screen(
        ConnectionFormScreen(
            app.client,
            mode=mode,
            connection_id=connection_id,
            now=app.clock,
            local_tz=app.display_tz,
        ),
        done,
    )
