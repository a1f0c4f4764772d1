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
from tui.config import Profile, make_client
from tui.simulator import SimulatorServer

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
            timeout=30.0,  # a busy CI machine: a slow answer must not change the picture
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
        # toasts expire on the wall clock: the picture shows the screen, not how fast it was
        pilot.app.clear_notifications()
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
    """Step 1 at 80x24: the filter input focused at the top, the connector list (id, version, beta
    flag, description in dim) with the first one highlighted, and the keys line.
    """
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=driver())


def test_step1_filtered(snap_compare, form_app):
    """Step 1 with "azure" typed: only the Azure connector(s) listed, the first highlighted."""
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=driver(keys(*"azure")))


def test_step2_aws_blank(snap_compare, form_app):
    """Step 2 for AWS IoT, nothing typed: Name (focused, red *), Active switch with "Off creates it
    stopped", then the AWS fields with labels in one column and no error shown yet.
    """
    app = form_app()
    assert snap_compare(app, terminal_size=SMALL, run_before=driver(choose("actility-aws-iot")))


def test_step2_aws_errors_summary(snap_compare, form_app):
    """Step 2 after PgDn on an empty AWS form: a red summary box at the top ("N problems to fix",
    the first four places), the cursor on Name, its "✗ is required" line under it.
    """
    run = driver(choose("actility-aws-iot"), keys("pagedown"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step2_modbus_rules(snap_compare, form_app):
    """Step 2 for Modbus with two mapping rules: each rule a collapsible titled with its first
    values, ▲ up/▼ down/✕ remove, the cursor on rule #2's Register showing "✗" for "x".
    """
    run = driver(choose("actility-modbus-iot"), modbus_two_rules)
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step3_alarms(snap_compare, form_app):
    """Step 3 (alarms) after a filled AWS form: the steps line shows 1 and 2 done ✓, the empty
    alarm list with its add button.
    """
    run = driver(choose("actility-aws-iot"), aws_filled, keys("pagedown"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step4_review(snap_compare, form_app):
    """Step 4 (review) of a new AWS connection: "Ready." in green, Submit focused, Back to
    settings, and the POST body in JSON with every secret shown as *****.
    """
    run = driver(choose("actility-aws-iot"), aws_filled, keys("pagedown"), keys("pagedown"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_edit_secrets_unchanged(snap_compare, form_app):
    """Edit of connection 5 at 80x24: title with its name and id, step 1 struck out, the yellow
    note naming the secrets to type again, and no "Off creates it stopped" hint (an edit creates
    nothing).
    """
    app = form_app(mode="edit", connection_id="5")
    assert snap_compare(app, terminal_size=SMALL, run_before=driver())


async def first_error_focused(pilot, screen) -> None:
    """Wait for the state the edit-wide snapshot means: the focus on the first error."""
    await pilot.pause()
    first = screen._errors()[0]
    node = screen.form_tree.locate(first.path)
    assert screen.focused is not None and screen.focused.id in (f"f-{node.uid}", "conn-name")
    assert screen.form.focused_node() is node


def test_edit_wide(snap_compare, form_app):
    """The same edit at 160x50 after ctrl+g: scrolled to the first field with a problem (Access key
    id, a secret to type again) near the top, the cursor on it and its ✗ line visible (the
    toast is cleared for the picture; test_form_screens_fields checks it covers nothing).
    """
    app = form_app(mode="edit", connection_id="5")
    run = driver(keys("ctrl+g"), first_error_focused)
    assert snap_compare(app, terminal_size=LARGE, run_before=run)


def test_leave_dialog(snap_compare, form_app):
    """Esc on a changed Kafka form: the "Leave the new connection?" dialog centred over the form,
    with Keep editing (focused), Keep draft and Discard.
    """
    run = driver(choose("actility-kafka-iot"), keys(*"typed"), keys("escape"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def focus_on(path: str, suffix: str = ""):
    async def step(pilot, screen) -> None:
        screen.set_focus(control(screen, path, suffix))

    return step


async def http_chosen(pilot, screen) -> None:
    """Basic authentication and a proxy chosen and filled, one secret header."""
    for path in ("authentication", "proxy"):
        screen.set_focus(control(screen, path))
        await pilot.press("enter", "down", "enter")
        await settle(pilot, screen)
    await type_field(pilot, screen, "authentication.username", "ops")
    await type_field(pilot, screen, "authentication.password", "pa55")
    await type_field(pilot, screen, "proxy.hostname", "proxy.example.com:3128")
    screen.set_focus(control(screen, "headers", "-add"))
    await pilot.press("enter", *"Authorization", "tab", *"Bearer s3cr3t")


def test_step2_http_optional_not_set(snap_compare, form_app):
    """Step 2 for HTTP at 80x24, the cursor on HTTP proxy: it reads "(not set)", and so does
    Authentication further down; no Proxy address, User name or Password field is shown
    (none would be sent). Every input is a box drawn with thin bars at both ends.
    """
    run = driver(choose("actility-http-iot"), focus_on("proxy"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step2_http_chosen_wide(snap_compare, form_app):
    """Step 2 for HTTP at 160x50 after choosing Basic and setting a proxy: the boxes
    "Authentication: Basic" (User name *, Password * masked) and "HTTP proxy" (Proxy address
    * filled), and a header Authorization whose value is masked with the cursor in it.
    """
    run = driver(choose("actility-http-iot"), http_chosen)
    assert snap_compare(form_app(), terminal_size=LARGE, run_before=run)


def test_step2_aws_blank_no_color(snap_compare, form_app, monkeypatch):
    """Step 2 for AWS IoT under NO_COLOR (all grey), the cursor on Region: each input still
    shows as a box between bars, the focused one's bars brighter, and the * after Region,
    Account prefix and the other required labels is bold in the text colour, as bright as
    the label.
    """
    monkeypatch.setenv("NO_COLOR", "1")
    run = driver(choose("actility-aws-iot"), focus_on("region"))
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


async def switches_toggled(pilot, screen) -> None:
    """Active switched off with space, then Send metadata switched on and left focused."""
    screen.set_focus(screen.query_one("#conn-active"))
    await pilot.press("space")
    screen.set_focus(control(screen, "sendMetadata"))
    await pilot.press("space")


def test_step2_switches_no_color(snap_compare, form_app, monkeypatch):
    """Step 2 for AWS IoT under NO_COLOR after space on Active and on Send metadata: every
    boolean says its state in words, "[ ] off" or "[x] on" (Active off, Create devices on, Send
    metadata on, Send raw decoded format off, Downlink enabled on), and Send metadata, where
    the cursor is, is drawn in reverse video. Name, left empty, shows "✗ is required".
    """
    monkeypatch.setenv("NO_COLOR", "1")
    run = driver(choose("actility-aws-iot"), switches_toggled)
    assert snap_compare(form_app(), terminal_size=SMALL, run_before=run)


def test_step2_switches_wide(snap_compare, form_app):
    """The same at 160x50 in colour: the "[x]" of the switches that are on in green, "[ ]" of
    those off in the text colour, the word beside each, Send metadata in reverse video.
    """
    run = driver(choose("actility-aws-iot"), switches_toggled)
    assert snap_compare(form_app(), terminal_size=LARGE, run_before=run)
