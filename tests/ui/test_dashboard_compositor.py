"""The dashboard's compositor sends what Textual's would, drawing fewer widgets and lines
for it."""

from __future__ import annotations

import pytest
from textual._compositor import Compositor
from textual.geometry import Region

from tui.screens.dashboard_compositor import DashboardCompositor


def _tick(width: int, height: int) -> list[Region]:
    """The header's first line and a duration cell on every row, as a tick repaints."""
    return [Region(0, 0, width, 1), *(Region(38, y, 10, 1) for y in range(3, height - 1))]


UPDATES = {
    "the 1 Hz tick": _tick,
    "one duration cell": lambda w, h: [Region(38, 5, 10, 1)],
    "the footer and a row": lambda w, h: [Region(0, h - 1, w, 1), Region(0, 4, w, 1)],
    "a corner": lambda w, h: [Region(w - 1, 2, 1, 1)],
    "everything": lambda w, h: [Region(0, 0, w, h)],
}


@pytest.mark.parametrize("size", [(80, 24), (132, 40)], ids=["80x24", "132x40"])
@pytest.mark.parametrize("update", list(UPDATES), ids=list(UPDATES))
async def test_a_partial_update_sends_what_textual_would(make_dashboard, size, update) -> None:
    """The same dirty regions give the same bytes for the terminal with our compositor as
    with Textual's, and ours draws no line that Textual's would not (fewer for a few
    cells: the footer and the scrollbar stay out of a tick, and of the widgets it keeps
    only the update's lines are drawn)."""
    app = make_dashboard()
    async with app.run_test(size=size) as pilot:
        await app.refresh_now()
        await pilot.pause()
        screen = app.dashboard
        compositor = screen._compositor
        assert isinstance(compositor, DashboardCompositor)
        regions = UPDATES[update](*size)

        def render(get_renders) -> tuple[str, list[Region]]:
            drawn: list[Region] = []

            def counting(crop=None):
                for region, clip, lines in get_renders(compositor, crop):
                    drawn.append(region.intersection(clip))  # (where its lines go)
                    yield region, clip, lines

            compositor._get_renders = counting  # type: ignore[method-assign]
            try:
                compositor._dirty_regions.update(regions)
                update_ = compositor.render_update()
            finally:
                del compositor._get_renders
            assert update_ is not None
            return update_.render_segments(app.console), drawn

        ours, ours_drawn = render(DashboardCompositor._get_renders)
        theirs, theirs_drawn = render(Compositor._get_renders)
        assert ours == theirs
        assert len(ours_drawn) <= len(theirs_drawn)
        assert all(any(t.contains_region(o) for t in theirs_drawn) for o in ours_drawn)
        lines = sum(region.height for region in ours_drawn)
        assert lines <= sum(region.height for region in theirs_drawn)
        if update == "the 1 Hz tick" and size == (80, 24):
            assert len(ours_drawn) < len(theirs_drawn)
        if update == "one duration cell":
            # One line of the table and of the screen under it, not their 21 and 24.
            assert lines == 2


async def test_the_header_line_alone_draws_one_line(make_dashboard) -> None:
    """The 1 Hz "updated 3s ago" (the header's first line, nothing else changed) draws
    that line of the header and of the screen under it: Textual drew the screen's 24
    lines and both of the header's, from cache, every second."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        compositor = app.dashboard._compositor
        drawn: list[tuple[str, int]] = []
        for widget in compositor.visible_widgets:

            def counting(crop, widget=widget, draw=widget.render_lines):
                drawn.append((type(widget).__name__, crop.height))
                return draw(crop)

            widget.render_lines = counting  # type: ignore[method-assign]
        compositor._dirty_regions.add(Region(1, 0, 78, 1))
        assert compositor.render_update() is not None
        assert sorted(drawn) == [("DashboardHeader", 1), ("DashboardScreen", 1)]
