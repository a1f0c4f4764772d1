"""Pilot tests of the connection form against the simulator on loopback: create (AWS,
Modbus, a connector known only from a schema file), edit with secrets typed again, clone,
server errors mapped to fields, failed submits that keep the input, drafts, leaving."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.support.form_screens import (
    PEM_CERT,
    PEM_KEY,
    FormHost,
    control,
    load_file,
    make_screen,
    settle,
    submit,
    type_field,
    type_name,
)
from tests.support.waiting import until
from tui.api import IoTFlowClient, ServerError, StaticToken
from tui.drafts import DraftStore
from tui.forms import ObjectField, submission
from tui.screens.connection_form import ConnectionFormScreen
from tui.screens.form_leave import LeaveFormScreen
from tui.secrets import MASK
from tui.simulator import Simulator, SimulatorServer
from tui.widgets.connector_picker import ConnectorPicker
from tui.widgets.form_fields import UNCHANGED_PLACEHOLDER


@pytest.fixture
def sim_connections() -> int:
    return 6


@pytest.fixture
def pem_files(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text(PEM_CERT)
    key.write_text(PEM_KEY)
    return cert, key


def unchosen_group(node):
    """The optional group (a proxy) holding ``node`` that is still "(not set)", if any."""
    while node is not None:
        if isinstance(node, ObjectField) and node.optional and not node.chosen:
            return node
        node = node.parent
    return None


async def pick_connector(pilot, screen, connector_id: str) -> None:
    await settle(pilot, screen)
    # On a loaded machine the screen can mount (and start reading the catalogue) after the
    # first settle: Enter before the catalogue has arrived rightly picks nothing.
    for _ in range(100):
        if screen.query_one(ConnectorPicker).connectors is not None:
            break
        await settle(pilot, screen)
    await pilot.press(*connector_id)
    await pilot.press("enter")
    await settle(pilot, screen)
    await until(pilot, lambda: screen.step == "settings", "the connector's settings step")
    assert screen.connector.id == connector_id


AWS_FIELDS = {
    "region": "eu-west-1",
    "accountPrefix": "a1b2c3-ats",
    "accessKeyId": "AKIAEXAMPLE",
    "secretAccessKey": "s3cr3t/Key",
    "deviceType": "sensor",
    "uplinkTopicPattern": "tpx/{DevEUI}/up",
    "downlinkTopicPattern": "tpx/{DevEUI}/down",
}


async def test_create_aws_end_to_end(sim_client, simulator, sim_clock, tmp_path, pem_files):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        await type_name(pilot, screen, "Lyon AWS")
        for path, text in AWS_FIELDS.items():
            await type_field(pilot, screen, path, text)
        cert, key = pem_files
        await load_file(pilot, screen, "certificate", cert)
        await load_file(pilot, screen, "privateKey", key)
        # a secret input is masked until revealed
        secret = control(screen, "secretAccessKey")
        assert isinstance(secret, Input) and secret.password
        secret.focus()
        await pilot.press("ctrl+r")
        assert not secret.password
        await pilot.press("ctrl+r")
        assert secret.password
        await pilot.press("pagedown")
        await settle(pilot, screen)
        assert screen.step == "alarms"
        await pilot.press("pagedown")
        await settle(pilot, screen)
        assert screen.step == "review"
        review = screen.review.text
        assert "s3cr3t/Key" not in review and "AKIAEXAMPLE" not in review
        assert MASK in review
        await pilot.press("enter")  # Submit has the focus
        await settle(pilot, screen)
    assert app.result not in (None, "pending")
    created = simulator.world.get(app.result)
    assert created.name == "Lyon AWS" and created.active is True
    assert created.configuration["region"] == "eu-west-1"
    assert created.configuration["secretAccessKey"] == "s3cr3t/Key"
    assert created.configuration["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert created.configuration["protocol"] == "SSL"  # the default, sent explicitly
    assert not (tmp_path / "drafts" / "create-actility-aws-iot.json").exists()


MODBUS_RULE = {"devEUI": "0011223344556677", "data": "$.payload.temperature", "register": "40"}


async def test_create_modbus_with_array_of_objects(sim_client, simulator, sim_clock, tmp_path):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-modbus-iot")
        await type_name(pilot, screen, "Meters")
        rules = screen.form_tree.find("mappingRules")
        # two items, added with the keyboard
        for n in range(2):
            add = control(screen, "mappingRules", "-add")
            add.focus()
            await pilot.press("enter")
            await settle(pilot, screen)
            assert len(rules.items) == n + 1
            for field, text in MODBUS_RULE.items():
                value = text if field != "devEUI" else text[:-1] + str(n)
                await type_field(pilot, screen, f"mappingRules[{n}].{field}", value)
        # move the second rule up, then check the order
        second = rules.items[1]
        screen.query_one(f"#b-{second.uid}-up").focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        assert rules.items[0] is second
        # a bad value shows under its field once the field is left
        await type_field(pilot, screen, "mappingRules[0].slaveId", "300")
        error = screen.query_one(f"#e-{screen.form_tree.find('mappingRules[0].slaveId').uid}")
        assert "247" in str(error.render())
        await type_field(pilot, screen, "mappingRules[0].slaveId", "7")
        await submit(pilot, screen)
    created = simulator.world.get(app.result)
    rules_sent = created.configuration["mappingRules"]
    assert [r["devEUI"] for r in rules_sent] == ["0011223344556671", "0011223344556670"]
    assert rules_sent[0]["slaveId"] == 7 and rules_sent[1]["slaveId"] == 1
    assert rules_sent[0]["register"] == 40 and rules_sent[0]["type"] == "UINT16"


async def test_remove_an_item_and_required_list_is_reported(sim_client, sim_clock, tmp_path):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-modbus-iot")
        control(screen, "mappingRules", "-add").focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        item = screen.form_tree.find("mappingRules").items[0]
        screen.query_one(f"#b-{item.uid}-rm").focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        assert screen.form_tree.find("mappingRules").items == []
        assert app.focused.id == f"f-{screen.form_tree.find('mappingRules').uid}-add"
        await pilot.press("pagedown")
        await settle(pilot, screen)
        assert screen.step == "settings"
        summary = str(screen.query_one("#summary", Static).render())
        assert "Name: is required" in summary
        assert "Mapping rules" in summary
        # ctrl+f goes to the first problem: the name
        control(screen, "bindPort").focus()
        await pilot.press("ctrl+f")
        await settle(pilot, screen)
        assert app.focused.id == "conn-name"


async def seeded(simulator, connector_id: str) -> str:
    return next(c.key for c in simulator.world.connections() if c.connector_id == connector_id)


async def test_edit_requires_secrets_typed_again(sim_client, simulator, sim_clock, tmp_path):
    ident = await seeded(simulator, "actility-aws-iot")
    before = simulator.world.get(ident).configuration
    screen = make_screen(sim_client, tmp_path, sim_clock, mode="edit", connection_id=ident)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert screen.query_one("#conn-name", Input).value == simulator.world.get(ident).name
        note = screen.query_one("#secrets-note", Static)
        assert not note.has_class("-hidden")
        assert "type these secrets again" in str(note.render())
        unchanged = screen.form_tree.unchanged_secrets()
        assert "secretAccessKey" in unchanged
        secret_input = control(screen, "secretAccessKey")
        assert secret_input.placeholder == UNCHANGED_PLACEHOLDER
        # the whole sentence shows at 80 columns (it was cut: "... type it again to")
        assert secret_input.content_region.width >= len(UNCHANGED_PLACEHOLDER)
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert "type it again" in str(screen.query_one("#summary", Static).render()) or (
            "re-enter" in str(screen.query_one("#summary", Static).render())
        )
        secrets = {"accessKeyId": "AKIANEW", "secretAccessKey": "newsecret"}
        for path in unchanged:
            node = screen.form_tree.find(path)
            if node.multiline:
                pem = PEM_CERT if "cert" in path.lower() else PEM_KEY
                file = tmp_path / f"{path}.pem"
                file.write_text(pem)
                await load_file(pilot, screen, path, file)
            else:
                await type_field(pilot, screen, path, secrets.get(path, "x-secret"))
        await type_field(pilot, screen, "region", "eu-north-1")
        # an edit shows what changes before the PUT: ctrl+g goes to the review first
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
        assert screen.step == "review" and app.result == "pending"
        shown = screen.review.changes_text
        assert "configuration.region" in shown and '"eu-north-1"' in shown
        assert "secretAccessKey: secret typed again" in shown
        assert "newsecret" not in shown and "newsecret" not in screen.review.text
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
    assert app.result == ident
    after = simulator.world.get(ident).configuration
    assert after["region"] == "eu-north-1"
    assert after["secretAccessKey"] == "newsecret"
    assert after["deviceType"] == before["deviceType"]
    assert MASK not in json.dumps(after)


async def test_clone_prefills_without_secrets(sim_client, simulator, sim_clock, tmp_path):
    ident = await seeded(simulator, "actility-aws-iot")
    screen = make_screen(sim_client, tmp_path, sim_clock, mode="clone", connection_id=ident)
    app = FormHost(screen)
    source = simulator.world.get(ident)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert screen.query_one("#conn-name", Input).value == f"Copy of {source.name}"
        assert screen.form_tree.find("region").text == source.configuration["region"]
        secret = screen.form_tree.find("secretAccessKey")
        assert secret.text == "" and not secret.unchanged
        assert screen.query_one("#secrets-note").has_class("-hidden")
        await type_field(pilot, screen, "accessKeyId", "AKIACLONE")
        await type_field(pilot, screen, "secretAccessKey", "clone-secret")
        for path in ("certificate", "privateKey"):
            node = screen.form_tree.find(path)
            if node is not None and path in source.configuration:
                file = tmp_path / f"{path}.pem"
                file.write_text(PEM_CERT if path == "certificate" else PEM_KEY)
                await load_file(pilot, screen, path, file)
        await submit(pilot, screen)
    assert app.result not in (None, "pending", ident)
    clone = simulator.world.get(app.result)
    assert clone.configuration["secretAccessKey"] == "clone-secret"
    assert clone.configuration["region"] == source.configuration["region"]


async def test_typed_mask_is_refused_and_server_400_maps_to_field(
    sim_client, simulator, sim_clock, tmp_path, pem_files, monkeypatch
):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        await type_name(pilot, screen, "Masked")
        for path, text in AWS_FIELDS.items():
            await type_field(pilot, screen, path, MASK if path == "secretAccessKey" else text)
        await submit(pilot, screen)
        node = screen.form_tree.find("secretAccessKey")
        assert "mask" in (node.error or "")
        assert app.result == "pending"
        # without the form's own check, the client refuses it (as the simulator would, 400): the
        # refusal lands on the field
        monkeypatch.setattr(submission, "typed_masks", lambda tree: [])
        await submit(pilot, screen)
        assert app.result == "pending"
        assert screen.step == "settings"
        assert screen.server_error is not None
        assert screen.server_error.path == "secretAccessKey"
        error = screen.query_one(f"#e-{node.uid}", Static)
        assert "refused" in str(error.render())
        assert app.focused is control(screen, "secretAccessKey")
        # the form stays filled
        assert screen.form_tree.find("region").text == "eu-west-1"
        assert screen.query_one("#conn-name", Input).value == "Masked"


async def test_server_400_on_a_value_maps_to_its_field(
    sim_client, simulator, sim_clock, tmp_path, monkeypatch
):
    """A value the form accepts but the server refuses: its message shows under the field."""
    from tui.api import ValidationFailed

    async def refuse(payload):
        raise ValidationFailed("configuration.deviceType: 'sensor' is not a known device type")

    monkeypatch.setattr(sim_client, "create_connection", refuse)
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        await type_name(pilot, screen, "Refused")
        for path, text in AWS_FIELDS.items():
            await type_field(pilot, screen, path, text)
        await submit(pilot, screen)
        node = screen.form_tree.find("deviceType")
        assert "not a known device type" in str(screen.query_one(f"#e-{node.uid}").render())
        summary = str(screen.query_one("#summary", Static).render())
        assert "Device type" in summary
        assert app.focused is control(screen, "deviceType")
        assert node.text == "sensor"


async def test_failed_submit_keeps_the_input(
    sim_client, simulator, sim_clock, tmp_path, monkeypatch
):
    calls = []

    async def broken(payload):
        calls.append(payload)
        raise ServerError("database unavailable", status=503, code="com-5030")

    real = sim_client.create_connection
    monkeypatch.setattr(sim_client, "create_connection", broken)
    drafts = DraftStore(tmp_path / "drafts")
    screen = make_screen(sim_client, tmp_path, sim_clock, drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        await type_name(pilot, screen, "Kept")
        for path, text in AWS_FIELDS.items():
            await type_field(pilot, screen, path, text)
        await submit(pilot, screen)
        assert len(calls) == 1
        assert screen.step == "review"
        status = str(screen.query_one("#review-status", Static).render())
        assert "database unavailable" in status and "kept" in status
        assert screen.form_tree.find("secretAccessKey").text == "s3cr3t/Key"
        # the draft holds what was typed but never the secret
        draft = drafts.load("create-actility-aws-iot")
        assert draft is not None and draft.data["name"] == "Kept"
        text = drafts.path("create-actility-aws-iot").read_text()
        assert "s3cr3t/Key" not in text and "AKIAEXAMPLE" not in text
        assert "eu-west-1" in text
        # the server is back: submitting again works
        monkeypatch.setattr(sim_client, "create_connection", real)
        await submit(pilot, screen)
    assert simulator.world.get(app.result).name == "Kept"
    assert drafts.load("create-actility-aws-iot") is None


async def test_draft_resumes_after_a_dropped_session(sim_client, sim_clock, tmp_path):
    drafts = DraftStore(tmp_path / "drafts")
    screen = make_screen(sim_client, tmp_path, sim_clock, drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        await type_name(pilot, screen, "Half done")
        await type_field(pilot, screen, "region", "ap-south-1")
        await type_field(pilot, screen, "secretAccessKey", "never-on-disk")
    # the session dropped without a goodbye; a new form resumes
    assert "never-on-disk" not in drafts.path("create-actility-aws-iot").read_text()
    screen = make_screen(sim_client, tmp_path, sim_clock, drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        listing = str(screen.query_one("#connector-list").get_option("actility-aws-iot").prompt)
        assert "draft saved" in listing
        await pick_connector(pilot, screen, "actility-aws-iot")
        assert screen.query_one("#conn-name", Input).value == "Half done"
        assert control(screen, "region").value == "ap-south-1"
        assert screen.form_tree.find("secretAccessKey").text == ""


async def test_a_draft_never_resumes_on_another_platforms_connection(
    sim_client, sim_clock, tmp_path, monkeypatch
):
    """A draft belongs to the platform it was typed against: the same connector (or
    connection id) on another platform opens without it."""
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(tmp_path / "state"))
    screen = ConnectionFormScreen(sim_client, now=sim_clock.now, local_tz=UTC)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        await type_name(pilot, screen, "Typed on the lab")
    assert screen.drafts.load("create-actility-aws-iot") is not None
    elsewhere = IoTFlowClient("https://prod.example.com/iot-flow/v1", StaticToken("t"))
    other = ConnectionFormScreen(elsewhere, now=sim_clock.now, local_tz=UTC)
    assert other.drafts.folder != screen.drafts.folder
    assert other.drafts.load("create-actility-aws-iot") is None
    await elsewhere.aclose()
    again = ConnectionFormScreen(sim_client, now=sim_clock.now, local_tz=UTC)
    assert again.drafts.load("create-actility-aws-iot") is not None  # same platform: kept


async def test_leaving_a_changed_form_asks_first(sim_client, sim_clock, tmp_path):
    drafts = DraftStore(tmp_path / "drafts")
    screen = make_screen(sim_client, tmp_path, sim_clock, drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-kafka-iot")
        await type_name(pilot, screen, "Typed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LeaveFormScreen)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#conn-name", Input).value == "Typed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # discard
        await pilot.pause()
    assert app.result is None
    assert drafts.load("create-actility-kafka-iot") is None


async def test_leaving_an_untouched_form_does_not_ask(sim_client, sim_clock, tmp_path):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-kafka-iot")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_keep_draft_on_leaving(sim_client, sim_clock, tmp_path):
    drafts = DraftStore(tmp_path / "drafts")
    screen = make_screen(sim_client, tmp_path, sim_clock, drafts=drafts)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-kafka-iot")
        await type_name(pilot, screen, "Later")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
    assert app.result is None
    assert drafts.load("create-actility-kafka-iot").data["name"] == "Later"


UNKNOWN = {
    "id": "acme-widget-iot",
    "producerId": "acme",
    "moduleId": "widget-iot",
    "version": "0.1.0",
    "description": "ACME widget bridge (never seen before)",
    "beta": True,
    "connection": {
        "configurationSchema": {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "type": "object",
            "additionalProperties": False,
            "required": ["endpoint", "auth"],
            "properties": {
                "endpoint": {"type": "string", "title": "Endpoint", "pattern": "^https://"},
                "retries": {"type": "integer", "minimum": 0, "maximum": 9, "default": 3},
                "mode": {"type": "string", "enum": ["fast", "safe"], "default": "safe"},
                "auth": {
                    "title": "Authentication",
                    "oneOf": [
                        {
                            "title": "API key",
                            "type": "object",
                            "required": ["apiKey"],
                            "properties": {"apiKey": {"type": "string"}},
                            "additionalProperties": False,
                        },
                        {
                            "title": "Basic",
                            "type": "object",
                            "required": ["username", "password"],
                            "properties": {
                                "username": {"type": "string"},
                                "password": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                    ],
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
    "flow": {},
}


async def test_unknown_connector_from_a_schema_file(sim_clock, tmp_path):
    from tui.config import Profile, make_client

    folder = tmp_path / "connectors"
    folder.mkdir()
    (folder / "acme-widget-iot.json").write_text(json.dumps(UNKNOWN))
    sim = Simulator(connections=0, seed=0, clock=sim_clock, connectors_dir=folder)
    with SimulatorServer(sim) as server:
        profile = Profile(
            name="t",
            url=server.base_url,
            client_id="demo",
            client_secret="demo-secret",
            timeout=2.0,
        )
        client = make_client(profile, retries=0)
        screen = make_screen(client, tmp_path, sim_clock)
        app = FormHost(screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pick_connector(pilot, screen, "acme-widget-iot")
            await type_name(pilot, screen, "Widgets")
            await type_field(pilot, screen, "endpoint", "http://plain")
            error = screen.query_one(f"#e-{screen.form_tree.find('endpoint').uid}")
            assert "✗" in str(error.render())
            await type_field(pilot, screen, "endpoint", "https://acme.example")
            # pick the "Basic" variant of the choice from the keyboard
            auth = screen.form_tree.find("auth")
            select = screen.query_one(f"#f-{auth.uid}")
            select.focus()
            await pilot.press("enter", "down", "enter")
            await settle(pilot, screen)
            assert auth.selected == 1
            await type_field(pilot, screen, "auth.username", "ops")
            await type_field(pilot, screen, "auth.password", "pw")
            assert control(screen, "auth.password").password
            # a map entry and a list item
            control(screen, "labels", "-add").focus()
            await pilot.press("enter")
            await settle(pilot, screen)
            labels = screen.form_tree.find("labels")
            await pilot.press(*"site", "tab", *"lyon", "tab")
            control(screen, "tags", "-add").focus()
            await pilot.press("enter")
            await settle(pilot, screen)
            await pilot.press(*"blue", "tab")
            assert labels.rows[0].key == "site"
            await submit(pilot, screen)
        await client.aclose()
    created = sim.world.get(app.result)
    assert created.connector_id == "acme-widget-iot"
    assert created.configuration == {
        "endpoint": "https://acme.example",
        "retries": 3,
        "mode": "safe",
        "auth": {"username": "ops", "password": "pw"},
        "labels": {"site": "lyon"},
        "tags": ["blue"],
    }


async def test_connector_filter_and_step_keys(sim_client, sim_clock, tmp_path):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        olist = screen.query_one("#connector-list")
        assert olist.option_count == 15
        await pilot.press(*"modbus")
        assert olist.option_count == 1
        await pilot.press("pagedown")
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert screen.connector.id == "actility-modbus-iot"
        await pilot.press("pageup")
        await settle(pilot, screen)
        assert screen.step == "connector"
        await pilot.press("ctrl+u", *"kafka", "down", "enter")
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert screen.connector.id == "actility-kafka-iot"
        bindings = {b.id for b in screen.BINDINGS}
        assert {"form.next", "form.back", "form.first_error", "form.submit"} <= bindings


async def test_every_shipped_connector_renders(sim_client, sim_clock, tmp_path):
    """Each connector's settings step mounts and its whole form is reachable."""
    connectors = await sim_client.list_connectors()
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        for connector in connectors:
            await screen._choose(connector.id)
            await settle(pilot, screen)
            assert screen.step == "settings"
            form = screen.query_one("#schema-form")
            for node in screen.form_tree.walk():
                if node.kind in ("string", "integer", "number", "secret", "enum", "boolean"):
                    # a field of an optional group not chosen yet: its "(not set)" Select
                    # is what shows (choosing "set" mounts the fields)
                    shown = unchosen_group(node) or node
                    assert form.query(f"#f-{shown.uid}"), (connector.id, node.path)
            await screen._go("connector")
