"""Failures nobody planned for: logged, said in a sentence, and the app keeps going.

Each test injects a failure where real code runs (a key's action, a worker, the poll's
own bookkeeping) and checks the outcome: the app is still running and usable, the
operator got one sentence, and errors.log holds the traceback without the secret.
"""

from __future__ import annotations

import pytest

from tests.support.waiting import until
from tui.crashlog import LOG_NAME
from tui.screens import connection_actions
from tui.screens.dashboard import DashboardScreen
from tui.screens.detail import DetailScreen

SIZE = (100, 30)
pytestmark = pytest.mark.unexpected_errors
SECRET = "s3cr3t-token-abcdef"


def _errors_shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Unexpected error"]


async def test_a_raising_key_action_is_logged_and_the_app_runs_on(
    make_dashboard, monkeypatch, tmp_path
) -> None:
    def broken(self) -> None:
        raise RuntimeError(f"upstream said: Authorization: Bearer {SECRET}")

    monkeypatch.setattr(DashboardScreen, "action_faults", broken)
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("f")
        await pilot.pause()
        assert app.is_running
        shown = _errors_shown(app)
        assert len(shown) == 1
        assert "the key 'f'" in shown[0] and "nothing you typed was lost" in shown[0]
        log = tmp_path / LOG_NAME
        assert str(log) in shown[0]
        text = log.read_text()
        assert "RuntimeError" in text and "in broken" in text and SECRET not in text
        # Still usable: other keys work, the same key fails the same contained way.
        await pilot.press("N")
        assert app.dashboard.table.sort == "name"
        await pilot.press("f")
        await pilot.pause()
        assert len(_errors_shown(app)) == 2 and app.is_running


async def test_a_failing_worker_is_reported_once(make_dashboard, monkeypatch, tmp_path) -> None:
    async def broken(*args) -> bool:
        raise KeyError("configuration")

    monkeypatch.setattr(connection_actions, "toggle_active", broken)
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        shown = _errors_shown(app)
        assert len(shown) == 1 and "running the task “toggle_active”" in shown[0]
        assert "KeyError" in (tmp_path / LOG_NAME).read_text()
        # The action group is free again: the next toggle is not blocked by the dead one.
        monkeypatch.undo()
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"


async def test_a_poll_that_breaks_in_its_bookkeeping_does_not_freeze(
    make_dashboard, monkeypatch
) -> None:
    """The header update at the end of a poll raises once: refresh_now still returns,
    the header does not stay on "refreshing…", and the next poll works."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        dashboard = app.dashboard
        real = dashboard._update_header
        calls = {"n": 0}

        def flaky() -> None:
            calls["n"] += 1
            if calls["n"] == 2:  # the one in the poll's `finally`
                raise ValueError("header broke")
            real()

        monkeypatch.setattr(dashboard, "_update_header", flaky)
        await pilot.press("r")
        await until(pilot, lambda: bool(_errors_shown(app)) and not dashboard._polling,
                    "the broken poll is reported and over")  # fmt: skip
        assert _errors_shown(app)
        assert not dashboard._polling
        assert "refreshing" not in str(dashboard.header.render())
        polls = dashboard.polls
        await app.refresh_now()
        assert dashboard.polls == polls + 1 and app.is_running


async def test_a_handler_on_another_screen_is_contained(make_dashboard, monkeypatch) -> None:
    """The detail screen's redraw after a poll raises: the detail stays open and usable."""
    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        await pilot.press("enter")
        detail = app.screen
        assert isinstance(detail, DetailScreen)

        def broken(*_: object) -> None:
            raise TypeError("cannot draw this")

        monkeypatch.setattr(detail, "show_connection", broken)
        await app.refresh_now()
        await pilot.pause()
        assert _errors_shown(app) and "DetailScreen" in _errors_shown(app)[0]
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_a_bug_applying_a_poll_does_not_end_polling(make_dashboard, monkeypatch) -> None:
    """Applying the connection list raises (a bug, not the API): reported, and the poll
    after it works again."""
    app = make_dashboard()

    def broken(*_: object, **__: object):
        raise AttributeError("'NoneType' object has no attribute 'get'")

    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        polls = app.dashboard.polls
        monkeypatch.setattr(app.board, "apply", broken)
        await pilot.press("r")
        await until(pilot, lambda: bool(_errors_shown(app)) and app.dashboard.polls == polls + 1,
                    "the broken poll is reported and counted")  # fmt: skip
        assert app.is_running and _errors_shown(app)
        assert app.dashboard.polls == polls + 1
        monkeypatch.undo()
        await app.refresh_now()
        assert app.dashboard.polls == polls + 2 and not app.dashboard._polling


async def test_an_unexpected_error_while_sending_leaves_the_form_usable(
    make_dashboard, sim_clock, monkeypatch, tmp_path
) -> None:
    """The PUT raises something nobody expected: the form leaves "Sending…", keeps what
    was typed in its draft, and esc can leave it."""
    from tests.support.form_screens import make_screen, settle, type_name
    from tui.drafts import DraftStore
    from tui.screens.connection_form import ConnectionFormScreen
    from tui.screens.form_leave import LeaveFormScreen
    from tui.secrets import masked_paths

    app = make_dashboard()
    async with app.run_test(size=SIZE) as pilot:
        await app.refresh_now()
        ident = next(
            i for i, c in app.board.connections.items() if not masked_paths(c.configuration)
        )
        drafts = DraftStore(tmp_path / "drafts")
        screen = make_screen(
            app.client, tmp_path, sim_clock, mode="edit", connection_id=ident, drafts=drafts
        )
        app.push_screen(screen)
        await settle(pilot, screen)
        assert isinstance(app.screen, ConnectionFormScreen)
        await type_name(pilot, screen, "Typed before the crash")

        calls: list[str] = []

        async def broken(connection_id: str, payload: object) -> None:
            calls.append(connection_id)
            raise RuntimeError("socket went away in a way nobody handled")

        monkeypatch.setattr(app.client, "update_connection", broken)
        await pilot.press("ctrl+g")  # an edit shows its review of what changes first
        await settle(pilot, screen)
        assert screen.step == "review" and calls == []
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert calls == [ident]
        assert _errors_shown(app) and app.is_running
        assert not screen.sending
        draft = drafts.load(screen.draft_key)
        assert draft is not None and draft.data["name"] == "Typed before the crash"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
