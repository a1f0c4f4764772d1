"""The connection form's pure side (tui/forms/submission.py, tui/forms/changes.py): the body
sent, the problem list, where a refusal lands, and what an edit changes — no screen."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tui.forms import build_form
from tui.forms import submission as sub
from tui.forms.changes import Change, changes, describe, made_by_the_operator
from tui.secrets import MASK

SCHEMA = {
    "type": "object",
    "required": ["region", "password"],
    "properties": {
        "region": {"type": "string", "title": "Region"},
        "password": {"type": "string"},
        "port": {"type": "integer", "default": 1883},
        "rules": {
            "type": "array",
            "title": "Mapping rules",
            "items": {
                "type": "object",
                "required": ["devEUI"],
                "properties": {"devEUI": {"type": "string", "title": "DevEUI"}},
            },
        },
    },
}


def filled():
    tree = build_form(SCHEMA)
    tree.find("region").set_text("eu-west-1")
    tree.find("password").set_text("pw")
    return tree


def test_payload_for_a_create_and_for_an_edit_over_the_server_body():
    tree = filled()
    common = sub.Common("acme", "  Lyon  ", False)
    body = sub.build_payload(tree, common, None)
    assert body == {
        "connectorId": "acme",
        "name": "Lyon",
        "active": False,
        "configuration": {"region": "eu-west-1", "password": "pw", "port": 1883},
    }
    server = {"connectorId": "acme", "name": "old", "active": True, "alarms": [], "x": 1}
    body = sub.build_payload(tree, common, None, server_body=server)
    assert body["x"] == 1 and "alarms" not in body  # none before, none now: left out
    assert server["name"] == "old"  # the server body is not modified
    assert sub.build_payload(tree, common, [{"a": 1}])["alarms"] == [{"a": 1}]


def test_problems_name_first_then_form_order_with_places_people_read():
    tree = build_form(SCHEMA)
    tree.find("rules").add_item()
    errors = sub.settings_errors(tree, " ")
    assert [e.path for e in errors][:3] == ["name", "region", "password"]
    lines = sub.summary_lines(tree, errors, limit=2)
    assert lines[0].startswith(f"{len(errors)} problems to fix")
    assert lines[1] == "✗ Name: is required"
    assert lines[-1] == f"… and {len(errors) - 2} more"
    rule = next(e for e in errors if e.path.startswith("rules"))
    assert sub.place_of(tree, rule.path) == "Mapping rules › #1 › DevEUI"
    assert sub.summary_lines(tree, []) == []


def test_a_typed_mask_is_an_error_on_its_field_and_never_sent():
    tree = filled()
    tree.find("password").set_text(MASK)
    errors = sub.settings_errors(tree, "n")
    assert [e.path for e in errors] == ["password"]
    assert "mask" in tree.find("password").error


def test_refusal_lands_on_the_name_or_on_the_field_the_server_names():
    tree = filled()
    on_name = sub.refusal(tree, "name", "name already used")
    assert on_name.path == "name" and "already used" in on_name.message
    on_field = sub.refusal(tree, None, "configuration.region: 'x' is not a known region")
    assert on_field.path == "region"
    assert "refused" in tree.find("region").error
    whole = sub.refusal(tree, None, "database unavailable")
    assert whole.path == ""


def test_draft_holds_no_secret_and_draft_common_keeps_odd_values_out():
    tree = filled()
    data = sub.draft_data(
        tree, sub.Common("acme", "n", True), None, mode="create", connection_id=None
    )
    assert "pw" not in json.dumps(data) and "eu-west-1" in json.dumps(data)
    back = sub.draft_common({"name": 3, "active": "yes"}, sub.Common("acme", "kept", False))
    assert back == sub.Common("acme", "kept", False)


def test_masked_body_masks_configuration_secrets_only():
    body = {"name": "password", "configuration": {"password": "pw", "region": "r"}}
    shown = sub.masked_body(body, SCHEMA)
    assert shown["configuration"] == {"password": MASK, "region": "r"}
    assert body["configuration"]["password"] == "pw"


def test_changes_of_an_edit_never_show_a_secret():
    server = {
        "name": "a",
        "active": True,
        "configuration": {"region": "eu-west-1", "password": MASK, "port": 1, "old": 2},
    }
    sent = {
        "name": "b",
        "active": True,
        "configuration": {"region": "eu-north-1", "password": "new-pw", "port": 1, "extra": [1]},
    }
    found = changes(server, sent, SCHEMA)
    assert found == [
        Change("name", "changed", '"a"', '"b"'),
        Change("configuration.region", "changed", '"eu-west-1"', '"eu-north-1"'),
        Change("configuration.password", "secret typed again"),
        Change("configuration.old", "removed", before="2"),
        Change("configuration.extra", "added", after="[1]"),
    ]
    text = "\n".join(describe(c) for c in found)
    assert "new-pw" not in text and MASK not in text
    # both sides known (a secret the server did not mask): changed / unchanged, no value
    known = {"configuration": {"password": "one"}}
    assert changes(known, {"configuration": {"password": "two"}}, SCHEMA) == [
        Change("configuration.password", "secret changed")
    ]
    assert changes(known, known, SCHEMA) == [Change("configuration.password", "secret unchanged")]


def test_an_added_object_shows_its_secrets_masked():
    found = changes({"configuration": {}}, {"configuration": {"proxy": {"password": "pw9"}}})
    assert found == [Change("configuration.proxy", "added", after=f'{{"password": "{MASK}"}}')]


def test_a_type_change_is_a_change():
    assert changes({"configuration": {"port": 1}}, {"configuration": {"port": "1"}}) == [
        Change("configuration.port", "changed", "1", '"1"')
    ]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=6), JSONISH, max_size=4), st.text(min_size=1, max_size=8))
def test_changes_of_generated_configurations(config, secret):
    """Identical bodies change nothing; a new secret's value never appears in the text."""
    body = {"configuration": config}
    assert [c for c in changes(body, body) if c.kind != "secret unchanged"] == []
    before = {"configuration": {**config, "token": MASK}}
    after = {"configuration": {**config, "token": f"S3CR3T{secret}"}}
    found = changes(before, after)
    assert Change("configuration.token", "secret typed again") in found
    assert "S3CR3T" not in "\n".join(describe(c) for c in found)


