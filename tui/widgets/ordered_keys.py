"""Text fields that apply keys in the order they were typed, however fast they come.

Over a slow SSH link several keys arrive in one read. Textual's Input and TextArea insert
a typed character as soon as the key reaches them, but a bound key (backspace, the
arrows, Home, ctrl+u, ...) first bubbles up through every container to the app, whose
binding check then runs the field's action: the characters typed after it are inserted
before it. ``S3cretx⌫!`` became ``S3cretx`` in a masked password field, where nobody sees
it (Textual issue #6605; the fix proposed there, PR #6631, is not released).

Here the field runs its *own* bindings where it handles its characters, in the order the
keys reached it. Priority bindings were already checked by the app before the key was
passed on; bindings of the screen and the app still bubble as before (a field consumes
none of them first).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

__all__ = ["OrderedInput", "OrderedTextArea"]


class KeysInOrder:
    """Mixed into a Textual text widget before it (``class X(KeysInOrder, Input)``)."""

    async def _on_key(self, event: events.Key) -> None:
        widget = self  # (typed for the mixin: it is always a Widget)
        if not event.is_printable and await _run_own_binding(widget, event):  # type: ignore[arg-type]
            return
        await super()._on_key(event)  # type: ignore[misc]


async def _run_own_binding(widget: Input | TextArea, event: events.Key) -> bool:
    bindings = widget._bindings.copy()
    keymap = widget.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)  # the operator's [keymap] renames count here too
    for key in event.aliases:
        for binding in bindings.key_to_bindings.get(key, ()):
            if binding.priority:
                continue  # (the app ran those before the key came here)
            if await widget.app.run_action(binding.action, widget):
                # Handled here: it must not bubble to the app, which would run it again.
                event.stop()
                event.prevent_default()
                return True
    return False


class OrderedInput(KeysInOrder, Input):
    """An Input whose editing keys apply in the order typed."""


class OrderedTextArea(KeysInOrder, TextArea):
    """A TextArea whose editing keys apply in the order typed."""
