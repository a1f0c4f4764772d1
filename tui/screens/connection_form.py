"""Create, edit or clone a connection, in four steps: connector, settings, alarms, review.

The settings step is generated from the connector's ``configurationSchema`` by the form
engine (:mod:`tui.forms`) and rendered by :class:`tui.widgets.form_fields.SchemaForm`, so a
connector iotflow has never seen gets a form too. Nothing typed is lost: a draft without
secrets is saved as the user types, leaving a changed form asks first, and a refused
submit keeps everything and points at the field the server named.

The screen dismisses with the id of the connection created or updated (None on cancel).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal

from rich.json import JSON
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Button,
    ContentSwitcher,
    Footer,
    Input,
    Label,
    OptionList,
    Static,
    Switch,
)
from textual.widgets.option_list import Option

from tui import messages
from tui.api import ApiError, Connection, Connector, ValidationFailed
from tui.drafts import DraftStore, draft_key
from tui.forms import (
    EXTRA,
    ArrayField,
    ChoiceField,
    FieldError,
    FieldNode,
    FormTree,
    MapField,
    ScalarField,
    build_form,
)
from tui.secrets import MASK, mask_secrets
from tui.terminal_text import one_line
from tui.unexpected import GuardedNode
from tui.widgets.form_fields import SchemaForm, label_text

from .confirm import ConfirmScreen
from .form_leave import LeaveFormScreen

Mode = Literal["create", "edit", "clone"]
STEPS = ("connector", "settings", "alarms", "review")
STEP_TITLES = {
    "connector": "Connector",
    "settings": "Settings",
    "alarms": "Alarms",
    "review": "Review",
}
DRAFT_DELAY = 0.5
"""Seconds of quiet typing before the draft is written."""


def typed_masks(tree: FormTree) -> list[FieldNode]:
    """Secret fields whose typed value is the server's mask (never a real secret)."""
    return [
        n for n in tree.walk() if isinstance(n, ScalarField) and n.secret and n.text.strip() == MASK
    ]


def place_of(tree: FormTree, path: str) -> str:
    """A field path as labels a person reads: ``Mapping rules › #1 › DevEUI``."""
    if not path:
        return "Configuration"
    node: FieldNode | None = tree.locate(path)
    parts: list[str] = []
    while node is not None and node.parent is not None:
        parent = node.parent
        if isinstance(parent, ArrayField):
            parts.append(f"#{parent.items.index(node) + 1}")
        elif isinstance(parent, MapField):
            key = next((r.key for r in parent.rows if r.value is node), "")
            parts.append(repr(key))
        elif node.name == EXTRA:
            parts.append("Other settings")
        elif not isinstance(parent, ChoiceField):
            parts.append(node.label)
        node = parent
    return " › ".join(reversed(parts)) or "Configuration"


