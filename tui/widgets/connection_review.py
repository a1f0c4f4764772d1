"""``ConnectionReview``: the last step of the connection form, what will be sent.

It shows the state (problems left, ready, sending, refused), the Submit and Back buttons,
for an edit the changes against the connection as the server has it, and the body with
its secrets masked. It never holds a secret's value: it is given masked text only.
"""

from __future__ import annotations

import json
from typing import Any

from rich.json import JSON
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.forms import FormTree
from tui.forms.changes import Change, changes, describe, made_by_the_operator
from tui.forms.submission import masked_body


class ConnectionReview(Vertical):
    """Status line, buttons, changes (edit) and the masked JSON body."""

    DEFAULT_CSS = """
    ConnectionReview { height: auto; }
    ConnectionReview #review-status { height: auto; margin: 1 0; }
    ConnectionReview #review-status.-error { color: $text-error; text-style: bold; }
    ConnectionReview #review-actions { height: auto; margin-bottom: 1; }
    ConnectionReview #review-actions Button { margin-right: 2; }
    ConnectionReview #review-changes { height: auto; margin-bottom: 1; border: round $accent;
                                       padding: 0 1; }
    ConnectionReview #review-changes.-hidden { display: none; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.text = ""
        """The JSON shown (secrets masked); tests and the clipboard read it."""
        self.changes_text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="review-status")
        with Horizontal(id="review-actions"):
            yield Button("Submit", id="submit", variant="success", compact=True)
            yield Button("Back to settings", id="back", compact=True)
        yield Static(id="review-changes", classes="-hidden")
        yield Static(id="review-json")

    def render_body(
        self,
        tree: FormTree,
        *,
        problems: int,
        body: dict[str, Any] | None,
        server: dict[str, Any] | None,
        schema: dict[str, Any] | None,
        verb: str,
    ) -> None:
        """Show ``body`` (None while there are ``problems``: then what the form holds so
        far) and, for an edit (``server`` given), what changes on the server."""
        if body is None:
            self.show_problems(problems)
            payload, _ = tree.try_payload()
            body = {"configuration": payload}
            self.show_changes(None)
        else:
            self.show_ready(verb)
            self.show_changes(changes(server, body, schema) if server is not None else None)
        self.show_body(masked_body(body, schema))

    @property
    def status(self) -> Static:
        return self.query_one("#review-status", Static)

    def show_problems(self, count: int) -> None:
        self.status.set_class(False, "-error")
        self.status.update(
            Text(
                f"{count} problem{'s' if count != 1 else ''} left: ctrl+f goes to the first. "
                "Nothing is sent until they are fixed.",
                style="bold red",
            )
        )

    def show_ready(self, verb: str) -> None:
        self.status.set_class(False, "-error")
        self.status.update(
            Text.assemble(
                ("Ready. ", "bold green"),
                f"Enter on Submit (or ctrl+g) sends this {verb}; secrets are masked here.",
            )
        )

    def show_sending(self) -> None:
        self.status.set_class(False, "-error")
        self.status.update("Sending…")

    def show_failure(self, sentence: str) -> None:
        self.status.set_class(True, "-error")
        self.status.update(Text(f"{sentence}\nEverything you typed is kept: ctrl+g tries again."))

    def show_body(self, masked: dict[str, Any]) -> None:
        self.text = json.dumps(masked, indent=2, ensure_ascii=False)
        self.query_one("#review-json", Static).update(JSON(self.text, indent=2))

    def show_changes(self, changes: list[Change] | None) -> None:
        """An edit's changes (None for a create or clone: nothing to compare with)."""
        box = self.query_one("#review-changes", Static)
        if changes is None:
            self.changes_text = ""
            box.set_class(True, "-hidden")
            return
        real = [c for c in changes if made_by_the_operator(c)]
        defaults = [c for c in changes if c.kind == "default added"]
        lines = [describe(c) for c in changes if c.kind != "default added"]
        settings = f"{len(real)} setting{'s' if len(real) != 1 else ''}"
        if real:
            head = f"What changes on the server ({settings}):"
        elif defaults:
            head = "You changed nothing; the PUT also sends what is below."
        else:
            head = "Nothing changes on the server: the PUT sends what it already has."
        text = Text("\n".join([head, *lines]))
        if defaults:
            # Sent too, so listed; apart and quieter, as the form's doing, not the operator's.
            count = len(defaults)
            quiet = [
                f"Also sent: {count} default{'s' if count != 1 else ''} from the connector's "
                "schema, missing from the server's configuration:",
                *(describe(c) for c in defaults),
            ]
            text.append("\n\n" if lines or real else "\n")
            text.append("\n".join(quiet), style="dim")
        self.changes_text = text.plain
        box.update(text)
        box.set_class(False, "-hidden")
