"""The command line reads as the dashboard does: status flags (LOSS, STUCK, FLAP), list's
FLAGS with the data-flow words, time in state from the same Board and cells, exit codes
that tell "refused" from "unreachable", and a banner that works in another shell."""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.connection_lists import plain_connection
from tests.support.hostile_server import HostileServer
from tui.api import Connection
from tui.board import Board
from tui.board_flow import apply_metrics
from tui.cli import EXIT_ERROR, EXIT_INIT, EXIT_OK, main
from tui.cli_flow import EXIT_REFUSED, FlowStatus
from tui.cli_listing import Listing
from tui.cli_report import WIDE, observed, table_rows, zone_label
from tui.columns import COLUMNS, durations
from tui.columns import cell as column_cell
from tui.config import history_file, load_profile, make_client
from tui.health import KNOWN_STATES, HistoryStore, Thresholds
from tui.simulator import Simulator, SimulatorServer
from tui.simulator.cli import print_banner
from tui.simulator.states import DEACTIVATED, OPENED, OPENING

FLAGS_COLUMN = next(column for column in COLUMNS if column.key == "flags")


@pytest.fixture
def env(cli_env: None) -> None:
    """The command line pointed at the test simulator (tests/conftest.py)."""


def write_history(entries: dict[str, list[list[str]]]) -> Path:
    path = history_file(load_profile())
    path.write_text(json.dumps(entries))
    return path


def column(lines: list[str], label: str) -> list[str]:
    """The values under ``label`` in an aligned table (labels hold no double space)."""
    header = lines[0]
    start = header.index(label)
    later = [m.start() for m in re.finditer(r"  (?=\S)", header) if m.start() > start]
    end = later[0] + 2 if later else None
    return [line[start:end].strip() for line in lines[1:]]


async def dashboard_board(now: datetime, history: Path | None = None) -> Board:
    """The board the dashboard would show after one poll (list and metrics) at ``now``."""
    profile = load_profile()
    async with make_client(profile) as client:
        connections, metrics = await asyncio.gather(client.list_connections(), client.metrics())
    board = Board(HistoryStore(history), Thresholds())
    board.apply(connections, now)
    apply_metrics(board, metrics, now, loss_threshold=profile.loss_threshold)
    return board


# -- 1. status: LOSS, STUCK, FLAP ------------------------------------------------------------


