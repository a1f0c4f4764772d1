"""Pilot tests of the dashboard against the seeded simulator on loopback.

Polls are driven by ``await app.refresh_now()`` (no poll loop, no sleeping); time
moves only when a test advances ``sim_clock``.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from rich.console import Console
from textual.widgets import Button, Input

from tests.support.form_screens import PEM_KEY
from tui.api.errors import ReadOnlyError
from tui.health import Health
from tui.screens.confirm import ConfirmScreen, DeleteConfirmScreen
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen
from tui.screens.keys import KeyHelp, key_help, palette_entries
from tui.screens.secrets_prompt import WHY, SecretsPrompt, is_pem_path
from tui.secrets import MASK, masked_paths
from tui.widgets.pem_input import MaskedText, PemInput

SIZE = (120, 40)


def rendered(widget) -> str:
    return str(widget.render())


def plain(widget) -> str:
    """The text of a Static holding a Rich renderable."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def test_first_poll_fills_table_and_header(make_dashboard, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.pause()
        table = app.dashboard.table
        assert len(table.order) == len(simulator.world) == 25
        header = rendered(app.dashboard.header)
        counts = app.board.counts()
        for health in Health:
            assert f"{health.value} {counts[health]}" in header
        assert "sim" in header and "127.0.0.1" in header and "updated 0s ago" in header
        # Faults first: the first row is in ERROR.
        assert app.board.rows[table.order[0]].health is Health.ERROR
        assert table.cursor_id == table.order[0]


async def test_cursor_stays_on_connection_across_refresh_and_filter_and_a_sort_shows_the_top(
    make_dashboard, sim_clock
) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        table = app.dashboard.table
        await pilot.press("down", "down", "down", "j")
        chosen = table.cursor_id
        assert chosen == table.order[4]
        for _ in range(5):
            sim_clock.advance(600)
            await app.refresh_now()
            assert table.cursor_id == chosen
            assert table.order[table.cursor] == chosen
        for key in ("N", "N", "T", "C", "L", "S"):
            await pilot.press(key)
            assert table.cursor == 0 and table.cursor_id == table.order[0]
            assert table.scroll_y == 0  # the new first row is on screen, under the header
        table.select_id(chosen)
        name = app.board.rows[chosen].name
        await pilot.press("slash")
        await pilot.press(*name[:6])
        assert chosen in table.order
        assert table.order[table.cursor] == chosen
        assert all(name[:6].lower() in app.board.rows[i].search for i in table.order)


