"""Dashboard data flow: metrics columns and flags, fleet rates, restart, events view (Pilot)."""

from __future__ import annotations

from tests.support.waiting import events_loaded, until
from tui.screens.events import EventsScreen
from tui.simulator.states import CLOSING, OPENED


async def test_poll_fetches_metrics_beside_the_list(make_dashboard, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        calls = app.client.calls
        await app.dashboard.refresh_now()
        await pilot.pause()
        # The list and the metrics; the alarm events are checked at most once a minute.
        assert app.client.calls - calls == 2
        rows = app.dashboard.board.rows
        assert all(r.metrics is not None for r in rows.values())
        silent = [r for r in rows.values() if r.flow.silent]
        assert silent and all(r.state == OPENED for r in silent)
        low = [r for r in rows.values() if r.flow.low]
        assert low and all(r.flow.low_confirmed for r in low)
        expected = sum(m["uplinksLast1h"] for m in simulator.traffic.all_metrics())
        assert app.dashboard.fleet.uplinks_per_hour == expected


async def test_faults_view_includes_flow_flags_and_sorts(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("f")
        shown = set(app.dashboard.table.order)
        rows = app.dashboard.board.rows
        silent = {i for i, r in rows.items() if r.flow.silent}
        assert silent and silent <= shown
        await pilot.press("f", "U")
        order = list(app.dashboard.table.order)
        ups = [rows[i].metrics.uplinks_1h for i in order]
        assert ups == sorted(ups)
        await pilot.press("L")
        order = list(app.dashboard.table.order)
        fails = [rows[i].metrics.failures_1h for i in order]
        assert fails == sorted(fails, reverse=True)


async def test_metrics_failing_keeps_the_table_and_says_so_once(make_dashboard, simulator) -> None:
    app = make_dashboard()
    simulator.traffic.all_metrics = _missing  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await app.dashboard.refresh_now()
        await app.dashboard.refresh_now()
        await pilot.pause()
        assert len(app.dashboard.board.rows) == len(simulator.world)
        notes = [n for n in app._notifications if "Metrics" in (n.title or "")]
        assert len(notes) == 1 and "tries again" in notes[0].message
        assert app.dashboard.last_error is None


def _missing():
    raise RuntimeError("metrics store down")


async def test_restart_confirms_by_name_and_row_progresses(make_dashboard, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        table = app.dashboard.table
        ident = next(i for i in table.order if app.dashboard.board.rows[i].state == OPENED)
        table.select_id(ident)
        await pilot.press("R")
        await pilot.pause()
        name = app.dashboard.board.rows[ident].name
        assert name in app.screen.title_text
        await pilot.press("y")
        await until(pilot, lambda: app.dashboard.board.rows[ident].state == CLOSING,
                    "the restarted row CLOSING")
        assert simulator.world.state(ident) == CLOSING


async def test_restart_is_absent_read_only(make_dashboard, sim_profile) -> None:
    import dataclasses

    app = make_dashboard(profile=dataclasses.replace(sim_profile, read_only=True))
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("R")
        await pilot.pause()
        assert not hasattr(app.screen, "title_text")
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert "restart" not in shown


async def test_events_view_filters_and_jumps(make_dashboard, sim_clock) -> None:
    sim_clock.advance(120)
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("E")
        await until(pilot, lambda: events_loaded(app), "the events view has read the events")
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        everything = screen.table.row_count
        assert everything > 0
        times = [e.time for e in screen.events]
        assert times == sorted(times, reverse=True)
        await pilot.press("l", "l")  # warn and worse
        assert 0 < screen.table.row_count < everything
        await pilot.press("l", "l")
        await pilot.press("slash")
        await pilot.press(*"UNREACHABLE")
        await pilot.pause()
        assert 0 < screen.table.row_count < everything
        await pilot.press("enter")  # leave the filter input, keep its text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.dashboard
        selected = app.dashboard.table.selected_id
        assert app.dashboard.board.rows[selected].state in ("UNREACHABLE", "OPENING", OPENED)


async def test_on_off_uses_merge_patch_without_asking_for_secrets(
    make_dashboard, simulator
) -> None:
    from tui.screens.secrets_prompt import SecretsPrompt

    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        ident = next(
            i for i, r in app.dashboard.board.rows.items() if r.state == OPENED and r.active
        )
        stored = dict(simulator.world.get(ident).configuration)
        app.dashboard.table.select_id(ident)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, SecretsPrompt)
        assert simulator.world.get(ident).active is False
        assert simulator.world.get(ident).configuration == stored  # secrets untouched
        assert app.client.patch_supported is True


async def test_detail_shows_metrics_and_a_merged_timeline(make_dashboard, simulator, sim_clock):
    from rich.console import Console
    from textual.widgets import Static

    sim_clock.advance(60)
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.dashboard.refresh_now()
        ident = next(i for i, r in app.dashboard.board.rows.items() if r.flow.loss)
        app.dashboard.table.select_id(ident)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        console = Console(width=160, record=True)
        console.print(screen.query_one("#flow", Static).content)
        flow = console.export_text()
        assert "Uplinks" in flow and "Kafka lag" in flow
        expected = simulator.traffic.metrics(int(ident))
        assert f"{expected['uplinksLast24h']:,}" in flow
        timeline = screen.flow.timeline(
            app.dashboard.board.history.get(ident).timeline(sim_clock.now()), sim_clock.now()
        )
        assert timeline and [t.time for t in timeline] == sorted(
            (t.time for t in timeline), reverse=True
        )
        codes = {t.code for t in timeline}
        assert codes & {"cnx-1001", "dlv-2001", "observed"}
        shown = screen.flow.shown
        await pilot.press("m")
        assert screen.flow.shown > shown


async def test_events_view_shows_the_whole_message_of_the_highlighted_event(
    make_dashboard, sim_clock
) -> None:
    """At 80 columns the MESSAGE column is cut; the line under the table says it whole."""
    sim_clock.advance(120)
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("E")
        await until(pilot, lambda: events_loaded(app), "the events view has read the events")
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        preview = screen.query_one("#events-selected")
        first = screen.events[0]
        assert first.message and first.message in str(preview.render())
        await pilot.press("down")
        await pilot.pause()
        second = screen.events[1]
        assert f"{second.level.upper()} {second.code}" in str(preview.render())
        assert second.message in str(preview.render())


async def test_rows_whose_figures_changed_are_repainted_when_low_is_confirmed(
    make_dashboard, sim_clock
) -> None:
    """A poll that also checks the fired-alarm events (once a minute, while a row is LOW)
    hands the table every row whose figures changed, not only the LOW one."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = app.dashboard
        await dashboard.refresh_now()
        assert any(r.flow.low for r in dashboard.board.rows.values())
        before = {i: r.metrics for i, r in dashboard.board.rows.items()}
        handed: set[str] = set()
        apply_delta = dashboard.table.apply_delta

        def spy(rows, delta, **options):
            handed.update(delta.changed)
            return apply_delta(rows, delta, **options)

        dashboard.table.apply_delta = spy  # type: ignore[method-assign]
        sim_clock.advance(61)  # figures move on (the simulator aggregates by the minute)
        # The events check is due again (it runs on the wall clock), and finds LOW newly
        # confirmed: the case where the flags are worked out a second time.
        dashboard._fired_checked, dashboard._fired = None, set()
        calls = app.client.calls
        await dashboard.refresh_now()
        await pilot.pause()
        assert app.client.calls - calls == 3  # list, metrics, and the events check
        moved = {i for i, r in dashboard.board.rows.items() if r.metrics != before.get(i)}
        assert moved and moved <= handed


async def test_events_filter_takes_a_burst_of_keys(make_dashboard, sim_clock) -> None:
    """`/cl` read at once: "c" and "l" are filter text, not "this connection" and "level"."""
    from textual import events

    sim_clock.advance(120)
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("E")
        await until(pilot, lambda: events_loaded(app), "the events view has read the events")
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        for key in ("slash", "c", "l"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await until(pilot, lambda: screen.view.text == "cl", "the burst read as filter text")
        assert screen.view.connection_id is None and screen.view.level_label == "all"


async def test_a_restart_is_never_an_error_nor_flapping(
    make_dashboard, simulator, sim_clock
) -> None:
    """Watched poll by poll, a restarted connection is INIT while CLOSING, CLOSED and
    OPENING (its startupTime is the restart's), then ACTIVE; its five state changes are
    one episode, not FLAP."""
    from tui.health import Health

    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = app.dashboard
        await dashboard.refresh_now()
        ident = next(
            i for i, r in dashboard.board.rows.items()
            if r.state == OPENED and not r.flapping and simulator.world.get(i).mode is None
        )  # fmt: skip
        await app.client.restart(ident)
        seen = []
        for _ in range(40):
            await dashboard.refresh_now()
            row = dashboard.board.rows[ident]
            seen.append((row.state, row.health, row.flapping))
            if row.state == OPENED:
                break
            sim_clock.advance(0.5)
        await pilot.pause()
        states = [state for state, _, _ in seen]
        assert "CLOSED" in states and states[-1] == OPENED, seen
        assert all(h is not Health.ERROR for _, h, _ in seen), seen
        assert not any(flapping for _, _, flapping in seen), seen


async def test_events_view_marks_levels_and_says_when_nothing_matches(
    make_dashboard, sim_clock
) -> None:
    """WARN and ERROR read apart from INFO (style, not only colour); a level or filter that
    leaves nothing says so instead of an empty table."""
    sim_clock.advance(120)
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.dashboard.refresh_now()
        await pilot.press("E")
        await until(pilot, lambda: events_loaded(app), "the events view has read the events")
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        levels = {str(screen.table.get_row_at(i)[1]): screen.table.get_row_at(i)[1]
                  for i in range(screen.table.row_count)}  # fmt: skip
        # at 80 columns the level is its letter (the message gets the room)
        warn, info = ("W", "I") if screen.columns.narrow else ("WARN", "INFO")
        assert warn in levels and "bold" in str(levels[warn].style)
        assert str(levels[info].style) == ""
        await pilot.press("slash", *"zzzz-nothing", "enter")
        await pilot.pause()
        assert screen.table.row_count == 0
        assert "none matches" in str(screen.query_one("#events-status").render())


async def test_restart_of_a_deactivated_connection_says_why_before_asking(
    make_dashboard,
) -> None:
    """The platform refuses it (409): the dashboard says so at once, with what to do."""
    from tui.health import Health
    from tui.screens.confirm import ConfirmScreen

    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.dashboard.refresh_now()
        ident = next(i for i, r in app.dashboard.board.rows.items()
                     if r.health is Health.DEACTIVATED)  # fmt: skip
        app.dashboard.select_connection(ident)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("is deactivated: a switches it on" in n.message for n in app._notifications)
