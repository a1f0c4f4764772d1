"""Optional groups and choices (a proxy, an authentication): what the form shows as chosen
is exactly what is sent.

Before, a new HTTP connection showed ``Authentication  Basic ▼`` with ``User name *`` and
``Password *``, and an ``HTTP proxy`` box with ``Proxy address *``, while the payload had
neither: shown as chosen and required, sent as absent.
"""

from __future__ import annotations

from textual.widgets import Label, Select

from tests.support.form_screens import (
    FormHost,
    SchemaClient,
    control,
    make_screen,
    settle,
    submit,
    type_field,
    type_name,
)
from tests.ui.test_form_screens import pick_connector
from tui.forms import ChoiceField, ObjectField
from tui.secrets import MASK


def labels(screen) -> set[str]:
    return {str(label.render()).strip() for label in screen.query(Label)}


async def pick(pilot, screen, path: str, moves: int) -> None:
    """Open the Select of ``path`` from the keyboard (it opens on the current option) and
    take the option ``moves`` below it (above when negative)."""
    screen.set_focus(control(screen, path))
    await pilot.press("enter", *["down" if moves > 0 else "up"] * abs(moves), "enter")
    await settle(pilot, screen)


async def test_http_authentication_and_proxy_start_not_set_and_are_sent_once_chosen(
    sim_client, simulator, sim_clock, tmp_path
):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    app = FormHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        tree = screen.form_tree
        auth, proxy = tree.find("authentication"), tree.find("proxy")
        assert isinstance(auth, ChoiceField) and isinstance(proxy, ObjectField)
        auth_select, proxy_select = control(screen, "authentication"), control(screen, "proxy")
        assert isinstance(auth_select, Select) and isinstance(proxy_select, Select)
        assert auth.variant_labels[auth_select.value] == "(not set)"
        assert proxy_select.value is Select.NULL
        # no field that will not be sent is shown, so none looks required
        shown = labels(screen)
        assert not {"User name *", "Password *", "Proxy address *", "Token *"} & shown
        await type_name(pilot, screen, "Hook")
        await type_field(pilot, screen, "destinationURL", "https://example.com/up")
        await pilot.press("pagedown", "pagedown")
        await settle(pilot, screen)
        assert screen.step == "review"
        assert '"authentication"' not in screen.review.text
        assert '"proxy"' not in screen.review.text

        await pilot.press("pageup", "pageup")
        await settle(pilot, screen)
        await pick(pilot, screen, "authentication", 1)  # Basic
        assert auth.selected == 1 and {"User name *", "Password *"} <= labels(screen)
        await type_field(pilot, screen, "authentication.username", "ops")
        await type_field(pilot, screen, "authentication.password", "pa55")
        await pick(pilot, screen, "proxy", 1)  # set
        assert proxy.chosen and "Proxy address *" in labels(screen)
        # chosen but empty: its required field is now a problem, not silently dropped
        await pilot.press("pagedown")
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert ("proxy.hostname", "is required") in [(e.path, e.message) for e in tree.errors]
        await type_field(pilot, screen, "proxy.hostname", "proxy.example.com:3128")
        await pilot.press("pagedown", "pagedown")
        await settle(pilot, screen)
        assert screen.step == "review"
        review = screen.review.text
        assert '"authentication"' in review and '"proxy"' in review
        assert "pa55" not in review and MASK in review
        await pilot.press("ctrl+g")
        await settle(pilot, screen)
    created = simulator.world.get(app.result)
    assert created.configuration["authentication"] == {"username": "ops", "password": "pa55"}
    assert created.configuration["proxy"] == {"hostname": "proxy.example.com:3128"}


async def test_choosing_not_set_again_takes_the_group_out(sim_clock, tmp_path):
    """A generated-style schema (anyOf of two objects, an optional object with a required
    field): set, filled, then "(not set)" again: nothing of it is sent, and choosing it once
    more brings back what was typed."""
    schema = {
        "type": "object",
        "properties": {
            "host": {"type": "string"},
            "tls": {
                "type": "object",
                "title": "TLS",
                "properties": {"ca": {"type": "string", "title": "CA"}},
                "required": ["ca"],
            },
            "mode": {
                "title": "Mode",
                "anyOf": [
                    {"title": "Fast", "type": "object", "properties": {"n": {"type": "integer"}}},
                    {"title": "Safe", "type": "object", "properties": {"m": {"type": "string"}}},
                ],
            },
        },
    }
    client = SchemaClient({"gen": schema})
    screen = make_screen(client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await screen._choose("gen")
        await settle(pilot, screen)
        assert "CA *" not in labels(screen)
        await pick(pilot, screen, "tls", 1)
        await type_field(pilot, screen, "tls.ca", "my-ca")
        await pick(pilot, screen, "mode", 2)  # Safe
        await type_field(pilot, screen, "mode.m", "x")
        payload, errors = screen.form_tree.try_payload()
        assert payload == {"tls": {"ca": "my-ca"}, "mode": {"m": "x"}} and not errors
        await pick(pilot, screen, "tls", -1)  # back to "(not set)"
        await pick(pilot, screen, "mode", -2)
        assert "CA *" not in labels(screen)
        payload, errors = screen.form_tree.try_payload()
        assert payload == {} and not errors
        await pick(pilot, screen, "tls", 1)
        assert screen.form_tree.find("tls.ca").text == "my-ca"
        await type_name(pilot, screen, "G")
        await submit(pilot, screen)
    assert client.sent[0]["configuration"] == {"tls": {"ca": "my-ca"}}
