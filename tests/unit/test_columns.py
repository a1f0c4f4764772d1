"""What the table's cells and the header say, without a screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.board import Row
from tui.board_flow import FleetFlow
from tui.columns import (
    COLUMNS,
    cell,
    durations,
    durations_until,
    empty_message,
    fit,
    shorten_alarm,
)
from tui.connection_order import SORT_LABELS
from tui.header_text import HeaderInfo, header_lines, width_of
from tui.health import Health

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def row(**fields) -> Row:
    values = dict(name="n", connector_id="actility-mqtt-iot", state="CLOSED", active=True)
    values |= dict(startup_time=None, alarms=None)
    values |= fields
    return Row("1", **values)


def test_alarm_cell_keeps_the_time_when_narrow() -> None:
    assert shorten_alarm("next Sat 09:00", 16) == "next Sat 09:00"
    assert shorten_alarm("next Sat 09:00", 12) == "Sat 09:00"
    assert shorten_alarm("⚠ open→Sat 16:00", 14) == "open→Sat 16:00"
    assert shorten_alarm("⚠ open→Sat 16:00", 10) == "→Sat 16:00"
    assert fit(shorten_alarm("next Sat 09:00", 10), 10) == "Sat 09:00 "


SECONDS = st.floats(-5, 200 * 86_400, allow_nan=False)


@given(
    since=st.none() | SECONDS,
    exact=st.booleans(),
    started=st.none() | SECONDS,
    state=st.sampled_from(["OPENED", "CLOSED", "ERROR"]),
    later=st.lists(st.floats(0, 2 * 86_400, allow_nan=False), max_size=4),
    fractions=st.lists(st.floats(0, 1, exclude_max=True), max_size=4),
)
def test_durations_read_the_same_until_the_moment_durations_until_says(
    since: float | None,
    exact: bool,
    started: float | None,
    state: str,
    later: list[float],
    fractions: list[float],
) -> None:
    """The 1 Hz tick skips a drawn row until ``durations_until``: at any moment before it
    the row's durations read as when drawn, and at that moment they read differently."""
    now = T0 + timedelta(days=250)
    shown = row(
        since=None if since is None else now - timedelta(seconds=since),
        since_exact=exact,
        startup_time=None if started is None else now - timedelta(seconds=started),
        state=state,
    )
    drawn = durations(shown, now)
    until = durations_until(shown, now)
    moments = [now + timedelta(seconds=seconds) for seconds in later]
    if until is not None:
        moments += [now + (until - now) * fraction for fraction in fractions]
    for moment in moments:
        if until is None or moment < until:
            assert durations(shown, moment) == drawn, moment - now
    if until is None:
        assert drawn == durations(shown, now + timedelta(days=400))
    else:
        assert until > now
        assert durations(shown, until) != drawn


def test_time_in_state_shows_a_lower_bound_until_a_change_is_seen() -> None:
    held = row(since=T0, since_exact=False)
    # A bound ticks by the minute: its seconds say nothing and cost terminal output.
    assert durations(held, T0 + timedelta(seconds=5))[0] == "≥ 0s"
    assert durations(held, T0 + timedelta(seconds=59))[0] == "≥ 0s"
    assert durations(held, T0 + timedelta(seconds=65))[0] == "≥ 1m"
    assert durations(held, T0 + timedelta(minutes=59, seconds=59))[0] == "≥ 59m"
    assert durations(held, T0 + timedelta(hours=2, minutes=3, seconds=4))[0] == "≥ 2h 3m"
    seen = row(since=T0, since_exact=True)
    assert durations(seen, T0 + timedelta(seconds=5))[0] == "5s"
    assert durations(row(), T0)[0] == "—"
    in_state = next(c for c in COLUMNS if c.key == "in_state")
    assert cell_len("≥ 23h 59m") <= in_state.width


