"""SVG snapshots of each step of the connection form, against the seeded simulator.

Deterministic: a fixed clock, seeded connections, no cursor blink, drafts in tmp_path.
Regenerate with ``pytest tests/ui/test_form_screens_snapshots.py --snapshot-update`` and look
at the result before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.config import Profile, make_client
from tui.simulator import SimulatorServer

from tests.support.form_screens import (
    PEM_CERT,
    FormHost,
    control,
    make_screen,
    no_blink,
    settle,
    type_field,
    type_name,
)

SMALL = (80, 24)
LARGE = (160, 50)


@pytest.fixture
def sim_connections() -> int:
    return 6


@pytest.fixture
def form_app(sim_server: SimulatorServer, sim_clock, tmp_path: Path) -> Callable[..., FormHost]:
    def build(**kw: Any) -> FormHost:
        profile = Profile(
            name="sim",
            url=sim_server.base_url,
            client_id="demo",
            client_secret="demo-secret",
            timeout=2.0,
        )
        client = make_client(profile, retries=0)
        return FormHost(make_screen(client, tmp_path, sim_clock, **kw))

    return build


def driver(*steps: Callable[[Any, Any], Any]):
    async def run_before(pilot) -> None:
        screen = pilot.app.form_screen
        await settle(pilot, screen)
        for step in steps:
            await step(pilot, screen)
            await settle(pilot, screen)
        no_blink(screen)
        await pilot.pause()

    return run_before


def choose(connector_id: str):
    async def step(pilot, screen) -> None:
        await screen._choose(connector_id)

    return step


def keys(*presses: str):
    async def step(pilot, screen) -> None:
        await pilot.press(*presses)

    return step


async def aws_filled(pilot, screen) -> None:
    await type_name(pilot, screen, "Lyon AWS")
    for path, text in {
        "region": "eu-west-1",
        "accountPrefix": "a1b2c3-ats",
        "accessKeyId": "AKIAEXAMPLE",
        "secretAccessKey": "s3cr3t/Key",
        "deviceType": "sensor",
        "uplinkTopicPattern": "tpx/{DevEUI}/up",
        "downlinkTopicPattern": "tpx/{DevEUI}/down",
    }.items():
        await type_field(pilot, screen, path, text)
    node = screen.form_tree.find("certificate")
    node.set_text(PEM_CERT)


async def modbus_two_rules(pilot, screen) -> None:
    await type_name(pilot, screen, "Meters")
    for n in range(2):
        control(screen, "mappingRules", "-add").focus()
        await pilot.press("enter")
        await settle(pilot, screen)
        await type_field(pilot, screen, f"mappingRules[{n}].devEUI", f"001122334455667{n}")
        await type_field(pilot, screen, f"mappingRules[{n}].data", "$.payload.temperature")
    await type_field(pilot, screen, "mappingRules[1].register", "x")
    control(screen, "mappingRules[1].register").focus()


def test_step1_connectors(snap_compare, form_app):
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=driver())


def test_step1_filtered(snap_compare, form_app):
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=driver(keys(*"azure")))


def test_step2_aws_blank(snap_compare, form_app):
    app = form_app()
    assert snap_compare(app, terminal_size=SMALL, run_before=driver(choose("actility-aws-iot")))


def test_step2_aws_errors_summary(snap_compare, form_app):
    run = driver(choose("actility-aws-iot"), keys("pagedown"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step2_modbus_rules(snap_compare, form_app):
    run = driver(choose("actility-modbus-iot"), modbus_two_rules)
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step3_alarms(snap_compare, form_app):
    run = driver(choose("actility-aws-iot"), aws_filled, keys("pagedown"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step4_review(snap_compare, form_app):
    run = driver(choose("actility-aws-iot"), aws_filled, keys("pagedown"), keys("pagedown"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_edit_secrets_unchanged(snap_compare, form_app):
    app = form_app(mode="edit", connection_id="5")
    assert snap_compare(app, terminal_size=SMALL, run_before=driver())


def test_edit_wide(snap_compare, form_app):
    app = form_app(mode="edit", connection_id="5")
    assert snap_compare(app, terminal_size=LARGE, run_before=driver(keys("ctrl+g")))


def test_leave_dialog(snap_compare, form_app):
    run = driver(choose("actility-kafka-iot"), keys(*"typed"), keys("escape"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)
