"""The alarms step of the connection forms, driven from the keyboard (Pilot) and snapshotted.

A tiny app hosts ``AlarmListEditor`` with a fixed clock (Monday 2 March 2026, 09:00 UTC =
10:00 in Paris, inside the documented alarm's window) and a fixed operator zone.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Input, Select

from tests.support.waiting import settled
from tui.screens.confirm import ConfirmScreen
from tui.widgets.alarm_card import AlarmCard
from tui.widgets.alarm_editor import AlarmListEditor
from tui.widgets.alarm_preview import AlarmPreview

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DOCUMENTED: dict[str, Any] = {
    "startTime": "2019-01-31T09:00:00+01:00",
    "endTime": "2019-01-31T18:00:00+01:00",
    "timezone": "Europe/Paris",
    "recurrence": [
        {"frequency": "weekly", "byDays": ["monday", "tuesday", "wednesday", "thursday", "friday"]}
    ],
    "uplinkRateMinPerHour": 10,
    "message": "Low rate during business day...",
}


def documented() -> dict[str, Any]:
    """The alarm of the documentation's create request (tests/fixtures), a fresh copy."""
    return json.loads(EXAMPLE.read_text())["alarms"][0]


def test_reference_example_is_the_documented_alarm() -> None:
    assert documented() == DOCUMENTED


class EditorApp(App[None]):
    """Hosts the editor as the connection form's step does; counts Changed messages."""

    def __init__(self, alarms: list[dict[str, Any]], local_tz: tzinfo | None = UTC) -> None:
        super().__init__()
        self.alarms = alarms
        self.local_tz = local_tz
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield AlarmListEditor(self.alarms, now=lambda: NOW, local_tz=self.local_tz)
        yield Footer()

    def on_alarm_list_editor_changed(self, event: AlarmListEditor.Changed) -> None:
        self.changes += 1

    def on_alarm_list_editor_remove_requested(self, event: AlarmListEditor.RemoveRequested) -> None:
        """As the connection form does: ask, then remove on yes."""

        async def answered(yes: bool | None) -> None:
            if yes:
                await event.editor.remove_card(event.card)

        self.push_screen(
            ConfirmScreen(event.title, event.summary, confirm_label="Remove"), answered
        )

    @property
    def editor(self) -> AlarmListEditor:
        return self.query_one(AlarmListEditor)


def no_blink(app: App[Any]) -> None:
    for widget in app.query(Input):
        widget.cursor_blink = False


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys once what came before has been handled (a ``focus()`` takes effect
    later: keys sent at once went to the field that had the focus), then wait until what
    they set off (an input's Changed, the card's redraw) has been handled too: the
    assertions after a key read the card."""
    await settled(pilot)
    await pilot.press(*keys)
    await settled(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Replace the focused Input's text as a user would: clear it, then type."""
    await press(pilot, "end", "ctrl+u", *text)


def card(app: EditorApp, index: int = 0) -> AlarmCard:
    return app.editor.cards[index]


def focused_id(app: App[Any]) -> str | None:
    return app.focused.id if app.focused is not None else None


def messages(app: EditorApp) -> list[str]:
    return [p.message for _, p in app.editor.problems()]


def note(app: EditorApp, note_id: str, index: int = 0) -> str:
    return str(card(app, index).query_one(f"#{note_id}").render())


async def choose(pilot: Pilot[Any], select_id: str, label: str) -> None:
    """Pick an option of a focused-by-keyboard Select by walking its list."""
    app = pilot.app
    select = app.query_one(f"#{select_id}", Select)
    select.focus()
    await press(pilot, "enter")
    labels = [str(p) for p, _ in select._options]
    current = [v for _, v in select._options].index(select.value)
    target = labels.index(label)
    key = "down" if target > current else "up"
    await press(pilot, *[key] * abs(target - current), "enter")


# --- from scratch, keyboard only ------------------------------------------------------------


