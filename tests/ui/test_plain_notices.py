"""One place builds every notice as plain text (tui.notices): the app's and the form's."""

from __future__ import annotations

import threading

from tests.support.form_screens import FormHost, SchemaClient, make_screen, settle
from tui.app import IoTFlowApp
from tui.notices import PlainNotices
from tui.screens.connection_form import ConnectionFormScreen


def test_the_app_and_the_form_share_one_notify() -> None:
    """The form only adds what it does with a finished notice (keep it to take it back)."""
    assert IoTFlowApp.notify is PlainNotices.notify
    assert ConnectionFormScreen.notify is PlainNotices.notify
    assert ConnectionFormScreen.raise_notice is not PlainNotices.raise_notice


async def test_a_notice_from_a_thread_is_plain_and_timed_by_the_app(make_dashboard) -> None:
    """A worker thread's notice reaches the app (no asyncio context there), as plain text."""
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        thread = threading.Thread(target=app.notify, args=("Deleted “[b]x[/b]”.",))
        thread.start()
        thread.join()
        while not app._notifications:
            await pilot.pause()
        (notice,) = list(app._notifications)
        assert notice.message == "Deleted “[b]x[/b]”."
        assert notice.markup is False and notice.timeout == app.NOTIFICATION_TIMEOUT


async def test_the_forms_notice_is_plain_under_any_app(sim_clock, tmp_path) -> None:
    """Under an app that does not make notices plain itself, the form's still are, and the
    form takes them back when it closes."""
    screen = make_screen(SchemaClient({}), tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        screen.notify("[/] [b]x[/b]", timeout=30)
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert notice.markup is False and notice.timeout == 30
        screen.dismiss(None)
        await pilot.pause()
        assert list(app._notifications) == []
