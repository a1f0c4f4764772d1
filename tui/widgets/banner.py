"""The banner that says, in plain words, that the API failed and when the next try is."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ..terminal_text import terminal_safe


class ErrorBanner(Widget):
    """Hidden while polls succeed; one or two lines when the last poll failed."""

    DEFAULT_CSS = """
    ErrorBanner {
        display: none;
        height: auto;
        max-height: 3;
        background: $error 30%;
        color: $foreground;
        padding: 0 1;
        border-left: thick $error;
        &.-shown { display: block; }
    }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.message = ""
        self.detail = ""

    def show(self, message: str, detail: str) -> None:
        self.message, self.detail = message, detail
        self.add_class("-shown")
        self.refresh(layout=True)

    def hide(self) -> None:
        self.message = self.detail = ""
        self.remove_class("-shown")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def render(self) -> Text:
        text = Text()
        text.append("✖ ", "bold")
        # Messages quote the server (and the config file): inert before they are drawn.
        text.append(terminal_safe(self.message, multiline=True), "bold")
        if self.detail:
            text.append("\n" + terminal_safe(self.detail, multiline=True))
        return text