DEFAULTS_SCHEMA = {
    "type": "object",
    "properties": {
        "host": {"type": "string"},
        "port": {"type": "integer", "default": 1883},
        "retain": {"type": "boolean", "default": False},
        "tls": {
            "type": "object",
            "properties": {
                "verify": {"type": "boolean", "default": True},
                "ca": {"type": "string"},
            },
        },
    },
}


def test_defaults_the_server_lacked_are_told_apart_from_the_operators_changes():
    """A setting the server lacks, sent at its schema default, is the form's doing (listed,
    apart); one sent at another value, or a default of another type, is the operator's."""
    server = {"configuration": {"host": "old"}}
    sent = {"configuration": {"host": "new", "port": 1883, "retain": 0, "tls": {"verify": True}}}
    found = changes(server, sent, DEFAULTS_SCHEMA)
    assert found == [
        Change("configuration.host", "changed", '"old"', '"new"'),
        Change("configuration.port", "default added", after="1883"),
        Change("configuration.retain", "added", after="0"),  # 0 is not False
        Change("configuration.tls", "default added", after='{"verify": true}'),
    ]
    assert [made_by_the_operator(c) for c in found] == [True, False, True, False]
    assert describe(found[1]) == "+ configuration.port: 1883 (schema default)"
    sent["configuration"] |= {"port": 8883, "tls": {"verify": True, "ca": "x"}}
    kinds = {c.path: c.kind for c in changes(server, sent, DEFAULTS_SCHEMA)}
    assert kinds["configuration.port"] == kinds["configuration.tls"] == "added"
    # on the server already: a value back at its default is a change like any other
    kept = {"configuration": {"host": "old", "port": 8883}}
    back = {"configuration": {"host": "old", "port": 1883}}
    assert changes(kept, back, DEFAULTS_SCHEMA) == [
        Change("configuration.port", "changed", "8883", "1883")
    ]


@given(st.dictionaries(st.text(min_size=1, max_size=6), JSONISH, min_size=1, max_size=4))
def test_generated_defaults_the_server_lacked_are_never_the_operators(defaults):
    """Any schema of defaults, a server with none of them: each is a "default added",
    none counts as the operator's; changing one makes it an "added"."""
    schema = {"type": "object", "properties": {k: {"default": v} for k, v in defaults.items()}}
    found = changes({"configuration": {}}, {"configuration": dict(defaults)}, schema)
    assert [c.path for c in found] == [f"configuration.{k}" for k in defaults]
    assert all(c.kind == "default added" and not made_by_the_operator(c) for c in found)
    key = next(iter(defaults))
    other = {**defaults, key: ["not", "the", "default", defaults[key]]}
    found = changes({"configuration": {}}, {"configuration": other}, schema)
    assert found[0] == Change(f"configuration.{key}", "added", after=found[0].after)