def test_status_reports_loss_stuck_and_flap_like_the_dashboard(
    env, simulator: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    opening = next(c for c in simulator.world.connections() if c.state == OPENING)
    opened = next(c for c in simulator.world.connections() if c.state == OPENED)
    spells = [[(now - timedelta(minutes=50 - 8 * i)).isoformat(), state]
              for i, state in enumerate([OPENED, "CLOSED"] * 3 + [OPENED])]
    history = write_history({
        opening.key: [[(now - timedelta(minutes=30)).isoformat(), OPENING]],
        opened.key: spells,
    })
    main(["status"])
    lines = capsys.readouterr().out.splitlines()
    board = asyncio.run(dashboard_board(now, history))
    expected = {
        "STUCK": {i for i, r in board.rows.items() if r.stuck},
        "FLAP": {i for i, r in board.rows.items() if r.flapping},
        "LOSS": {i for i, r in board.rows.items() if r.flow.loss},
        # (only OPENED rows: not OPENED inside a window is ALARM on the dashboard)
        "LOW": {i for i, r in board.rows.items() if r.flow.low},
    }
    assert all(board.rows[i].state == OPENED for i in expected["LOW"])
    assert expected["STUCK"] == {opening.key} and expected["FLAP"] == {opened.key}
    assert expected["LOSS"], "the seeded world has connections losing uplinks"
    for word, ids in expected.items():
        shown = {line.split()[2] for line in lines if line.split()[0] == word}
        assert shown == ids, word
    head, _, perf = lines[-1].partition(" | ")
    values = {k: int(v.split(";")[0]) for k, v in (p.split("=", 1) for p in perf.split())}
    assert values["loss"] == len(expected["LOSS"])
    assert values["stuck"] == 1 and values["flapping"] == 1
    assert f"LOSS {len(expected['LOSS'])}" in head and "STUCK 1" in head and "FLAP 1" in head


def c(state: str, active: bool = True, ident: str = "1") -> Connection:
    return Connection(id=ident, connector_id="x", name="n", state=state, active=active,
                      startup_time=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("flow", "states", "code"),
    [
        (FlowStatus([], [], 0, 0, loss=[c(OPENED)]), [OPENED], EXIT_INIT),
        (FlowStatus([], [], 0, 0, loss=[c("UNREACHABLE")]), ["UNREACHABLE"], EXIT_ERROR),
        # FLAP is reported, but the states between its OPENED spells set the code.
        (FlowStatus([], [], 0, 0, flapping=[c(OPENED)]), [OPENED], EXIT_OK),
        (FlowStatus([], [], 0, 0), [OPENED], EXIT_OK),
    ],
)
def test_loss_and_stuck_are_warnings_unless_already_error(
    flow: FlowStatus, states: list[str], code: int,
    monkeypatch: pytest.MonkeyPatch, env, capsys: pytest.CaptureFixture[str],
) -> None:
    async def fixed_flow(*_args: object) -> FlowStatus:
        return flow

    async def fixed_listing(*_args: object, **_kw: object):
        conns = [c(s, ident=str(i)) for i, s in enumerate(states)]
        return Listing(conns, [], [None] * len(conns))

    monkeypatch.setattr("tui.cli_list.flow_status_of", fixed_flow)
    monkeypatch.setattr("tui.cli_list.fetch_listing", fixed_listing)
    assert main(["status"]) == code
    out = capsys.readouterr().out
    for word, group in flow.groups():
        assert sum(line.startswith(word + " ") for line in out.splitlines()) == len(group)


# -- 2. list FLAGS with SILENT, LOSS, LOW -----------------------------------------------------


def test_list_flags_show_the_dashboards_words(
    env, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    assert main(["list", "--flags"]) == EXIT_OK
    table = capsys.readouterr().out.splitlines()
    assert main(["list", "-o", "wide"]) == EXIT_OK
    wide = capsys.readouterr().out.splitlines()
    assert main(["list", "-o", "json", "--flags"]) == EXIT_OK
    records = json.loads(capsys.readouterr().out)
    board = asyncio.run(dashboard_board(now))
    expected = {i: column_cell(r, FLAGS_COLUMN, FLAGS_COLUMN.width, now, None).text
                for i, r in board.rows.items()}
    words = " ".join(expected.values()).split()
    assert {"SILENT", "LOSS"} <= set(words)  # the seeded world has both
    for lines in (table, wide):
        got = dict(zip(column(lines, "ID"), column(lines, "FLAGS"), strict=True))
        assert got == {i: text or "—" for i, text in expected.items()}
    assert {r["id"]: " ".join(r["flags"]) for r in records} == expected


def test_list_flags_without_metrics_say_so_once_and_show_state_flags(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(tmp_path / "state"))
    with HostileServer() as server:  # it has no metrics endpoint
        for var, value in server.env().items():
            monkeypatch.setenv(var, value)
        assert main(["list", "-o", "wide"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err.count("Metrics could not be read") == 1
    assert "without SILENT, LOSS or LOW" in captured.err
    assert captured.out.splitlines()[0].split()[0] == "HEALTH"


# -- 3. time in state as the dashboard shows it ----------------------------------------------

IN_STATE, UPTIME = WIDE.index("IN STATE"), WIDE.index("UPTIME")


def test_the_newcomers_cases_read_as_on_the_dashboard() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    started = now - timedelta(days=9, hours=20)
    restarted = now - timedelta(minutes=4, seconds=1)
    conns = [
        Connection(id="1", connector_id="x", name="a", state=OPENED, active=True,
                   startup_time=started),
        Connection(id="2", connector_id="x", name="b", state=OPENING, active=True),
        Connection(id="3", connector_id="x", name="c", state=OPENED, active=True,
                   startup_time=restarted),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "history.json"
        path.write_text(json.dumps({
            "1": [[started.isoformat(), OPENED]],  # seen at start-up: exact
            "2": [[(now - timedelta(minutes=4, seconds=29)).isoformat(), OPENING,
                   "at-or-before"]],
            # OPENED when last seen, restarted since (unseen): in state since the restart.
            "3": [[(now - timedelta(minutes=6, seconds=47)).isoformat(), OPENED,
                   "at-or-before"]],
        }))
        rows = list(table_rows(conns, observed(conns, now, path, Thresholds()), now, True, True))
    assert rows[0][IN_STATE] == "9d 20h"  # was "≥ 9d 20h"
    assert rows[1][IN_STATE] == "≥ 4m"  # was "≥ 4m 29s"
    assert rows[2][UPTIME] == "4m 1s" and rows[2][IN_STATE] == "4m 1s"  # was "≥ 6m 47s"
    assert all(value != "-" for row in rows for value in row)  # one "no value" mark: —


histories = st.lists(
    st.tuples(st.integers(0, 20_000), st.sampled_from(KNOWN_STATES), st.booleans()),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(KNOWN_STATES), st.booleans(),
                  st.none() | st.integers(0, 20_000), histories),
        min_size=1, max_size=6,
    )
)
def test_list_wide_and_the_dashboard_agree_on_any_history(items) -> None:
    """Both built from the same listing and history file, at the same moment."""
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    conns, entries = [], {}
    for index, (state, active, started, changes) in enumerate(items):
        conns.append(plain_connection(index, state, active, started, now))
        entries[str(index)] = [
            [(now - timedelta(seconds=ago)).isoformat(), s, *([] if exact else ["at-or-before"])]
            for ago, s, exact in sorted(changes, key=lambda change: -change[0])
        ]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "history.json"
        path.write_text(json.dumps(entries))
        cli = list(table_rows(conns, observed(conns, now, path, Thresholds()), now, True, True))
        dashboard = Board(HistoryStore(path), Thresholds())
        dashboard.apply(conns, now)
    for conn, row in zip(conns, cli, strict=True):
        shown = dashboard.rows[conn.id]
        in_state, uptime = durations(shown, now)
        assert (row[IN_STATE], row[UPTIME]) == (in_state, uptime)
        if shown.uptime(now) is not None and shown.state == OPENED:
            assert shown.in_state(now) <= shown.uptime(now)  # never in state longer than up
        flags = column_cell(dashboard.rows[conn.id], FLAGS_COLUMN, 10, now, None).text
        assert row[WIDE.index("FLAGS")] == (flags or "—")


def test_started_header_names_its_zone(env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == EXIT_OK
    header = capsys.readouterr().out.splitlines()[0]
    assert f"STARTED ({zone_label(datetime.now(UTC))})" in header


@pytest.mark.parametrize(("offset", "label"), [
    (0, "UTC"), (60, "UTC+01:00"), (-330, "UTC-05:30"), (345, "UTC+05:45"),
])
def test_zone_label(offset: int, label: str) -> None:
    from datetime import timezone

    zone = timezone(timedelta(minutes=offset))
    assert zone_label(datetime(2026, 6, 1, tzinfo=UTC), zone) == label


# -- 4. exit codes and an empty event log ----------------------------------------------------


def test_a_refused_restart_exits_four_not_unreachable(
    env, simulator: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restart", "999", "--yes"]) == EXIT_REFUSED
    assert "not found" in capsys.readouterr().err.lower()
    off = next(c for c in simulator.world.connections() if c.state == DEACTIVATED)
    assert main(["restart", off.key, "--yes"]) == EXIT_REFUSED
    assert capsys.readouterr().err.strip()


def test_an_unknown_state_is_a_usage_error(env, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["list", "--state", "bogus"])
    assert stop.value.code == 2
    assert "Unknown state 'bogus'" in capsys.readouterr().err


def test_no_event_is_said_on_stderr(env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--connection", "999"]) == 4  # not found, as alarms and restart
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("no event for connection 999 in the last 1h (no connection has that id)"
            in captured.err)


# -- 5. the banner with a secret of the operator's own ---------------------------------------


@pytest.mark.parametrize("where", ["unset", "set"])
def test_a_banner_with_the_env_secret_never_sets_an_empty_one(
    where: str, tmp_path: Path, sim_clock
) -> None:
    import shutil

    secret = "own-s3cret-42"
    sim = Simulator(connections=3, seed=0, clock=sim_clock, client_secret=secret)
    with SimulatorServer(sim) as server:
        banner = io.StringIO()
        print_banner(server, banner, secret_source="from $IOTFLOW_SIM_CLIENT_SECRET")
        assert secret not in banner.getvalue()
        iotflow = Path(sys.executable).parent / "iotflow"
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
               "IOTFLOW_CONFIG": str(tmp_path / "none.toml")}
        if where == "set":
            env["IOTFLOW_SIM_CLIENT_SECRET"] = secret
        script = banner.getvalue() + f"\n{iotflow} list\n"
        done = subprocess.run([shutil.which("bash") or "/bin/sh", "-c", script], env=env,
                              capture_output=True, text=True, timeout=120)
    if where == "set":
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0].startswith("HEALTH")
    else:  # stops with a sentence instead of exporting an empty secret
        assert done.returncode != 0 and "HEALTH" not in done.stdout
        assert "IOTFLOW_SIM_CLIENT_SECRET" in done.stderr and "export it first" in done.stderr
