"""The read-only rule, in one place: which actions change the platform (no Textual).

A read-only profile (``read_only = true``) may look but not touch. The dashboard, the
detail screen and the connection form all ask :func:`refuses` instead of keeping their
own lists, and the client refuses POST, PUT and DELETE as well (belt and braces).
"""

from __future__ import annotations

MUTATING_ACTIONS = frozenset({"new", "edit", "clone", "toggle_active", "delete", "restart"})
"""Actions (by name, without namespace or arguments) that create, change or delete."""

_WHAT = {
    "new": "creating a connection",
    "edit": "editing",
    "clone": "cloning",
    "toggle_active": "switching a connection on or off",
    "delete": "deleting",
    "restart": "restarting a connection",
}


def action_name(action: str) -> str:
    """``"app.sort('name')"`` → ``"sort"``: the bare name the rule is written in."""
    return action.split("(", 1)[0].rsplit(".", 1)[-1]


def is_mutating(action: str) -> bool:
    return action_name(action) in MUTATING_ACTIONS


def refuses(action: str, read_only: bool) -> bool:
    """True when a read-only profile must not run ``action``."""
    return read_only and is_mutating(action)


_UNDO = {
    "flag": ("Read-only (--read-only on the command line)",
             "Start iotflow without --read-only to allow changes."),
    "environment": ("Read-only (IOTFLOW_READ_ONLY in the environment)",
                    "Unset IOTFLOW_READ_ONLY (or set it to 0) to allow changes."),
}
"""How read-only was switched on (Profile.read_only_from) → what the notice says, so the
operator undoes that, not a profile setting that may not even be there."""
_PROFILE = ("Read-only profile", "Set read_only = false in the profile to allow changes.")


def refusal_notice(action: str, origin: str = "") -> str:
    """The short sentence shown when a mutating key is pressed in a read-only profile;
    ``origin`` is where read-only came from (``flag``, ``environment``, else the profile)."""
    what = _WHAT.get(action_name(action), "changing anything")
    why, undo = _UNDO.get(origin, _PROFILE)
    return f"{why}: {what} is switched off, nothing was sent. {undo}"
