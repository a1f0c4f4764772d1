"""``iotflow alarms ID`` and ``iotflow alarms ID --ics`` against the simulator (headless)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import recurring_ical_events
from icalendar import Calendar

from tui.alarms import Alarm
from tui.cli import EXIT_OK, main
from tui.cli_flow import EXIT_REFUSED


@pytest.fixture
def env(cli_env: None) -> None:
    """The command line pointed at the test simulator (tests/conftest.py)."""


def _with_alarms(capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["list", "-o", "json"]) == EXIT_OK
    connections = json.loads(capsys.readouterr().out)
    valid = [
        c
        for c in connections
        if c.get("alarms") and all(Alarm.from_json(a).is_valid for a in c["alarms"])
    ]
    assert valid, "the seeded simulator has connections with alarms"
    return valid[0]


def test_alarms_lists_each_alarm_and_its_windows(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = _with_alarms(capsys)
    assert main(["alarms", str(connection["id"])]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{connection['name']} ({connection['id']})"
    assert out[1].startswith("Alarm 1: ")
    assert any(line.startswith(("  next  ", "  now   ")) for line in out)


def test_ics_reads_back_with_one_event_per_alarm(
    env: None, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["list", "-o", "json"]) == EXIT_OK
    connections = json.loads(capsysbinary.readouterr().out)
    connection = next(
        c
        for c in connections
        if c.get("alarms") and all(Alarm.from_json(a).is_valid for a in c["alarms"])
    )
    assert main(["alarms", str(connection["id"]), "--ics"]) == EXIT_OK
    captured = capsysbinary.readouterr()
    cal = Calendar.from_ical(captured.out)
    events = cal.walk("VEVENT")
    assert len(events) == len(connection["alarms"])
    messages = [a.get("message") for a in connection["alarms"]]
    zones = [a["timezone"] for a in connection["alarms"]]
    for event, message, zone in zip(events, messages, zones, strict=True):
        # A zoned start carries its TZID; UTC is written with "Z", RFC 5545's form for it.
        assert event["DTSTART"].params.get("TZID", "UTC") == zone
        if message:
            assert str(event["SUMMARY"]) == message
    # One VTIMEZONE per zone used, none for UTC.
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == set(zones) - {"UTC"}
    assert list(recurring_ical_events.of(cal).at(2026)) or list(
        recurring_ical_events.of(cal).at(2019)
    )
    assert captured.err == b""


def test_unknown_connection_says_so(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alarms", "999999", "--ics"]) == EXIT_REFUSED  # not found, as restart
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("iotflow: ")


def test_alarms_command_does_not_import_textual() -> None:
    code = (
        "import sys, tui.cli, tui.alarms.ics; "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) "
        "else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
