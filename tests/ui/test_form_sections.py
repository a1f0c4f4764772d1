"""A large form (400 settings) through the connection form screen: only the open section
is mounted, opening a section mounts it, closing one keeps its values, problems in a
closed section show in its title and the cursor goes there, and everything is sent."""

from __future__ import annotations

from textual.widgets import Collapsible, Input

from tests.support.form_screens import (
    FormHost,
    SchemaClient,
    control,
    make_screen,
    no_blink,
    settle,
    submit,
)
from tui.widgets.form_fields import FieldBox, FormSection


class Clock:
    def now(self):
        from tests.support.clock import T0

        return T0


def schema(count: int = 400, required: tuple[str, ...] = ()) -> dict:
    props = {}
    for i in range(count):
        if i % 3 == 0:
            props[f"s{i}"] = {"type": "string", "title": f"Setting {i}", "maxLength": 8}
        elif i % 3 == 1:
            props[f"s{i}"] = {"type": "integer", "title": f"Setting {i}", "maximum": 9}
        else:
            props[f"s{i}"] = {"type": "boolean", "title": f"Setting {i}", "default": False}
    return {"type": "object", "properties": props, "required": list(required)}


async def open_form(pilot, screen) -> None:
    await settle(pilot, screen)
    await screen._choose("big")
    await settle(pilot, screen)
    assert screen.step == "settings"


def mounted_fields(screen) -> set[str]:
    return {box.node.path for box in screen.form.query(FieldBox)} - {"*"}  # other settings


async def test_only_the_first_section_is_mounted_and_others_mount_when_opened(tmp_path):
    screen = make_screen(SchemaClient({"big": schema()}), tmp_path, Clock())
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        sections = list(screen.form.query(FormSection))
        assert len(sections) == 10
        assert [s.collapsed for s in sections] == [False] + [True] * 9
        assert mounted_fields(screen) == {f"s{i}" for i in range(40)}
        # the keyboard way: tab to the section's title, enter opens it
        sections[2].query_one("CollapsibleTitle").focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        assert not sections[2].collapsed
        assert {f"s{i}" for i in range(80, 120)} <= mounted_fields(screen)
        await pilot.press("tab")
        assert screen.focused is control(screen, "s80")  # a switch
        await pilot.press("tab", *"abc")
        assert screen.form_tree.find("s81").text == "abc"
        # closing removes its widgets; the value stays in the form and comes back
        sections[2].collapsed = True
        await settle(pilot, screen)
        assert not ({f"s{i}" for i in range(80, 120)} & mounted_fields(screen))
        assert screen.form_tree.find("s81").text == "abc"
        sections[2].collapsed = False
        await settle(pilot, screen)
        assert control(screen, "s81").value == "abc"


async def test_a_click_on_a_section_title_opens_it(tmp_path):
    screen = make_screen(SchemaClient({"big": schema()}), tmp_path, Clock())
    async with FormHost(screen).run_test(size=(160, 50)) as pilot:
        await open_form(pilot, screen)
        last = list(screen.form.query(FormSection))[-1]
        # a name, so that leaving its field (the click's focus) adds no error line above
        await pilot.press(*"Big")
        screen.settings.scroll_end(animate=False)
        await settle(pilot, screen)
        await pilot.pause()
        await pilot.click(last.query_one("CollapsibleTitle"))
        await settle(pilot, screen)
        assert not last.collapsed and "s399" in mounted_fields(screen)


async def test_a_problem_in_a_closed_section_is_named_and_the_cursor_goes_there(tmp_path):
    client = SchemaClient({"big": schema(required=("s301",))})
    screen = make_screen(client, tmp_path, Clock())
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        name = screen.query_one("#conn-name", Input)
        name.focus()
        await pilot.press(*"Big")
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert client.sent == [] and screen.step == "settings"
        section = screen.form.section_of(screen.form_tree.find("s301"))
        assert section is not None and section.section.index == 7
        assert not section.collapsed  # opened to show the field
        assert screen.focused is control(screen, "s301")
        await pilot.press("7")
        await pilot.press("tab")
        await settle(pilot, screen)
        section.collapsed = True
        await settle(pilot, screen)
        # a problem left in a closed section shows in its title
        screen.form_tree.find("s304").set_text("12")
        screen.form.refresh_errors()
        await pilot.pause()
        assert "✗ 1 problem" in str(section.title)
        await pilot.press("ctrl+f")
        await settle(pilot, screen)
        assert not section.collapsed and screen.focused is control(screen, "s304")
        await pilot.press("backspace", "backspace", "3")
        await submit(pilot, screen)
    assert client.sent[0]["configuration"]["s301"] == 7
    assert client.sent[0]["configuration"]["s304"] == 3


async def test_everything_typed_across_sections_is_sent(tmp_path):
    client = SchemaClient({"big": schema()})
    screen = make_screen(client, tmp_path, Clock())
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        screen.query_one("#conn-name", Input).focus()
        await pilot.press(*"Big")
        for path, text in (("s0", "first"), ("s198", "mid"), ("s396", "last")):
            assert screen.form.focus_node(screen.form_tree.find(path))
            await settle(pilot, screen)
            await pilot.press(*text)
        assert sum(1 for s in screen.form.query(Collapsible) if not s.collapsed) == 3
        for key in ("pagedown", "pagedown", "ctrl+g"):
            await pilot.press(key)
            await settle(pilot, screen)
    configuration = client.sent[0]["configuration"]
    assert configuration["s0"] == "first" and configuration["s198"] == "mid"
    assert configuration["s396"] == "last"
    # defaults of sections never opened are sent too (what the form holds is what is sent)
    assert configuration["s302"] is False and "s301" not in configuration


def snapshot_run(*keys: str):
    async def run_before(pilot) -> None:
        screen = pilot.app.form_screen
        await open_form(pilot, screen)
        await pilot.press(*"Big")
        for key in keys:
            await pilot.press(key)
            await settle(pilot, screen)
        no_blink(screen)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_snapshot_large_form_sections_small(snap_compare, tmp_path):
    """A 400-setting form at 80x24: Name ("Big") and Active at the top, then the first
    section open ("▼ Setting 0 … Setting 39 (40 settings)") with its fields under it; the
    other sections are further down, closed."""
    app = FormHost(make_screen(SchemaClient({"big": schema()}), tmp_path, Clock()))
    assert snap_compare(app, terminal_size=(80, 24), run_before=snapshot_run())


def test_snapshot_large_form_problem_in_closed_section_large(snap_compare, tmp_path):
    """160x50, after ctrl+g on a 400-setting form whose Setting 301 is required: the
    section holding it (Setting 280 … Setting 319) was opened by the check and scrolled so
    that Setting 301, with the cursor and its red "✗ is required" line, is the top row,
    clear of the toasts at the bottom; under the section's last setting, the next
    sections are closed ("▶ Setting 320 … Setting 359 (40 settings)", "▶ Setting 360 …"),
    then "Other settings (JSON)"."""
    client = SchemaClient({"big": schema(required=("s301",))})
    app = FormHost(make_screen(client, tmp_path, Clock()))
    assert snap_compare(app, terminal_size=(160, 50), run_before=snapshot_run("ctrl+g"))