def test_state_cell_reads_the_health() -> None:
    state = next(c for c in COLUMNS if c.key == "state")
    assert cell(row(), state, 23, T0, UTC).text == "✖ CLOSED"
    assert cell(row(starting=True), state, 23, T0, UTC).text == "◐ CLOSED"
    assert row(starting=True).health is Health.INIT


def test_an_empty_table_says_why() -> None:
    assert "No connection matches “x” among the 25 connections" in empty_message(25, "x", False)
    assert "among the faults" in empty_message(25, "x", True)
    assert empty_message(25, "", True).startswith("No faults")
    assert empty_message(0, "", False) == "No connections on this platform yet."


def _plain(line) -> str:
    return "".join(piece.text for piece in line)


def test_header_at_80_columns_keeps_counts_stale_age_and_modes() -> None:
    info = HeaderInfo(
        profile="production-eu",
        host="iot.thingpark.example.com",
        read_only=True,
        counts={Health.ACTIVE: 1200, Health.INIT: 35, Health.ERROR: 17, Health.DEACTIVATED: 240},
        since_refresh="12m 5s",
        stale=True,
        shown=17,
        total=1492,
        faults_only=True,
        filter_text="paris",
    )
    top, bottom = header_lines(info, 78)
    assert width_of(top) <= 78 and width_of(bottom) <= 78
    assert "STALE" in _plain(top) and "12m 5s" in _plain(top)
    text = _plain(bottom)
    for part in ("1200", "INIT 35", "ERROR 17", "240", "faults", "“paris”"):
        assert part in text


def test_header_says_how_many_connections_have_data_flow_trouble_at_80() -> None:
    """SILENT, LOSS and LOW rows are ACTIVE by health: "⚠ DATA n" says them, and outlasts
    the fleet's rates at 80 columns with faults only and a filter on."""
    info = HeaderInfo(
        profile="demo",
        counts={Health.ACTIVE: 15, Health.INIT: 5, Health.ERROR: 4, Health.DEACTIVATED: 1},
        shown=7, total=25, faults_only=True, filter_text="milan",
        fleet=FleetFlow(5200, 291, 3),
    )  # fmt: skip
    plain = _plain(header_lines(info, 78)[1])
    assert "⚠ DATA 3" in plain and "faults" in plain and "milan" in plain
    info.faults_only, info.filter_text = False, ""
    plain = _plain(header_lines(info, 78)[1])
    assert "⚠ DATA 3" in plain and "fail 291/h" in plain


def test_header_says_data_flow_figures_not_known_yet_where_they_will_appear() -> None:
    """Metrics asked for, not in yet: "⚠ DATA —", "↑—/h", "fail —/h", muted (a — is not a
    fault); a platform that reports none (not pending) has no data-flow part at all."""
    counts = {Health.ACTIVE: 15, Health.INIT: 5, Health.ERROR: 4, Health.DEACTIVATED: 1}
    info = HeaderInfo(profile="demo", counts=counts, since_refresh="0s", shown=25, total=25,
                      flow_pending=True)
    bottom = header_lines(info, 78)[1]
    assert _plain(bottom) == (
        "● ACT 15 ◐ INIT 5 ✖ ERROR 4 ○ DEACT 1  ⚠ DATA —  ↑—/h fail —/h  25/25 · state▲"
    )
    assert {p.style for p in bottom if "—" in p.text} == {"muted"}
    assert "failed —/h" in _plain(header_lines(info, 158)[1])
    info.flow_pending = False
    assert "DATA" not in _plain(header_lines(info, 78)[1])
    info.flow_pending, info.fleet = True, FleetFlow(2300, 0, 0)  # the figures won
    assert "—" not in _plain(header_lines(info, 158)[1])


def test_header_uses_full_words_when_there_is_room() -> None:
    info = HeaderInfo(profile="demo", shown=25, total=25, faults_only=True, filter_text="a")
    top, bottom = header_lines(info, 158)
    text = _plain(bottom)
    assert "ACTIVE 0" in text and "DEACTIVATED 0" in text
    assert "25/25 shown · by state▲ · faults only · filter “a”" in text


