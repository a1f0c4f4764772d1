"""App-wide messages: how screens ask for things without calling each other.

A screen posts one of these and it bubbles to the app, which decides what happens
(opening the form, asking the dashboard to act, refusing in a read-only profile). So
the detail screen needs nothing from the dashboard but the data it shows, and neither
screen imports the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class NewRequested(Message):
    """Open the form to create a connection."""


@dataclass
class EditRequested(Message):
    """Open the form to edit this connection."""

    connection_id: str


@dataclass
class CloneRequested(Message):
    """Open the form for a new connection pre-filled from this one (without secrets)."""

    connection_id: str


@dataclass
class ToggleRequested(Message):
    """Activate or deactivate this connection (after confirming)."""

    connection_id: str


@dataclass
class RestartRequested(Message):
    """Restart this connection (after confirming)."""

    connection_id: str


@dataclass
class DeleteRequested(Message):
    """Delete this connection (after its name is typed)."""

    connection_id: str


@dataclass
class RefreshRequested(Message):
    """Poll the API now."""


@dataclass
class BoardUpdated(Message, bubble=False):
    """Sent to every open screen after a successful poll: redraw from the board."""


@dataclass
class Recovered(Message, bubble=False):
    """Sent to every open screen after an unexpected error: stop waiting, be usable.

    A screen that shows a busy state ("Sending…", "refreshing…") resets it, so that
    nothing stays frozen on a task that will never finish.
    """
