"""Shared helpers for the connection form Pilot tests (not a test module)."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input, TextArea

from tests.support.waiting import settled
from tui.api import Connection, Connector
from tui.drafts import DraftStore
from tui.screens.connection_form import ConnectionFormScreen

PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2VydA==\n-----END CERTIFICATE-----\n"
PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQ==\n-----END PRIVATE KEY-----\n"


class FormHost(App[None]):
    """A bare app that shows one ConnectionFormScreen and records how it was dismissed."""

    CSS = "Screen { background: $background; }"

    def __init__(self, screen: ConnectionFormScreen) -> None:
        super().__init__()
        self.form_screen = screen
        self.result: Any = "pending"

    def on_mount(self) -> None:
        def done(result: Any) -> None:
            self.result = result

        self.push_screen(self.form_screen, done)


def make_screen(client: Any, tmp_path: Path, clock: Any, **kw: Any) -> ConnectionFormScreen:
    return ConnectionFormScreen(
        client,
        now=clock.now,
        local_tz=UTC,
        drafts=kw.pop("drafts", None) or DraftStore(tmp_path / "drafts"),
        **kw,
    )


async def settle(pilot: Any, screen: ConnectionFormScreen) -> None:
    """Wait until the screen's workers (loading, sending) are done and every message they
    and the keys pressed caused has been handled: no wall-clock wait."""
    await pilot.pause()
    await screen.workers.wait_for_complete()
    await pilot.app.workers.wait_for_complete()
    await settled(pilot)  # a chain of messages takes a pause per hop


async def submit(pilot: Any, screen: ConnectionFormScreen, key: str = "ctrl+g") -> None:
    """Send the form as a person does and wait for the answer to be handled: ctrl+g from
    any step shows the review (or the first problem: then nothing is sent and this stops
    there); on the review, ``key`` (ctrl+g, or enter on Submit) sends."""
    if screen.step != "review":
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        if screen.step != "review":
            return
        assert screen.focused is screen.query_one("#submit"), "the review waits on Submit"
    await pilot.press(key)
    await settle(pilot, screen)


def no_blink(screen: ConnectionFormScreen) -> None:
    for widget in screen.query(Input):
        widget.cursor_blink = False
    for widget in screen.query(TextArea):
        widget.cursor_blink = False


def control(screen: ConnectionFormScreen, path: str, suffix: str = "") -> Any:
    node = screen.form_tree.find(path)
    assert node is not None, path
    return screen.query_one(f"#f-{node.uid}{suffix}")


async def type_field(
    pilot: Any, screen: ConnectionFormScreen, path: str, text: str, *, paste: bool = True
) -> None:
    """Focus a field's input, clear it, enter ``text`` and leave it with tab.

    The text arrives as a terminal paste (bracketed paste, as over SSH) unless ``paste`` is
    False, when every character is a key press (slower).
    """
    widget = control(screen, path)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    if paste and len(text) > 1:
        widget.post_message(events.Paste(text))
        await pilot.pause()
    else:
        await pilot.press(*text)
    await pilot.press("tab")
    await pilot.pause()


async def type_name(pilot: Any, screen: ConnectionFormScreen, text: str) -> None:
    widget = screen.query_one("#conn-name", Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text, "tab")
    await pilot.pause()


async def load_file(pilot: Any, screen: ConnectionFormScreen, path: str, file: Path) -> None:
    """Type a file path into a PEM field's "load from file" input and press enter."""
    widget = control(screen, path, "-file")
    widget.focus()
    await pilot.pause()
    await pilot.press(*str(file), "enter")
    await settle(pilot, screen)


class SchemaClient:
    """A client offering connectors made from schemas given in the test (no HTTP), that
    records what is sent. ``gate``, when set, holds the connector list back until the test
    releases it (to type before it arrives); ``fail`` is raised by create/update."""

    def __init__(self, schemas: dict[str, dict[str, Any]], *, gate: Any = None) -> None:
        self.connectors = [
            Connector(id=cid, version="1.0.0", description=f"{cid} (test)", configuration_schema=s)
            for cid, s in schemas.items()
        ]
        self.gate = gate
        self.sent: list[dict[str, Any]] = []
        self.fail: BaseException | None = None
        self.server: Any = None
        """The connection an edit reads (a tui.api.Connection)."""

    async def list_connectors(self) -> list[Any]:
        if self.gate is not None:
            await self.gate.wait()
        return list(self.connectors)

    async def get_connector(self, connector_id: str) -> Any:
        return next(c for c in self.connectors if c.id == connector_id)

    async def get_connection(self, ident: str) -> Any:
        return self.server

    async def _answer(self, payload: dict[str, Any]) -> Any:
        self.sent.append(payload)
        if self.fail is not None:
            raise self.fail
        return Connection.from_api({"id": "new-1", **payload})

    async def create_connection(self, payload: dict[str, Any]) -> Any:
        return await self._answer(payload)

    async def update_connection(self, ident: str, payload: dict[str, Any]) -> Any:
        return await self._answer(payload)
