"""The dashboard's compositor: a partial update draws only the widgets it touches.

Textual's compositor picks the widgets to draw for a partial update by their clip (the
region their container shows), not by their own region: every top-level widget's clip is
the whole screen, so each 1 Hz tick that changes a few cells of the header and of the
duration column also took the footer's and the scrollbar's lines (from cache, through
their styles, filters and cuts). A widget that does not share a cell with the update
cannot change what it sends; it is left out here, and the rest is Textual's own
``_get_renders``, except that only the update's lines are drawn: Textual drew every
line of each widget it kept (from cache), the screen's 24 lines among them.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

__all__ = ["DashboardCompositor"]


class DashboardCompositor(Compositor):
    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:  # a full update: everything, as Textual does it
            yield from super()._get_renders(crop)
            return
        intersection = Region.intersection
        top, bottom = crop.y, crop.bottom
        for widget, (region, clip) in self.visible_widgets.items():
            # (Textual's own test, then ours: the widget itself in the update's bounds.)
            if not crop.overlaps(clip) or not intersection(crop, region).area:
                continue
            x, y, width, height = intersection(region, clip)
            # Only the update's lines: the screen under every widget (24 lines at 80x24)
            # and the table were drawn whole, from cache, for the 1 Hz header line.
            first, last = max(y, top), min(y + height, bottom)
            if width and last > first:
                lines = widget.render_lines(
                    Region(x - region.x, first - region.y, width, last - first)
                )
                # (The region of the lines drawn: inside the clip, so Textual places
                # them by it alone.)
                yield Region(x, first, width, last - first), clip, lines
