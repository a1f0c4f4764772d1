"""The alarm editor's "yearly, nth weekday": counted in the whole year without months (the
platform's form, RFC 5545), in each month once months are typed; the picker, the preview,
the summary and the RRULE text say the same (tests/unit/test_alarm_yearly_nth.py checks
the model on generated rules)."""

from __future__ import annotations

import copy
from datetime import UTC
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from tests.support.waiting import until
from tests.ui.test_alarm_editor import EditorApp, _to_preview, card, choose, type_text
from tui.widgets.alarm_preview import AlarmPreview

MAR_2: dict[str, Any] = {
    "startTime": "2026-03-02T09:00:00+01:00",
    "endTime": "2026-03-02T18:00:00+01:00",
    "timezone": "Europe/Paris",
    "recurrence": [{"frequency": "weekly", "byDays": ["monday"]}],
    "uplinkRateMinPerHour": 10,
}


def _offered(app: EditorApp) -> list[str]:
    return [str(label) for label, _ in app.query_one("#f-nth", Select)._options]


async def test_yearly_nth_weekday_counts_in_the_year_then_in_the_typed_month() -> None:
    """Monday 2 March 2026 set to yearly, nth weekday: the ninth Monday of the year (the
    picker offers up to the 52nd), the preview's next window the ninth Monday of 2027 (1
    March), no warning; with March typed as the month it becomes the first Monday of March
    (the picker back to first … 2nd to last) and byMonths is named as not the platform's."""
    app = EditorApp([copy.deepcopy(MAR_2)])
    async with app.run_test(size=(100, 40)) as pilot:
        await choose(pilot, "f-freq", "yearly")
        await choose(pilot, "f-monthly-mode", "nth weekday")
        nth = app.query_one("#f-nth", Select)
        assert nth.value == 9
        assert _offered(app)[:5] == ["first", "second", "third", "fourth", "5th"]
        assert _offered(app)[-3:] == ["52nd", "last", "2nd to last"]
        assert app.query_one("#f-rrule", Input).value == "FREQ=YEARLY;BYDAY=9MO"
        preview = card(app).query_one(AlarmPreview)
        assert "Yearly on the 9th Monday of the year" in preview.plain
        assert [r[5:20] for r in preview.rows[:2]] == ["Mon 02 Mar 2026", "Mon 01 Mar 2027"]
        assert "⚠" not in preview.plain
        assert app.editor.alarms_json()[0]["recurrence"] == [
            {"frequency": "yearly", "byDays": ["9monday"]}
        ]
        app.query_one("#f-months").focus()
        await type_text(pilot, "Mar")
        await until(pilot, lambda: nth.value == 1, "the number counts in March")
        assert _offered(app) == ["first", "second", "third", "fourth", "last", "2nd to last"]
        assert app.query_one("#f-rrule", Input).value == "FREQ=YEARLY;BYDAY=1MO;BYMONTH=3"
        assert "Yearly in March on the first Monday" in preview.plain
        assert [r[5:20] for r in preview.rows[:2]] == ["Mon 02 Mar 2026", "Mon 01 Mar 2027"]
        assert "byMonths is not in the platform's description" in preview.plain


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_snapshot_yearly_nth_weekday_of_the_year(snap_compare: Any, size: tuple[int, int]) -> None:
    """Monday 2 March 2026 set to yearly, "nth weekday": the "On the" row shows "9th"
    "Monday", the Months row's note "empty: counted in the whole year", the RRULE
    "FREQ=YEARLY;BYDAY=9MO", no ⚠ warning, and the preview "Yearly on the 9th Monday of the
    year" with the windows of 2 Mar 2026, 1 Mar 2027, 28 Feb 2028..."""

    async def yearly(pilot: Pilot[Any]) -> None:
        await choose(pilot, "f-freq", "yearly")
        await choose(pilot, "f-monthly-mode", "nth weekday")
        await _to_preview(pilot)

    app = EditorApp([copy.deepcopy(MAR_2)], local_tz=UTC)
    assert snap_compare(app, terminal_size=size, run_before=yearly)
