"""Create, edit or clone a connection, in four steps: connector, settings, alarms, review.

The settings come from the connector's ``configurationSchema`` (:mod:`tui.forms`, drawn by
:class:`~tui.widgets.form_fields.SchemaForm`), so a connector never seen gets a form too;
what is sent, the draft and where a refusal lands are :mod:`tui.forms.submission`'s. Nothing
typed is lost: a draft without secrets is saved while typing, leaving a changed form asks
first, a refused submit keeps everything and points at the field the server named.

The screen dismisses with the id of the connection created or updated (None on cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Input, Static

from tui.api import ApiError, Connection, Connector, ValidationFailed
from tui.drafts import DraftKeeper, DraftStore, draft_key
from tui.forms import FieldError, FormTree
from tui.forms import submission as sub
from tui.forms.large import form_for
from tui.messages import Recovered
from tui.terminal_text import one_line
from tui.unexpected import GuardedNode
from tui.widgets.alarm_editor import AlarmListEditor
from tui.widgets.connection_alarms import AlarmsStep
from tui.widgets.connection_common import CommonSettings
from tui.widgets.connection_review import ConnectionReview
from tui.widgets.connection_settings import SettingsStep
from tui.widgets.connector_picker import ConnectorPicker
from tui.widgets.form_fields import FieldEdited, SchemaForm

from .confirm import ConfirmScreen
from .form_drafts import FormDrafts
from .form_keys import FOCUS_BINDINGS, FormKeys, dropdown_of
from .form_leave import LeaveFormScreen
from .form_look import INPUT_BOXES_CSS
from .form_notices import FormNotices
from .form_steps import STEPS, form_title, steps_text

Mode = Literal["create", "edit", "clone"]


class ConnectionFormScreen(FormNotices, FormKeys, FormDrafts, GuardedNode, Screen[str | None]):
    """The connection form. ``mode`` is "create", "edit" or "clone"; edit and clone need
    ``connection`` (or ``connection_id``, fetched on mount)."""

    DEFAULT_CSS = """
    ConnectionFormScreen { layout: vertical; }
    #form-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #form-steps { height: 1; padding: 0 1; background: $panel; }
    #form-body { height: 1fr; }
    #form-body > * { height: 1fr; padding: 0 1; }
    .loading { color: $text-muted; padding: 1; }
    """ + INPUT_BOXES_CSS

    BINDINGS = [
        Binding("pagedown", "next_step", "Next", id="form.next", priority=True,
                key_display="PgDn", tooltip="Go to the next step"),
        Binding("pageup", "previous_step", "Back", id="form.back", priority=True,
                key_display="PgUp", tooltip="Go to the previous step"),
        Binding("ctrl+f", "first_error", "First error", id="form.first_error",
                tooltip="Move to the first field with a problem"),
        Binding("ctrl+r", "reveal", "Show secret", id="form.reveal",
                tooltip="Show or hide the secret under the cursor"),
        Binding("ctrl+g", "submit", "Submit", id="form.submit",
                tooltip="Check it and show the review; on the review, send it"),
        Binding("escape", "cancel", "Cancel", id="form.cancel",
                tooltip="Leave the form (asks first when something changed)"),
        *FOCUS_BINDINGS,
    ]  # fmt: skip

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
        self.drafts = drafts if drafts is not None else DraftStore.for_platform(
            str(getattr(client, "base_url", "")))
        self.connector: Connector | None = None
        self.form_tree: FormTree | None = None
        self.form: SchemaForm | None = None
        self.step = "connector" if mode == "create" else "settings"
        self.dirty = False
        self.checked = False
        self.server_error: FieldError | None = None
        self.sending = False
        self.draft = DraftKeeper(self.drafts)
        """The draft as last edited: in memory at once, on disk right after each edit."""
        self._loading = True

    def compose(self) -> ComposeResult:
        yield Static(form_title(self.mode, self.connection, self.connector), id="form-title")
        yield Static(steps_text(self.step, self.mode), id="form-steps")
        with ContentSwitcher(initial=f"step-{self.step}", id="form-body"):
            yield ConnectorPicker(self._has_draft, id="step-connector")
            yield SettingsStep(creating=self.mode != "edit", id="step-settings")
            yield AlarmsStep(now=self.now, local_tz=self.local_tz, id="step-alarms")
            with VerticalScroll(id="step-review"):
                yield ConnectionReview(id="review")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def settings(self) -> SettingsStep:
        return self.query_one(SettingsStep)

    @property
    def common(self) -> CommonSettings:
        return self.settings.common

    @property
    def alarms(self) -> AlarmsStep:
        return self.query_one(AlarmsStep)

    @property
    def review(self) -> ConnectionReview:
        return self.query_one(ConnectionReview)

    def _refresh_header(self) -> None:
        width = self.size.width - 2 if self.size.width > 2 else None  # the title's padding
        title = form_title(self.mode, self.connection, self.connector, width)
        self.query_one("#form-title", Static).update(title)
        self.query_one("#form-steps", Static).update(steps_text(self.step, self.mode))

    def on_resize(self) -> None:
        self._refresh_header()  # the title fits the new width

    def on_mount(self) -> None:
        if self.mode == "create":
            self.query_one("#connector-filter", Input).focus()
        # immediate: the write must happen before the process stops, not after it resumes
        self.app.app_suspend_signal.subscribe(self, lambda _: self.flush_draft(), immediate=True)
        self._load()

    @work(exclusive=True, group="form-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            if self.mode == "create":
                connectors = await self.client.list_connectors()
                self.query_one(ConnectorPicker).set_connectors(connectors)
                return
            if self.connection is None:
                self.connection = await self.client.get_connection(str(self.connection_id))
            connector = await self.client.get_connector(self.connection.connector_id)
            await self._use_connector(connector, source=self.connection)
        except ApiError as error:
            self.notify(error.user_message, title="Cannot open the form", severity="error")
            step = self.query_one(ConnectorPicker) if self.mode == "create" else self.settings
            step.show_error(error.user_message)
        finally:
            self._loading = False

    def _has_draft(self, connector_id: str) -> bool:
        return self.drafts.load(draft_key("create", connector_id=connector_id)) is not None

    @on(ConnectorPicker.Picked)
    async def _picked(self, event: ConnectorPicker.Picked) -> None:
        event.stop()
        await self._choose(event.connector.id)

    async def _choose(self, connector_id: str | None) -> None:
        picker = self.query_one(ConnectorPicker)
        connector = next((c for c in picker.connectors or [] if c.id == connector_id), None)
        if connector is None:
            return
        if self.connector is not None and self.connector.id == connector.id and self.form_tree:
            await self._go("settings")
            return
        await self._use_connector(connector, source=None)

    async def _use_connector(self, connector: Connector, source: Connection | None) -> None:
        """Build the settings form for ``connector``, pre-filled from ``source`` or a draft."""
        self.connector = connector
        self.form_tree = form_for(connector.configuration_schema)
        alarms: list[dict[str, Any]] | None = None
        if source is not None:
            mode = "edit" if self.mode == "edit" else "clone"
            self.form_tree.load(source.configuration, mode=mode)
            name = source.name if self.mode == "edit" else f"Copy of {source.name}"
            self.common.set_values(name, source.active)
            alarms = source.alarms
        draft = self.drafts.load(self.draft_key)
        if draft is not None:
            data = draft.data
            self.form_tree.load_draft(data.get("form") or {})
            common = sub.draft_common(data, self._common())
            self.common.set_values(common.name, common.active)
            if isinstance(data.get("alarms"), list):
                alarms = data["alarms"]
            when = draft.saved_at.astimezone(self.local_tz).strftime("%Y-%m-%d %H:%M")
            self.notify(
                f"Resumed the draft saved {when}. Secrets are never saved: type them again.",
                title="Draft resumed",
                timeout=8,
            )
        self.form = await self.settings.mount_form(self.form_tree)
        await self.alarms.show(alarms)
        self.dirty = draft is not None
        await self._go("settings")

    def _common(self) -> sub.Common:
        connector_id = self.connector.id if self.connector is not None else ""
        return sub.Common(connector_id, self.common.connection_name, self.common.is_active)

    # -- steps -------------------------------------------------------------------------
    async def _go(self, step: str) -> None:
        self.step = step
        self.query_one("#form-body", ContentSwitcher).current = f"step-{step}"
        self._refresh_header()
        self.refresh_bindings()
        # set_focus (at once), not focus() (deferred): keys typed ahead go to the new step
        if step == "connector":
            self.set_focus(self.query_one("#connector-filter", Input))
        elif step == "settings":
            self.set_focus(self.query_one("#conn-name", Input))
            self.settings.scroll_home(animate=False)
        elif step == "alarms":
            self.alarms.enter()
        elif step == "review":
            self._render_review()
            self.set_focus(self.query_one("#submit", Button))

    async def action_next_step(self) -> None:
        if self._loading or self.sending:
            return
        if self.step == "connector":
            await self.pick_connector_now()  # the keys typed next go to the settings
        elif self.step == "settings":
            if self._check_settings():
                await self._go("alarms")
        elif self.step == "alarms":
            if self.alarms.check():
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
        first = "connector" if self.mode == "create" else "settings"
        shown = {
            "reveal": self.step == "settings",
            "first_error": self.step in ("settings", "review"),
            "next_step": self.step != "review",
            "previous_step": self.step not in ("connector", first),
            "submit": self.form_tree is not None,
            # only in an open menu, so the footer keeps showing esc for Cancel
            "close_dropdown": dropdown_of(self.focused) is not None,
        }
        return shown.get(action, True)

    # -- checking ----------------------------------------------------------------------
    def _errors(self) -> list[FieldError]:
        """Every problem of the settings step, name first, in form order."""
        assert self.form_tree is not None
        return sub.settings_errors(self.form_tree, self.common.connection_name)

    def _check_settings(self, *, focus: bool = True) -> bool:
        if self.form_tree is None or self.form is None:
            return False
        self.checked = self.common.checking = True
        self.server_error = None
        errors = self._errors()
        self.settings.show_errors(self.form_tree, errors)
        if errors and focus:
            self.call_after_refresh(self._focus_error, errors[0])
        return not errors

    def _update_summary(self, errors: list[FieldError]) -> None:
        assert self.form_tree is not None
        items = list(errors)
        if self.server_error is not None and self.server_error not in items:
            items.insert(0, self.server_error)
        self.settings.update_summary(self.form_tree, items)

    def _focus_error(self, error: FieldError) -> None:
        if self.form_tree is not None:
            self.settings.focus_error(self.form_tree, error)

    async def action_first_error(self) -> None:
        if self.form_tree is None:
            return
        if self.step != "settings":
            await self._go("settings")
        errors = self._errors()
        if self.server_error is not None:
            errors.insert(0, self.server_error)
        self.settings.show_errors(self.form_tree, errors)
        if errors:
            self.call_after_refresh(self._focus_error, errors[0])
        else:
            self.notify("No problems found.", timeout=3)

    async def action_reveal(self) -> None:
        if self.form is None or not await self.form.toggle_reveal():
            self.notify("Move the cursor to a secret field first.", timeout=3)

    # -- edits and drafts --------------------------------------------------------------
    @on(FieldEdited)
    def _form_edited(self, event: FieldEdited) -> None:
        event.stop()
        self._changed()
        if self.checked and self.form is not None:
            self._update_summary(self._errors())
            self.form.refresh_errors()

    @on(CommonSettings.Changed)
    @on(AlarmListEditor.Changed)
    def _other_changed(self, event: CommonSettings.Changed | AlarmListEditor.Changed) -> None:
        event.stop()
        if self.form_tree is not None:
            self._changed()

    def on_recovered(self, _: Recovered) -> None:
        """After an unexpected error anywhere: not busy any more (esc and ctrl+g work), and
        what was typed is on disk whatever comes next."""
        self.sending = False
        self.save_draft()

    @on(AlarmListEditor.RemoveRequested)
    def _remove_alarm(self, event: AlarmListEditor.RemoveRequested) -> None:
        """The alarm editor asks before removing an alarm; screens own the dialogs."""
        event.stop()

        async def answered(yes: bool | None) -> None:
            if yes:
                await event.editor.remove_card(event.card)

        confirm = ConfirmScreen(event.title, event.summary, confirm_label="Remove")
        self.app.push_screen(confirm, answered)

    # -- review and submit -------------------------------------------------------------
    def _server_body(self) -> dict[str, Any] | None:
        """The connection as the server has it (an edit's PUT starts from it)."""
        if self.mode == "edit" and self.connection is not None:
            return self.connection.to_payload()
        return None

    def build_payload(self) -> dict[str, Any]:
        """The body to POST or PUT (raises FormInvalid when the form has errors)."""
        assert self.form_tree is not None
        common, alarms = self._common(), self.alarms.payload()
        return sub.build_payload(self.form_tree, common, alarms, server_body=self._server_body())

    def _render_review(self) -> None:
        if self.form_tree is None or self.connector is None:
            return
        errors = self._errors()
        self.review.render_body(
            self.form_tree,
            problems=len(errors),
            body=None if errors else self.build_payload(),
            server=self._server_body(),
            schema=self.connector.configuration_schema,
            verb="PUT" if self.mode == "edit" else "POST",
        )

    @on(Button.Pressed, "#submit, #back")
    async def _review_button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            await self.action_submit()
        else:
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
        if not self.alarms.check():
            await self._go("alarms")
            return
        if self.step != "review":
            # what is sent (secrets masked; for an edit, what changes) is seen before it goes
            await self._go("review")
            return
        self._send(self.build_payload())

    @work(exclusive=True, group="form-submit", exit_on_error=False)
    async def _send(self, payload: dict[str, Any]) -> None:
        self.sending = True
        self.review.show_sending()
        try:
            if self.mode == "edit":
                result = await self.client.update_connection(str(self.connection_id), payload)
            else:
                result = await self.client.create_connection(payload)
        except ValidationFailed as error:
            await self._refused(error)
            return
        except ApiError as error:
            if self.step != "review":
                await self._go("review")
            self.review.show_failure(error.user_message)
            self.save_draft()
            return
        except Exception:  # not a documented answer: say so, the app's handler logs it
            self.review.show_failure("Sending failed unexpectedly; the log has the details.")
            self.save_draft()
            raise
        finally:  # whatever happened, the form is usable again: esc, ctrl+g retries
            self.sending = False
        self.draft.discard(self.draft_key)
        self.dirty = False
        verb = "Saved" if self.mode == "edit" else "Created"
        self.app.notify(f"{verb} “{one_line(result.name)}” (id {one_line(result.id)}).", timeout=4)
        self.dismiss(result.id)

    async def _refused(self, error: ValidationFailed) -> None:
        """A 400: show it, and on the field it names; everything typed stays."""
        assert self.form_tree is not None
        self.server_error = sub.refusal(self.form_tree, error.field, error.message)
        self.save_draft()
        await self._go("settings")
        self.settings.show_refusal(self.form_tree, self.server_error)
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
                self.draft.discard(self.draft_key)
                self.dirty = False
                self.dismiss(None)

        what = {"create": "the new connection", "edit": "this edit", "clone": "this clone"}
        self.app.push_screen(LeaveFormScreen(what[self.mode]), answered)


__all__ = ["ConnectionFormScreen", "Mode"]
