"""``PemInput``: where a certificate or private key is typed, pasted or loaded from a file.

Used by the connection form and by the secrets prompt, so a multi-line secret is handled
the same way everywhere: a text area (or, for a secret not revealed, a masked box that
takes a paste), a "load from a file" input, CR and CRLF turned into LF (terminals send CR
for a pasted line break), and a status line with the line count, the length and whether
it is PEM. The value is always kept whole.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from tui.secrets import PemError, line_count, looks_like_pem, normalise_newlines, read_pem_file

from .ordered_keys import OrderedInput, OrderedTextArea


def pem_shape(text: str) -> str:
    """``13 lines, 737 characters, PEM ✓``: what a masked value can safely show."""
    if not text.strip():
        return "empty"
    lines = line_count(text.strip())
    shape = "PEM ✓" if looks_like_pem(text) else "not PEM ✗"
    return f"{lines} line{'s' if lines != 1 else ''}, {len(text)} characters, {shape}"


class MaskedText(Static, can_focus=True):
    """A secret's shape (never its text); a paste replaces it, backspace clears it."""

    DEFAULT_CSS = """
    MaskedText { width: 1fr; height: auto; padding: 0 1; background: $boost; color: $text-muted; }
    MaskedText:focus { background: $primary 30%; color: $text; }
    """

    class Pasted(Message):
        def __init__(self, masked: MaskedText, text: str) -> None:
            super().__init__()
            self.masked = masked
            self.text = text

    def __init__(self, text: str, *, unchanged_hint: str | None = None, **kw) -> None:
        super().__init__(**kw)
        self.text = text
        self.unchanged_hint = unchanged_hint

    def render(self) -> Text:
        if self.unchanged_hint and not self.text:
            return Text(f"●●●●● {self.unchanged_hint}: paste it here")
        if not self.text:
            return Text("(empty) paste it here, or load a file below")
        return Text(f"●●●●● {pem_shape(self.text)} · ctrl+r shows it")

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.post_message(self.Pasted(self, event.text))

    def on_key(self, event: events.Key) -> None:
        if event.key in ("backspace", "delete"):
            event.stop()
            self.post_message(self.Pasted(self, ""))


class PemInput(Vertical):
    """Editor + file input + shape line for one multi-line value; posts :class:`Changed`."""

    DEFAULT_CSS = """
    PemInput { height: auto; width: 1fr; }
    PemInput TextArea { width: 1fr; height: 6; }
    PemInput .pem--shape { color: $text-muted; height: 1; }
    PemInput .pem--file { width: 1fr; }
    """

    class Changed(Message):
        """The value changed (typed, pasted, loaded or cleared); ``loaded_from`` a path."""

        def __init__(self, pem: PemInput, text: str, loaded_from: str | None = None) -> None:
            super().__init__()
            self.pem = pem
            self.text = text
            self.loaded_from = loaded_from

        @property
        def control(self) -> PemInput:
            return self.pem

    class Failed(Message):
        """A file could not be loaded; ``reason`` is a sentence."""

        def __init__(self, pem: PemInput, reason: str) -> None:
            super().__init__()
            self.pem = pem
            self.reason = reason

    def __init__(
        self,
        text: str = "",
        *,
        masked: bool = True,
        unchanged_hint: str | None = None,
        editor_id: str | None = None,
        file_id: str | None = None,
        **kw,
    ) -> None:
        super().__init__(**kw)
        self.text = normalise_newlines(text)
        self.masked = masked
        self.unchanged_hint = unchanged_hint
        self.editor_id = editor_id
        self.file_id = file_id

    def compose(self) -> ComposeResult:
        if self.masked:
            yield MaskedText(self.text, unchanged_hint=self.unchanged_hint, id=self.editor_id)
        else:
            yield OrderedTextArea(self.text, id=self.editor_id, soft_wrap=True,
                                  show_line_numbers=False)
            yield Static(pem_shape(self.text), classes="pem--shape")
        yield OrderedInput(
            placeholder="…or a file path (~/keys/x.pem), enter loads it",
            compact=True,
            id=self.file_id,
            classes="pem--file",
        )

    @property
    def editor(self) -> MaskedText | TextArea:
        return next(w for w in self.children if isinstance(w, MaskedText | TextArea))

    async def set_masked(self, masked: bool) -> None:
        """Show the text (a TextArea) or only its shape; the value is unchanged."""
        if masked != self.masked:
            self.masked = masked
            await self.recompose()

    def _set(self, text: str, loaded_from: str | None = None) -> None:
        self.text = normalise_newlines(text)
        editor = self.editor
        if isinstance(editor, MaskedText):
            editor.text = self.text
            editor.unchanged_hint = None
            editor.refresh(layout=True)
        elif editor.text != self.text:
            editor.load_text(self.text)
        for shape in self.query(".pem--shape").results(Static):
            shape.update(pem_shape(self.text))
        self.post_message(self.Changed(self, self.text, loaded_from))

    @on(MaskedText.Pasted)
    def _pasted(self, event: MaskedText.Pasted) -> None:
        event.stop()
        text = normalise_newlines(event.text).strip()
        self._set(text + "\n" if text else "")

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if "\r" in text:
            # a paste into the text area arrives with CR breaks: store (and show) LF
            self._set(text)
        elif text != self.text:
            self.text = text
            for shape in self.query(".pem--shape").results(Static):
                shape.update(pem_shape(text))
            self.post_message(self.Changed(self, text))

    @on(Input.Submitted, ".pem--file")
    def _load(self, event: Input.Submitted) -> None:
        event.stop()
        self.load_file(event.value)

    def load_file(self, path: str) -> bool:
        """Load ``path``; False (and a :class:`Failed` message) when it cannot be used."""
        path = path.strip()
        if not path:
            self.post_message(self.Failed(self, "type a file path first, then press enter"))
            return False
        try:
            text = read_pem_file(path)
        except PemError as exc:
            self.post_message(self.Failed(self, str(exc)))
            return False
        self._set(text, loaded_from=path)
        # the value is what matters now: put the operator on it, not back at the top
        self.editor.focus()
        return True
