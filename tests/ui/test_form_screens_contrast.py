"""What a person must be able to see on a plain 256-colour or NO_COLOR terminal: every
input drawn as a box, the required ``*``, and a delete dialog that neither shows the name
as if already typed nor ignores Enter on an empty box."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, Label, Static

from tests.support.form_screens import FormHost, SchemaClient, make_screen, settle
from tui.screens.confirm import DeleteConfirmScreen

SCHEMA = {
    "type": "object",
    "properties": {"host": {"type": "string", "title": "Host"}},
    "required": ["host"],
}


def marker_style(screen) -> str:
    label = next(lab for lab in screen.query(Label) if str(lab.render()).startswith("Host"))
    text = label.render()
    spans = [s for s in text._spans if text.plain[s.start : s.end] == " *"]  # rich Text
    assert spans, "the required marker"
    return str(spans[0].style)


@pytest.mark.parametrize("no_color", [False, True])
async def test_inputs_have_a_box_and_the_required_marker_shows(
    no_color, sim_clock, tmp_path, monkeypatch
):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    screen = make_screen(SchemaClient({"s": SCHEMA}), tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color is no_color
        await settle(pilot, screen)
        await screen._choose("s")
        await settle(pilot, screen)
        # red is the dark grey of the background once NO_COLOR greys every colour
        style = marker_style(screen)
        assert "bold" in style and ("red" in style) is not no_color
        inputs = list(screen.settings.query(Input))
        assert len(inputs) >= 2  # the name and the host
        for widget in inputs:
            if widget.compact:
                assert widget.styles.border_left[0] == "vkey", widget.id
                assert widget.styles.border_right[0] == "vkey", widget.id
        # drawn in characters: a plain capture shows the field
        lines = [
            "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
        ]
        host_line = next(line for line in lines if line.lstrip().startswith("Host"))
        assert "▏" in host_line and "▕" in host_line


class DeleteHost(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answer: object = "pending"

    def on_mount(self) -> None:
        def done(value: object) -> None:
            self.answer = value

        self.push_screen(DeleteConfirmScreen("Lyon AWS", "5"), done)


async def test_delete_dialog_shows_no_name_in_the_box_and_answers_an_empty_enter():
    app = DeleteHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        box = dialog.query_one("#typed-name", Input)
        assert box.placeholder == ""  # a dim name there read as if already typed
        hint = dialog.query_one("#delete-hint", Static)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and app.answer == "pending"
        assert str(hint.render()).startswith("Type the name to confirm.")
        await pilot.press(*"Lyon")
        assert not str(hint.render()).startswith("Type")  # typing clears the problem
        await pilot.press("enter")
        await pilot.pause()
        assert str(hint.render()).startswith("The name does not match.")
        assert app.answer == "pending"
        await pilot.press(*" AWS", "enter")
        await pilot.pause()
    assert app.answer is True


async def empty_enter(pilot) -> None:
    await pilot.pause()
    app = pilot.app
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_delete_dialog_after_an_empty_enter(snap_compare, size):
    """The delete dialog after Enter on the empty box: the title names “Lyon AWS” (id 5), the
    line above the box says to type its name, “Lyon AWS”; the box is empty (no dim name in
    it) and under it, in bold, "Type the name to confirm. Nothing was deleted · esc
    cancels"; Cancel and a disabled Delete at the bottom right.
    """
    assert snap_compare(DeleteHost(), terminal_size=size, run_before=empty_enter)
