"""The alarm column and the detail screen's alarms, on the dashboard over the simulator."""

from __future__ import annotations

import copy

from tui.screens.detail import DetailScreen

# T0 (conftest) is Wednesday 2024-05-01 12:00 UTC, 14:00 in Paris: inside business hours.
BUSINESS_HOURS = {
    "startTime": "2024-04-29T09:00:00+02:00",
    "endTime": "2024-04-29T18:00:00+02:00",
    "timezone": "Europe/Paris",
    "recurrence": [{"frequency": "weekly",
                    "byDays": ["monday", "tuesday", "wednesday", "thursday", "friday"]}],
    "uplinkRateMinPerHour": 10,
    "message": "Low rate during business day...",
}
MQTT = {
    "connectorId": "actility-mqtt-iot",
    "active": True,
    "alarms": [BUSINESS_HOURS],
    "configuration": {"hostName": "broker.example.net:8883", "protocol": "SSL",
                      "uplinkTopicPattern": "tpx/{DevEUI}/up", "username": "ops",
                      "password": "pw"},
}


def row_text(app, ident: str) -> str:
    table = app.dashboard.table
    position = table.order.index(ident)
    strip = table._row_strip(ident, position, table._columns(), table.size.width,
                             table.rich_style)
    return strip.text


async def test_alarm_column_shows_open_windows_and_flags_quiet_connections(
    make_dashboard, sim_client, sim_clock
) -> None:
    healthy = await sim_client.create_connection(dict(MQTT, name="Alarmed healthy"))
    failing_payload = copy.deepcopy(dict(MQTT, name="Alarmed failing"))
    failing_payload["configuration"]["password"] = "invalid-password"
    failing = await sim_client.create_connection(failing_payload)
    sim_clock.advance(10)  # one reaches OPENED, the other AUTHENTICATION_FAILED
    app = make_dashboard()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        assert app.board.rows[healthy.id].state == "OPENED"
        assert app.board.rows[failing.id].state == "AUTHENTICATION_FAILED"
        ok, bad = row_text(app, healthy.id), row_text(app, failing.id)
        assert "open→16:00" in ok and "ALARM" not in ok
        assert "⚠ open→16:00" in bad and "ALARM" in bad
        sim_clock.advance(5 * 3600)  # 19:00 Paris: the window has closed
        await app.refresh_now()
        await pilot.pause()
        # The column is 12 cells beside the data-flow columns: the day and time are kept.
        assert "Thu 07:00" in row_text(app, failing.id)
        assert "ALARM" not in row_text(app, failing.id)

        app.dashboard.select_connection(failing.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        alarms = str(app.screen.query_one("#alarms").render())
        assert "Weekdays 09:00–18:00 Europe/Paris, alert below 10 uplinks/h" in alarms
        assert "next  Thu 02 May 2024 09:00–18:00 CEST" in alarms


async def test_detail_key_writes_the_alarms_as_a_calendar(
    make_dashboard, sim_client, sim_clock, tmp_path, monkeypatch
) -> None:
    """``i`` on the detail screen writes iotflow-alarms-ID.ics here and says where."""
    from icalendar import Calendar

    monkeypatch.chdir(tmp_path)
    created = await sim_client.create_connection(dict(MQTT, name="Calendar plant"))
    app = make_dashboard()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.refresh_now()
        await pilot.pause()
        app.dashboard.select_connection(created.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("i")
        await pilot.pause()
        path = tmp_path / f"iotflow-alarms-{created.id}.ics"
        (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert str(event["SUMMARY"]) == "Low rate during business day..."
        assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        notices = [n.message for n in app._notifications]
        assert f"Wrote 1 alarm(s) to {path}." in notices
