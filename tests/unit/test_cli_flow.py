"""The data-flow commands: events (filters, follow, json/jsonl), metrics (Prometheus), restart,
and what status adds (SILENT, LOW, Nagios perfdata)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.clock import T0
from tui import cli_flow
from tui.cli import EXIT_OK, main
from tui.cli_flow import parse_moment
from tui.simulator.states import CLOSING, OPENED

SINCE = (T0 - timedelta(hours=24)).isoformat()


@pytest.fixture
def env(cli_env: None) -> None:
    """The command line pointed at the test simulator (tests/conftest.py)."""


def test_parse_moment() -> None:
    now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    assert parse_moment("1h", now) == now - timedelta(hours=1)
    assert parse_moment("30m", now) == now - timedelta(minutes=30)
    assert parse_moment("2d", now) == now - timedelta(days=2)
    assert parse_moment("2026-01-01T09:00:00+01:00", now).hour == 9
    assert parse_moment("2026-01-01T09:00:00", now).tzinfo is UTC
    with pytest.raises(ValueError, match="neither a duration"):
        parse_moment("yesterday", now)


def test_events_table_level_and_connection(env, simulator, sim_clock, capsys) -> None:
    sim_clock.advance(600)
    assert main(["events", "--since", SINCE]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line[:4] == "2024" for line in lines)
    assert [line[:20] for line in lines] == sorted(line[:20] for line in lines)  # oldest first
    assert main(["events", "--since", SINCE, "--level", "warn"]) == EXIT_OK
    warn = capsys.readouterr().out.splitlines()
    assert warn and all(" WARN " in line or " ERROR " in line for line in warn)
    assert len(warn) < len(lines)
    ident = str(simulator.events.query()[0].connection_id)
    assert main(["events", "--since", SINCE, "--connection", ident, "-o", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data and all(e["data"]["connectionId"] == ident for e in data)


def test_events_bad_since_is_a_sentence(env, capsys) -> None:
    assert main(["events", "--since", "last tuesday"]) == 2  # a usage error, as argparse's
    assert "neither a duration" in capsys.readouterr().err


def test_events_follow_prints_new_events_as_jsonl(
    env, simulator, sim_clock, capsys, monkeypatch
) -> None:
    polls = 0

    async def tick(_: float) -> None:
        nonlocal polls
        polls += 1
        if polls == 2:
            conn = next(c for c in simulator.world.connections() if c.state == OPENED)
            simulator.events.record(conn, "cnx-1002", "Restart requested")
        if polls == 4:
            raise KeyboardInterrupt
        sim_clock.advance(30)

    monkeypatch.setattr(cli_flow, "_pause", tick)
    assert main(["events", "--since", SINCE, "--follow", "-o", "jsonl"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines]
    codes = [e["code"] for e in events]
    assert codes.count("cnx-1002") == 1  # printed once, not again on the next poll
    identities = [
        (e["eventTime"], e["code"], e["message"], e["data"].get("connectionId")) for e in events
    ]
    assert len(identities) == len(set(identities))
    assert codes.index("cnx-1002") > 0


def test_metrics_prometheus_parses_back(env, simulator, capsys, tmp_path) -> None:
    assert main(["metrics", "-o", "prometheus"]) == EXIT_OK
    text = capsys.readouterr().out
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert "iotflow_uplinks_last_1h" in families and "iotflow_lag_messages" in families
    up = families["iotflow_uplinks_last_1h"]
    assert up.type == "gauge" and up.documentation
    assert len(up.samples) == len(simulator.world)
    by_id = {s.labels["connection_id"]: s for s in up.samples}
    conn = simulator.world.connections()[0]
    sample = by_id[conn.key]
    assert sample.labels["name"] == conn.name and sample.labels["connector"] == conn.connector_id
    assert sample.value == simulator.traffic.metrics(conn.id)["uplinksLast1h"]
    assert text.count("# HELP ") == text.count("# TYPE ") == len(families)


def test_metrics_to_a_file_atomically(env, capsys, tmp_path) -> None:
    target = tmp_path / "iotflow.prom"
    target.write_text("old\n")
    assert main(["metrics", "-o", "prometheus", "--file", str(target)]) == EXIT_OK
    assert capsys.readouterr().out == ""
    assert list(text_string_to_metric_families(target.read_text()))
    assert sorted(p.name for p in tmp_path.iterdir() if "iotflow.prom" in p.name) == [
        "iotflow.prom"
    ]


def test_label_values_are_escaped() -> None:
    from tui.connections import Connection
    from tui.flow import ConnectionMetrics

    conn = Connection.from_api({"id": "1", "name": 'a "b"\\c\nd', "connectorId": "x"})
    text = cli_flow.prometheus_text(
        [ConnectionMetrics.from_api({"connectionId": 1, "lag": 2})], [conn]
    )
    [family] = [f for f in text_string_to_metric_families(text) if f.samples]
    assert family.samples[0].labels["name"] == 'a "b"\\c\nd'


def test_metrics_table_and_json(env, simulator, capsys) -> None:
    assert main(["metrics"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["ID", "NAME", "CONNECTOR", "STATE"]
    assert len(lines) == 1 + len(simulator.world)
    assert main(["metrics", "-o", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data[0]["uplinksLast24h"] == simulator.traffic.metrics(1)["uplinksLast24h"]


def test_restart_asks_unless_yes_and_is_refused_read_only(
    env, simulator, capsys, monkeypatch
) -> None:
    conn = next(c for c in simulator.world.connections() if c.state == OPENED)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["restart", conn.key]) == 2  # a usage error
    assert "--yes" in capsys.readouterr().err
    assert simulator.world.state(conn.id) == OPENED
    assert main(["restart", conn.key, "--read-only", "--yes"]) == 64
    assert "read-only" in capsys.readouterr().err
    assert main(["restart", conn.key, "--yes"]) == EXIT_OK
    assert conn.name in capsys.readouterr().out
    assert simulator.world.state(conn.id) == CLOSING
    assert main(["restart", "424242", "--yes"]) == 4  # refused: not "unreachable" (3)
    assert "not found" in capsys.readouterr().err.lower()


def test_status_reports_silent_and_low_with_perfdata(env, simulator, capsys) -> None:
    main(["status"])
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("SILENT") for line in lines)
    summary = lines[-1]
    head, _, perf = summary.partition(" | ")
    assert "SILENT" in head and perf
    values = dict(item.split("=", 1) for item in perf.split())
    assert {"active", "init", "error", "deactivated", "silent", "low", "uplinks_per_hour",
            "failures_per_hour"} <= set(values)  # fmt: skip
    assert int(values["silent"].split(";")[0]) == sum(line.startswith("SILENT") for line in lines)
    total = sum(m["uplinksLast1h"] for m in simulator.traffic.all_metrics())
    assert int(values["uplinks_per_hour"].split(";")[0]) == total
