"""One alarm's fields and its live preview: the card the alarm list editor stacks.

The card keeps its editing state in an :class:`~tui.alarms.AlarmDraft`; widgets only show it.
Change handlers are idempotent (a value equal to the draft's is ignored), so filling the widgets
from the draft never counts as an edit and an untouched alarm is written back exactly as loaded.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, RadioSet, Select, Static

from ..alarms import AlarmDraft, AlarmProblem, RecurrenceError
from ..alarms.fields import (
    BY_NAME,
    REPEATING,
    TEXT_INPUTS,
    base_field,
    draft_from_json,
    spec_of,
)
from ..alarms.zones import zone_completion
from .alarm_preview import AlarmPreview
from .alarm_rows import RULE_TEXT_FIELDS, UNITS, field_rows, nth_options
from .alarm_toggles import TextCheckbox, TextRadioButton


class AlarmCard(Vertical):
    """Fields and preview for one alarm. ``raw`` is the stored alarm (None for a new one)."""

    DEFAULT_CSS = """
    AlarmCard {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        &:focus-within { border: round $accent; border-title-color: $accent; }
        & > .alarm-notice { color: $warning; height: auto; }
        & > .alarm-body { height: auto; layout: vertical; }
        & .alarm-fields { height: auto; width: 1fr; }
        & .alarm-row { height: auto; }
        & .alarm-row.-hidden { display: none; }
        & .alarm-label { width: 11; color: $text-muted; }
        & Input { width: 14; }
        & #f-start, & #f-end { width: 8; }
        & #f-tz { width: 26; }
        & #f-interval, & #f-month-day, & #f-count { width: 6; }
        & #f-rate { width: 8; }
        & #f-message, & #f-rrule { width: 1fr; }
        & Select { width: 20; }
        & #f-nth { width: 12; }
        & #f-nth-weekday { width: 14; }
        & #f-monthly-mode { width: 18; }
        & .alarm-word { width: auto; padding: 0 1; color: $text-muted; }
        & .alarm-note { width: 1fr; height: auto; padding: 0 0 0 1; color: $text-muted; }
        & .alarm-note.-error { color: $text-error; }
        & #m-rrule { height: auto; margin: 0 0 0 11; padding: 0; }
        & #m-rrule.-empty { display: none; }
        & Checkbox { margin-right: 1; }
        & RadioSet { layout: horizontal; width: auto; height: 1; }
        & RadioSet > RadioButton { width: auto; margin-right: 1; }
        & .-off { display: none; }
    }
    """

    class Edited(Message):
        """The operator changed this alarm (posted after the draft and preview are updated)."""

        def __init__(self, card: AlarmCard) -> None:
            super().__init__()
            self.card = card

    def __init__(
        self,
        raw: dict[str, Any] | None,
        *,
        number: int,
        now: Callable[[], datetime],
        local_tz: tzinfo | None,
        draft: AlarmDraft | None = None,
    ) -> None:
        super().__init__()
        self.raw = copy.deepcopy(raw)
        if draft is not None:
            self.draft, self.notice = draft, ""
        else:
            self.draft, self.notice = (
                draft_from_json(raw) if raw is not None else (AlarmDraft(), "")
            )
        self.dirty = raw is None
        self.number = number
        self.now = now
        self.local_tz = local_tz
        self.parse_errors: dict[str, str] = {}
        self._notes: dict[str, str] = {}
        # The numbered weekdays the picker was built with (rows build it from the draft).
        self._nth_offered: tuple[int, ...] = self.draft.nth_choices()

    # --- public -------------------------------------------------------------------------------

    def alarm_json(self) -> dict[str, Any]:
        """The alarm as ThingPark JSON: the stored dict itself while untouched."""
        if not self.dirty and self.raw is not None:
            return copy.deepcopy(self.raw)
        return self.draft.to_alarm().to_json()

    def problems(self) -> list[AlarmProblem]:
        """Typing mistakes first, then what the draft says, one sentence per field."""
        out = [AlarmProblem(f, m) for f, m in self.parse_errors.items() if self._relevant(f)]
        taken = {p.field for p in out}
        for p in self.draft.validate():
            field = base_field(p.field)
            if field in taken or (field == "custom_rule" and "rrule" in taken):
                continue
            out.append(p)
        return out

    def _relevant(self, field: str) -> bool:
        """Whether a typing mistake in ``field`` matters with the current choices."""
        spec = BY_NAME.get(field)
        return spec is None or spec.relevant(self.draft)

    def focus_problem(self, field: str) -> bool:
        widget = self.query_one(f"#{spec_of(field).widget}")
        widget.focus()
        widget.scroll_visible()
        return True

    def focus_first(self) -> None:
        self.query_one("#f-date", Input).focus()

    def set_number(self, number: int) -> None:
        self.number = number
        self._update_title()

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.notice:
            yield Static(self.notice, classes="alarm-notice")
        with Horizontal(classes="alarm-body"):
            with Vertical(classes="alarm-fields"):
                yield from field_rows(self.draft)
            yield AlarmPreview(now=self.now, local_tz=self.local_tz)

    def on_mount(self) -> None:
        self.refresh_view()

    # --- showing the draft --------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Visibility, notes beside fields, title and preview from the draft (synchronous)."""
        self._sync_visibility()
        self._sync_notes()
        self._update_title()
        self.query_one(AlarmPreview).show(self.draft, self.problems())

    def _update_title(self) -> None:
        self.border_title = f"Alarm {self.number}"
        try:
            self.border_subtitle = self.draft.summary() if not self.problems() else "needs fixing"
        except Exception:  # a summary is decoration; never let it break editing
            self.border_subtitle = ""

    def _sync_visibility(self) -> None:
        d = self.draft
        f = d.frequency
        repeating = f in REPEATING
        for w in self.query(".interval-part"):
            w.set_class(not repeating, "-off")
        self.query_one("#unit", Label).update(UNITS.get(f, ""))
        self.query_one(".row-weekly").set_class(f != "weekly", "-hidden")
        self.query_one(".row-monthly").set_class(f not in ("monthly", "yearly"), "-hidden")
        self.query_one(".row-yearly").set_class(f != "yearly", "-hidden")
        self.query_one(".row-ends").set_class(not repeating, "-hidden")
        for w in self.query(".mode-day"):
            # A yearly rule's day is the first window's: no month day to type.
            w.set_class(d.monthly_mode != "day" or f == "yearly", "-off")
        for w in self.query(".mode-nth"):
            w.set_class(d.monthly_mode != "nth", "-off")
        self.query_one("#f-until").set_class(d.ends != "until", "-off")
        self.query_one("#f-count").set_class(d.ends != "count", "-off")
        self.query_one("#count-word").set_class(d.ends != "count", "-off")

    def _hints(self) -> dict[str, str]:
        d = self.draft
        hints: dict[str, str] = {"m-date": d.first_date.strftime("%A")}
        if d.end_day_offset is None and d.end_time < d.start_time:
            hints["m-time"] = "ends the next day"
        elif d.end_day_offset:
            hints["m-time"] = f"ends {d.end_day_offset} day(s) later"
        if d.frequency == "custom":
            hints["m-freq"] = "edit the rule as RRULE text below"
        if d.frequency == "yearly" and not d.months:
            hints["m-months"] = (
                "empty: counted in the whole year"
                if d.monthly_mode == "nth"
                else "empty: the first date's month"
            )
        if d.frequency == "weekly" and not d.weekdays:
            hints["m-days"] = f"none: {d.first_date.strftime('%A')}s, the first date's day"
        hints["m-rrule"] = ""
        return hints

    def _sync_notes(self) -> None:
        hints = self._hints()
        errors: dict[str, list[str]] = {}
        for p in self.problems():
            note = spec_of(p.field).note
            errors.setdefault(note, []).append(p.message)
        tz = self.query_one("#f-tz", Input)
        completion = zone_completion(tz.value) if tz.has_focus else None
        if "m-tz" in errors and completion is not None:
            # the dim completion after the cursor is not a value yet: say how to take it
            errors["m-tz"] = [f"'{tz.value}' is not a zone yet: → takes {completion}."]
        for note in self.query(".alarm-note"):
            assert note.id is not None
            text = "✗ " + " ".join(errors[note.id]) if note.id in errors else hints.get(note.id, "")
            if self._notes.get(note.id) != text:  # skip needless re-layouts while typing
                self._notes[note.id] = text
                note.update(text)
            note.set_class(note.id in errors, "-error")
            if note.id == "m-rrule":
                note.set_class(not (note.id in errors or hints.get(note.id)), "-empty")

    def _fill_fields(self) -> None:
        """Widgets from the draft after the RRULE text replaced the rule (idempotent handlers
        make the resulting Changed messages no-ops)."""
        d = self.draft
        self.query_one("#f-freq", Select).value = d.frequency
        for i in range(7):
            self.query_one(f"#day-{i}", TextCheckbox).value = i in d.weekdays
        self.query_one("#f-monthly-mode", Select).value = d.monthly_mode
        self._fill_nth()
        self.query_one("#f-nth-weekday", Select).value = d.nth_weekday % 7
        self.query_one(f"#ends-{d.ends}", TextRadioButton).value = True
        for name in RULE_TEXT_FIELDS:
            spec = BY_NAME[name]
            self.query_one(f"#{spec.widget}", Input).value = spec.show(getattr(d, name))
            self.parse_errors.pop(name, None)

    def _fill_on_fields(self) -> None:
        """The monthly "on" widgets from the draft (idempotent handlers: no edit counted)."""
        d = self.draft
        if "month_day" not in self.parse_errors:  # keep a typing mistake visible to fix
            self.query_one("#f-month-day", Input).value = str(d.month_day)
        self._fill_nth()
        self.query_one("#f-nth-weekday", Select).value = (d.nth_weekday or 0) % 7

    def _fill_nth(self) -> None:
        """The numbered-weekday picker: its options (a yearly rule without months counts in
        the year, up to the 52nd) and the draft's number."""
        d, picker = self.draft, self.query_one("#f-nth", Select)
        choices = d.nth_choices()
        if self._nth_offered != choices:
            self._nth_offered = choices
            picker.set_options(nth_options(choices))
        if d.nth in choices:
            picker.value = d.nth

    def _edited(self) -> None:
        self.dirty = True
        if not self.query_one("#f-rrule", Input).has_focus:
            self.query_one("#f-rrule", Input).value = self._rrule_or_blank()
        self.refresh_view()
        self.post_message(self.Edited(self))

    def _rrule_or_blank(self) -> str:
        try:
            return self.draft.rrule_text()
        except Exception:  # an incomplete rule has no text yet
            return ""

    # --- edits --------------------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        """Every text input goes through its row of :data:`~tui.alarms.fields.FIELDS`."""
        event.stop()
        spec = TEXT_INPUTS.get(event.input.id or "")
        if spec is None:
            return
        before = dict(self.parse_errors)
        value, error = spec.read(event.value)
        if error is not None:
            self.parse_errors[spec.name] = error
        else:
            self.parse_errors.pop(spec.name, None)
        if value is not None and value != getattr(self.draft, spec.name):
            self.draft.set_field(spec.name, value)
            if spec.name in ("first_date", "months"):
                self._fill_on_fields()  # the month day and numbered weekday followed it
            self._edited()
        elif before != self.parse_errors:
            self.refresh_view()
            self.post_message(self.Edited(self))

    @on(Input.Blurred, "#f-tz")
    def _zone_left(self, event: Input.Blurred) -> None:
        self._sync_notes()  # the completion is not shown any more: neither is "→ takes"

    @on(Input.Submitted, "#f-rrule")
    @on(Input.Blurred, "#f-rrule")
    def _rrule_entered(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        self.apply_rrule_text(event.value)

    def apply_rrule_text(self, text: str) -> None:
        """Set the recurrence fields from RRULE text (the advanced import)."""
        if text.strip() == self._rrule_or_blank() and "rrule" not in self.parse_errors:
            return
        try:
            self.draft.set_rrule_text(text)
        except RecurrenceError as exc:
            self.parse_errors["rrule"] = str(exc)
            self.refresh_view()
            self.post_message(self.Edited(self))
            return
        self.parse_errors.pop("rrule", None)
        self._fill_fields()
        self._edited()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        d, value = self.draft, event.value
        match event.select.id:
            case "f-freq":
                if value == d.frequency:
                    return
                if value == "custom" and d.custom_rule is None:
                    # Keep the current rule as the starting point of the RRULE text.
                    rule = d.build_rule()
                    if rule is None:
                        self.query_one("#f-freq", Select).value = d.frequency
                        self.parse_errors["rrule"] = (
                            "Type an RRULE below, e.g. FREQ=WEEKLY;BYDAY=MO;INTERVAL=2."
                        )
                        self.refresh_view()
                        return
                    d.custom_rule = rule
                d.set_field("frequency", value)
                self._fill_on_fields()  # the number may now count in the year, or a month
            case "f-monthly-mode":
                if value == d.monthly_mode:
                    return
                d.monthly_mode = value
            case "f-nth" | "f-nth-weekday":
                name = "nth" if event.select.id == "f-nth" else "nth_weekday"
                if value == getattr(d, name):
                    return
                d.set_field(name, value)
            case _:
                return
        self._edited()

    @on(Checkbox.Changed)
    def _day_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        i = int((event.checkbox.id or "day-0").removeprefix("day-"))
        if event.value == (i in self.draft.weekdays):
            return
        if event.value:
            self.draft.weekdays.add(i)
        else:
            self.draft.weekdays.discard(i)
        self._edited()

    @on(RadioSet.Changed, "#f-ends")
    def _ends_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        value = (event.pressed.id or "ends-never").removeprefix("ends-")
        if value == self.draft.ends:
            return
        self.draft.ends = value
        if value != "until":
            self.parse_errors.pop("until", None)
        if value != "count":
            self.parse_errors.pop("count", None)
        self._edited()
