"""Keys on every screen: `?` help with ids, the palette, read-only notices, Resume.

Pilot tests against the seeded simulator; polls are driven by ``app.refresh_now()``.
"""

from __future__ import annotations

from tests.support.waiting import until
from tui.screens.confirm import ConfirmScreen, DeleteConfirmScreen
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen
from tui.screens.keys import palette_entries

SIZE = (120, 40)


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _footer_descriptions(app) -> dict[str, str]:
    """key → description of what the footer shows now (enabled and shown bindings)."""
    return {
        key: active.binding.description
        for key, active in app.active_bindings.items()
        if active.enabled and active.binding.show
    }


async def _open_detail(app, pilot) -> str:
    await app.refresh_now()
    ident = app.dashboard.table.cursor_id
    await pilot.press("enter")
    assert isinstance(app.screen, DetailScreen)
    return ident


async def test_help_on_the_detail_screen_lists_its_keys_with_ids(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await _open_detail(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id: row for row in app.screen.keys}
        for ident in ("detail.back", "detail.edit", "detail.toggle_active", "detail.delete"):
            assert ident in ids
        assert ids["detail.back"].keys == "esc, q" and ids["app.help"].keys == "?, f1"
        assert "dashboard.filter" not in ids  # the detail's keys, not the dashboard's
        assert "detail" in app.screen.title_text
        await pilot.press("question_mark")  # ? again closes help
        assert isinstance(app.screen, DetailScreen)


async def test_help_on_the_form_screen_with_f1(make_dashboard) -> None:
    from tui.screens.connection_form import ConnectionFormScreen

    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConnectionFormScreen)
        await app.workers.wait_for_complete()
        await pilot.press("f1")  # works even where ? would be typed into a field
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.keys}
        assert {"form.submit", "form.cancel", "app.help"} <= ids
        assert "connection form" in app.screen.title_text
        await pilot.press("escape")
        assert isinstance(app.screen, ConnectionFormScreen)


async def test_help_follows_the_keymap(make_dashboard) -> None:
    app = make_dashboard(keymap={"detail.edit": "E"})
    async with app.run_test(size=SIZE) as pilot:
        await _open_detail(app, pilot)
        await pilot.press("f1")
        rows = {row.binding_id: row for row in app.screen.keys}
        assert rows["detail.edit"].keys == "E"


