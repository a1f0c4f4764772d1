"""The dashboard's alarm column and the detail screen's alarm lines, under fixed instants."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tui.alarms.display import CELL_LEVELS, alarm_cell, alarm_detail_lines

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
PARIS = ZoneInfo("Europe/Paris")


def documented() -> dict:
    """The alarm of the documentation's create request (tests/fixtures)."""
    return json.loads(EXAMPLE.read_text())["alarms"][0]


# Monday 2 March 2026: 10:00 Paris (CET, UTC+1) is 09:00 UTC.
MON_10_PARIS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SAT_NOON = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)


def test_no_alarms_is_a_dash() -> None:
    assert alarm_cell(None, "OPENED", MON_10_PARIS, PARIS) == ("—", "none")
    assert alarm_cell([], "OPENED", MON_10_PARIS, PARIS) == ("—", "none")


def test_open_window_shows_its_end() -> None:
    assert alarm_cell([documented()], "OPENED", MON_10_PARIS, PARIS) == ("open→18:00", "open")


def test_open_window_in_the_operators_zone() -> None:
    text, level = alarm_cell([documented()], "OPENED", MON_10_PARIS, UTC)
    assert (text, level) == ("open→17:00", "open")


def test_open_window_on_a_connection_not_opened_is_flagged() -> None:
    for state in ("CLOSED", "OPENING", "ERROR"):
        assert alarm_cell([documented()], state, MON_10_PARIS, PARIS) == (
            "⚠ open→18:00",
            "open-not-opened",
        )


def test_unknown_state_is_not_flagged() -> None:
    assert alarm_cell([documented()], None, MON_10_PARIS, PARIS)[1] == "open"


def test_closed_connection_outside_a_window_is_not_flagged() -> None:
    assert alarm_cell([documented()], "CLOSED", SAT_NOON, PARIS) == ("next Mon 09:00", "next")


def test_window_ending_another_day_names_the_day() -> None:
    night = dict(
        documented(), endTime="2019-02-01T06:00:00+01:00", startTime="2019-01-31T22:00:00+01:00"
    )
    # Monday 23:00 Paris: inside Monday 22:00 → Tuesday 06:00.
    text, level = alarm_cell([night], "OPENED", datetime(2026, 3, 2, 22, 0, tzinfo=UTC), PARIS)
    assert (text, level) == ("open→Tue 06:00", "open")


def test_far_next_window_shows_a_date() -> None:
    yearly = dict(
        documented(), recurrence=[{"frequency": "yearly"}], startTime="2019-01-31T09:00:00+01:00"
    )
    assert alarm_cell([yearly], "OPENED", MON_10_PARIS, PARIS) == ("next 31 Jan 2027", "next")


def test_finished_alarm_has_no_more_windows() -> None:
    once = dict(documented(), recurrence=[])
    assert alarm_cell([once], "OPENED", MON_10_PARIS, PARIS) == ("no more windows", "none")


def test_only_invalid_alarms_say_invalid() -> None:
    bad = dict(documented(), timezone="Mars/Olympus")
    assert alarm_cell([bad], "OPENED", MON_10_PARIS, PARIS) == ("invalid", "invalid")
    assert alarm_cell([bad, documented()], "OPENED", MON_10_PARIS, PARIS)[1] == "open"
    assert alarm_cell([{"startTime": 3}], "OPENED", MON_10_PARIS, PARIS)[1] == "invalid"


@pytest.mark.parametrize(
    "now",
    [
        MON_10_PARIS,
        SAT_NOON,
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        datetime(2019, 1, 1, tzinfo=UTC),
    ],
)
@pytest.mark.parametrize("state", ["OPENED", "CLOSED", None])
def test_cells_are_short_and_levels_known(now: datetime, state: str | None) -> None:
    for tz in (PARIS, UTC, None, ZoneInfo("Pacific/Kiritimati")):
        text, level = alarm_cell([documented()], state, now, tz)
        assert len(text) <= 16
        assert level in CELL_LEVELS


def test_cell_does_not_modify_its_input() -> None:
    alarms = [documented()]
    before = copy.deepcopy(alarms)
    alarm_cell(alarms, "OPENED", MON_10_PARIS, PARIS)
    alarm_detail_lines(alarms, MON_10_PARIS, PARIS)
    assert alarms == before


def test_detail_lines_list_summary_and_windows() -> None:
    assert alarm_detail_lines([documented()], MON_10_PARIS, PARIS) == [
        "Alarm 1: Weekdays 09:00–18:00 Europe/Paris, alert below 10 uplinks/h",
        "  message: Low rate during business day...",
        "  now   Mon 02 Mar 2026 09:00–18:00 CET",
        "  next  Tue 03 Mar 2026 09:00–18:00 CET",
        "  next  Wed 04 Mar 2026 09:00–18:00 CET",
    ]


def test_detail_lines_in_the_operators_zone_and_outside_a_window() -> None:
    lines = alarm_detail_lines([documented()], SAT_NOON, UTC, n=2)
    assert lines[2:] == [
        "  next  Mon 09 Mar 2026 08:00–17:00 UTC",
        "  next  Tue 10 Mar 2026 08:00–17:00 UTC",
    ]


def test_detail_lines_explain_invalid_alarms() -> None:
    bad = dict(documented(), timezone="Mars/Olympus")
    lines = alarm_detail_lines([bad, {"startTime": []}], MON_10_PARIS, PARIS)
    assert lines[0].startswith("Alarm 1: invalid — ")
    assert "Mars/Olympus" in lines[0]
    assert lines[1].startswith("Alarm 2: invalid — ")
    assert alarm_detail_lines(None, MON_10_PARIS, PARIS) == ["No alarms."]


def test_the_table_without_a_display_zone_shows_alarm_times_in_the_local_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No display zone configured: the ALARMS column reads in the operator's zone, like
    STARTUP beside it, not in each alarm's own (it has no room to name that zone)."""
    import tui.board as board_module
    from tui.board import Board, alarm_view
    from tui.connections import Connection

    monkeypatch.setattr(board_module, "LOCAL_ZONE", ZoneInfo("Asia/Tokyo"))
    board = Board()
    connection = Connection(id="1", connector_id="c", name="n", active=True, state="OPENED",
                            alarms=[documented()])  # fmt: skip
    board.apply([connection], MON_10_PARIS)
    text, _ = alarm_view(board.rows["1"], MON_10_PARIS, None)
    assert text == "open→Tue 02:00"  # 18:00 Paris is 02:00 the next day in Tokyo
