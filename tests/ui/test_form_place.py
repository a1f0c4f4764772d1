"""The form keeps the operator's place (issue 15): adding or duplicating an alarm, loading
a file at the bottom of a long form, or picking a variant there puts the cursor on the new
thing and keeps it on screen; the view never jumps back to the top."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tests.support.form_screens import (
    PEM_CERT,
    FormHost,
    SchemaClient,
    control,
    make_screen,
    settle,
)

FILLER = {f"f{i}": {"type": "string", "title": f"Field {i}"} for i in range(14)}
LONG_PEM = {
    "type": "object",
    "properties": {**FILLER, "caCertificate": {"type": "string", "title": "CA certificate"}},
}
LONG_CHOICE = {
    "type": "object",
    "properties": {
        **FILLER,
        "auth": {
            "oneOf": [
                {"title": "Key", "type": "object", "properties": {"key": {"type": "string"}}},
                {"title": "User", "type": "object", "properties": {"user": {"type": "string"}}},
            ]
        },
    },
}


class Clock:
    def now(self):
        from tests.support.clock import T0

        return T0


async def open_form(pilot, screen, connector: str) -> None:
    await settle(pilot, screen)
    await screen._choose(connector)
    await settle(pilot, screen)
    screen.query_one("#conn-name", Input).focus()
    await pilot.press(*"Kept")


def shown_in(view, widget) -> bool:
    """The widget's first row is inside the scrolling view's region."""
    return view.region.y <= widget.region.y < view.region.bottom


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_adding_an_alarm_shows_and_focuses_the_new_card(tmp_path, size) -> None:
    client = SchemaClient({"c": {"type": "object", "properties": {"a": {"type": "string"}}}})
    screen = make_screen(client, tmp_path, Clock())
    async with FormHost(screen).run_test(size=size) as pilot:
        await open_form(pilot, screen, "c")
        await pilot.press("pagedown")
        await settle(pilot, screen)
        assert screen.step == "alarms"
        editor = screen.alarms.editor
        for count in range(1, 5):
            await pilot.press("ctrl+n")
            await settle(pilot, screen)
            card = editor.cards[-1]
            assert len(editor.cards) == count and card.border_title == f"Alarm {count}"
            assert screen.focused is card.query_one("#f-date")
            assert shown_in(editor, card) and shown_in(editor, screen.focused)
        if size == (80, 24):  # four cards do not fit: the view followed the new ones
            assert editor.scroll_y > 0 and card.region.y == editor.region.y
        await pilot.press("ctrl+u", *"2026-04-01")
        assert editor.cards[-1].alarm_json()["startTime"].startswith("2026-04-01")
        # duplicating the first alarm: the copy comes right after it, focused and shown
        editor.cards[0].query_one("#f-date").focus()
        await pilot.press("ctrl+t")
        await settle(pilot, screen)
        copy = editor.cards[1]
        assert copy.border_title == "Alarm 2" and len(editor.cards) == 5
        assert screen.focused is copy.query_one("#f-date")
        assert shown_in(editor, copy)


async def test_loading_a_file_at_the_bottom_of_a_long_form_keeps_the_place(tmp_path: Path):
    client = SchemaClient({"pem": LONG_PEM})
    screen = make_screen(client, tmp_path, Clock())
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "pem")
        file = tmp_path / "ca.pem"
        file.write_text(PEM_CERT)
        path_input = control(screen, "caCertificate", "-file")
        path_input.focus()
        await pilot.press(*str(file), "enter")
        await settle(pilot, screen)
        area = control(screen, "caCertificate")
        assert isinstance(area, TextArea) and screen.focused is area
        assert "BEGIN CERTIFICATE" in area.text
        assert screen.settings.scroll_y > 0 and shown_in(screen.settings, area)


async def test_a_variant_picked_at_the_bottom_of_a_long_form_keeps_the_place(tmp_path):
    client = SchemaClient({"choice": LONG_CHOICE})
    screen = make_screen(client, tmp_path, Clock())
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "choice")
        control(screen, "auth").focus()
        # "(not set)" (the optional choice starts there), Key, User
        await pilot.press("enter", "down", "down", "enter", "tab", *"ops")
        await settle(pilot, screen)
        assert screen.form_tree.find("auth.user").text == "ops"
        assert screen.focused is control(screen, "auth.user")
        assert screen.settings.scroll_y > 0 and shown_in(screen.settings, screen.focused)
