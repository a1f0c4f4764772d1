"""The simulator's state machine and seeded population, driven by a ManualClock."""

from __future__ import annotations

import io
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tui.loopback import is_loopback
from tui.simulator import ALL_STATES, ManualClock, Simulator, SystemClock
from tui.simulator.app import connection_json
from tui.simulator.cli import SecretError, client_secret, run_simulator
from tui.simulator.states import OPEN_TOTAL, RETRY_PERIODS, SETTLE_SECONDS
from tui.simulator.world import MODE_FLAP, MODE_INCIDENTS, has_invalid_marker

AWS_CONFIG = {
    "region": "eu-central-1",
    "accountPrefix": "a2sheeefctigr-ats",
    "accessKeyId": "AKIAJUJWTO76B3XZGHYA",
    "secretAccessKey": "lymHcfefddzerrZHnV5Q5YN/GTMFNiTREAj/7dz3358",
    "deviceType": "actilitytestsensor",
    "uplinkTopicPattern": "tpx/things/{DevEUI}/uplink",
    "downlinkTopicPattern": "tpx/things/{DevEUI}/downlink",
}


def _sim(n: int = 25, seed: int = 0, **kw) -> Simulator:
    return Simulator(clock=ManualClock(), connections=n, seed=seed, **kw)


def _states(history) -> list[str]:
    return [state for _, state in history]


# -- clocks -------------------------------------------------------------------------------------


def test_manual_clock() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = ManualClock(start)
    assert clock.now() == start
    clock.advance(1.5)
    assert clock.now() == start + timedelta(seconds=1.5)
    clock.set(start + timedelta(hours=1))
    assert clock.now() == start + timedelta(hours=1)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 1, 1))  # naive


def test_system_clock_is_utc_and_speed_scales() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)
    fast = SystemClock(speed=3600)
    first = fast.now()
    time.sleep(0.01)
    assert fast.now() - first >= timedelta(seconds=30)


# -- user actions -------------------------------------------------------------------------------


def test_new_connection_opens_with_startup_time() -> None:
    sim = _sim(0)
    t0 = sim.clock.now()
    conn = sim.world.create(connector_id="actility-aws-iot", name="n", configuration=AWS_CONFIG)
    assert conn.state == "CLOSED"
    assert conn.startup_time is None
    sim.clock.advance(OPEN_TOTAL)
    assert sim.world.state(conn.key) == "OPENED"
    history = sim.world.history(conn.key)
    assert _states(history) == ["CLOSED", "OPENING", "AUTHENTICATING", "OPENED"]
    assert [(t - t0).total_seconds() for t, _ in history] == [0, 1.0, 2.5, 4.0]
    assert conn.startup_time == t0 + timedelta(seconds=4)


def test_invalid_credentials_end_in_authentication_failed() -> None:
    sim = _sim(0)
    bad = {**AWS_CONFIG, "secretAccessKey": "invalid-pass"}
    conn = sim.world.create(connector_id="actility-aws-iot", name="n", configuration=bad)
    sim.clock.advance(SETTLE_SECONDS)
    assert _states(sim.world.history(conn.key))[-1] == "AUTHENTICATION_FAILED"
    assert conn.startup_time is None


def test_deactivate_reactivate_and_reconfigure() -> None:
    sim = _sim(0)
    world, clock = sim.world, sim.clock
    args = {"connector_id": "actility-aws-iot", "name": "n"}
    conn = world.create(**args, configuration=dict(AWS_CONFIG))
    clock.advance(SETTLE_SECONDS)
    first_start = world.get(conn.key).startup_time  # reads apply due transitions

    world.replace(conn.key, **args, configuration=dict(AWS_CONFIG), active=False)
    assert conn.state == "CLOSING"
    clock.advance(SETTLE_SECONDS)
    assert world.state(conn.key) == "DEACTIVATED"

    world.replace(conn.key, **args, configuration=dict(AWS_CONFIG), active=True)
    assert conn.state == "CLOSED"
    clock.advance(SETTLE_SECONDS)
    assert world.state(conn.key) == "OPENED"
    assert conn.startup_time > first_start

    mark = len(world.history(conn.key))
    world.replace(
        conn.key, connector_id="actility-aws-iot", name="renamed", configuration=dict(AWS_CONFIG)
    )
    clock.advance(SETTLE_SECONDS)
    assert len(world.history(conn.key)) == mark  # a rename does not restart

    world.replace(conn.key, **args, configuration={**AWS_CONFIG, "region": "eu-west-1"})
    clock.advance(SETTLE_SECONDS)
    assert _states(world.history(conn.key))[mark:] == [
        "CLOSING",
        "CLOSED",
        "OPENING",
        "AUTHENTICATING",
        "OPENED",
    ]


