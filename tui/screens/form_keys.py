"""Keys that move the focus in the connection form, handled before the next key arrives.

Textual hands each key to the widget focused *when the key is read*, while most focus
moves happen later (``Widget.focus`` is deferred; a Button press or an Input's Enter is a
message handled after the keys already queued). A fast typist, a paste of keystrokes or a
laggy SSH link then sends "Authorization<Tab>Bearer s3cr3t" into one field, secret and
all. The form's Tab, shift+Tab and Enter are therefore priority bindings: the App runs
them (awaiting any rebuild) before it reads the next key, and they move the focus with
``Screen.set_focus``, which takes effect at once.

The same holds for a dropdown (enter, space, up or down open it; enter picks; esc closes
it) and for the connector picked on step 1 (enter, PgDn): the keys after them land in the
menu, the field the pick showed, or the settings' first field. Where the outcome depends
on keys still queued on a widget (the filter typed just before Enter, the arrows moved in
a menu), :func:`handled_up_to` first lets that widget and its parents catch up.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, RadioButton, RadioSet, Switch

from tui.widgets.connector_picker import ConnectorPicker
from tui.widgets.form_fields import SchemaForm, TextField
from tui.widgets.form_fields.dropdown import Dropdown
from tui.widgets.form_fields.lists import AddButton, EntryButton, ListGroup
from tui.widgets.form_fields.maps import MapEntry, MapGroup

FOCUS_BINDINGS = [
    Binding("tab", "move_focus(1)", "Next field", id="form.focus_next", priority=True,
            show=False, system=True),
    Binding("shift+tab", "move_focus(-1)", "Previous field", id="form.focus_previous",
            priority=True, show=False, system=True),
    Binding("enter", "form_enter", "Next field or press", id="form.enter", priority=True,
            show=False, system=True),
    *[Binding(key, f"list_key('{key}')", "Open or move in the list", id=f"form.list_{key}",
              priority=True, show=False, system=True)
      for key in ("space", "up", "down", "home", "end")],
    Binding("escape", "close_dropdown", "Close the list", id="form.close_dropdown",
            priority=True, show=False, system=True),
]  # fmt: skip

LIST_MOVES = {"up": "cursor_up", "down": "cursor_down", "home": "first", "end": "last"}
"""Keys that move the cursor of a list (a dropdown's menu, the connectors), as its own
bindings do; those run only once the key has bubbled back to the App, after the keys
typed behind it."""

CATCH_UP_SECONDS = 15.0
"""How long a key waits for a widget to catch up before it is handled anyway (a widget
stuck on something else must not freeze the keyboard for good). Generous: on a loaded
machine a catch-up cut short picks from a filter not yet applied."""


async def caught_up(widget: Widget) -> None:
    """Wait until ``widget`` has handled the messages posted to it so far."""
    done = asyncio.Event()
    if widget.call_later(done.set):  # False once the widget is closing: nothing to wait for
        try:
            await asyncio.wait_for(done.wait(), CATCH_UP_SECONDS)
        except TimeoutError:
            pass


async def handled_up_to(widget: Widget, top: Widget) -> None:
    """Wait until the keys and messages already sent to ``widget`` have been handled there,
    with what that posted to itself (an Input's Changed), and, as they bubble, by each of
    its parents up to ``top``."""
    await caught_up(widget)
    await caught_up(widget)
    for parent in widget.ancestors:
        await caught_up(parent)
        if parent is top:
            return


OPENERS = ("space", "up", "down")
"""Keys that open a closed dropdown (Textual's own)."""


def toggled_now(widget: Widget | None, key: str) -> bool:
    """Space or Enter on a switch, checkbox or the alarm's end choice flips it at once (its
    own binding would run only after the keys behind it, on whatever then has the focus);
    up and down move between the end choices. True when the key was used."""
    if isinstance(widget, Switch) and key in ("space", "enter"):
        widget.toggle()
    elif isinstance(widget, Checkbox | RadioButton) and key in ("space", "enter"):
        widget.action_toggle_button()
    elif isinstance(widget, RadioSet) and key in ("space", "enter", "up", "down"):
        {"up": widget.action_previous_button, "down": widget.action_next_button}.get(
            key, widget.action_toggle_button
        )()
    else:
        return False
    return True


def dropdown_of(widget: Widget | None) -> Dropdown | None:
    """The dropdown whose open menu ``widget`` is."""
    parent = widget.parent if widget is not None else None
    return parent if isinstance(parent, Dropdown) and parent.expanded else None


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

    async def action_list_key(self, key: str) -> None:
        """Space, up or down on a closed dropdown open it; the arrows, home and end in an
        open menu or the connector list move its cursor, and up and down in the connector
        filter move the list's (no tab needed to pick)."""
        focused = self.focused
        if isinstance(focused, Dropdown) and not focused.expanded and key in OPENERS:
            focused.open_menu()
            return
        if toggled_now(focused, key):
            return
        move = LIST_MOVES.get(key)
        if move is None or focused is None:
            raise SkipAction()
        if isinstance(focused, OptionList):
            await caught_up(focused)  # letters typed in a menu before move its cursor first
            getattr(focused, f"action_{move}")()
            return
        picker = focused.parent
        if isinstance(picker, ConnectorPicker) and key in ("up", "down"):
            await handled_up_to(focused, picker)  # the list filtered by what was typed
            picker.move(1 if key == "down" else -1)
            return
        raise SkipAction()

    def action_close_dropdown(self) -> None:
        dropdown = dropdown_of(self.focused)
        if dropdown is None:
            raise SkipAction()  # esc does what it does elsewhere (cancel the form)
        dropdown.close_menu()

    async def pick_connector_now(self) -> None:
        """Open the settings of the connector highlighted on step 1, once the filter and
        the arrows typed before have been applied; the keys after go to the settings."""
        screen: Any = self
        picker = screen.query_one(ConnectorPicker)
        focused = self.focused
        if focused is not None and picker in focused.ancestors:
            await handled_up_to(focused, picker)
        connector = picker.highlighted_connector()
        if connector is None:
            picker.pick_highlighted()  # says why nothing opens (still loading)
            return
        await screen._choose(connector.id)

    async def action_form_enter(self) -> None:
        """Enter in a form field goes to the next one; on "+ add", ▲, ▼ or ✕ it rebuilds the
        list and focuses the new place before the next key is read; in a dropdown it opens
        the menu or takes the highlighted option (and whatever the pick shows); on step 1
        it opens the highlighted connector. Anywhere else Enter does what the focused widget
        does with it."""
        focused = self.focused
        if isinstance(focused, Dropdown) and not focused.expanded:
            focused.open_menu()
            return
        if toggled_now(focused, "enter"):
            return
        dropdown = dropdown_of(focused)
        if dropdown is not None and focused is not None:
            await caught_up(focused)  # the arrows and letters typed in the menu before
            dropdown.pick()
            # the field's own handling of the pick (a variant's fields shown) comes first
            await handled_up_to(dropdown, dropdown.screen)
            return
        if isinstance(focused, Input | OptionList) and isinstance(
            focused.parent, ConnectorPicker
        ):
            await self.pick_connector_now()
            return
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
