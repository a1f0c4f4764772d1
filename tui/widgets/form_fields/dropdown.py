"""``Dropdown``: a Select whose menu opens, picks and closes before the next key is read.

Textual's Select moves the focus to its menu (and back) with ``Widget.focus``, which is
deferred: keys typed in the same burst ("enter", "down", "enter", "tab", text) went to the
Select instead of the menu, and a late focus could even pull the cursor back into a menu
already closed. Here the focus moves with ``Screen.set_focus``, at once; the form's
priority keys (:mod:`tui.screens.form_keys`) call :meth:`open_menu`, :meth:`pick` and
:meth:`close_menu` while the App holds the next key.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.widgets import OptionList, Select


class Dropdown(Select[Any]):
    """A Select that moves the focus into and out of its menu synchronously."""

    @property
    def menu(self) -> OptionList:
        """The pop-up list (Textual's SelectOverlay, the Select's only OptionList)."""
        return self.query_one(OptionList)

    def _watch_expanded(self, expanded: bool) -> None:
        # Textual's watcher, with the menu focused at once instead of by a deferred focus()
        try:
            menu: Any = self.menu
            current: Any = self.query_one("SelectCurrent")  # the line showing the value
        except NoMatches:  # being removed
            return
        self.set_class(expanded, "-expanded")
        if not expanded:
            return
        self.screen.set_focus(menu, scroll_visible=False)
        if self.value is self.NULL:
            menu.select(None)
            current.has_value = False
            return
        for index, (_, value) in enumerate(self._options):
            if value == self.value:
                menu.select(index)
                break
        current.has_value = True

    def open_menu(self) -> None:
        self.action_show_overlay()

    def pick(self) -> None:
        """Take the highlighted option of the open menu (as Enter in it does), close it and
        put the cursor back on the Select. ``Changed`` is posted as for any change."""
        index = self.menu.highlighted
        if index is not None:
            # _options: the (prompt, value) pairs, the blank "(not set)" first when allowed,
            # in the menu's order (what Textual's own pick reads)
            value = self._options[index][1]
            if value != self.value:
                self.value = value
        self.close_menu()

    def close_menu(self) -> None:
        self.expanded = False
        self.screen.set_focus(self)
