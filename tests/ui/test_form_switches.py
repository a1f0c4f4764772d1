"""A boolean reads as text, not only as colour: ``[x] on`` / ``[ ] off`` beside its label, in
the form's fields and on Active, with and without colour (NO_COLOR greys every colour, so
Textual's own Switch looked the same on and off)."""

from __future__ import annotations

import pytest

from tests.support.form_screens import FormHost, SchemaClient, control, make_screen, settle
from tests.ui.test_form_screens import pick_connector
from tui.widgets.form_fields.switch import OFF_TEXT, ON_TEXT, TextSwitch, switch_text

BOOLEANS = ("createDevices", "sendMetadata", "sendRawDecodedFormat", "downlinkEnabled")


def screen_lines(app) -> list[str]:
    """The screen as a plain capture shows it (no colour at all)."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def line_of(app, label: str) -> str:
    return next(line for line in screen_lines(app) if line.lstrip().startswith(label))


def test_the_two_states_differ_in_text():
    assert switch_text(True) == ON_TEXT and switch_text(False) == OFF_TEXT
    assert ON_TEXT != OFF_TEXT and "on" in ON_TEXT and "off" in OFF_TEXT


@pytest.mark.parametrize("no_color", [False, True])
async def test_switches_say_on_or_off_and_follow_the_keys(
    no_color, sim_client, sim_clock, tmp_path, monkeypatch
):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color is no_color
        await pick_connector(pilot, screen, "actility-aws-iot")
        tree = screen.form_tree
        for path in BOOLEANS:
            switch = control(screen, path)
            assert isinstance(switch, TextSwitch)
            assert str(switch.render()) == switch_text(bool(tree.find(path).value)), path
        # Active starts on, and says so in the characters on the screen
        assert ON_TEXT in line_of(app, "Active")
        screen.set_focus(screen.query_one("#conn-active"))
        await pilot.press("space")
        await pilot.pause()
        assert screen.common.is_active is False
        assert OFF_TEXT in line_of(app, "Active")
        # a form field, scrolled to: off by its schema's default, space and enter toggle it
        node = tree.find("sendMetadata")
        assert node.value is False
        screen.set_focus(control(screen, "sendMetadata"))
        await pilot.pause()
        assert OFF_TEXT in line_of(app, "Send metadata")
        await pilot.press("space")
        await pilot.pause()
        assert node.value is True
        assert ON_TEXT in line_of(app, "Send metadata")
        await pilot.press("enter")
        await pilot.pause()
        assert node.value is False
        assert OFF_TEXT in line_of(app, "Send metadata")
        assert screen.dirty


async def test_a_switch_set_by_a_resumed_value_shows_that_value(sim_clock, tmp_path):
    """Values put in by the program (an edit, a draft) show as text too, not only those
    toggled by a key."""
    schema = {
        "type": "object",
        "properties": {"debug": {"type": "boolean", "title": "Debug", "default": False}},
    }
    screen = make_screen(SchemaClient({"b": schema}), tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await screen._choose("b")
        await settle(pilot, screen)
        screen.common.set_values("x", False)
        control(screen, "debug").value = True
        await pilot.pause()
        assert OFF_TEXT in line_of(app, "Active")
        assert ON_TEXT in line_of(app, "Debug")
        assert screen.form_tree.find("debug").value is True
