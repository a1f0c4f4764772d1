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


async def test_the_1hz_tick_repaints_only_what_reads_differently(make_dashboard, sim_clock) -> None:
    """Idle over SSH: a second later the header's first line ("updated 1s ago") is the only
    header line repainted, and rows whose time in state is a bound under a minute ("≥ 0s")
    are not repainted at all; a minute later the bounds move on to "≥ 1m"."""
    from textual.geometry import Region

    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        dashboard, header, table = app.dashboard, app.dashboard.header, app.dashboard.table
        bounds = [i for i, r in dashboard.board.rows.items() if not r.since_exact and r.since]
        assert bounds, "the seeded platform has states held before the first poll"
        header_regions: list[tuple[Region, ...]] = []
        table_regions: list[tuple[Region, ...]] = []
        header.refresh = lambda *regions, **kw: header_regions.append(regions)  # type: ignore[method-assign]
        table.refresh = lambda *regions, **kw: table_regions.append(regions)  # type: ignore[method-assign]

        sim_clock.advance(1)
        dashboard._tick()
        assert header_regions == [(Region(0, 0, header.size.width, 1),)]
        shown = set(table._window())
        ticking = [i for i in shown if dashboard.board.rows[i].since_exact]
        assert len(table_regions) <= len(ticking)  # only exact durations tick by the second

        table_regions.clear()
        sim_clock.advance(60)
        dashboard._tick()
        assert table_regions, "the bounds read ≥ 1m now"


async def test_a_poll_that_changes_nothing_repaints_no_row(make_dashboard) -> None:
    """Idle on a platform where nothing moves (the simulator's clock held): a poll whose
    answers read as the last ones repaints no line of the table and keeps every row's
    drawing; only the header says it is refreshing, and then how fresh the data is."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        await app.refresh_now()  # (the second poll sees the first poll's metrics as known)
        await pilot.pause()
        table = app.dashboard.table
        drawn = {ident: table._painter._drawn[ident].strip for ident in table._window()}
        repaints: list[object] = []
        table.refresh = lambda *regions, **kw: repaints.append(regions)  # type: ignore[method-assign]
        await app.refresh_now()
        await pilot.pause()
        assert repaints == []
        assert {i: table._painter._drawn[i].strip for i in table._window()} == drawn


async def test_a_periodic_poll_is_said_by_the_tick_and_a_poll_asked_for_at_once(
    make_dashboard,
) -> None:
    """A poll of the 5 s cadence draws no frame of its own to say "refreshing…": the
    next 1 Hz tick says it if the poll is still under way (most end before). The first
    poll, `r` and a retry after a failure say it at once."""
    import asyncio

    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        dashboard = app.dashboard
        answer = asyncio.Event()
        asked = asyncio.Event()
        listing = dashboard.client.list_connections

        async def slow_listing():
            asked.set()
            await answer.wait()
            return await listing()

        dashboard.client.list_connections = slow_listing
        said: list[bool] = []
        update = dashboard.header.update

        def recording(**changes):
            said.append(bool(changes.get("refreshing")))
            update(**changes)

        dashboard.header.update = recording
        for periodic in (True, False):
            said.clear()
            asked.clear()
            answer.clear()
            poll = asyncio.ensure_future(dashboard._poll_once(periodic=periodic))
            await asked.wait()
            assert said == ([] if periodic else [True])
            dashboard._tick()  # the poll still under way at the tick
            assert said[-1] is True
            assert "refreshing" in str(dashboard.header.render())
            answer.set()
            await poll
            assert said[-1] is False
            assert "refreshing" not in str(dashboard.header.render())
