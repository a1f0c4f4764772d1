"""Widgets of a screen that another screen covers: no repaint while nothing of them shows.

Textual counts the screen right under the top one as possibly visible (a dialog's
see-through background shows it), and forwards every region it repaints to the top
screen, which draws and sends those regions again. With the events view open over the
dashboard, the dashboard's 1 Hz tick (header, durations, rows it had not drawn) had the
events view rewrite most of the terminal every second: about 13 KB/s at 80x24. A widget
with :class:`RepaintWhenShown` keeps its repaints while an opaque screen covers its own
and does one whole repaint when its screen shows again.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

__all__ = ["RepaintWhenShown", "covered"]


def covered(widget: Widget) -> bool:
    """Whether a screen with an opaque background is above the widget's own screen."""
    try:
        own = widget.screen
        stack = widget.app.screen_stack
    except Exception:  # noqa: BLE001 - not mounted, or no screen yet: not covered
        return False
    if own not in stack:
        return False
    above = stack[stack.index(own) + 1 :]
    return any(screen.styles.background.a >= 1 for screen in above)


class RepaintWhenShown:
    """A repaint asked for while covered is kept for when the screen shows again.

    A mixin placed before the widget's Textual base (not a Widget itself: Textual takes
    a widget's inherited CSS from its first Widget base, which must stay that base).
    """

    _missed_repaint = False
    _watching = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Any:
        widget: Any = self
        if repaint and not (layout or recompose) and widget.is_mounted and covered(widget):
            self._missed_repaint = True
            if not self._watching:
                # (immediate: repainted before the uncovered screen is drawn)
                widget.app.screen_change_signal.subscribe(
                    widget, self._screen_changed, immediate=True
                )
                self._watching = True
            return self
        return super().refresh(  # type: ignore[misc]
            *regions, repaint=repaint, layout=layout, recompose=recompose
        )

    def _screen_changed(self, _: Screen[Any]) -> None:
        if self._missed_repaint and not covered(self):  # type: ignore[arg-type]
            self._missed_repaint = False
            super().refresh()  # type: ignore[misc]