def test_delete_keeps_history_and_stops_schedule() -> None:
    sim = _sim(0)
    conn = sim.world.create(connector_id="actility-aws-iot", name="n", configuration=AWS_CONFIG)
    assert sim.world.delete(conn.key)
    assert not sim.world.delete(conn.key)
    sim.clock.advance(SETTLE_SECONDS)
    assert sim.world.get(conn.key) is None
    assert _states(sim.world.history(conn.key)) == ["CLOSED"]
    with pytest.raises(KeyError):
        sim.world.history("999")


# -- the seeded population ----------------------------------------------------------------------


def _snapshot(sim: Simulator) -> list[dict]:
    return [connection_json(c, sim.catalogue) for c in sim.world.connections()]


def test_population_is_deterministic() -> None:
    a, b = _sim(60, seed=5), _sim(60, seed=5)
    assert _snapshot(a) == _snapshot(b)
    assert [list(c.plan) for c in a.world.connections()] == [
        list(c.plan) for c in b.world.connections()
    ]
    a.clock.advance(1800)
    b.clock.advance(1800)
    assert [a.world.history(i) for i in a.world.ids()] == [
        b.world.history(i) for i in b.world.ids()
    ]
    assert _snapshot(_sim(60, seed=6)) != _snapshot(a)


@pytest.mark.parametrize("n", [8, 9, 25, 100])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_population_covers_all_eight_states(n: int, seed: int) -> None:
    sim = _sim(n, seed)
    assert len(sim.world) == n
    assert set(sim.world.states().values()) == set(ALL_STATES)


def test_population_looks_real() -> None:
    sim = _sim(25)
    conns = sim.world.connections()
    assert [c.key for c in conns] == [str(i) for i in range(1, 26)]
    names = [c.name for c in conns]
    assert len(set(names)) == 25
    assert len({c.connector_id for c in conns}) >= min(10, len(sim.catalogue))
    with_alarms = [c for c in conns if c.alarms]
    assert with_alarms
    for conn in with_alarms:
        for alarm in conn.alarms:
            assert set(alarm) == {
                "startTime",
                "endTime",
                "timezone",
                "recurrence",
                "uplinkRateMinPerHour",
                "message",
            }
            assert alarm["recurrence"][0]["frequency"] == "weekly"
            datetime.fromisoformat(alarm["startTime"])
    now = sim.clock.now()
    for conn in conns:
        if conn.state == "OPENED" and conn.mode is None:
            assert now - timedelta(days=11) < conn.startup_time < now
        if conn.state == "DEACTIVATED":
            assert conn.active is False
        if conn.state == "AUTHENTICATION_FAILED":
            assert has_invalid_marker(conn.configuration)
    big = _sim(300)
    assert all(
        not has_invalid_marker(c.configuration)
        for c in big.world.connections()
        if c.state != "AUTHENTICATION_FAILED"
    )


def test_incidents_reconnect_on_scaled_strategy_and_flappers_flap() -> None:
    sim = _sim(25)
    world, clock = sim.world, sim.clock
    t0 = clock.now()
    initial = world.states()
    for _ in range(60):  # 30 minutes of sim time, observed every 30 s
        clock.advance(30)
        world.advance()
    conns = {c.key: c for c in world.connections()}
    flappers = [c for c in conns.values() if c.mode == MODE_FLAP]
    assert 1 <= len(flappers) <= 2
    for conn in flappers:
        drops = _states(world.history(conn.key)).count("UNREACHABLE")
        assert drops >= 5
    recovered = 0
    for key, conn in conns.items():
        history = world.history(key)
        for (t1, s1), (t2, s2) in zip(history, history[1:], strict=False):
            if s1 == "UNREACHABLE" and s2 == "OPENING" and t1 >= t0:
                period = RETRY_PERIODS[conn.configuration.get("reconnectStrategy", "NORMAL")]
                assert (t2 - t1).total_seconds() == pytest.approx(period / 10)
        states = _states(history)
        if conn.mode == MODE_INCIDENTS and "UNREACHABLE" in states:
            i = states.index("UNREACHABLE")
            if "OPENED" in states[i:]:
                recovered += 1
                assert conn.startup_time > t0
    assert recovered >= 2
    # Permanently broken or stuck ones have not moved.
    stuck = [
        k
        for k, c in conns.items()
        if c.mode is None
        and not c.plan
        and initial[k] in ("UNREACHABLE", "OPENING", "CLOSING")
        and len(world.history(k)) == 1
    ]
    assert {initial[k] for k in stuck} >= {"UNREACHABLE", "OPENING", "CLOSING"}


def test_world_reads_process_transitions_lazily() -> None:
    sim = _sim(25)
    pending = sum(1 for c in sim.world.connections() if c.plan)
    assert pending > 0
    sim.clock.advance(3600)
    # Any read brings the world up to date: no further transition is due afterwards.
    sim.world.get("1")
    assert sim.world.advance() == 0


# -- command line -------------------------------------------------------------------------------


