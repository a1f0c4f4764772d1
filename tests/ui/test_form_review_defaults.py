"""An edit's review tells the operator's changes from the schema defaults the form adds
(a newcomer's report: the defaults the server's configuration lacked read as changes they
had made). Both are sent, so both are listed; the defaults apart, counted, quieter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.support.form_screens import (
    FormHost,
    SchemaClient,
    make_screen,
    no_blink,
    settle,
    type_field,
)
from tui.api import Connection

SCHEMA = {
    "type": "object",
    "required": ["host"],
    "properties": {
        "host": {"type": "string", "title": "Host"},
        "port": {"type": "integer", "title": "Port", "default": 1883},
        "keepAlive": {"type": "integer", "title": "Keep alive (s)", "default": 60},
        "topic": {"type": "string", "title": "Topic"},
    },
}
STORED = {
    "id": "7",
    "name": "Seven",
    "connectorId": "demo",
    "configuration": {"host": "old.example.com", "topic": "up"},
}


def edit_app(sim_clock: Any, tmp_path: Path) -> tuple[FormHost, SchemaClient]:
    client = SchemaClient({"demo": SCHEMA})
    client.server = Connection.from_api(STORED)
    screen = make_screen(client, tmp_path, sim_clock, mode="edit", connection_id="7")
    return FormHost(screen), client


def changes_box(app: FormHost) -> Static:
    return app.form_screen.query_one("#review-changes", Static)


async def test_the_defaults_are_listed_apart_from_the_operators_change(sim_clock, tmp_path):
    """One field changed: the head counts one setting; the two defaults follow under
    "Also sent: 2 defaults …", dimmed; the PUT sends all three."""
    app, client = edit_app(sim_clock, tmp_path)
    screen = app.form_screen
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await type_field(pilot, screen, "host", "new.example.com")
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert screen.step == "review"
        assert screen.review.changes_text.splitlines() == [
            "What changes on the server (1 setting):",
            '~ configuration.host: "old.example.com" → "new.example.com"',
            "",
            "Also sent: 2 defaults from the connector's schema, missing from the server's "
            "configuration:",
            "+ configuration.port: 1883 (schema default)",
            "+ configuration.keepAlive: 60 (schema default)",
        ]
        shown = changes_box(app).render()
        quiet = [span for span in shown.spans if getattr(span.style, "dim", False)]
        assert [shown.plain[span.start : span.end] for span in quiet] == [
            "Also sent: 2 defaults from the connector's schema, missing from the server's "
            "configuration:\n+ configuration.port: 1883 (schema default)\n"
            "+ configuration.keepAlive: 60 (schema default)"
        ]
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
    (sent,) = client.sent
    assert sent["configuration"] == {
        "host": "new.example.com", "topic": "up", "port": 1883, "keepAlive": 60
    }


async def test_nothing_changed_but_defaults_says_so(sim_clock, tmp_path):
    """Untouched: not "What changes on the server (2 settings)" but that the operator
    changed nothing, and the defaults the PUT adds."""
    app, _client = edit_app(sim_clock, tmp_path)
    screen = app.form_screen
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        lines = screen.review.changes_text.splitlines()
    assert lines[0] == "You changed nothing; the PUT also sends what is below."
    assert lines[1].startswith("Also sent: 2 defaults") and len(lines) == 4


SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def review_of_an_edit(sim_clock, tmp_path) -> Callable[[], FormHost]:
    def build() -> FormHost:
        return edit_app(sim_clock, tmp_path)[0]

    return build


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_with_defaults(snap_compare, review_of_an_edit, size) -> None:
    """The review of an edit that changed the host: the status line "Ready.", Submit and
    Back, then the changes box: "What changes on the server (1 setting):" and the host's
    old → new, a blank line, then dimmed "Also sent: 2 defaults from the connector's
    schema, …" with port 1883 and keepAlive 60 marked "(schema default)"; the JSON below."""

    async def run_before(pilot) -> None:
        screen = pilot.app.form_screen
        await settle(pilot, screen)
        await type_field(pilot, screen, "host", "new.example.com")
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert screen.step == "review"
        no_blink(screen)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(review_of_an_edit(), terminal_size=size, run_before=run_before)