class ConnectionFormScreen(GuardedNode, Screen[str | None]):
    """The connection form. ``mode`` is "create", "edit" or "clone"; edit and clone need
    ``connection`` (or ``connection_id``, fetched on mount)."""

    DEFAULT_CSS = """
    ConnectionFormScreen { layout: vertical; }
    #form-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #form-steps { height: 1; padding: 0 1; background: $panel; }
    #form-body { height: 1fr; }
    #form-body > * { height: 1fr; padding: 0 1; }
    #connector-filter { margin: 1 0 0 0; }
    #connector-list { height: 1fr; }
    .step-help { color: $text-muted; height: auto; }
    #summary { height: auto; color: $text-error; border: round $error; padding: 0 1;
               margin-bottom: 1; }
    #summary.-hidden { display: none; }
    #secrets-note { height: auto; color: $warning; border: round $warning; padding: 0 1;
                    margin-bottom: 1; }
    #secrets-note.-hidden { display: none; }
    #common { height: auto; }
    #common .field { height: auto; margin-bottom: 1; }
    #common .field--line { height: auto; }
    #common .field--label { width: 26; padding-right: 1; }
    #common Input { width: 1fr; }
    #common Switch { border: none; height: 1; padding: 0; width: auto; }
    #common .field--error { color: $text-error; text-style: bold; padding-left: 26; }
    #common .field--error.-hidden { display: none; }
    #common .field--help { color: $text-muted; padding-left: 26; }
    #review-status { height: auto; margin: 1 0; }
    #review-status.-error { color: $text-error; text-style: bold; }
    #review-actions { height: auto; margin-bottom: 1; }
    #review-actions Button { margin-right: 2; }
    #alarms-readonly { height: auto; }
    .loading { color: $text-muted; padding: 1; }
    """

    BINDINGS = [
        Binding(
            "pagedown",
            "next_step",
            "Next",
            id="form.next",
            priority=True,
            key_display="PgDn",
            tooltip="Go to the next step",
        ),
        Binding(
            "pageup",
            "previous_step",
            "Back",
            id="form.back",
            priority=True,
            key_display="PgUp",
            tooltip="Go to the previous step",
        ),
        Binding(
            "ctrl+f",
            "first_error",
            "First error",
            id="form.first_error",
            tooltip="Move to the first field with a problem",
        ),
        Binding(
            "ctrl+r",
            "reveal",
            "Show secret",
            id="form.reveal",
            tooltip="Show or hide the secret under the cursor",
        ),
        Binding(
            "ctrl+g",
            "submit",
            "Submit",
            id="form.submit",
            tooltip="Check everything and send it to IoT Flow",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="Leave the form (asks first when something changed)",
        ),
    ]

    def __init__(
        self,
        client: Any,
        *,
        mode: Mode = "create",
        connection: Connection | None = None,
        connection_id: str | None = None,
        now: Callable[[], datetime] | None = None,
        local_tz: tzinfo | None = None,
        drafts: DraftStore | None = None,
    ) -> None:
        super().__init__()
        if mode not in ("create", "edit", "clone"):
            raise ValueError(f"mode must be create, edit or clone, not {mode!r}")
        if mode != "create" and connection is None and connection_id is None:
            raise ValueError(f"{mode} needs a connection or a connection_id")
        self.client = client
        self.mode: Mode = mode
        self.connection = connection
        self.connection_id = connection.id if connection is not None else connection_id
        self.now = now or (lambda: datetime.now(UTC))
        self.local_tz = local_tz
        self.drafts = drafts if drafts is not None else DraftStore()
        self.connectors: list[Connector] = []
        self.connector: Connector | None = None
        self.form_tree: FormTree | None = None
        self.form: SchemaForm | None = None
        self.alarms: list[dict[str, Any]] | None = None
        self.alarm_editor: Any = None
        self.step = "connector" if mode == "create" else "settings"
        self.dirty = False
        self.checked = False
        self.server_error: FieldError | None = None
        self.name_error: str | None = None
        self.sending = False
        self._draft_timer: Timer | None = None
        self._loading = True
        self._shown_name = ""
        self.review_text = ""
        """The JSON the review step shows (secrets masked)."""
        self._shown_active = True

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="form-title")
        yield Static(self._steps_text(), id="form-steps")
        with ContentSwitcher(initial=f"step-{self.step}", id="form-body"):
            with Vertical(id="step-connector"):
                yield Input(
                    placeholder="filter: part of a name or description",
                    id="connector-filter",
                    compact=True,
                )
                yield OptionList(id="connector-list")
                yield Static(
                    "type to filter · ↑↓ move · enter picks · esc cancels",
                    classes="step-help",
                )
            with VerticalScroll(id="step-settings"):
                yield Static(id="summary", classes="-hidden")
                yield Static(id="secrets-note", classes="-hidden")
                with Vertical(id="common"):
                    with Vertical(classes="field"):
                        with Horizontal(classes="field--line"):
                            yield Label(
                                Text.assemble("Name", (" *", "bold red")), classes="field--label"
                            )
                            yield Input(id="conn-name", compact=True, select_on_focus=False)
                        yield Static("Shown in the connection list", classes="field--help")
                        yield Static(id="e-name", classes="field--error -hidden")
                    with Vertical(classes="field"):
                        with Horizontal(classes="field--line"):
                            yield Label("Active", classes="field--label")
                            yield Switch(True, id="conn-active")
                        yield Static("Off creates it stopped (DEACTIVATED)", classes="field--help")
                yield Static("Loading the connector…", id="schema-loading", classes="loading")
            with VerticalScroll(id="step-alarms"):
                yield Static("Loading…", classes="loading")
            with VerticalScroll(id="step-review"):
                yield Static(id="review-status")
                with Horizontal(id="review-actions"):
                    yield Button("Submit", id="submit", variant="success", compact=True)
                    yield Button("Back to settings", id="back", compact=True)
                yield Static(id="review-json")
        yield Footer(compact=True, show_command_palette=False)

    def _title(self) -> str:
        what = {
            "create": "New connection",
            "edit": "Edit connection",
            "clone": "Clone connection",
        }[self.mode]
        if self.connection is not None and self.mode != "create":
            what += f" “{one_line(self.connection.name)}” (id {one_line(self.connection.id)})"
        if self.connector is not None:
            what += f" · {self.connector.id} {self.connector.version}".rstrip()
        return what

    def _steps_text(self) -> Text:
        text = Text()
        current = STEPS.index(self.step)
        for i, step in enumerate(STEPS):
            if i:
                text.append("  ›  ", style="dim")
            label = f"{i + 1} {STEP_TITLES[step]}"
            if step == self.step:
                text.append(f"[{label}]", style="bold reverse")
            elif step == "connector" and self.mode != "create":
                text.append(label, style="dim strike")
            elif i < current:
                text.append(label + " ✓", style="green")
            else:
                text.append(label, style="dim")
        return text

    def _refresh_header(self) -> None:
        self.query_one("#form-title", Static).update(self._title())
        self.query_one("#form-steps", Static).update(self._steps_text())

    # -- loading -----------------------------------------------------------------------
    def on_mount(self) -> None:
        self._load()

    @work(exclusive=True, group="form-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            if self.mode == "create":
                self.connectors = sorted(
                    await self.client.list_connectors(), key=lambda c: c.id.lower()
                )
                self._fill_connectors("")
                self._loading = False
                self.query_one("#connector-filter", Input).focus()
                return
            if self.connection is None:
                self.connection = await self.client.get_connection(str(self.connection_id))
            connector = await self.client.get_connector(self.connection.connector_id)
        except ApiError as error:
            self._loading = False
            self._show_load_error(error.user_message)
            return
        await self._use_connector(connector, source=self.connection)
        self._loading = False

    def _show_load_error(self, message: str) -> None:
        target = "#connector-list" if self.mode == "create" else "#schema-loading"
        self.notify(message, title="Cannot open the form", severity="error", timeout=10)
        if self.mode == "create":
            self.query_one(target, OptionList).set_options([Option(message, disabled=True)])
        else:
            self.query_one(target, Static).update(f"{message}\nesc closes this form.")

    def _fill_connectors(self, needle: str) -> None:
        needle = needle.strip().lower()
        options: list[Option] = []
        for c in self.connectors:
            hay = f"{c.id} {c.description} {c.short_name}".lower()
            if needle and needle not in hay:
                continue
            line = Text(c.id, style="bold")
            line.append(f"  {c.version}" if c.version else "", style="cyan")
            if c.beta:
                line.append("  beta", style="bold yellow")
            if self.drafts.load(draft_key("create", connector_id=c.id)) is not None:
                line.append("  draft saved", style="magenta")
            line.append(f"\n  {c.description or '(no description)'}", style="dim")
            options.append(Option(line, id=c.id))
        olist = self.query_one("#connector-list", OptionList)
        olist.set_options(options or [Option("No connector matches the filter.", disabled=True)])
        if options:
            olist.highlighted = 0

    @on(Input.Changed, "#connector-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_connectors(event.value)

    @on(Input.Submitted, "#connector-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick_highlighted()

    def on_key(self, event: Any) -> None:
        # up/down in the filter move the list's highlight: no tab needed to pick
        if self.step == "connector" and self.focused is self.query_one("#connector-filter"):
            if event.key in ("down", "up"):
                olist = self.query_one("#connector-list", OptionList)
                if event.key == "down":
                    olist.action_cursor_down()
                else:
                    olist.action_cursor_up()
                event.stop()

    @on(OptionList.OptionSelected, "#connector-list")
    async def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self._choose(event.option.id)

    def _pick_highlighted(self) -> None:
        olist = self.query_one("#connector-list", OptionList)
        if olist.highlighted is None:
            return
        option = olist.get_option_at_index(olist.highlighted)
        if not option.disabled:
            self.run_worker(self._choose(option.id), exclusive=True, group="choose")

    async def _choose(self, connector_id: str | None) -> None:
        connector = next((c for c in self.connectors if c.id == connector_id), None)
        if connector is None:
            return
        if self.connector is not None and self.connector.id == connector.id and self.form_tree:
            await self._go("settings")
            return
        await self._use_connector(connector, source=None)

    async def _use_connector(self, connector: Connector, source: Connection | None) -> None:
        """Build the settings form for ``connector``, pre-filled from ``source`` or a draft."""
        self.connector = connector
        self.form_tree = build_form(connector.configuration_schema)
        name_input = self.query_one("#conn-name", Input)
        active = self.query_one("#conn-active", Switch)
        alarms: list[dict[str, Any]] | None = None
        if source is not None:
            mode = "edit" if self.mode == "edit" else "clone"
            self.form_tree.load(source.configuration, mode=mode)
            self._set_common(
                source.name if self.mode == "edit" else f"Copy of {source.name}", source.active
            )
            alarms = source.alarms
        draft = self.drafts.load(self.draft_key)
        if draft is not None:
            data = draft.data
            self.form_tree.load_draft(data.get("form") or {})
            self._set_common(
                data["name"] if isinstance(data.get("name"), str) else name_input.value,
                data["active"] if isinstance(data.get("active"), bool) else active.value,
            )
            if isinstance(data.get("alarms"), list):
                alarms = data["alarms"]
            when = draft.saved_at.astimezone(self.local_tz).strftime("%Y-%m-%d %H:%M")
            self.notify(
                f"Resumed the draft saved {when}. Secrets are never saved: type them again.",
                title="Draft resumed",
                timeout=8,
            )
        self.alarms = list(alarms) if alarms is not None else None
        await self._mount_form()
        await self._mount_alarms()
        self.dirty = draft is not None
        await self._go("settings")

    def _set_common(self, name: str, active: bool) -> None:
        self._shown_name, self._shown_active = name, active
        self.query_one("#conn-name", Input).value = name
        self.query_one("#conn-active", Switch).value = active

    @property
    def draft_key(self) -> str:
        if self.mode == "create":
            return draft_key("create", connector_id=self.connector.id if self.connector else "-")
        return draft_key(self.mode, connection_id=str(self.connection_id))

    async def _mount_form(self) -> None:
        assert self.form_tree is not None
        host = self.query_one("#step-settings", VerticalScroll)
        if self.form is not None:
            await self.form.remove()
        for loading in self.query("#schema-loading"):
            await loading.remove()
        self.form = SchemaForm(self.form_tree, id="schema-form")
        await host.mount(self.form)
        self._secrets_note()

    def _secrets_note(self) -> None:
        note = self.query_one("#secrets-note", Static)
        unchanged = self.form_tree.unchanged_secrets() if self.form_tree else []
        if not unchanged:
            note.set_class(True, "-hidden")
            return
        names = ", ".join(place_of(self.form_tree, p) for p in unchanged)  # type: ignore[arg-type]
        note.update(
            f"IoT Flow hides secrets and saving replaces the whole configuration, so type "
            f"{'this secret' if len(unchanged) == 1 else 'these secrets'} again before "
            f"submitting: {names}."
        )
        note.set_class(False, "-hidden")

    async def _mount_alarms(self) -> None:
        host = self.query_one("#step-alarms", VerticalScroll)
        await host.remove_children()
        try:
            from tui.widgets.alarm_editor import AlarmListEditor
        except ImportError:
            AlarmListEditor = None  # noqa: N806 - optional colleague widget
        if AlarmListEditor is not None:
            self.alarm_editor = AlarmListEditor(
                list(self.alarms or []), now=self.now, local_tz=self.local_tz
            )
            await host.mount(self.alarm_editor)
        else:
            text = json.dumps(self.alarms or [], indent=2)
            await host.mount(
                Static("Alarms are kept as they are (read-only here):", classes="step-help"),
                Static(text, id="alarms-readonly"),
            )

    # -- steps -------------------------------------------------------------------------
    async def _go(self, step: str) -> None:
        self.step = step
        self.query_one("#form-body", ContentSwitcher).current = f"step-{step}"
        self._refresh_header()
        self.refresh_bindings()
        if step == "connector":
            self.query_one("#connector-filter", Input).focus()
        elif step == "settings":
            self.query_one("#conn-name", Input).focus()
            self.query_one("#step-settings", VerticalScroll).scroll_home(animate=False)
        elif step == "alarms":
            if self.alarm_editor is not None:
                self.alarm_editor.focus_first_problem() or self.alarm_editor.focus()
        elif step == "review":
            self._render_review()
            self.query_one("#submit", Button).focus()

    async def action_next_step(self) -> None:
        if self._loading or self.sending:
            return
        if self.step == "connector":
            self._pick_highlighted()
        elif self.step == "settings":
            if self._check_settings():
                await self._go("alarms")
        elif self.step == "alarms":
            if self._check_alarms():
                await self._go("review")

    async def action_previous_step(self) -> None:
        if self._loading or self.sending:
            return
        index = STEPS.index(self.step)
        if index == 0 or (index == 1 and self.mode != "create"):
            return
        await self._go(STEPS[index - 1])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something on the current step (80 columns are few)."""
        if action == "reveal":
            return self.step == "settings"
        if action == "first_error":
            return self.step in ("settings", "review")
        if action == "next_step":
            return self.step != "review"
        if action == "previous_step":
            return not (
                self.step == "connector" or (self.step == "settings" and self.mode != "create")
            )
        if action == "submit":
            return self.form_tree is not None
        return True

    # -- checking ----------------------------------------------------------------------
    def _name_problem(self) -> str | None:
        name = self.query_one("#conn-name", Input).value
        return "is required" if not name.strip() else None

    def _show_name_error(self, message: str | None) -> None:
        box = self.query_one("#e-name", Static)
        box.update(Text(f"✗ {message}" if message else ""))
        box.set_class(not message, "-hidden")

    def _errors(self) -> list[FieldError]:
        """Every problem of the settings step, name first, in form order."""
        assert self.form_tree is not None
        errors = []
        name_problem = self._name_problem()
        if name_problem:
            errors.append(FieldError("name", name_problem))
        errors.extend(self.form_tree.validate())
        for node in typed_masks(self.form_tree):
            message = f"{MASK} is the mask the server shows, not the secret: type the real value"
            node.error = message
            errors.append(FieldError(node.path, message))
        return errors

    def _check_settings(self, *, focus: bool = True) -> bool:
        if self.form_tree is None or self.form is None:
            return False
        self.checked = True
        self.server_error = None
        errors = self._errors()
        self.form.show_all_errors = True
        self.form.refresh_errors()
        self._show_name_error(self._name_problem())
        self._update_summary(errors)
        if errors and focus:
            self.call_after_refresh(self._focus_error, errors[0])
        return not errors

    def _update_summary(self, errors: list[FieldError]) -> None:
        summary = self.query_one("#summary", Static)
        items = list(errors)
        if self.server_error is not None and self.server_error not in items:
            items.insert(0, self.server_error)
        if not items:
            summary.set_class(True, "-hidden")
            return
        text = Text()
        count = len(items)
        text.append(
            f"{count} problem{'s' if count != 1 else ''} to fix · ctrl+f goes to the first\n",
            style="bold",
        )
        for e in items[:4]:
            place = "Name" if e.path == "name" else place_of(self.form_tree, e.path)  # type: ignore[arg-type]
            text.append(f"✗ {place}: {e.message}\n")
        if count > 4:
            text.append(f"… and {count - 4} more\n")
        text.rstrip()
        summary.update(text)
        summary.set_class(False, "-hidden")

    def _check_alarms(self) -> bool:
        editor = self.alarm_editor
        if editor is None:
            return True
        problems = editor.problems()
        if problems:
            index, problem = problems[0]
            what = getattr(problem, "message", None) or str(problem)
            self.notify(
                f"Alarm {index + 1}: {what}", title="Fix the alarms first", severity="error"
            )
            editor.focus_first_problem()
            return False
        return True

    def _focus_error(self, error: FieldError) -> None:
        if error.path == "name":
            self.query_one("#conn-name", Input).focus()
            return
        if self.form_tree is None or self.form is None:
            return
        node = self.form_tree.locate(error.path)
        if not self.form.focus_node(node):
            self.query_one("#summary").scroll_visible(animate=False)

    async def action_first_error(self) -> None:
        if self.form_tree is None:
            return
        if self.step != "settings":
            await self._go("settings")
        errors = self._errors()
        if self.server_error is not None:
            errors.insert(0, self.server_error)
        if self.form is not None:
            self.form.show_all_errors = True
            self.form.refresh_errors()
        self._update_summary(errors)
        if errors:
            self.call_after_refresh(self._focus_error, errors[0])
        else:
            self.notify("No problems found.", timeout=3)

    async def action_reveal(self) -> None:
        if self.form is None or not await self.form.toggle_reveal():
            self.notify("Move the cursor to a secret field first.", timeout=3)

    # -- edits and drafts --------------------------------------------------------------
    @on(SchemaForm.Edited)
    def _form_edited(self, event: SchemaForm.Edited) -> None:
        self._changed()
        if self.checked:
            self._update_summary(self._errors())
            if self.form is not None:
                self.form.refresh_errors()

    @on(Input.Changed, "#conn-name")
    def _name_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.form_tree is None or event.value == self._shown_name:
            return
        self._shown_name = event.value
        self._changed()
        if self.checked or self.name_error:
            self.name_error = self._name_problem()
            self._show_name_error(self.name_error)

    @on(Input.Blurred, "#conn-name")
    def _name_blurred(self, event: Input.Blurred) -> None:
        self.name_error = self._name_problem()
        self._show_name_error(self.name_error)

    @on(Switch.Changed, "#conn-active")
    def _active_changed(self, event: Switch.Changed) -> None:
        event.stop()
        if self.form_tree is not None and event.value != self._shown_active:
            self._shown_active = event.value
            self._changed()

    def on_alarm_list_editor_changed(self, event: Any) -> None:
        self._changed()

    def on_alarm_list_editor_remove_requested(self, event: Any) -> None:
        """The alarm editor asks before removing an alarm; screens own the dialogs."""
        event.stop()
        editor, card = event.editor, event.card

        async def answered(yes: bool | None) -> None:
            if yes:
                await editor.remove_card(card)

        self.app.push_screen(
            ConfirmScreen(event.title, event.summary, confirm_label="Remove"), answered
        )

    def _changed(self) -> None:
        self.dirty = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def draft_data(self) -> dict[str, Any]:
        """What the draft holds (no secret: the engine leaves them out)."""
        assert self.form_tree is not None and self.connector is not None
        data: dict[str, Any] = {
            "mode": self.mode,
            "connectorId": self.connector.id,
            "connectionId": self.connection_id,
            "name": self.query_one("#conn-name", Input).value,
            "active": self.query_one("#conn-active", Switch).value,
            "form": self.form_tree.draft(),
        }
        alarms = self._alarms_payload()
        if alarms is not None:
            data["alarms"] = alarms
        return data

    def on_recovered(self, _: messages.Recovered) -> None:
        """After an unexpected error (tui.unexpected): keep what was typed, never stay on
        "Sending…" (which refuses esc)."""
        self.sending = False
        self.save_draft()

    def save_draft(self) -> None:
        if self.form_tree is None or self.connector is None or not self.dirty:
            return
        try:
            self.drafts.save(self.draft_key, self.draft_data(), now=self.now())
        except OSError as exc:
            self.notify(f"The draft could not be saved: {exc}", severity="warning", timeout=5)

    # -- review and submit -------------------------------------------------------------
    def _alarms_payload(self) -> list[dict[str, Any]] | None:
        if self.alarm_editor is not None:
            alarms = self.alarm_editor.alarms_json()
            if not alarms and self.alarms is None:
                return None
            return alarms
        return self.alarms

    def build_payload(self) -> dict[str, Any]:
        """The body to POST or PUT (raises FormInvalid when the form has errors)."""
        assert self.form_tree is not None and self.connector is not None
        configuration = self.form_tree.payload()
        if self.mode == "edit" and self.connection is not None:
            body = self.connection.to_payload()
        else:
            body = {}
        body.update(
            {
                "connectorId": self.connector.id,
                "name": self.query_one("#conn-name", Input).value.strip(),
                "active": self.query_one("#conn-active", Switch).value,
                "configuration": configuration,
            }
        )
        alarms = self._alarms_payload()
        if alarms is not None:
            body["alarms"] = alarms
        else:
            body.pop("alarms", None)
        return body

    def _render_review(self) -> None:
        status = self.query_one("#review-status", Static)
        target = self.query_one("#review-json", Static)
        if self.form_tree is None:
            return
        errors = self._errors()
        if errors:
            status.update(
                Text(
                    f"{len(errors)} problem(s) left: ctrl+f goes to the first. "
                    "Nothing is sent until they are fixed.",
                    style="bold red",
                )
            )
            payload, _ = self.form_tree.try_payload()
            body = {"configuration": payload}
        else:
            body = self.build_payload()
            verb = "PUT" if self.mode == "edit" else "POST"
            status.update(
                Text.assemble(
                    ("Ready. ", "bold green"),
                    f"Enter on Submit (or ctrl+g) sends this {verb}; secrets are masked here.",
                )
            )
        shown = dict(body)
        if "configuration" in shown:
            shown["configuration"] = mask_secrets(
                shown["configuration"],
                self.connector.configuration_schema if self.connector else None,
            )
        text = json.dumps(shown, indent=2, ensure_ascii=False)
        self.review_text = text
        target.update(JSON(text, indent=2))

    @on(Button.Pressed, "#submit")
    async def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_submit()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self._go("settings")

    async def action_submit(self) -> None:
        if self.form_tree is None or self.sending:
            return
        if not self._check_settings(focus=False):
            await self._go("settings")
            errors = self._errors()
            if errors:
                self.call_after_refresh(self._focus_error, errors[0])
            self.notify("Fix the fields marked ✗ first; nothing was sent.", severity="error")
            return
        if not self._check_alarms():
            await self._go("alarms")
            return
        payload = self.build_payload()
        self._send(payload)

    @work(exclusive=True, group="form-submit", exit_on_error=False)
    async def _send(self, payload: dict[str, Any]) -> None:
        status = self.query_one("#review-status", Static)
        self.sending = True
        status.set_class(False, "-error")
        status.update("Sending…")
        try:
            if self.mode == "edit":
                result = await self.client.update_connection(str(self.connection_id), payload)
            else:
                result = await self.client.create_connection(payload)
        except ValidationFailed as error:
            self.sending = False
            await self._refused(error)
            return
        except ApiError as error:
            self.sending = False
            if self.step != "review":
                await self._go("review")
            status.set_class(True, "-error")
            status.update(
                Text(f"{error.user_message}\nEverything you typed is kept: ctrl+g tries again.")
            )
            self.save_draft()
            return
        self.sending = False
        self.drafts.delete(self.draft_key)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.dirty = False
        verb = "Saved" if self.mode == "edit" else "Created"
        self.app.notify(f"{verb} “{one_line(result.name)}” (id {one_line(result.id)}).", timeout=4)
        self.dismiss(result.id)

    async def _refused(self, error: ValidationFailed) -> None:
        """A 400: show it, and on the field it names; everything typed stays."""
        assert self.form_tree is not None
        message = error.message
        if (error.field or "").split(".")[0].split("[")[0] in ("name",):
            self.server_error = FieldError("name", f"the server says: {message}")
            self._show_name_error(self.server_error.message)
        else:
            fe = self.form_tree.apply_server_error(message)
            self.server_error = FieldError(fe.path, f"{fe.message} (the server refused it)")
            if fe.path:
                node = self.form_tree.locate(fe.path)
                node.error = self.server_error.message
        self.save_draft()
        await self._go("settings")
        if self.form is not None:
            self.form.show_all_errors = True
            self.form.touched.update(n.uid for n in self.form_tree.walk())
            self.form.refresh_errors()
        self._update_summary([])
        self.notify(
            f"{error.user_message}\nYour input is kept; fix the field and submit again.",
            title="Not saved",
            severity="error",
            timeout=10,
        )
        self.call_after_refresh(self._focus_error, self.server_error)

    # -- leaving -----------------------------------------------------------------------
    def action_cancel(self) -> None:
        if self.sending:
            self.notify("Sending… wait for the answer.", timeout=3)
            return
        if not self.dirty:
            self.dismiss(None)
            return
        self.save_draft()

        def answered(choice: str | None) -> None:
            if choice == "keep":
                self.save_draft()
                self.app.notify("Draft kept: open the same form again to resume it.", timeout=4)
                self.dismiss(None)
            elif choice == "discard":
                if self._draft_timer is not None:
                    self._draft_timer.stop()
                self.drafts.delete(self.draft_key)
                self.dismiss(None)

        what = {"create": "the new connection", "edit": "this edit", "clone": "this clone"}
        self.app.push_screen(LeaveFormScreen(what[self.mode]), answered)


__all__ = ["ConnectionFormScreen", "label_text", "place_of", "typed_masks"]


def open_connection_form(app: Any, mode: Mode, connection_id: str | None = None) -> None:
    """Push the form from the dashboard app; on success the dashboard selects the result.

    ``app`` is the IoTFlowApp (client, clock, display_tz, read_only, dashboard).
    """
    if getattr(app, "read_only", False):
        app.notify("This profile is read-only: nothing can be created or changed.")
        return

    def done(result: str | None) -> None:
        if result:
            app.dashboard.select_connection(str(result))

    app.push_screen(
        ConnectionFormScreen(
            app.client,
            mode=mode,
            connection_id=connection_id,
            now=getattr(app, "clock", None),
            local_tz=getattr(app, "display_tz", None),
        ),
        done,
    )