def test_header_at_80_says_a_sort_whose_column_is_hidden() -> None:
    """At 80 columns the table has no STARTUP or CONNECTOR column: the header keeps
    "by connector▲" and drops the fleet's rates for it (each row shows its own); with the
    sorted column on screen, its ▲ says the sort and the rates stay."""
    info = HeaderInfo(
        profile="demo",
        counts={Health.ACTIVE: 15, Health.INIT: 5, Health.ERROR: 4, Health.DEACTIVATED: 1},
        since_refresh="3s", shown=25, total=25, fleet=FleetFlow(2300, 180, 4),
        sort="connector", sort_shown=False,
    )  # fmt: skip
    plain = _plain(header_lines(info, 78)[1])
    assert plain.endswith("25/25 · by connector▲"), plain
    assert "⚠ DATA 4" in plain and "ACT 15" in plain
    info.reverse, info.sort = True, "startup"
    assert _plain(header_lines(info, 78)[1]).endswith("25/25 · by startup time▼")
    info.sort, info.sort_shown = "failures", True
    plain = _plain(header_lines(info, 78)[1])
    assert "failures" not in plain and "fail 180/h" in plain, plain


@given(
    width=st.integers(78, 200),  # 80 columns and more, less the padding
    text=st.text(min_size=1, max_size=120),
    faults=st.booleans(),
    stale=st.booleans(),
    flagged=st.none() | st.integers(0, 10**5),
    sort=st.sampled_from(sorted(SORT_LABELS)),
    sort_shown=st.booleans(),
)
def test_header_never_loses_the_counts_or_the_modes(
    width: int,
    text: str,
    faults: bool,
    stale: bool,
    flagged: int | None,
    sort: str,
    sort_shown: bool,
) -> None:
    info = HeaderInfo(
        profile="p",
        counts={Health.ACTIVE: 10**5, Health.INIT: 7, Health.ERROR: 3, Health.DEACTIVATED: 0},
        since_refresh="3d 4h",
        stale=stale,
        shown=3,
        total=100_007,
        faults_only=faults,
        filter_text=text,
        fleet=None if flagged is None else FleetFlow(123_456, 7_890, flagged),
        sort=sort,
        sort_shown=sort_shown,
    )
    top, bottom = header_lines(info, width)
    assert width_of(bottom) <= width
    plain = _plain(bottom)
    assert "ERROR 3" in plain and "INIT 7" in plain and "100000" in plain
    assert ("faults" in plain) is faults
    assert "“" in plain  # the filter is on screen, cut with an ellipsis if need be
    assert ("STALE" in _plain(top)) is stale
    if not sort_shown:  # nothing else on screen says the sort
        assert f"by {SORT_LABELS[sort]}▲" in plain


def test_header_counts_are_unknown_until_a_list_arrives() -> None:
    # A 0 before any list arrived (or when none ever did: platform unreachable) reads as
    # "no connections, no errors"; the counts say they are not known instead.
    waiting = _plain(header_lines(HeaderInfo(profile="demo", refreshing=True), 158)[1])
    assert "ACTIVE —" in waiting and "ERROR —" in waiting and "— shown" in waiting
    assert "0" not in waiting
    empty = _plain(header_lines(HeaderInfo(profile="demo", since_refresh="3s"), 158)[1])
    assert "ACTIVE 0" in empty and "0/0 shown" in empty  # a platform without connections
    first_frame = HeaderInfo(profile="demo", shown=3, total=3,
                             counts={Health.ACTIVE: 3, Health.INIT: 0, Health.ERROR: 0,
                                     Health.DEACTIVATED: 0})
    assert "ACTIVE 3" in _plain(header_lines(first_frame, 158)[1])
