"""The dashboard's compositor: a partial update draws only the widgets it touches.

Textual's compositor picks the widgets to draw for a partial update by their clip (the
region their container shows), not by their own region: every top-level widget's clip is
the whole screen, so each 1 Hz tick that changes a few cells of the header and of the
duration column also took the footer's and the scrollbar's lines (from cache, through
their styles, filters and cuts). A widget that does not share a cell with the update
cannot change what it sends; it is left out here, and the rest is Textual's own
``_get_renders``, unchanged.
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
        for widget, (region, clip) in self.visible_widgets.items():
            # (Textual's own test, then ours: the widget itself in the update's bounds.)
            if not crop.overlaps(clip) or not intersection(crop, region).area:
                continue
            if Region.contains_region(clip, region):
                lines = widget.render_lines(Region(0, 0, region.width, region.height))
                yield region, clip, lines
            else:
                x, y, width, height = intersection(region, clip)
                if width and height:
                    lines = widget.render_lines(
                        Region(x - region.x, y - region.y, width, height)
                    )
                    yield region, clip, lines