async def test_sort_keys_and_reverse(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        table = app.dashboard.table
        await pilot.press("N")
        names = [app.board.rows[i].name.lower() for i in table.order]
        assert names == sorted(names) and table.sort == "name" and not table.reverse
        await pilot.press("N")
        assert table.reverse
        assert [app.board.rows[i].name.lower() for i in table.order] == sorted(names, reverse=True)
        await pilot.press("C")
        connectors = [app.board.rows[i].connector for i in table.order]
        assert connectors == sorted(connectors)
        assert "by connector▲" in rendered(app.dashboard.header)


async def test_filter_and_escape_clears(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        table = app.dashboard.table
        await pilot.press("slash", *"opened")
        assert table.order and all(app.board.rows[i].state == "OPENED" for i in table.order)
        assert "filter “opened”" in rendered(app.dashboard.header)
        await pilot.press("enter")  # keeps the filter, back to the table
        assert table.has_focus and table.filter_text == "opened"
        await pilot.press("escape")
        assert table.filter_text == "" and len(table.order) == 25


async def test_faults_only(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        table = app.dashboard.table
        await pilot.press("f")
        assert table.order and all(app.board.rows[i].is_fault for i in table.order)
        assert "faults only" in rendered(app.dashboard.header)
        await pilot.press("f")
        assert len(table.order) == 25


async def test_stale_then_recovered(make_dashboard, sim_server, sim_clock) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        dashboard = app.dashboard
        rows_before = dict(app.board.rows)
        sim_server.stop()
        sim_clock.advance(65)
        await app.refresh_now()
        await pilot.pause()
        assert dashboard.banner.shown
        text = rendered(dashboard.banner)
        assert "Cannot reach the API" in text
        assert "showing data from 1m 5s ago (stale)" in text
        assert "next try in" in text
        assert dashboard.table.stale
        assert "STALE" in rendered(dashboard.header)
        assert app.board.rows.keys() == rows_before.keys()  # the last data is kept
        # Backoff grows with each failure, capped.
        delays = []
        for _ in range(8):
            await app.refresh_now()
            delays.append(dashboard.next_delay)
        assert delays[-1] <= 60 and delays[2] > 4
        sim_server.start()
        await app.refresh_now()
        await pilot.pause()
        assert not dashboard.banner.shown
        assert not dashboard.table.stale
        assert dashboard.failures == 0 and dashboard.next_delay == app.interval
        assert app.is_running


async def test_credentials_refused_banner(make_dashboard, sim_profile) -> None:
    from dataclasses import replace

    app = make_dashboard(profile=replace(sim_profile, client_secret="wrong"))
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.pause()
        text = rendered(app.dashboard.banner)
        assert "Credentials refused" in text and "no data yet" in text


async def test_server_error_banner(make_dashboard, simulator) -> None:
    simulator.faults.error_rate = 1.0
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.pause()
        assert "server failed" in rendered(app.dashboard.banner).lower()
        simulator.faults.error_rate = 0.0
        await app.refresh_now()
        assert not app.dashboard.banner.shown


async def test_too_slow_banner(make_dashboard, simulator, sim_profile) -> None:
    from dataclasses import replace

    app = make_dashboard(profile=replace(sim_profile, timeout=0.3))
    simulator.faults.hang = True
    try:
        async with app.run_test(size=SIZE) as pilot:
            await app.refresh_now()
            await pilot.pause()
            assert "too slow" in rendered(app.dashboard.banner)
    finally:
        simulator.faults.hang = False
        simulator.faults.release()


async def test_stuck_flagged_under_controlled_clock(make_dashboard, sim_clock) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        transient = {i for i, row in app.board.rows.items() if row.state in ("OPENING", "CLOSING")}
        assert not any(row.stuck for row in app.board.rows.values())
        for _ in range(12):
            sim_clock.advance(60)
            await app.refresh_now()
        stuck = {i for i, row in app.board.rows.items() if row.stuck}
        assert stuck and stuck <= transient | {
            i for i, r in app.board.rows.items() if r.state == "AUTHENTICATING"
        }
        for ident in stuck:
            assert app.board.rows[ident].in_state(sim_clock.now()) > timedelta(minutes=10)
        await pilot.press("f")
        assert stuck <= set(app.dashboard.table.order)


async def test_flapping_flagged_under_controlled_clock(make_dashboard, sim_clock) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE):
        for _ in range(90):
            await app.refresh_now()
            sim_clock.advance(20)
        flapping = [row for row in app.board.rows.values() if row.flapping]
        assert flapping
        history = app.board.history.get(flapping[0].id)
        assert history.changes_within(timedelta(hours=1), sim_clock.now()) > 4


async def test_history_survives_restart(make_dashboard, sim_clock, tmp_path) -> None:
    path = tmp_path / "h.json"
    app = make_dashboard(history_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.pause()
        opening = next(i for i, r in app.board.rows.items() if r.state == "OPENING")
        first_seen = app.board.history.get(opening).changes[0]
    assert path.exists()
    sim_clock.advance(30)
    again = make_dashboard(history_path=path)
    async with again.run_test(size=SIZE):
        await again.refresh_now()
        # The second run starts from the first one's observations, not from nothing.
        changes = list(again.board.history.get(opening).changes)
        assert changes[0] == first_seen
        assert len(changes) >= 1


async def test_detail_and_back_to_same_row(make_dashboard, sim_clock, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        chosen = next(i for i, r in app.board.rows.items() if r.state == "OPENED")
        assert app.dashboard.table.select_id(chosen)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.connection_id == chosen
        overview = plain(app.screen.query_one("#overview"))
        assert "Startup (UTC)" in overview and chosen in overview
        # It refreshes live while open: a change on the platform shows after the next
        # poll (the dashboard tells it through BoardUpdated).
        simulator.world.get(chosen).name = "Renamed while watched"
        sim_clock.advance(300)
        await app.refresh_now()
        await pilot.pause()
        assert "Renamed while watched" in plain(app.screen.query_one("#overview"))
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)
        assert app.dashboard.table.cursor_id == chosen


async def test_detail_says_time_in_state_is_a_lower_bound_until_a_change(
    make_dashboard, sim_clock, sim_client
) -> None:
    """A state held when first seen reads "≥ …" on the detail screen, with why; once a
    change is observed it is exact."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        chosen = next(i for i, r in app.board.rows.items() if r.health is Health.DEACTIVATED)
        sim_clock.advance(65)
        await app.refresh_now()
        app.dashboard.select_connection(chosen)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        overview = plain(app.screen.query_one("#overview"))
        assert "≥ 1m" in overview
        assert "already in this state when iotflow first saw it" in overview
        await pilot.press("escape")

        await sim_client.patch(chosen, {"active": True})  # observed: CLOSED → a start
        sim_clock.advance(1)
        await app.refresh_now()
        app.dashboard.select_connection(chosen)
        await pilot.press("enter")
        overview = plain(app.screen.query_one("#overview"))
        line = overview.split("Time in state", 1)[1].splitlines()[0]
        assert "≥" not in line and "already in this state" not in overview


async def test_detail_masks_secrets(make_dashboard, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = next(i for i, c in app.board.connections.items() if masked_paths(c.configuration))
        app.dashboard.table.select_id(ident)
        await pilot.press("enter")
        config = plain(app.screen.query_one("#configuration"))
        raw = plain(app.screen.query_one("#raw"))
        assert MASK in config and MASK in raw
        # Every value the server masks is a secret in the simulator's own record: none of
        # them may appear anywhere on the screen.
        real = simulator.world.get(ident).configuration
        secrets = [
            _at(real, path) for path in masked_paths(app.board.connections[ident].configuration)
        ]
        assert secrets and all(isinstance(value, str) and value for value in secrets)
        for value in secrets:
            assert value not in config and value not in raw


def _at(value, path: str):
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


async def test_delete_needs_the_name_typed(make_dashboard, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = app.dashboard.table.cursor_id
        name = app.board.rows[ident].name
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteConfirmScreen)
        assert name in str(app.screen.query_one(".dialog--title").render())
        await pilot.press(*"wrong")
        assert app.screen.query_one("#delete", Button).disabled
        await pilot.press("enter")
        assert isinstance(app.screen, DeleteConfirmScreen)
        app.screen.query_one(Input).value = name
        await pilot.pause()
        assert not app.screen.query_one("#delete", Button).disabled
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ident not in simulator.world
        assert ident not in app.dashboard.table.order
        assert app.dashboard.table.cursor_id is not None


async def test_delete_cancel_keeps_connection(make_dashboard, simulator) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = app.dashboard.table.cursor_id
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert ident in simulator.world


async def _select_with_secrets(app, active: bool = True) -> str:
    for ident, connection in app.board.connections.items():
        if connection.active == active and masked_paths(connection.configuration):
            assert app.dashboard.table.select_id(ident)
            return ident
    raise AssertionError("no connection with secrets")


async def test_deactivate_asks_for_secrets_and_never_sends_the_mask(
    make_dashboard, simulator
) -> None:
    app = make_dashboard()
    # A platform without PATCH: switching on or off sends the whole connection (PUT).
    app.client.patch_supported = False
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = await _select_with_secrets(app)
        paths = masked_paths({"configuration": app.board.connections[ident].configuration})
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.board.rows[ident].name in str(app.screen.query_one(".dialog--title").render())
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SecretsPrompt)
        assert app.screen.paths == paths
        assert WHY in str(app.screen.query_one(".dialog--why").render())
        inputs = list(app.screen.query("Input.secret--value"))
        assert all(i.password for i in inputs)
        for index, field in enumerate(inputs):
            field.value = f"new-secret-{index}"
        # certificates and keys are pasted whole (the prompt checks they are PEM)
        for pem in app.screen.query(PemInput):
            pem.editor.post_message(MaskedText.Pasted(pem.editor, PEM_KEY.replace("\n", "\r")))
        await pilot.pause()
        await pilot.click("#send")
        await app.workers.wait_for_complete()
        await pilot.pause()
        stored = simulator.world.get(ident)
        assert stored.active is False
        assert MASK not in str(stored.configuration)
        assert "new-secret-0" in str(stored.configuration)
        assert all(
            stored.configuration.get(p.split(".")[-1]) == PEM_KEY
            for p in paths
            if is_pem_path(p) and "." not in p.removeprefix("configuration.")
        )
        # The row shows the new state (live, from the next poll).
        assert app.board.rows[ident].active is False


async def test_cancel_secrets_sends_nothing(make_dashboard, simulator) -> None:
    app = make_dashboard()
    # A platform without PATCH: switching on or off sends the whole connection (PUT).
    app.client.patch_supported = False
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = await _select_with_secrets(app)
        before = simulator.world.get(ident).configuration
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert simulator.world.get(ident).active is True
        assert simulator.world.get(ident).configuration == before


async def test_read_only_removes_mutating_actions_everywhere(make_dashboard, sim_client) -> None:
    app = make_dashboard(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        dashboard = app.dashboard
        actions = {b.binding.action for b in app.active_bindings.values() if b.enabled}
        for action in ("new", "edit", "clone", "toggle_active", "delete"):
            assert action not in actions
        assert "READ-ONLY" in rendered(dashboard.header)
        await pilot.press("a", "ctrl+d", "n", "e")
        await pilot.pause()
        assert app.screen is dashboard
        help_keys = [row.description for row in key_help(dashboard)]
        assert "Delete" not in help_keys and "On/off" not in help_keys
        assert "Filter" in help_keys
        titles = [entry.title for entry in palette_entries(dashboard)]
        assert "Delete" not in titles and "Refresh" in titles
        commands = [c.title for c in app.get_system_commands(dashboard)]
        assert "Delete" not in commands and "Details" in commands
        # The client itself refuses, whatever the UI does.
        with pytest.raises(ReadOnlyError):
            await app.client.delete_connection(dashboard.table.cursor_id)
    sim_client.read_only = True
    with pytest.raises(ReadOnlyError):
        await sim_client.update_connection("1", {})


async def test_help_lists_keys(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        descriptions = [row.description for row in app.screen.keys]
        for word in ("Filter", "Faults", "Details", "New connection", "Edit connection"):
            assert word in descriptions
        for word in ("On/off", "Delete", "Copy id", "Refresh", "Pause", "Sort by name"):
            assert word in descriptions
        assert "Help" in descriptions and "Quit" in descriptions
        ids = {row.description: row.binding_id for row in app.screen.keys}
        assert ids["Faults"] == "dashboard.faults" and ids["Help"] == "app.help"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_remaps_by_binding_id(make_dashboard) -> None:
    app = make_dashboard(keymap={"dashboard.faults": "F"})
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("F")
        assert app.dashboard.table.faults_only
        assert KeyHelp("F", "Faults", "dashboard.faults") in key_help(app.dashboard)


async def test_copy_id_uses_osc52(make_dashboard, monkeypatch) -> None:
    app = make_dashboard()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("c")
        assert copied == [app.dashboard.table.cursor_id]


async def test_new_edit_and_clone_route_through_app(make_dashboard, monkeypatch) -> None:
    app = make_dashboard()
    called: list[object] = []
    monkeypatch.setattr(app, "action_new_connection", lambda: called.append("new"))
    monkeypatch.setattr(app, "action_edit_connection", lambda ident: called.append(ident))
    monkeypatch.setattr(app, "action_clone_connection", lambda i: called.append(("clone", i)))
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("n", "e", "y")
        await pilot.pause()
        cursor = app.dashboard.table.cursor_id
        assert called == ["new", cursor, ("clone", cursor)]


async def test_new_opens_the_form(make_dashboard) -> None:
    from tui.screens.connection_form import ConnectionFormScreen

    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConnectionFormScreen)


async def test_pause_and_refresh_keys_with_live_loop(make_dashboard, sim_client) -> None:
    app = make_dashboard(poll=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()  # the loop's first poll, or the next one
        dashboard = app.dashboard
        polls = dashboard.polls
        await pilot.press("p")
        assert dashboard.paused
        assert "paused" in rendered(dashboard.header)
        await app.refresh_now()  # r while paused still polls once
        assert dashboard.polls == polls + 1
        await pilot.press("p")
        assert not dashboard.paused
        await app.refresh_now()
        assert dashboard.polls >= polls + 2


async def test_changed_rows_flash(make_dashboard, sim_clock) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        table = app.dashboard.table
        assert not table._flash  # the first load does not flash
        sim_clock.advance(900)
        await app.refresh_now()
        await pilot.pause()
        changed = {i for i in table._flash}
        assert changed


async def test_keys_typed_in_one_burst_after_slash_are_filter_text(make_dashboard) -> None:
    """`/Lyon` arriving at once (a fast typist, a laggy SSH link): every letter is filter
    text; before, "L" sorted by failures and "y" opened the clone form. A "/" typed into
    the filter is text too."""
    from textual import events

    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.pause()
        keys = [("slash", "/"), ("L", "L"), ("y", "y"), ("o", "o"), ("n", "n")]
        for key, character in keys:  # queued together, none handled yet
            app.post_message(events.Key(key, character))
        await pilot.pause()
        table = app.dashboard.table
        assert app.screen is app.dashboard
        assert (table.filter_text, table.sort) == ("Lyon", "state")
        await pilot.press("slash", "x")
        assert table.filter_text == "Lyon/x"
