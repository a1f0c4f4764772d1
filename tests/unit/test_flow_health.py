"""SILENT, LOSS and LOW from metrics, and fired-alarm events (headless rules)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tui.flow import ConnectionMetrics, Event
from tui.flow_health import alarm_minimum, fired_alarm_ids, flow_flags, is_fired_alarm

NOW = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)  # a Wednesday


def metrics(**values: int) -> ConnectionMetrics:
    names = {"up1": "uplinksLast1h", "up24": "uplinksLast24h", "failed": "uplinksLast1hFailed",
             "lost": "uplinksLast1hLost"}  # fmt: skip
    return ConnectionMetrics.from_api(
        {"connectionId": 1, **{names[k]: v for k, v in values.items()}}
    )


def test_silent_needs_opened_no_uplink_this_hour_and_traffic_today() -> None:
    assert flow_flags("OPENED", metrics(up1=0, up24=40)).silent
    assert not flow_flags("OPENED", metrics(up1=0, up24=0)).silent  # idle, not silent
    assert not flow_flags("UNREACHABLE", metrics(up1=0, up24=40)).silent  # state shows it
    assert not flow_flags("OPENED", metrics(up1=3, up24=40)).silent
    assert not flow_flags("OPENED", metrics(up24=40)).silent  # 1 h not reported
    assert flow_flags("OPENED", None).words == ()


def test_loss_above_the_threshold() -> None:
    assert flow_flags("OPENED", metrics(up1=10, failed=1)).loss
    assert flow_flags("OPENED", metrics(up1=10, lost=1)).loss
    assert not flow_flags("OPENED", metrics(up1=10, failed=3, lost=2), loss_threshold=5).loss
    assert flow_flags("OPENED", metrics(up1=10, failed=3, lost=3), loss_threshold=5).loss
    assert not flow_flags("OPENED", metrics(up1=10)).loss  # not reported is not a loss


def alarm(minimum: int, start_hour: int = 9, end_hour: int = 18) -> dict:
    day = NOW.date() - timedelta(days=7)
    return {
        "startTime": f"{day}T{start_hour:02d}:00:00+00:00",
        "endTime": f"{day}T{end_hour:02d}:00:00+00:00",
        "timezone": "UTC",
        "recurrence": [{"frequency": "weekly", "byDays": ["wednesday"]}],
        "uplinkRateMinPerHour": minimum,
        "message": "Too few uplinks",
    }


def test_low_inside_an_open_window_below_its_minimum() -> None:
    minimum = alarm_minimum([alarm(10)], NOW)
    assert minimum == 10
    assert flow_flags("OPENED", metrics(up1=4), minimum=minimum).low
    assert not flow_flags("OPENED", metrics(up1=10), minimum=minimum).low
    assert alarm_minimum([alarm(10, 12, 18)], NOW) is None  # window not open yet
    assert alarm_minimum([{"startTime": "garbage"}], NOW) is None  # never raises
    flags = flow_flags("OPENED", metrics(up1=4), minimum=minimum, fired=True)
    assert flags.low_confirmed and flags.words == ("LOW",)
    assert not flow_flags("OPENED", metrics(up1=4), minimum=minimum).low_confirmed


def test_fired_alarm_events() -> None:
    fired = Event(NOW, "warn", "alm-3001", "Too few uplinks", "7")
    recovered = Event(NOW, "info", "alm-3002", "Uplink rate recovered", "7")
    other = Event(NOW, "warn", "xyz-1", "Low rate during business day...", "8")
    assert is_fired_alarm(fired)
    assert is_fired_alarm(other, ["Low rate during business day..."])
    assert not is_fired_alarm(Event(NOW, "info", "xyz-1", "Low rate during business day...", "8"),
                              ["Low rate during business day..."])  # fmt: skip
    assert fired_alarm_ids([fired, recovered]) == {"7"}  # newest first: fired last
    assert fired_alarm_ids([recovered, fired]) == set()


@given(
    st.sampled_from(["OPENED", "UNREACHABLE", "CLOSED", "WHATEVER"]),
    st.none() | st.integers(0, 10**6),
    st.none() | st.integers(0, 10**6),
    st.none() | st.integers(0, 10**6),
    st.none() | st.floats(0, 10**6),
)
def test_flags_follow_their_definitions(state, up1, up24, failed, minimum) -> None:
    values = {
        k: v for k, v in {"up1": up1, "up24": up24, "failed": failed}.items() if v is not None
    }
    flags = flow_flags(state, metrics(**values), minimum=minimum)
    assert flags.silent == (state == "OPENED" and up1 == 0 and (up24 or 0) > 0)
    assert flags.loss == ((failed or 0) > 0)
    # LOW only for an OPENED connection: not OPENED in a window is ALARM (the board's)
    assert flags.low == (state == "OPENED" and minimum is not None and up1 is not None
                         and up1 < minimum)


def test_flow_modules_import_no_textual_nor_httpx() -> None:
    code = ("import sys, tui.flow, tui.flow_health; "
            "print(any(m.split('.')[0] in ('textual', 'httpx') for m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_open_windows_minimum_holds_until_the_next_boundary() -> None:
    """The board keeps the uplink minimum until the window opens or closes (at most an
    hour): it is the same answer as working it out again at any moment before then."""
    import json
    from datetime import timedelta
    from pathlib import Path

    from tui.flow_health import alarm_minimum, alarm_minimum_until

    example = Path(__file__).resolve().parents[1] / "fixtures" / "create-connection-example.json"
    alarm = json.loads(example.read_text())["alarms"][0]  # weekdays 09:00-18:00 Paris
    wanted = float(alarm["uplinkRateMinPerHour"])
    start = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    now = start
    seen = set()
    while now < start + timedelta(days=2):
        minimum, until = alarm_minimum_until([alarm], now)
        seen.add(minimum)
        assert now < until <= now + timedelta(hours=1)
        for probe in (now, now + (until - now) / 2, until - timedelta(seconds=1)):
            assert alarm_minimum([alarm], probe) == minimum
        now = until
    assert seen == {None, wanted}  # inside the windows and outside them
