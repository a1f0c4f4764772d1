"""Keys that move the focus in the connection form, handled before the next key arrives.

Textual hands each key to the widget focused *when the key is read*, while most focus
moves happen later (``Widget.focus`` is deferred; a Button press or an Input's Enter is a
message handled after the keys already queued). A fast typist, a paste of keystrokes or a
laggy SSH link then sends "Authorization<Tab>Bearer s3cr3t" into one field, secret and
all. The form's Tab, shift+Tab and Enter are therefore priority bindings: the App runs
them (awaiting any rebuild) before it reads the next key, and they move the focus with
``Screen.set_focus``, which takes effect at once.
"""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input

from tui.widgets.form_fields import SchemaForm, TextField
from tui.widgets.form_fields.lists import AddButton, EntryButton, ListGroup
from tui.widgets.form_fields.maps import MapEntry, MapGroup

FOCUS_BINDINGS = [
    Binding("tab", "move_focus(1)", "Next field", id="form.focus_next", priority=True,
            show=False, system=True),
    Binding("shift+tab", "move_focus(-1)", "Previous field", id="form.focus_previous",
            priority=True, show=False, system=True),
    Binding("enter", "form_enter", "Next field or press", id="form.enter", priority=True,
            show=False, system=True),
]  # fmt: skip


class FormKeys:
    """Mixin for :class:`~.connection_form.ConnectionFormScreen` (a Screen with ``form``)."""

    form: SchemaForm | None
    focused: Any

    def action_move_focus(self, step: int) -> None:
        screen: Any = self
        if step > 0:
            screen.focus_next()
        else:
            screen.focus_previous()

    async def action_form_enter(self) -> None:
        """Enter in a form field goes to the next one; on "+ add", ▲, ▼ or ✕ it rebuilds the
        list and focuses the new place before the next key is read. Anywhere else Enter
        does what the focused widget does with it."""
        focused = self.focused
        form = self.form
        if form is None or focused is None or form not in focused.ancestors:
            raise SkipAction()
        if isinstance(focused, AddButton | EntryButton) and not focused.disabled:
            for ancestor in focused.ancestors:
                if isinstance(ancestor, ListGroup | MapGroup) and ancestor.owns(focused):
                    await ancestor.act(focused)
                    return
            raise SkipAction()
        if isinstance(focused, Input) and isinstance(focused.parent, Horizontal):
            box = focused.parent.parent
            if isinstance(box, TextField | MapEntry):  # not a PEM file path: Enter loads it
                screen: Any = self
                screen.focus_next()
                return
        raise SkipAction()