async def test_documented_alarm_set_up_from_the_keyboard() -> None:
    app = EditorApp([], local_tz=ZoneInfo("Europe/Paris"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "No alarms" in str(app.query_one("#alarms-empty").render())
        app.editor.focus()
        await press(pilot, "ctrl+n")
        await pilot.pause()
        assert len(app.editor.cards) == 1
        assert focused_id(app) == "f-date"
        # A new alarm starts today in the operator's zone: a usable business-day default.
        assert card(app).draft.first_date.isoformat() == "2026-03-02"
        assert card(app).draft.timezone == "Europe/Paris"

        await type_text(pilot, "2019-01-31")
        await press(pilot, "tab")
        assert focused_id(app) == "f-start"
        await type_text(pilot, "09:00")
        await press(pilot, "tab")
        await type_text(pilot, "18:00")
        await press(pilot, "tab")
        assert focused_id(app) == "f-tz"
        await type_text(pilot, "europe/par")
        await press(pilot, "right")  # accept the completion
        assert app.focused.value == "Europe/Paris"
        await press(pilot, "tab")
        assert focused_id(app) == "f-freq"

        await choose(pilot, "f-freq", "daily")
        assert card(app).draft.frequency == "daily"
        assert card(app).query_one(".row-weekly").has_class("-hidden")
        await choose(pilot, "f-freq", "weekly")
        assert not card(app).query_one(".row-weekly").has_class("-hidden")
        await press(pilot, "tab")
        assert focused_id(app) == "f-interval"
        await press(pilot, "tab")
        assert focused_id(app) == "day-0"
        # Walk the weekday toggles; switch Friday off, see it go, and back on.
        await press(pilot, "tab", "tab", "tab", "tab")
        assert focused_id(app) == "day-4"
        await press(pilot, "space")
        assert "friday" not in app.editor.alarms_json()[0]["recurrence"][0]["byDays"]
        await press(pilot, "space")
        await press(pilot, "tab", "tab", "tab")
        assert focused_id(app) == "f-ends"
        await press(pilot, "tab")
        assert focused_id(app) == "f-rate"
        await type_text(pilot, "10")
        await press(pilot, "tab")
        assert focused_id(app) == "f-message"
        await type_text(pilot, "Low rate during business day...")
        await press(pilot, "tab")
        assert focused_id(app) == "f-rrule"
        assert app.focused.value == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

        assert app.editor.problems() == []
        result = app.editor.alarms_json()
        assert result == [documented()]
        assert list(result[0]) == list(documented())
        preview = card(app).query_one(AlarmPreview)
        assert "Weekdays 09:00–18:00 Europe/Paris, alert below 10 uplinks/h" in preview.plain
        assert "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" in preview.plain
        assert app.changes > 0


# --- loading and round trips -----------------------------------------------------------------


async def test_documented_example_round_trips_untouched() -> None:
    alarms = [documented()]
    app = EditorApp(copy.deepcopy(alarms))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.editor.alarms_json() == alarms
        assert app.editor.problems() == []
        # Walking through every field without typing changes nothing either.
        app.query_one("#f-date").focus()
        await press(pilot, *["tab"] * 16)
        await pilot.pause()
        assert app.editor.alarms_json() == alarms
        assert app.changes == 0


async def test_preview_shows_windows_in_alarm_and_local_zones() -> None:
    app = EditorApp([documented()], local_tz=ZoneInfo("America/New_York"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        preview = card(app).query_one(AlarmPreview)
        assert preview.rows == [
            "now  Mon 02 Mar 2026 09:00–18:00 CET  Mon 02 Mar 2026 03:00–12:00 EST",
            "     Tue 03 Mar 2026 09:00–18:00 CET  Tue 03 Mar 2026 03:00–12:00 EST",
            "     Wed 04 Mar 2026 09:00–18:00 CET  Wed 04 Mar 2026 03:00–12:00 EST",
            "     Thu 05 Mar 2026 09:00–18:00 CET  Thu 05 Mar 2026 03:00–12:00 EST",
            "     Fri 06 Mar 2026 09:00–18:00 CET  Fri 06 Mar 2026 03:00–12:00 EST",
        ]
        assert "⚠" not in preview.plain  # the platform's own form, first window on the rule


async def test_unknown_keys_survive_an_edit() -> None:
    alarm = documented()
    alarm["severity"] = "major"
    alarm["recurrence"][0]["x-note"] = {"keep": True}
    app = EditorApp([alarm])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-rate").focus()
        await type_text(pilot, "25")
        await pilot.pause()
        out = app.editor.alarms_json()[0]
        assert out["uplinkRateMinPerHour"] == 25
        assert out["severity"] == "major"
        assert out["recurrence"][0]["x-note"] == {"keep": True}
        assert out["startTime"] == alarm["startTime"]
        assert app.changes >= 1  # each keystroke is an edit


async def test_malformed_alarm_is_kept_until_edited() -> None:
    bad = {"startTime": 42, "weird": [1, 2]}
    app = EditorApp([bad])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.editor.alarms_json() == [bad]
        # Still reported, so the form does not save it silently.
        assert any("timezone" in m for m in messages(app))


# --- validation ------------------------------------------------------------------------------


async def test_invalid_input_shows_plain_sentences_beside_fields() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-date").focus()
        await type_text(pilot, "31/01/2019")
        assert "Use YYYY-MM-DD" in note(app, "m-date")
        await type_text(pilot, "2019-01-31")
        assert note(app, "m-date") == "Thursday"

        app.query_one("#f-end").focus()
        await type_text(pilot, "9h")
        assert "Use HH:MM" in note(app, "m-time")
        await type_text(pilot, "09:00")
        assert "The window must end after it starts." in note(app, "m-time")

        app.query_one("#f-tz").focus()
        await type_text(pilot, "Mars/Olympus")
        assert "Mars/Olympus" in note(app, "m-tz")

        for i in range(5):
            app.query_one(f"#day-{i}").focus()
            await press(pilot, "space")
        # No day is not a mistake: the rule repeats on the first date's day (RFC 5545).
        assert note(app, "m-days") == "none: Thursdays, the first date's day"
        assert all(str(app.query_one(f"#day-{i}").render()).startswith("[ ]") for i in range(7))

        app.query_one("#f-rate").focus()
        await type_text(pilot, "-5")
        assert "0 or more" in note(app, "m-rate")

        await pilot.pause()
        found = messages(app)
        assert "The window must end after it starts." in found
        assert any("Mars/Olympus" in m for m in found)
        assert any("minimum rate" in m for m in found)
        assert "Fix the 3 problems" in card(app).query_one(AlarmPreview).plain

        app.query_one("#f-message").focus()
        await pilot.pause()
        assert app.editor.focus_first_problem()
        await pilot.pause()
        assert focused_id(app) == "f-end"


async def test_focus_first_problem_is_false_when_all_is_well() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)):
        assert app.editor.focus_first_problem() is False


# --- recurrence variants ---------------------------------------------------------------------


async def test_monthly_nth_weekday() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "f-freq", "monthly")
        c = card(app)
        assert not c.query_one(".row-monthly").has_class("-hidden")
        assert c.query_one(".row-weekly").has_class("-hidden")
        await choose(pilot, "f-monthly-mode", "nth weekday")
        assert not c.query_one("#f-nth").has_class("-off")
        assert c.query_one("#f-month-day").has_class("-off")
        await choose(pilot, "f-nth", "last")
        await choose(pilot, "f-nth-weekday", "Friday")
        rule = app.editor.alarms_json()[0]["recurrence"][0]
        assert rule == {"frequency": "monthly", "byDays": ["-1friday"]}
        preview = c.query_one(AlarmPreview)
        assert preview.rows[0].startswith("     Fri 27 Mar 2026 09:00–18:00 CET")
        assert "platform's description" not in preview.plain
        # The documented first window is a Thursday: not a last Friday, so an extra one.
        assert "⚠ The first window (Thu 31 Jan 2019 09:00–18:00 CET) is not on the rule" in (
            preview.plain
        )
        assert app.query_one("#f-rrule", Input).value == "FREQ=MONTHLY;BYDAY=-1FR"


async def test_ends_after_n_occurrences() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        c = card(app)
        app.query_one("#f-ends").focus()
        await press(pilot, "right", "right", "enter")  # never → on date → after
        await pilot.pause()
        assert c.draft.ends == "count"
        assert not c.query_one("#f-count").has_class("-off")
        assert "The number of occurrences" in note(app, "m-ends")
        app.query_one("#f-count").focus()
        await type_text(pilot, "3")
        await pilot.pause()
        assert app.editor.alarms_json()[0]["recurrence"][0]["count"] == 3
        assert app.editor.problems() == []
        # The first window (Thu 31 Jan 2019) and two more: all in the past.
        assert "No window from now on." in c.query_one(AlarmPreview).plain


async def test_ends_on_a_date() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-ends").focus()
        await press(pilot, "right", "enter")
        app.query_one("#f-until").focus()
        await type_text(pilot, "2026-03-04")
        await pilot.pause()
        # The whole local day, written as the platform's date-time with offset.
        until = app.editor.alarms_json()[0]["recurrence"][0]["until"]
        assert until == "2026-03-04T23:59:59+01:00"
        assert len(card(app).query_one(AlarmPreview).rows) == 3


async def test_rrule_text_import_sets_the_fields() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-rrule").focus()
        await type_text(pilot, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU")
        await press(pilot, "enter")
        await pilot.pause()
        c = card(app)
        assert c.draft.weekdays == {5, 6}
        assert app.query_one("#f-interval", Input).value == "2"
        assert app.query_one("#day-5").value and not app.query_one("#day-0").value
        rule = app.editor.alarms_json()[0]["recurrence"][0]
        assert rule == {"frequency": "weekly", "byDays": ["saturday", "sunday"], "interval": 2}
        assert "platform's description" not in c.query_one(AlarmPreview).plain

        # Hourly is the platform's too, but a 9-hour window cannot repeat every hour.
        await type_text(pilot, "FREQ=HOURLY")
        await press(pilot, "enter")
        await pilot.pause()
        assert app.query_one("#f-freq", Select).value == "hourly"
        assert messages(app) == [
            "A 9h 0m window repeated every hour overlaps the next one; make the window "
            "1h 0m or shorter, or repeat less often."
        ]
        assert note(app, "m-freq").startswith("✗ A 9h 0m window")


async def test_custom_rule_is_edited_as_text() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-rrule").focus()
        await type_text(pilot, "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1")
        await press(pilot, "enter")
        await pilot.pause()
        assert card(app).draft.frequency == "custom"
        assert app.query_one("#f-freq", Select).value == "custom"
        assert card(app).query_one(".row-weekly").has_class("-hidden")
        assert app.editor.problems() == []


HOURLY: dict[str, Any] = {
    "startTime": "2026-03-02T09:00:00+01:00",
    "endTime": "2026-03-02T09:30:00+01:00",
    "timezone": "Europe/Paris",
    "recurrence": [{"frequency": "hourly"}],
    "uplinkRateMinPerHour": 2,
    "message": "Meter bursts missing",
}
FIRST_MONDAY: dict[str, Any] = {
    "startTime": "2026-03-02T09:00:00+01:00",
    "endTime": "2026-03-02T18:00:00+01:00",
    "timezone": "Europe/Paris",
    "recurrence": [{"frequency": "monthly", "byDays": ["1monday"]}],
    "uplinkRateMinPerHour": 10,
    "message": "Monthly maintenance day",
}


async def test_hourly_window_set_up_and_previewed() -> None:
    """A 09:00–09:30 window, hourly: open for the first half of every hour."""
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-date").focus()
        await type_text(pilot, "2026-03-02")
        await choose(pilot, "f-freq", "hourly")
        c = card(app)
        assert c.query_one(".row-weekly").has_class("-hidden")
        assert str(c.query_one("#unit").render()) == "hour(s)"
        # 09:00–18:00 every hour overlaps: said beside the frequency, no preview yet.
        assert "overlaps the next one" in note(app, "m-freq")
        app.query_one("#f-end").focus()
        await type_text(pilot, "09:30")
        await pilot.pause()
        assert app.editor.problems() == []
        out = app.editor.alarms_json()[0]
        assert out["recurrence"] == [{"frequency": "hourly"}]
        assert out["endTime"] == "2026-03-02T09:30:00+01:00"
        preview = c.query_one(AlarmPreview)
        # NOW is 10:00 in Paris: the 10:00 window is open, then one every hour.
        assert preview.rows[:3] == [
            "now  Mon 02 Mar 2026 10:00–10:30 CET  Mon 02 Mar 2026 09:00–09:30 UTC",
            "     Mon 02 Mar 2026 11:00–11:30 CET  Mon 02 Mar 2026 10:00–10:30 UTC",
            "     Mon 02 Mar 2026 12:00–12:30 CET  Mon 02 Mar 2026 11:00–11:30 UTC",
        ]
        assert "Every hour for 30m 0s from 09:00 Europe/Paris" in preview.plain
        assert "⚠" not in preview.plain
        app.query_one("#f-interval").focus()
        await type_text(pilot, "4")
        await pilot.pause()
        assert app.editor.alarms_json()[0]["recurrence"] == [{"frequency": "hourly", "interval": 4}]
        assert preview.rows[:2] == [  # 09:00, 13:00, 17:00…: the 09:00 one is over
            "     Mon 02 Mar 2026 13:00–13:30 CET  Mon 02 Mar 2026 12:00–12:30 UTC",
            "     Mon 02 Mar 2026 17:00–17:30 CET  Mon 02 Mar 2026 16:00–16:30 UTC",
        ]


async def test_first_monday_of_every_month_from_the_keyboard() -> None:
    """The issue's "done when": first Monday of every month, 09:00–18:00 Europe/Paris."""
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-date").focus()
        await type_text(pilot, "2026-03-02")
        await choose(pilot, "f-freq", "monthly")
        await choose(pilot, "f-monthly-mode", "nth weekday")
        select = app.query_one("#f-nth", Select)
        assert [str(p) for p, _ in select._options] == [
            "first",
            "second",
            "third",
            "fourth",
            "last",
            "2nd to last",
        ]
        await choose(pilot, "f-nth", "first")
        await choose(pilot, "f-nth-weekday", "Monday")
        out = app.editor.alarms_json()[0]
        assert out["recurrence"] == [{"frequency": "monthly", "byDays": ["1monday"]}]
        assert (out["startTime"], out["endTime"], out["timezone"]) == (
            "2026-03-02T09:00:00+01:00",
            "2026-03-02T18:00:00+01:00",
            "Europe/Paris",
        )
        preview = card(app).query_one(AlarmPreview)
        assert "⚠" not in preview.plain
        assert [r[5:15] for r in preview.rows[:3]] == ["Mon 02 Mar", "Mon 06 Apr", "Mon 04 May"]
        await choose(pilot, "f-nth", "2nd to last")
        assert app.editor.alarms_json()[0]["recurrence"][0]["byDays"] == ["-2monday"]


async def test_toggles_and_end_choices_say_their_state_in_text() -> None:
    """Under NO_COLOR a shade says nothing: [x]/[ ] and (•)/( ) do."""
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        days = [str(app.query_one(f"#day-{i}").render()) for i in range(7)]
        assert [d[:3] for d in days] == ["[x]"] * 5 + ["[ ]"] * 2
        assert days[0].startswith("[x] Mo")
        ends = [str(app.query_one(f"#ends-{e}").render()) for e in ("never", "until", "count")]
        assert [e[:3] for e in ends] == ["(•)", "( )", "( )"]
        app.query_one("#day-5").focus()
        await press(pilot, "space")
        app.query_one("#f-ends").focus()
        await press(pilot, "right", "enter")
        await pilot.pause()
        assert str(app.query_one("#day-5").render()).startswith("[x] Sa")
        ends = [str(app.query_one(f"#ends-{e}").render()) for e in ("never", "until", "count")]
        assert [e[:3] for e in ends] == ["( )", "(•)", "( )"]


# --- list operations -------------------------------------------------------------------------


async def test_add_duplicate_remove() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#f-rate").focus()
        await press(pilot, "ctrl+t")  # duplicate the alarm being edited
        await pilot.pause()
        assert len(app.editor.cards) == 2
        assert app.editor.alarms_json() == [documented(), documented()]
        assert card(app, 1).border_title == "Alarm 2"
        assert app.focused is card(app, 1).query_one("#f-date")
        await type_text(pilot, "2019-02-01")
        await pilot.pause()
        assert app.editor.alarms_json()[1]["startTime"] == "2019-02-01T09:00:00+01:00"
        assert app.editor.alarms_json()[0] == documented()

        await press(pilot, "ctrl+n")
        await pilot.pause()
        assert len(app.editor.cards) == 3
        assert app.focused is card(app, 2).query_one("#f-date")

        # Remove asks first; cancelling keeps it.
        await press(pilot, "ctrl+r")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await press(pilot, "escape")
        await pilot.pause()
        assert len(app.editor.cards) == 3
        app.query_one(AlarmListEditor).cards[0].query_one("#f-rate").focus()
        await press(pilot, "ctrl+r")
        await pilot.pause()
        await press(pilot, "y")
        await pilot.pause()
        assert len(app.editor.cards) == 2
        assert [c.border_title for c in app.editor.cards] == ["Alarm 1", "Alarm 2"]
        assert app.editor.alarms_json()[0]["startTime"] == "2019-02-01T09:00:00+01:00"
        assert app.focused is card(app, 0).query_one("#f-date")


async def test_removing_the_last_alarm_shows_the_empty_hint() -> None:
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "ctrl+r", "y")
        await pilot.pause()
        assert app.editor.alarms_json() == []
        assert not app.query_one("#alarms-empty").has_class("-hidden")


# --- snapshots -------------------------------------------------------------------------------


async def _settle(pilot: Pilot[Any]) -> None:
    no_blink(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_documented_alarm(snap_compare: Any, size: tuple[int, int]) -> None:
    app = EditorApp([documented()], local_tz=UTC)
    assert snap_compare(app, terminal_size=size, run_before=_settle)


def test_snapshot_preview_scrolled_into_view(snap_compare: Any) -> None:
    async def to_preview(pilot: Pilot[Any]) -> None:
        no_blink(pilot.app)
        pilot.app.query_one("#f-rrule").focus()
        await pilot.pause()
        pilot.app.query_one(AlarmPreview).scroll_visible(animate=False)
        await pilot.pause()

    app = EditorApp([documented()], local_tz=UTC)
    assert snap_compare(app, terminal_size=(80, 24), run_before=to_preview)


def test_snapshot_problems(snap_compare: Any) -> None:
    async def break_it(pilot: Pilot[Any]) -> None:
        no_blink(pilot.app)
        pilot.app.query_one("#f-end").focus()
        await type_text(pilot, "08:00")
        pilot.app.query_one("#f-tz").focus()
        await type_text(pilot, "Europe/Pari")
        pilot.app.query_one("#f-rate").focus()
        await type_text(pilot, "-1")
        await pilot.pause()

    app = EditorApp([documented()], local_tz=UTC)
    assert snap_compare(app, terminal_size=(80, 24), run_before=break_it)


async def _to_preview(pilot: Pilot[Any]) -> None:
    no_blink(pilot.app)
    await pilot.pause()
    if pilot.app.size.width < 120:  # the preview sits below the fields: bring it into view
        pilot.app.query_one("#f-rrule").focus()
        await pilot.pause()
        pilot.app.query_one(AlarmPreview).scroll_visible(animate=False)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_hourly_alarm(snap_compare: Any, size: tuple[int, int]) -> None:
    """An hourly 09:00–09:30 Paris window: "Repeats hourly every 1 hour(s)", no day or month
    rows; the preview says "Every hour for 30m 0s from 09:00" and lists the open 10:00–10:30
    window marked "now" then one every hour, in Paris time and in UTC."""
    app = EditorApp([copy.deepcopy(HOURLY)], local_tz=UTC)
    assert snap_compare(app, terminal_size=size, run_before=_to_preview)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_first_monday_alarm(snap_compare: Any, size: tuple[int, int]) -> None:
    """A monthly "first Monday" alarm: the "On the" row shows "nth weekday", "first",
    "Monday"; the preview says "Monthly on the first Monday 09:00–18:00 Europe/Paris", the RRULE
    "FREQ=MONTHLY;BYDAY=1MO", no warning, and the windows of 2 March, 6 April, 4 May..."""
    app = EditorApp([copy.deepcopy(FIRST_MONDAY)], local_tz=UTC)
    assert snap_compare(app, terminal_size=size, run_before=_to_preview)


NOV_23: dict[str, Any] = {
    "startTime": "2026-11-23T09:00:00+01:00",
    "endTime": "2026-11-23T18:00:00+01:00",
    "timezone": "Europe/Paris",
    "recurrence": [{"frequency": "weekly", "byDays": ["monday"]}],
    "uplinkRateMinPerHour": 10,
    "message": "Weekly check",
}


async def test_monthly_starts_on_the_first_windows_day() -> None:
    """The report: a weekly alarm whose first window is Monday 23 November 2026, set to
    monthly, repeats on the 23rd ("same day", no byMonthDays) or on the fourth Monday, with
    no warning; a new first date carries the untouched day along, a typed one stays."""
    app = EditorApp([copy.deepcopy(NOV_23)])
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "f-freq", "monthly")
        c = card(app)
        day = app.query_one("#f-month-day", Input)
        assert day.value == "23"
        assert app.query_one("#f-rrule", Input).value == "FREQ=MONTHLY"
        preview = c.query_one(AlarmPreview)
        assert "⚠" not in preview.plain
        assert app.editor.alarms_json()[0]["recurrence"] == [{"frequency": "monthly"}]
        await choose(pilot, "f-monthly-mode", "nth weekday")
        assert app.query_one("#f-nth", Select).value == 4
        assert app.query_one("#f-nth-weekday", Select).value == 0
        assert app.query_one("#f-rrule", Input).value == "FREQ=MONTHLY;BYDAY=4MO"
        assert "⚠" not in preview.plain
        assert [r[5:15] for r in preview.rows[:3]] == ["Mon 23 Nov", "Mon 28 Dec", "Mon 25 Jan"]
        # a new first date: the fields nobody chose follow it
        app.query_one("#f-date").focus()
        await type_text(pilot, "2026-12-01")
        await pilot.pause()
        assert (app.query_one("#f-nth", Select).value, c.draft.nth_weekday) == (1, 1)
        assert app.query_one("#f-rrule", Input).value == "FREQ=MONTHLY;BYDAY=1TU"
        await choose(pilot, "f-monthly-mode", "same day")
        assert app.query_one("#f-month-day", Input).value == "1"
        app.query_one("#f-month-day").focus()
        await type_text(pilot, "15")
        app.query_one("#f-date").focus()
        await type_text(pilot, "2026-12-02")
        await pilot.pause()
        assert app.query_one("#f-month-day", Input).value == "15"  # typed: it stays
        assert app.query_one("#f-rrule", Input).value == "FREQ=MONTHLY;BYMONTHDAY=15"
        assert "byMonthDays is not in the platform's description" in preview.plain


async def test_a_cleared_timezone_shows_an_example_not_a_value() -> None:
    """The report: a cleared Timezone read "▏Europe/Paris ▕ ✗ '' is not a known IANA
    timezone". The placeholder says "e.g.", the sentence says what to type, and while a
    completion shows after the cursor the note says → takes it (Tab does not)."""
    app = EditorApp([documented()])
    async with app.run_test(size=(80, 24)) as pilot:
        tz = app.query_one("#f-tz", Input)
        tz.focus()
        await type_text(pilot, "")
        await pilot.pause()
        assert tz.value == "" and tz.placeholder == "e.g. Europe/Paris"
        assert note(app, "m-tz") == "✗ Type the window's IANA timezone, e.g. Europe/Paris."
        await press(pilot, *"europe/par")
        await pilot.pause()
        assert tz._suggestion == "Europe/Paris"  # the dim completion after the cursor
        assert note(app, "m-tz") == "✗ 'europe/par' is not a zone yet: → takes Europe/Paris."
        await press(pilot, "right")
        await pilot.pause()
        assert tz.value == "Europe/Paris" and note(app, "m-tz") == ""
        assert app.editor.alarms_json() == [documented()]
        await press(pilot, "backspace")
        app.query_one("#f-date").focus()  # left: no completion shows, nor "→ takes"
        await pilot.pause()
        assert note(app, "m-tz") == (
            "✗ 'Europe/Pari' is not a known IANA timezone; e.g. Europe/Paris."
        )


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_cleared_timezone_no_color(
    snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR, the Timezone cleared: the field reads "e.g. Europe/Paris" (an example, not
    a value) and beside it "✗ Type the window's IANA timezone, e.g. Europe/Paris."; the
    preview says the alarm needs fixing."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def clear_it(pilot: Pilot[Any]) -> None:
        no_blink(pilot.app)
        pilot.app.query_one("#f-tz").focus()
        await type_text(pilot, "")
        await pilot.pause()

    app = EditorApp([documented()], local_tz=UTC)
    assert snap_compare(app, terminal_size=size, run_before=clear_it)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_monthly_defaults_on_the_first_window(
    snap_compare: Any, size: tuple[int, int]
) -> None:
    """The 23 November 2026 weekly alarm set to monthly, "nth weekday": the "On the" row
    shows "fourth" "Monday" by itself, the RRULE "FREQ=MONTHLY;BYDAY=4MO", no ⚠ warning, and
    the windows of 23 Nov, 28 Dec, 25 Jan..."""

    async def monthly(pilot: Pilot[Any]) -> None:
        no_blink(pilot.app)
        await choose(pilot, "f-freq", "monthly")
        await choose(pilot, "f-monthly-mode", "nth weekday")
        await _to_preview(pilot)

    app = EditorApp([copy.deepcopy(NOV_23)], local_tz=UTC)
    assert snap_compare(app, terminal_size=size, run_before=monthly)
