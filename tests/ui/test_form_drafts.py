"""What is typed into the connection form is in its draft, in memory and on disk, as soon as
the keystroke is handled: no timer to wait for, so an exception, an exit or a suspend
right after typing loses nothing. Secrets never reach the draft."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.support.form_screens import FormHost, SchemaClient, control, make_screen, settle
from tui.drafts import DraftStore
from tui.unexpected import GuardedNode, UnexpectedErrors

SCHEMA = {
    "type": "object",
    "properties": {
        "region": {"type": "string", "title": "Region"},
        "password": {"type": "string", "title": "Password"},
    },
    "required": ["region"],
}
KEY = "create-demo"


class Clock:
    def now(self):
        from tests.support.clock import T0

        return T0


class GuardedHost(UnexpectedErrors, GuardedNode, FormHost):
    """The form in an app with the project's one handler of unexpected errors."""

    def __init__(self, screen, log_dir) -> None:
        super().__init__(screen)
        self.setup_error_log(log_dir)


def on_disk(drafts: DraftStore) -> str:
    path = drafts.path(KEY)
    return path.read_text() if path.exists() else ""


async def open_form(pilot, screen) -> None:
    await settle(pilot, screen)
    await screen._choose("demo")
    await settle(pilot, screen)
    assert screen.step == "settings"


async def type_keys(pilot, screen, path: str, text: str) -> None:
    """Focus a field and press each key; nothing else is awaited."""
    control(screen, path).focus()
    await pilot.pause()
    await pilot.press(*text)


def region_of(drafts: DraftStore) -> str | None:
    draft = drafts.load(KEY)
    assert draft is not None
    return draft.data["form"]["root"]["fields"]["region"]["text"]


@pytest.fixture
def drafts(tmp_path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


async def test_every_key_is_in_the_draft_on_disk_when_it_is_handled(tmp_path, drafts) -> None:
    screen = make_screen(SchemaClient({"demo": SCHEMA}), tmp_path, Clock(), drafts=drafts)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        assert drafts.load(KEY) is None  # nothing typed yet: no draft
        control(screen, "region").focus()
        await pilot.pause()
        typed = ""
        for char in "eu-west-1":
            await pilot.press(char)
            typed += char
            assert screen.draft.data["form"]["root"]["fields"]["region"]["text"] == typed
            assert region_of(drafts) == typed
        await type_keys(pilot, screen, "password", "hunter2secret")
        assert "hunter2secret" not in on_disk(drafts)
        assert "hunter2secret" not in repr(screen.draft.data)
        assert region_of(drafts) == "eu-west-1"


async def test_typed_text_survives_a_crash_in_the_next_handler(tmp_path, drafts, monkeypatch):
    """A plain Textual app exits on the first exception a handler raises: what was typed
    one key before is on disk all the same."""
    screen = make_screen(SchemaClient({"demo": SCHEMA}), tmp_path, Clock(), drafts=drafts)
    app = FormHost(screen)

    def broken() -> None:
        raise RuntimeError("a bug in a key handler")

    with pytest.raises(RuntimeError, match="a bug in a key handler"):
        async with app.run_test(size=(80, 24)) as pilot:
            await open_form(pilot, screen)
            await type_keys(pilot, screen, "region", "ap-south-1")
            monkeypatch.setattr(screen, "action_first_error", broken)
            await pilot.press("ctrl+f")
            await pilot.pause()
    assert region_of(drafts) == "ap-south-1"


@pytest.mark.unexpected_errors
async def test_an_unexpected_error_writes_the_draft_and_the_form_goes_on(
    tmp_path, drafts, monkeypatch
) -> None:
    screen = make_screen(SchemaClient({"demo": SCHEMA}), tmp_path, Clock(), drafts=drafts)
    app = GuardedHost(screen, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        await type_keys(pilot, screen, "region", "us-east")
        # a write that is still pending when the error comes is written by the recovery
        screen.draft.keep(KEY, {**screen.draft_data(), "name": "held"}, now=Clock().now())

        def broken() -> None:
            raise RuntimeError("a bug in a key handler")

        monkeypatch.setattr(screen, "action_first_error", broken)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.is_running and app.unexpected_errors
        draft = drafts.load(KEY)
        assert draft is not None and region_of(drafts) == "us-east"
        await pilot.press("1")  # still typing into the same field
        assert control(screen, "region").value == "us-east1"
        assert region_of(drafts) == "us-east1"


async def test_exit_right_after_typing_keeps_the_text(tmp_path, drafts) -> None:
    screen = make_screen(SchemaClient({"demo": SCHEMA}), tmp_path, Clock(), drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        await type_keys(pilot, screen, "region", "sa-east")
        # a write still pending at exit (held, not flushed) is written as the form closes
        screen.draft.keep(KEY, {**screen.draft_data(), "name": "at exit"}, now=Clock().now())
        app.exit()
    draft = drafts.load(KEY)
    assert draft is not None and draft.data["name"] == "at exit"
    assert region_of(drafts) == "sa-east"


async def test_suspending_writes_a_pending_draft(tmp_path, drafts) -> None:
    screen = make_screen(SchemaClient({"demo": SCHEMA}), tmp_path, Clock(), drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        await type_keys(pilot, screen, "region", "eu")
        screen.draft.keep(KEY, {**screen.draft_data(), "name": "suspended"}, now=Clock().now())
        assert drafts.load(KEY).data["name"] == ""
        app.app_suspend_signal.publish(app)  # what ctrl+z does before the process stops
        draft = drafts.load(KEY)
        assert draft is not None and draft.data["name"] == "suspended"


async def test_a_sent_form_leaves_no_draft_behind(tmp_path, drafts) -> None:
    client = SchemaClient({"demo": SCHEMA})
    screen = make_screen(client, tmp_path, Clock(), drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, screen)
        name = screen.query_one("#conn-name", Input)
        name.focus()
        await pilot.press(*"Sent")
        await type_keys(pilot, screen, "region", "eu")
        assert drafts.load(KEY) is not None
        await pilot.press("ctrl+g")  # the review first
        await settle(pilot, screen)
        assert screen.step == "review" and not client.sent
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
    assert client.sent and client.sent[0]["configuration"] == {"region": "eu"}
    assert app.result == "new-1"
    assert drafts.load(KEY) is None  # not brought back by the form closing