async def test_palette_offers_the_current_screens_actions(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        dashboard_titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Filter", "Faults", "Delete", "Sort by name"} <= set(dashboard_titles)
        # Textual's Keys panel and themes are left out; its Quit and Screenshot stay.
        assert not {"Keys", "Theme"} & set(dashboard_titles)
        assert {"Quit", "Screenshot"} <= set(dashboard_titles)
        await _open_detail(app, pilot)
        detail = app.screen
        titles = [c.title for c in app.get_system_commands(detail)]
        assert {"Back", "Edit", "On/off", "Delete", "Copy id"} <= set(titles)
        assert "Filter" not in titles
        # One list: every palette entry is a binding of the screen, with its tooltip.
        actions = {b.action: b for bs in detail._bindings.key_to_bindings.values() for b in bs}
        for entry in palette_entries(detail):
            assert actions[entry.action].description == entry.title
            assert actions[entry.action].tooltip == entry.help


async def test_palette_command_runs_the_action(make_dashboard) -> None:
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        faults = next(c for c in app.get_system_commands(app.screen) if c.title == "Faults")
        await faults.callback()
        await pilot.pause()
        assert app.dashboard.table.faults_only


async def test_read_only_mutating_keys_say_why(make_dashboard, simulator) -> None:
    app = make_dashboard(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = app.dashboard.table.cursor_id
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert any("Read-only" in n and "deleting" in n for n in _notices(app))
        await pilot.press("n")
        assert any("creating a connection" in n for n in _notices(app))
        await pilot.press("enter", "a")
        assert isinstance(app.screen, DetailScreen)
        assert any("switching a connection on or off" in n for n in _notices(app))
        assert ident in simulator.world


async def test_read_only_requests_are_refused_by_the_app_too(make_dashboard) -> None:
    """A request posted by any screen meets the same rule, not only the keys."""
    from tui.messages import DeleteRequested

    app = make_dashboard(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        app.screen.post_message(DeleteRequested(app.dashboard.table.cursor_id))
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, DeleteConfirmScreen)
        assert any("Read-only" in n for n in _notices(app))


async def test_footer_says_resume_while_paused(make_dashboard) -> None:
    """Live, Pause is in help and the palette (the footer keeps room for Quit and Help at
    80 columns); paused, the footer says Resume, so the state is on screen."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        assert "p" not in _footer_descriptions(app)
        await pilot.press("p")
        assert app.dashboard.paused
        assert _footer_descriptions(app)["p"] == "Resume"
        await pilot.press("p")
        assert not app.dashboard.paused
        assert "p" not in _footer_descriptions(app)


async def test_footer_keeps_quit_and_help_at_80_columns(make_dashboard) -> None:
    """Every key the footer lists fits in 80 columns, Quit and Help included."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        from textual.widgets._footer import FooterKey

        def shown_keys() -> set[str]:
            return {k.description for k in app.screen.query(FooterKey) if k.region.right <= 80}

        # The footer lays its keys out after the first frames: wait for it, not one pause.
        await until(pilot, lambda: {"Quit", "Help"} <= shown_keys(), "the footer's keys")
        keys = list(app.screen.query(FooterKey))
        shown = shown_keys()
        assert {"Quit", "Help"} <= shown, [(k.description, k.region) for k in keys]
        assert all(key.region.right <= 80 for key in keys)


async def test_detail_keys_ask_by_message(make_dashboard, sim_client) -> None:
    from tui.screens.connection_form import ConnectionFormScreen

    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        ident = await _open_detail(app, pilot)
        polls = app.dashboard.polls
        await pilot.press("r")
        await app.workers.wait_for_complete()
        assert app.dashboard.polls == polls + 1
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert ident in str(app.screen.title_text)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConnectionFormScreen)
        assert app.screen.mode == "edit" and app.screen.connection_id == ident


async def test_unknown_keymap_id_warns_at_start(make_dashboard) -> None:
    app = make_dashboard(keymap={"dashboard.faults": "F", "dashboard.fautls": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any("[keymap]" in n for n in _notices(app)), "the warning")
        warnings = [n for n in _notices(app) if "[keymap]" in n]
        assert len(warnings) == 1
        assert "dashboard.fautls" in warnings[0] and "dashboard.faults" not in warnings[0]


async def test_known_keymap_ids_give_no_warning(make_dashboard) -> None:
    app = make_dashboard(keymap={"form.submit": "ctrl+s", "detail.edit": "E"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not [n for n in _notices(app) if "[keymap]" in n]


async def test_help_on_the_alarms_step_lists_the_alarm_keys(make_dashboard) -> None:
    """The focused part's keys count too: on the form's alarms step, help lists the
    alarm editor's add/duplicate/remove keys with their ids."""
    from tui.screens.connection_form import ConnectionFormScreen

    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ConnectionFormScreen), "the form")
        screen = app.screen
        await app.workers.wait_for_complete()
        await screen._go("alarms")
        await pilot.pause()
        app.set_focus(screen.alarms.editor)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.keys}
        assert "alarms.add" in ids and "form.submit" in ids


async def test_a_remap_that_takes_another_bindings_key_warns(make_dashboard) -> None:
    """`"dashboard.delete" = "q"` would leave Quit without a key, silently: it is named."""
    app = make_dashboard(keymap={"dashboard.delete": "q"})
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any("takes the key" in n or "clash" in n for n in _notices(app)),
                    "the warning")  # fmt: skip
        warnings = [n for n in _notices(app) if "clash" in n or "takes the key" in n]
        assert warnings and "dashboard.quit" in warnings[0], _notices(app)
