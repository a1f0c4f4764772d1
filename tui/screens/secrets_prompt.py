"""Asks for the secrets a full PUT needs, because GET only ever returns them masked.

A certificate or key is typed, pasted or loaded from a file in the same
:class:`~tui.widgets.pem_input.PemInput` the connection form uses, so it arrives whole
(every line, LF breaks) and is checked to be PEM before anything is sent.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.secrets import is_pem_name, looks_like_pem
from tui.widgets.ordered_keys import OrderedInput
from tui.widgets.pem_input import PemInput

WHY = (
    "The API replaces the whole configuration on every change and returns secrets "
    "masked, so iotflow needs them again to send the configuration back."
)


def _input_id(index: int) -> str:
    return f"secret-{index}"


def is_pem_path(path: str) -> bool:
    """``configuration.tls.privateKey`` → True: edited as multi-line PEM."""
    return is_pem_name(path.rsplit(".", 1)[-1].split("[", 1)[0])


class SecretsPrompt(ModalScreen[dict[str, str] | None]):
    """One masked input per secret path; dismisses with {path: value} or None on cancel."""

    DEFAULT_CSS = """
    SecretsPrompt {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 76; max-width: 100%; height: auto; max-height: 100%;
            padding: 0 1; border: thick $warning; background: $surface;
        }
        & .dialog--title { text-style: bold; }
        & .dialog--why { color: $text-muted; margin-bottom: 1; }
        & VerticalScroll { height: auto; max-height: 1fr; }
        & Label.secret--path { margin-top: 1; }
        & Input { width: 1fr; }
        & PemInput TextArea { height: 4; }
        & Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
        & Button { margin-left: 2; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="secrets.cancel"),
        Binding("ctrl+s", "send", "Send", id="secrets.send"),
    ]

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
                    if is_pem_path(path):
                        yield Label(f"{path} (PEM: paste it, or a file path below)",
                                    classes="secret--path")  # fmt: skip
                        yield PemInput(
                            editor_id=_input_id(index), file_id=f"{_input_id(index)}-file"
                        )
                    else:
                        yield Label(path, classes="secret--path")
                        yield OrderedInput(
                            password=True,
                            id=_input_id(index),
                            placeholder="secret value",
                            classes="secret--value",
                            compact=True,
                        )
            with Horizontal():
                yield Button("Cancel, send nothing (esc)", id="cancel")
                yield Button("Send these secrets (ctrl+s)", id="send", variant="warning")

    def on_mount(self) -> None:
        self.query_one(f"#{_input_id(0)}").focus()

    def values(self) -> dict[str, str]:
        """What was typed, per path (a PEM value whole, with LF line breaks)."""
        out: dict[str, str] = {}
        for index, path in enumerate(self.paths):
            editor = self.query_one(f"#{_input_id(index)}")
            if is_pem_path(path):
                pem = next(a for a in editor.ancestors if isinstance(a, PemInput))
                out[path] = pem.text
            else:
                out[path] = editor.value if isinstance(editor, Input) else ""
        return out

    def problem(self, values: dict[str, str]) -> str | None:
        for path, value in values.items():
            if not value.strip():
                return f"Enter a value for {path}."
            if is_pem_path(path) and not looks_like_pem(value):
                return (
                    f"{path} is not PEM: it needs its -----BEGIN …----- "
                    "and -----END …----- lines."
                )
        return None

    def action_send(self) -> None:
        values = self.values()
        problem = self.problem(values)
        if problem:
            self.notify(problem, severity="warning")
            return
        self.dismiss(values)

    @on(Input.Submitted, ".secret--value")
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        fields = [self.query_one(f"#{_input_id(i)}") for i in range(len(self.paths))]
        position = fields.index(event.input)
        if position + 1 < len(fields):
            fields[position + 1].focus()
        else:
            self.action_send()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.action_send()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