def test_run_simulator_prints_settings_and_serves(monkeypatch) -> None:
    monkeypatch.setenv("IOTFLOW_SIM_CLIENT_SECRET", "s3cret-from-env")
    out = io.StringIO()
    stop = threading.Event()
    kwargs = dict(
        host="127.0.0.1",
        port=0,
        connections=9,
        seed=1,
        connectors_dir=None,
        token_ttl=60,
        latency_ms=0,
        error_rate=0.0,
    )
    worker = threading.Thread(
        target=run_simulator, kwargs={**kwargs, "stop_event": stop, "out": out}
    )
    worker.start()
    deadline = time.monotonic() + 10
    while "Ctrl-C" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    text = out.getvalue()
    try:
        # Pasteable: every line is a comment or an export; the secret from the
        # environment is referred to, never printed.
        assert all(ln.startswith(("#", "export ")) for ln in text.splitlines() if ln)
        lines = dict(
            ln.removeprefix("export ").split("=", 1)
            for ln in text.splitlines()
            if ln.startswith("export ")
        )
        assert lines["IOTFLOW_FLAVOUR"] == "iot-flow" and "IOTFLOW_FLAVOUR=dx-core" in text
        assert lines["IOTFLOW_AUTH"] == "oidc" and "IOTFLOW_AUTH=dx-admin" in text
        assert "s3cret-from-env" not in text and "curl" in text
        # Refers to the variable, and stops where it is unset (never an empty secret).
        assert lines["IOTFLOW_CLIENT_SECRET"].startswith('"${IOTFLOW_SIM_CLIENT_SECRET:?')
        token_url = lines["IOTFLOW_TOKEN_URL"]
        token = httpx.post(
            token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": lines["IOTFLOW_CLIENT_ID"],
                "client_secret": "s3cret-from-env",
            },
        )
        assert token.status_code == 200
        assert token.json()["expires_in"] == 60
        base = text.split("listening on ", 1)[1].split()[0]
        r = httpx.get(
            f"{base}/thingpark/dx/core/latest/api/connections",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
        assert len(r.json()) == 9
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_client_secret_comes_from_a_file_then_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("IOTFLOW_SIM_CLIENT_SECRET", raising=False)
    assert client_secret() == ("demo-secret", "the demo secret")
    monkeypatch.setenv("IOTFLOW_SIM_CLIENT_SECRET", "from-env")
    assert client_secret() == ("from-env", "from $IOTFLOW_SIM_CLIENT_SECRET")
    path = tmp_path / "secret"
    path.write_text("line one\nline two\n")  # kept whole, only the final newline goes
    assert client_secret(path) == ("line one\nline two", f"from {path}")
    path.write_text("\n")
    with pytest.raises(SecretError, match="is empty"):
        client_secret(path)
    with pytest.raises(SecretError, match="cannot read"):
        client_secret(tmp_path / "missing")


def test_iotflow_sim_takes_repeated_client_ids_and_a_secret_file(tmp_path) -> None:
    from tui.cli import build_parser

    args = build_parser().parse_args(
        [
            "sim",
            "--client-id",
            "ops@example.com",
            "--client-id",
            "community-api/ops@example.com",
            "--client-secret-file",
            str(tmp_path / "s"),
        ]
    )
    assert args.client_ids == ["ops@example.com", "community-api/ops@example.com"]
    assert args.secret_file == tmp_path / "s"
    assert build_parser().parse_args(["sim"]).client_ids == []


def test_iotflow_sim_with_an_unreadable_secret_file_says_so(tmp_path, capsys) -> None:
    from tui.cli import main

    code = main(["sim", "--port", "0", "--client-secret-file", str(tmp_path / "nope")])
    assert code != 0
    assert "cannot read the client secret file" in capsys.readouterr().err


def test_banner_with_a_secret_file_and_several_accounts_pastes_into_a_shell(tmp_path) -> None:
    import shutil
    import subprocess
    import sys

    from tui.simulator import SimulatorServer
    from tui.simulator.cli import print_banner

    secret = tmp_path / "secret file"
    secret.write_text("f1le+secret&x\n")
    sim = Simulator(
        connections=9,
        seed=2,
        clock=ManualClock(),
        client_id=["ops+alerts@example.com", "community-api/ops@example.com"],
        client_secret="f1le+secret&x",
    )
    out = io.StringIO()
    with SimulatorServer(sim) as server:
        print_banner(server, out, secret_source=f"from {secret}")
        text = out.getvalue()
        assert "f1le+secret" not in text
        assert "#   also: community-api/ops@example.com" in text
        iotflow = Path(sys.executable).parent / "iotflow"
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "IOTFLOW_CONFIG": str(tmp_path / "none.toml"),
        }
        done = subprocess.run(
            [shutil.which("bash") or "/bin/sh", "-c", text + f"\n{iotflow} list\n"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("HEALTH")
    assert len(done.stdout.splitlines()) == 10
