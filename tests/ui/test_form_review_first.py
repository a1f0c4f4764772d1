"""ctrl+g never sends from a step before the review, in any mode; the form's notices go
with the form (a newcomer's reports: a new amqp connection was created straight from its
settings, and "Fix the fields marked ✗ first" stayed over the dashboard after "Created …")."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.support.form_screens import (
    FormHost,
    SchemaClient,
    control,
    make_screen,
    settle,
    type_field,
    type_name,
)
from tui.api import Connection
from tui.screens.connection_form import ConnectionFormScreen
from tui.screens.dashboard import DashboardScreen
from tui.secrets import MASK

SCHEMA = {
    "type": "object",
    "required": ["host", "password"],
    "properties": {
        "host": {"type": "string", "title": "Host"},
        "password": {"type": "string", "title": "Password", "format": "password"},
    },
}
STORED = {
    "id": "7",
    "name": "Seven",
    "connectorId": "demo",
    "configuration": {"host": "old.example.com", "password": MASK},
}


def status(screen: ConnectionFormScreen) -> str:
    return str(screen.query_one("#review-status", Static).render())


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("mode", ["create", "clone", "edit"])
@pytest.mark.parametrize("start", ["settings", "alarms"])
async def test_ctrl_g_shows_the_review_first_in_every_mode(
    sim_clock, tmp_path, mode: str, start: str
) -> None:
    """From the settings or the alarms, ctrl+g checks and shows the review (POST for a new
    connection or a clone, PUT for an edit), nothing sent; only ctrl+g there sends."""
    client = SchemaClient({"demo": SCHEMA})
    client.server = Connection.from_api(STORED)
    kw = {} if mode == "create" else {"connection_id": "7"}
    screen = make_screen(client, tmp_path, sim_clock, mode=mode, **kw)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        if mode == "create":
            await screen._choose("demo")
            await settle(pilot, screen)
            await type_name(pilot, screen, "New one")
            await type_field(pilot, screen, "host", "new.example.com")
        await type_field(pilot, screen, "password", "pa55word")
        if start == "alarms":
            await pilot.press("pagedown")
            await settle(pilot, screen)
        assert screen.step == start
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert screen.step == "review" and client.sent == [] and app.result == "pending"
        verb = "PUT" if mode == "edit" else "POST"
        assert f"Ready. Enter on Submit (or ctrl+g) sends this {verb}" in status(screen)
        assert "pa55word" not in screen.review.text and MASK in screen.review.text
        assert screen.focused is screen.query_one("#submit")
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
    assert len(client.sent) == 1 and app.result == "new-1"
    assert client.sent[0]["configuration"]["password"] == "pa55word"


async def test_a_new_amqp_connection_is_reviewed_and_the_form_notice_leaves_with_the_form(
    make_dashboard, simulator, tmp_path, monkeypatch
) -> None:
    """The report's steps on the dashboard: n, amqp, ctrl+g with a field missing says "Fix
    the fields marked ✗ first"; filled in, ctrl+g shows the review (nothing created yet);
    ctrl+g there creates it, and over the dashboard "Created …" is said, the form's notice
    not any more."""
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(tmp_path / "state"))  # its drafts
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        before = len(simulator.world)
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConnectionFormScreen)
        await settle(pilot, screen)
        await pilot.press(*"amqp", "enter")
        await settle(pilot, screen)
        assert screen.connector.id == "actility-amqp-0.9.1-iot"
        await type_name(pilot, screen, "Rabbit")
        fields = {"hostName": "mq.example.com:5672", "username": "ops", "password": "s3cret"}
        fields |= {"uplinkTopicPattern": "up/{DevEUI}"}
        for path, text in fields.items():
            await type_field(pilot, screen, path, text)
        await pilot.press("ctrl+g")  # the exchange is still to fill in
        await settle(pilot, screen)
        assert screen.step == "settings" and screen.focused is control(screen, "exchangeName")
        assert "Fix the fields marked ✗ first; nothing was sent." in notices(app)
        await type_field(pilot, screen, "exchangeName", "tpx")
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert app.screen is screen and screen.step == "review"
        assert len(simulator.world) == before  # nothing created from the settings
        assert "s3cret" not in screen.review.text
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert len(simulator.world) == before + 1
        said = notices(app)
        assert any(n.startswith("Created “Rabbit”") for n in said), said
        assert not any("Fix the fields" in n for n in said), said


async def test_notices_of_a_cancelled_form_go_with_it(sim_clock, tmp_path) -> None:
    """esc on an untouched form after a refused ctrl+g: the notice does not stay behind."""
    client = SchemaClient({"demo": SCHEMA})
    screen = make_screen(client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await screen._choose("demo")
        await settle(pilot, screen)
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert "Fix the fields marked ✗ first; nothing was sent." in notices(app)
        app.notify("Not the form's")  # the app's own notices are not the form's to take
        await pilot.pause()
        screen.dirty = False  # nothing typed: esc leaves without asking
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None
        assert notices(app) == ["Not the form's"]
