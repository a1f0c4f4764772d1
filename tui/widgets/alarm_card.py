"""One alarm's fields and its live preview: the card the alarm list editor stacks.

The card keeps its editing state in an :class:`~tui.alarms.AlarmDraft`; widgets only show it.
Change handlers are idempotent (a value equal to the draft's is ignored), so filling the widgets
from the draft never counts as an edit and an untouched alarm is written back exactly as loaded.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date, datetime, time, tzinfo
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from ..alarms import (
    DAY_NAMES,
    NTH_CHOICES,
    Alarm,
    AlarmDraft,
    AlarmProblem,
    RecurrenceError,
    available_timezones,
)
from .alarm_preview import AlarmPreview

DAY_SHORT = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FREQUENCY_OPTIONS = [
    ("does not repeat", "none"),
    ("daily", "daily"),
    ("weekly", "weekly"),
    ("monthly", "monthly"),
    ("yearly", "yearly"),
    ("custom (RRULE)", "custom"),
]
UNITS = {"daily": "day(s)", "weekly": "week(s)", "monthly": "month(s)", "yearly": "year(s)"}
NTH_OPTIONS = [
    (label, n)
    for label, n in zip(("first", "second", "third", "fourth", "last"), NTH_CHOICES, strict=True)
]
ENDS = ("never", "until", "count")

DATE_HINT = "Use YYYY-MM-DD, e.g. 2026-03-02."
TIME_HINT = "Use HH:MM (24-hour), e.g. 09:00."
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Draft field (as in AlarmProblem.field) → the widget that edits it and the note beside it.
FIELD_WIDGET = {
    "first_date": "f-date",
    "start_time": "f-start",
    "end_time": "f-end",
    "timezone": "f-tz",
    "frequency": "f-freq",
    "interval": "f-interval",
    "weekdays": "day-0",
    "monthly_mode": "f-monthly-mode",
    "month_day": "f-month-day",
    "nth": "f-nth",
    "nth_weekday": "f-nth-weekday",
    "months": "f-months",
    "ends": "f-ends",
    "until": "f-until",
    "count": "f-count",
    "rate": "f-rate",
    "message": "f-message",
    "rrule": "f-rrule",
    "custom_rule": "f-rrule",
}
FIELD_NOTE = {
    "first_date": "m-date",
    "start_time": "m-time",
    "end_time": "m-time",
    "timezone": "m-tz",
    "frequency": "m-freq",
    "interval": "m-freq",
    "weekdays": "m-days",
    "monthly_mode": "m-month",
    "month_day": "m-month",
    "nth": "m-month",
    "nth_weekday": "m-month",
    "months": "m-months",
    "ends": "m-ends",
    "until": "m-ends",
    "count": "m-ends",
    "rate": "m-rate",
    "message": "m-rrule",
    "rrule": "m-rrule",
    "custom_rule": "m-rrule",
}


def base_field(name: str) -> str:
    """``other_rules[0].frequency`` → ``rrule``: further rules are only shown as RRULE text."""
    return "rrule" if name.startswith("other_rules") else name


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    m = _TIME.match(text.strip())
    if not m:
        return None
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s)


def format_time(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def parse_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


def parse_months(text: str) -> set[int] | None:
    out: set[int] = set()
    for token in re.split(r"[\s,]+", text.strip().lower()):
        if not token:
            continue
        if token.isdigit():
            out.add(int(token))  # out-of-range numbers are the draft's to explain
        elif len(token) >= 3 and token[:3] in MONTH_NAMES:
            out.add(MONTH_NAMES.index(token[:3]) + 1)
        else:
            return None
    return out


def format_months(months: set[int]) -> str:
    return ", ".join(MONTH_NAMES[m - 1].title() if 1 <= m <= 12 else str(m) for m in sorted(months))


def format_rate(rate: Any) -> str:
    return "" if rate is None else str(rate)


def draft_from_json(raw: Any) -> tuple[AlarmDraft, str]:
    """A draft for a stored alarm and a note when it could not be read fully."""
    if not isinstance(raw, dict):
        return AlarmDraft(), "This alarm is not a JSON object; it is kept as is unless edited."
    try:
        return AlarmDraft.from_alarm(Alarm.from_json(raw)), ""
    except Exception as exc:  # best effort: the raw alarm is kept until edited
        return (
            AlarmDraft(),
            f"This alarm could not be read ({exc}); it is kept as is unless edited.",
        )


def _row(label: str, *children: Widget, classes: str = "") -> Horizontal:
    return Horizontal(
        Label(label, classes="alarm-label"), *children, classes=f"alarm-row {classes}"
    )


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
        d = self.draft
        repeating = d.frequency in UNITS
        return {
            "interval": repeating,
            "month_day": d.frequency == "monthly" and d.monthly_mode == "day",
            "months": d.frequency == "yearly",
            "until": repeating and d.ends == "until",
            "count": repeating and d.ends == "count",
        }.get(field, True)

    def focus_problem(self, field: str) -> bool:
        widget_id = FIELD_WIDGET.get(base_field(field), "f-date")
        widget = self.query_one(f"#{widget_id}")
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
        d = self.draft
        if self.notice:
            yield Static(self.notice, classes="alarm-notice")
        with Horizontal(classes="alarm-body"):
            with Vertical(classes="alarm-fields"):
                yield _row(
                    "First date",
                    Input(
                        d.first_date.isoformat(),
                        placeholder="YYYY-MM-DD",
                        id="f-date",
                        compact=True,
                    ),
                    Static("", id="m-date", classes="alarm-note"),
                )
                yield _row(
                    "Window",
                    Input(
                        format_time(d.start_time), placeholder="HH:MM", id="f-start", compact=True
                    ),
                    Label("to", classes="alarm-word"),
                    Input(format_time(d.end_time), placeholder="HH:MM", id="f-end", compact=True),
                    Static("", id="m-time", classes="alarm-note"),
                )
                yield _row(
                    "Timezone",
                    Input(
                        d.timezone,
                        placeholder="Europe/Paris",
                        id="f-tz",
                        compact=True,
                        suggester=SuggestFromList(available_timezones(), case_sensitive=False),
                    ),
                    Static("", id="m-tz", classes="alarm-note"),
                )
                yield _row(
                    "Repeats",
                    Select(
                        FREQUENCY_OPTIONS,
                        value=d.frequency,
                        allow_blank=False,
                        id="f-freq",
                        compact=True,
                    ),
                    Label("every", classes="alarm-word interval-part"),
                    Input(str(d.interval), id="f-interval", compact=True, classes="interval-part"),
                    Label(
                        UNITS.get(d.frequency, ""), id="unit", classes="alarm-word interval-part"
                    ),
                    Static("", id="m-freq", classes="alarm-note"),
                )
                yield _row(
                    "On",
                    *[
                        Checkbox(DAY_SHORT[i], i in d.weekdays, id=f"day-{i}", compact=True)
                        for i in range(7)
                    ],
                    Static("", id="m-days", classes="alarm-note"),
                    classes="row-weekly",
                )
                yield _row(
                    "Each month",
                    Select(
                        [("on day", "day"), ("on the nth…", "nth")],
                        value=d.monthly_mode,
                        allow_blank=False,
                        id="f-monthly-mode",
                        compact=True,
                    ),
                    Input(str(d.month_day), id="f-month-day", compact=True, classes="mode-day"),
                    Select(
                        NTH_OPTIONS,
                        value=d.nth if d.nth in NTH_CHOICES else 1,
                        allow_blank=False,
                        id="f-nth",
                        compact=True,
                        classes="mode-nth",
                    ),
                    Select(
                        [(name.title(), i) for i, name in enumerate(DAY_NAMES)],
                        value=d.nth_weekday % 7,
                        allow_blank=False,
                        id="f-nth-weekday",
                        compact=True,
                        classes="mode-nth",
                    ),
                    Static("", id="m-month", classes="alarm-note"),
                    classes="row-monthly",
                )
                yield _row(
                    "Months",
                    Input(
                        format_months(d.months),
                        placeholder="e.g. Jan, Jul",
                        id="f-months",
                        compact=True,
                    ),
                    Static("", id="m-months", classes="alarm-note"),
                    classes="row-yearly",
                )
                ends = RadioSet(
                    RadioButton("never", d.ends == "never", id="ends-never"),
                    RadioButton("on date", d.ends == "until", id="ends-until"),
                    RadioButton("after", d.ends == "count", id="ends-count"),
                    id="f-ends",
                    compact=True,
                )
                yield _row(
                    "Ends",
                    ends,
                    Input(
                        d.until.isoformat() if d.until else "",
                        placeholder="YYYY-MM-DD",
                        id="f-until",
                        compact=True,
                    ),
                    Input(
                        str(d.count) if d.count is not None else "",
                        placeholder="N",
                        id="f-count",
                        compact=True,
                    ),
                    Label("times", id="count-word", classes="alarm-word"),
                    Static("", id="m-ends", classes="alarm-note"),
                    classes="row-ends",
                )
                yield _row(
                    "Min rate",
                    Input(format_rate(d.rate), placeholder="10", id="f-rate", compact=True),
                    Label("uplinks/hour", classes="alarm-word"),
                    Static("", id="m-rate", classes="alarm-note"),
                )
                yield _row(
                    "Message",
                    Input(
                        d.message,
                        placeholder="shown in the alarm event",
                        id="f-message",
                        compact=True,
                    ),
                )
                yield _row(
                    "RRULE",
                    Input(
                        d.rrule_text(),
                        placeholder="FREQ=WEEKLY;BYDAY=MO (enter applies)",
                        id="f-rrule",
                        compact=True,
                    ),
                    classes="alarm-rrule-row",
                )
                yield Static("", id="m-rrule", classes="alarm-note -empty")
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
        repeating = f in UNITS
        for w in self.query(".interval-part"):
            w.set_class(not repeating, "-off")
        self.query_one("#unit", Label).update(UNITS.get(f, ""))
        self.query_one(".row-weekly").set_class(f != "weekly", "-hidden")
        self.query_one(".row-monthly").set_class(f != "monthly", "-hidden")
        self.query_one(".row-yearly").set_class(f != "yearly", "-hidden")
        self.query_one(".row-ends").set_class(not repeating, "-hidden")
        for w in self.query(".mode-day"):
            w.set_class(d.monthly_mode != "day", "-off")
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
            hints["m-months"] = "empty: the first date's month"
        hints["m-rrule"] = ""
        return hints

    def _sync_notes(self) -> None:
        hints = self._hints()
        errors: dict[str, list[str]] = {}
        for p in self.problems():
            note = FIELD_NOTE.get(base_field(p.field), "m-rrule")
            errors.setdefault(note, []).append(p.message)
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
        self.query_one("#f-interval", Input).value = str(d.interval)
        for i in range(7):
            self.query_one(f"#day-{i}", Checkbox).value = i in d.weekdays
        self.query_one("#f-monthly-mode", Select).value = d.monthly_mode
        self.query_one("#f-month-day", Input).value = str(d.month_day)
        if d.nth in NTH_CHOICES:
            self.query_one("#f-nth", Select).value = d.nth
        self.query_one("#f-nth-weekday", Select).value = d.nth_weekday % 7
        self.query_one("#f-months", Input).value = format_months(d.months)
        self.query_one(f"#ends-{d.ends}", RadioButton).value = True
        self.query_one("#f-until", Input).value = d.until.isoformat() if d.until else ""
        self.query_one("#f-count", Input).value = str(d.count) if d.count is not None else ""
        for name in ("interval", "month_day", "months", "until", "count"):
            self.parse_errors.pop(name, None)

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

    def _parsed(self, field: str, value: Any, message: str) -> Any:
        """Record a typing mistake for ``field`` (value None) or clear it; returns ``value``."""
        if value is None:
            self.parse_errors[field] = message
        else:
            self.parse_errors.pop(field, None)
        return value

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        d, text = self.draft, event.value
        before = dict(self.parse_errors)
        changed = False
        match event.input.id:
            case "f-date":
                v = self._parsed("first_date", parse_date(text), DATE_HINT)
                if v is not None and v != d.first_date:
                    d.first_date, changed = v, True
            case "f-start":
                v = self._parsed("start_time", parse_time(text), TIME_HINT)
                if v is not None and v != d.start_time:
                    d.start_time, changed = v, True
            case "f-end":
                v = self._parsed("end_time", parse_time(text), TIME_HINT)
                if v is not None and v != d.end_time:
                    d.end_time, changed = v, True
            case "f-tz":
                if text.strip() != d.timezone:
                    d.timezone, changed = text.strip(), True
            case "f-interval":
                v = self._parsed("interval", parse_int(text), "Use a whole number, 1 or more.")
                if v is not None and v != d.interval:
                    d.interval, changed = v, True
            case "f-month-day":
                v = self._parsed(
                    "month_day", parse_int(text), "Use a day number, 1 to 31 (-1 = last day)."
                )
                if v is not None and v != d.month_day:
                    d.month_day, changed = v, True
            case "f-months":
                v = self._parsed(
                    "months", parse_months(text), "Use month names or numbers, e.g. Jan, Jul."
                )
                if v is not None and v != d.months:
                    d.months, changed = v, True
            case "f-until":
                v = self._parsed("until", parse_date(text), DATE_HINT)
                if v is not None and v != d.until:
                    d.until, changed = v, True
            case "f-count":
                v = self._parsed("count", parse_int(text), "Use a whole number, 1 or more.")
                if v is not None and v != d.count:
                    d.count, changed = v, True
            case "f-rate":
                v = self._parsed(
                    "rate", parse_int(text), "Use a whole number of uplinks per hour, e.g. 10."
                )
                if v is not None and v != d.rate:
                    d.rate, changed = v, True
            case "f-message":
                if text != d.message:
                    d.message, changed = text, True
            case _:
                return
        if changed:
            self._edited()
        elif before != self.parse_errors:
            self.refresh_view()
            self.post_message(self.Edited(self))

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
                d.frequency = value
            case "f-monthly-mode":
                if value == d.monthly_mode:
                    return
                d.monthly_mode = value
            case "f-nth":
                if value == d.nth:
                    return
                d.nth = value
            case "f-nth-weekday":
                if value == d.nth_weekday:
                    return
                d.nth_weekday = value
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
