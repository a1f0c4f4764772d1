"""Pilot tests of the form's widgets on schemas written for the test (no simulator): shapes
our catalogue lacks, unexpected failures, typing before the list loads, and keeping the
operator's place (issues 10 and 15)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input, Select, TextArea

from tests.support.form_screens import (
    PEM_KEY,
    FormHost,
    SchemaClient,
    control,
    make_screen,
    settle,
    submit,
    type_field,
    type_name,
)
from tui.forms import submission
from tui.screens.form_leave import LeaveFormScreen
from tui.widgets.form_fields import TextField
from tui.widgets.pem_input import MaskedText

JACKSON = {
    "type": "object",
    "properties": {
        "enabled": {"type": "boolean"},
        "mode": {"type": "string", "enum": ["a", "b"]},
        "host": {"type": "string"},
    },
}


async def open_form(pilot, screen, connector_id: str) -> None:
    await settle(pilot, screen)
    await screen._choose(connector_id)
    await settle(pilot, screen)
    assert screen.step == "settings"


async def test_optional_boolean_and_enum_without_default_open_unset(sim_clock, tmp_path):
    """A Jackson-style schema (optional boolean and enum, no default) opens: both Selects
    show "(not set)" and nothing untouched is sent (Select.BLANK crashed Textual 8)."""
    client = SchemaClient({"jackson": JACKSON})
    screen = make_screen(client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "jackson")
        for path in ("enabled", "mode"):
            select = control(screen, path)
            assert isinstance(select, Select) and select.value is Select.NULL
        await type_name(pilot, screen, "J")
        await type_field(pilot, screen, "host", "h")
        await submit(pilot, screen)
    assert client.sent[0]["configuration"] == {"host": "h"}


async def test_an_unexpected_error_while_sending_leaves_the_form_usable(sim_clock, tmp_path):
    """Not an API error: the form is not stuck on "Sending…", esc works, and a retry sends."""
    client = SchemaClient({"jackson": JACKSON})
    client.fail = RuntimeError("boom")
    screen = make_screen(client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "jackson")
        await type_name(pilot, screen, "J")
        await submit(pilot, screen)
        assert len(client.sent) == 1 and not screen.sending
        assert "unexpectedly" in str(screen.review.status.render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        client.fail = None
        await submit(pilot, screen)
    assert len(client.sent) == 2 and app.result == "new-1"


async def test_a_filter_typed_before_the_list_arrives_is_applied(sim_clock, tmp_path):
    """Typing "zeta" and pressing enter while loading picks nothing; once the list
    arrives it is filtered, and enter opens the connector the filter matches."""
    gate = asyncio.Event()
    client = SchemaClient({"alpha": JACKSON, "zeta": JACKSON}, gate=gate)
    screen = make_screen(client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"zeta", "enter")
        assert screen.step == "connector" and screen.connector is None
        gate.set()
        await settle(pilot, screen)
        olist = screen.query_one("#connector-list")
        assert olist.option_count == 1 and olist.get_option_at_index(0).id == "zeta"
        await pilot.press("enter")
        await settle(pilot, screen)
        assert screen.connector.id == "zeta"


LONG = {
    "type": "object",
    "properties": {
        **{f"f{i}": {"type": "string"} for i in range(14)},
        "tags": {"type": "array", "items": {"type": "string"}},
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            },
        },
    },
}


def in_view(screen, widget) -> bool:
    view = screen.settings.region
    return view.contains_region(widget.region) or (
        widget.region.y >= view.y and widget.region.bottom <= view.bottom
    )


async def test_adding_and_moving_entries_keeps_the_operators_place(sim_clock, tmp_path):
    """Add at the bottom of a long form: the view does not jump to the top, the new item
    has the focus and is on screen; moving it keeps the focus on the moved item."""
    screen = make_screen(SchemaClient({"long": LONG}), tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "long")
        for _ in range(2):
            control(screen, "rules", "-add").focus()
            await pilot.press("enter")
            await pilot.pause()
        second = screen.form_tree.find("rules").items[1]
        assert screen.focused is control(screen, "rules[1].a")
        assert screen.settings.scroll_y > 0 and in_view(screen, screen.focused)
        await pilot.press(*"typed")
        assert second.fields["a"].text == "typed"
        screen.query_one(f"#b-{second.uid}-up").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.form_tree.find("rules").items[0] is second
        assert screen.focused.id == f"b-{second.uid}-down"  # "up" is disabled at the top
        assert screen.settings.scroll_y > 0 and in_view(screen, screen.focused)
        control(screen, "tags", "-add").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is control(screen, "tags[0]")


CHOICE = {
    "type": "object",
    "properties": {
        "auth": {
            "oneOf": [
                {"title": "Key", "type": "object", "properties": {"key": {"type": "string"}}},
                {"title": "User", "type": "object", "properties": {"user": {"type": "string"}}},
            ]
        }
    },
}


async def test_text_typed_right_after_picking_a_variant_is_kept(sim_clock, tmp_path):
    screen = make_screen(SchemaClient({"choice": CHOICE}), tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "choice")
        control(screen, "auth").focus()
        # "(not set)" (the optional choice starts there), Key, User
        await pilot.press("enter", "down", "down", "enter", "tab", *"ops")
        auth = screen.form_tree.find("auth")
        assert auth.selected == 2
        assert screen.form_tree.find("auth.user").text == "ops"
        assert isinstance(screen.focused, Input) and screen.focused.value == "ops"


async def test_the_toast_after_a_refusal_does_not_cover_the_first_error(sim_clock, tmp_path):
    """The server refuses the last field of a long form: the field and its ✗ line are on
    screen, above the toast that says why."""
    from tui.api import ValidationFailed

    client = SchemaClient({"long": LONG})
    client.fail = ValidationFailed("configuration.f13: 'x' is not allowed here")
    screen = make_screen(client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_form(pilot, screen, "long")
        await type_name(pilot, screen, "L")
        await type_field(pilot, screen, "f13", "x")
        await submit(pilot, screen)
        await pilot.pause()
        node = screen.form_tree.find("f13")
        error = screen.query_one(f"#e-{node.uid}")
        assert "not allowed" in str(error.render()) and screen.focused is control(screen, "f13")
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert toasts, "the refusal is also said in a toast"
        box = screen.form.box_of(node)
        assert in_view(screen, box)
        for toast in toasts:
            assert not toast.region.overlaps(box.region)


async def test_the_edit_form_hides_create_only_hints(sim_clock, tmp_path):
    from tui.api import Connection

    client = SchemaClient({"jackson": JACKSON})
    client.server = Connection.from_api(
        {"id": "7", "name": "Seven", "connectorId": "jackson", "configuration": {"host": "h"}}
    )
    screen = make_screen(client, tmp_path, sim_clock, mode="edit", connection_id="7")
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        hints = [str(w.render()) for w in screen.query(".field--help")]
        assert not any("creates it" in h for h in hints)
        assert screen.query_one("#conn-name", Input).value == "Seven"


PEM_SCHEMA = {
    "type": "object",
    "properties": {"privateKey": {"type": "string"}, "caCertificate": {"type": "string"}},
}


async def test_pasted_pem_with_cr_breaks_is_stored_whole(sim_clock, tmp_path: Path):
    """A terminal paste sends CR: the key is stored with LF breaks, all its lines, and the
    masked box says how many; loading a file puts the cursor on the loaded value."""
    client = SchemaClient({"pem": PEM_SCHEMA})
    screen = make_screen(client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "pem")
        masked = control(screen, "privateKey")
        assert isinstance(masked, MaskedText)
        masked.focus()
        await pilot.pause()
        from textual import events

        masked.post_message(events.Paste(PEM_KEY.replace("\n", "\r")))
        await pilot.pause()
        assert screen.form_tree.find("privateKey").text == PEM_KEY
        assert "3 lines" in str(masked.render()) and "PEM ✓" in str(masked.render())
        file = tmp_path / "ca.pem"
        file.write_text(PEM_KEY.replace("PRIVATE KEY", "CERTIFICATE"))
        path_input = control(screen, "caCertificate", "-file")
        path_input.focus()
        await pilot.press(*str(file), "enter")
        await pilot.pause()
        area = control(screen, "caCertificate")
        assert isinstance(area, TextArea) and screen.focused is area
        assert "BEGIN CERTIFICATE" in area.text


def test_text_field_is_the_widget_of_a_string():
    """The factory picks one widget per kind (a string is a TextField)."""
    from tui.forms import build_form
    from tui.widgets.form_fields import SchemaForm

    form = SchemaForm(build_form(JACKSON))
    [widget] = list(form.build(form.form_tree.find("host")))
    assert isinstance(widget, TextField)
    assert submission.place_of(form.form_tree, "host") == "Host"


async def test_a_schema_with_thousands_of_fields_is_one_json_editor(sim_clock, tmp_path):
    """Too many fields for a terminal form: one JSON editor, a sentence saying why, and
    what is typed there is checked against the schema and sent."""
    from tui.forms.size import LARGE_FORM_FIELDS
    from tui.widgets.form_fields import JsonEditor

    count = LARGE_FORM_FIELDS + 100
    schema = {
        "type": "object",
        "required": ["s1"],
        "properties": {f"s{i}": {"type": "integer", "maximum": 9} for i in range(count)},
    }
    client = SchemaClient({"big": schema})
    screen = make_screen(client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen, "big")
        [editor] = list(screen.form.query(JsonEditor))
        hints = " ".join(str(w.render()) for w in editor.query(".field--help"))
        assert f"{count:,} settings" in hints and "JSON" in hints
        await type_name(pilot, screen, "Big")
        area = editor.query_one(TextArea)
        area.load_text('{"s1": 10}')
        await pilot.pause()
        await submit(pilot, screen)
        assert client.sent == [] and screen.step == "settings"
        assert "9" in (screen.form_tree.root.error or "")
        area.load_text('{"s1": 3, "s7": 4}')
        await pilot.pause()
        await submit(pilot, screen)
    assert client.sent[0]["configuration"] == {"s1": 3, "s7": 4}
