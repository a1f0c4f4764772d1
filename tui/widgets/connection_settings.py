"""``SettingsStep``: step 2 of the connection form, the common settings and the
connector's generated form, under a summary of the problems left."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static

from tui.forms import FieldError, FormTree
from tui.forms import submission as sub
from tui.widgets.connection_common import CommonSettings
from tui.widgets.form_fields import SchemaForm

TOAST_ROWS = 9
"""Rows an error toast (a title, two lines, borders, a gap) takes at the bottom."""


class SettingsStep(VerticalScroll):
    """Summary, secrets note, name/active and the :class:`SchemaForm` (once loaded)."""

    DEFAULT_CSS = """
    SettingsStep #summary { height: auto; color: $text-error; border: round $error;
                            padding: 0 1; margin-bottom: 1; }
    SettingsStep #summary.-hidden { display: none; }
    SettingsStep #secrets-note { height: auto; color: $warning; border: round $warning;
                                 padding: 0 1; margin-bottom: 1; }
    SettingsStep #secrets-note.-hidden { display: none; }
    SettingsStep .loading { color: $text-muted; padding: 1; }
    """

    def __init__(self, *, creating: bool, **kw: Any) -> None:
        super().__init__(**kw)
        self.creating = creating
        self.form: SchemaForm | None = None
        self._summary = ""

    def compose(self) -> ComposeResult:
        yield Static(id="summary", classes="-hidden")
        yield Static(id="secrets-note", classes="-hidden")
        yield CommonSettings(creating=self.creating, id="common")
        yield Static("Loading the connector…", id="schema-loading", classes="loading")

    @property
    def common(self) -> CommonSettings:
        return self.query_one(CommonSettings)

    def show_error(self, message: str) -> None:
        """The connector or connection could not be read."""
        for line in self.query("#schema-loading").results(Static):
            line.update(f"{message}\nesc closes this form.")

    async def mount_form(self, tree: FormTree) -> SchemaForm:
        """Replace the form (or the loading line) with one for ``tree``."""
        if self.form is not None:
            await self.form.remove()
        await self.query("#schema-loading").remove()
        self.form = SchemaForm(tree, id="schema-form")
        await self.mount(self.form)
        self._secrets_note(tree)
        return self.form

    def _secrets_note(self, tree: FormTree) -> None:
        note = self.query_one("#secrets-note", Static)
        unchanged = tree.unchanged_secrets()
        if not unchanged:
            note.set_class(True, "-hidden")
            return
        names = ", ".join(sub.place_of(tree, p) for p in unchanged)
        note.update(
            f"IoT Flow hides secrets and saving replaces the whole configuration, so type "
            f"{'this secret' if len(unchanged) == 1 else 'these secrets'} again before "
            f"submitting: {names}."
        )
        note.set_class(False, "-hidden")

    def show_errors(self, tree: FormTree, problems: list[FieldError]) -> None:
        """Every error under its field, and the first few in the summary."""
        if self.form is not None:
            self.form.show_all_errors = True
            self.form.refresh_errors()
        self.common.show_name_error(sub.name_problem(self.common.connection_name))
        self.update_summary(tree, problems)

    def show_refusal(self, tree: FormTree, refusal: FieldError) -> None:
        """A server refusal: on its field (or the name), and every error showing."""
        if refusal.path == sub.NAME:
            self.common.show_name_error(refusal.message)
        if self.form is not None:
            self.form.show_all_errors = True
            self.form.touched.update(n.uid for n in tree.walk())
            self.form.refresh_errors()
        self.update_summary(tree, [refusal])

    def update_summary(self, tree: FormTree, problems: list[FieldError]) -> None:
        summary = self.query_one("#summary", Static)
        text = "\n".join(sub.summary_lines(tree, problems))
        if text != self._summary:  # an update lays the whole form out again: only a change
            self._summary = text
            summary.update(text)
        summary.set_class(not text, "-hidden")

    def focus_error(self, tree: FormTree, error: FieldError) -> None:
        """Put the cursor on the field of ``error``, with the field and its error line near
        the top, where a toast (bottom right) cannot hide them."""
        if error.path == sub.NAME:
            self.query_one("#conn-name", Input).focus()
            return
        if self.form is None:
            return
        node = tree.locate(error.path)
        form = self.form

        def clear_of_toasts() -> None:
            box, focused = form.box_of(node), self.screen.focused
            if box is not None and focused is not None:
                # queued on the focused control: runs after the scroll its focus asked for
                focused.call_after_refresh(self._clear_of_toasts, box)

        # in a large form's closed section, the focus (then the rest) waits for its fields
        if not form.focus_node(node, then=clear_of_toasts):
            self.query_one("#summary").scroll_visible(animate=False)

    def _clear_of_toasts(self, box: Widget, refreshes: int = 3) -> None:
        # toasts stack at the bottom right: a field (with its error line) in the last rows
        # would sit under one, so it goes to the top of the view instead. Checked again
        # after the next refreshes: error lines appearing above can still push it down.
        if box.is_attached and box.region.bottom > self.region.bottom - TOAST_ROWS:
            self.scroll_to_widget(box, animate=False, top=True)
        if refreshes:
            self.call_after_refresh(self._clear_of_toasts, box, refreshes - 1)
