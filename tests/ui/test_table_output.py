"""What the table sends to the terminal: few bytes per row, so idle repaints stay cheap over SSH."""

from __future__ import annotations

import itertools


async def test_row_strips_merge_neighbouring_cells_of_the_same_style(make_dashboard) -> None:
    """Each style run is one segment (one escape sequence on the wire), not one per cell.

    Cells and the blanks between them mostly share a style; sent separately, every cell
    repeats the full SGR sequence and a reset, which doubled the bytes of every repaint.
    """
    app = make_dashboard()
    async with app.run_test(size=(80, 24)):
        await app.refresh_now()
        table = app.dashboard.table
        for y in range(1, table.size.height):
            segments = list(table.render_line(y))
            assert segments, f"line {y} is empty"
            repeated = [
                (a.text, b.text)
                for a, b in itertools.pairwise(segments)
                if a.style == b.style and not a.control and not b.control
            ]
            assert repeated == [], f"line {y}: neighbouring segments share a style"
