"""Asks for the secrets a full PUT needs, because GET only ever returns them masked."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

WHY = (
    "The API replaces the whole configuration on every change and returns secrets "
    "masked, so iotflow needs them again to send the configuration back."
)


def _input_id(index: int) -> str:
    return f"secret-{index}"


class SecretsPrompt(ModalScreen[dict[str, str] | None]):
    """One masked input per secret path; dismisses with {path: value} or None on cancel."""

    DEFAULT_CSS = """
    SecretsPrompt {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 72; max-width: 100%; height: auto; max-height: 100%;
            padding: 1 2; border: thick $warning; background: $surface;
        }
        & .dialog--title { text-style: bold; margin-bottom: 1; }
        & .dialog--why { color: $text-muted; margin-bottom: 1; }
        & VerticalScroll { height: auto; max-height: 12; }
        & Label.secret--path { margin-top: 1; }
        & Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
        & Button { margin-left: 2; }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="secrets.cancel")]

    def __init__(self, title: str, paths: list[str]):
        super().__init__()
        self.title_text = title
        self.paths = paths

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog--title")
            yield Static(WHY, classes="dialog--why")
            with VerticalScroll():
                for index, path in enumerate(self.paths):
                    yield Label(path, classes="secret--path")
                    yield Input(password=True, id=_input_id(index), placeholder="secret value")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Send", id="send", variant="warning")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {
            path: self.query_one(f"#{_input_id(index)}", Input).value
            for index, path in enumerate(self.paths)
        }

    def _submit(self) -> None:
        values = self.values()
        missing = [path for path, value in values.items() if not value]
        if missing:
            self.notify(f"Enter a value for {missing[0]}.", severity="warning")
            return
        self.dismiss(values)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            inputs[position + 1].focus()
        else:
            self._submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
