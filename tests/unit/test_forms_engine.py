"""Form engine: each schema construct, loading, secrets, payload, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from tests.support.forms import CONNECTORS, PEM, connector_schema, fill_valid
from tui.forms import (
    SECRET_UNCHANGED,
    UNKNOWN_SETTING,
    ArrayField,
    ChoiceField,
    FieldError,
    FormInvalid,
    JsonField,
    MapField,
    ObjectField,
    PemError,
    ScalarField,
    build_form,
    map_server_error,
    read_pem_file,
)
from tui.secrets import MASK

ROOT = Path(__file__).resolve().parents[2]


def obj(props, required=(), **extra):
    return {"type": "object", "properties": props, "required": list(required), **extra}


# -- shipped connectors ------------------------------------------------------------------
def test_connector_descriptors_are_shipped():
    assert any(p.name == "actility-aws-iot.json" for p in CONNECTORS)


@pytest.mark.parametrize("path", CONNECTORS, ids=lambda p: p.stem)
def test_connector_builds_with_every_property(path):
    schema = connector_schema(path)
    tree = build_form(schema)
    assert isinstance(tree.root, ObjectField)
    assert list(tree.root.fields) == list(schema.get("properties", {}))
    for name in schema.get("required", []):
        assert tree.root.fields[name].required


@pytest.mark.parametrize("path", CONNECTORS, ids=lambda p: p.stem)
def test_connector_filled_form_gives_valid_payload(path):
    schema = connector_schema(path)
    tree = build_form(schema)
    fill_valid(tree.root)
    payload = tree.payload()
    assert list(Draft4Validator(schema).iter_errors(payload)) == []
    assert MASK not in json.dumps(payload)
    for name in schema.get("required", []):
        assert name in payload


@pytest.mark.parametrize("path", CONNECTORS, ids=lambda p: p.stem)
def test_connector_empty_form_reports_every_required_field(path):
    schema = connector_schema(path)
    tree = build_form(schema)
    errors = tree.validate()
    paths = {e.path for e in errors}
    for name in schema.get("required", []):
        node = tree.find(name)
        has_default = isinstance(node, ScalarField) and node.value is not None
        if not has_default and not isinstance(node, ArrayField | MapField | ObjectField):
            assert name in paths, f"{name} should be reported"


@pytest.mark.parametrize("path", CONNECTORS, ids=lambda p: p.stem)
def test_connector_roundtrip_edit(path):
    schema = connector_schema(path)
    tree = build_form(schema)
    fill_valid(tree.root)
    payload = tree.payload()
    again = build_form(schema)
    again.load(payload, mode="edit")
    assert again.payload() == payload


def test_aws_secrets_and_pem_kinds():
    tree = build_form(connector_schema(ROOT / "tui/simulator/connectors/actility-aws-iot.json"))
    assert tree.find("secretAccessKey").kind == "secret"
    assert tree.find("accessKeyId").kind == "secret"
    assert tree.find("proxy.password").kind == "secret"
    assert tree.find("certificate").kind == "pem" and tree.find("certificate").secret
    assert tree.find("privateKey").multiline
    assert tree.find("certificateId").kind == "string"
    assert tree.find("region").kind == "string"


def test_public_ca_certificate_is_pem_but_not_secret():
    tree = build_form(obj({"trustedCaCertficate": {"type": "string"}}))
    node = tree.find("trustedCaCertficate")
    assert node.kind == "pem" and node.secret is False and node.secret_state is None


# -- scalars -------------------------------------------------------------------------------
def test_integer_parsing_and_bounds():
    tree = build_form(obj({"n": {"type": "integer", "minimum": 1, "maximum": 255}}, ["n"]))
    n = tree.find("n")
    assert n.set_text("12") is None and n.value == 12
    assert n.set_text("1.5") == "must be a whole number"
    assert n.set_text("abc") == "must be a whole number"
    assert n.set_text("0") == "must be at least 1"
    assert n.set_text("256") == "must be at most 255"
    assert n.set_text("") == "is required"
    n.set_text(" 7 ")
    assert tree.payload() == {"n": 7}


def test_exclusive_bounds_draft4_booleans():
    schema = obj(
        {
            "x": {
                "type": "number",
                "minimum": 0,
                "exclusiveMinimum": True,
                "maximum": 1,
                "exclusiveMaximum": True,
            }
        }
    )
    x = build_form(schema).find("x")
    assert x.set_text("0") == "must be greater than 0"
    assert x.set_text("1") == "must be less than 1"
    assert x.set_text("0.5") is None and x.value == 0.5
    assert x.set_text("nan") == "must be a finite number"
    assert x.set_text("x") == "must be a number"


def test_string_length_and_pattern_messages():
    schema = obj(
        {
            "region": {
                "type": "string",
                "pattern": "^[a-z]{2}-[a-z]+-[0-9]$",
                "examples": ["eu-west-1"],
            },
            "name": {"type": "string", "minLength": 3, "maxLength": 5},
        }
    )
    tree = build_form(schema)
    assert tree.find("region").set_text("EU") == (
        "must match the pattern ^[a-z]{2}-[a-z]+-[0-9]$ (e.g. eu-west-1)"
    )
    assert tree.find("region").set_text("eu-west-1") is None
    assert tree.find("name").set_text("ab") == "must be at least 3 characters long"
    assert tree.find("name").set_text("abcdef") == "must be at most 5 characters long"


def test_boolean_and_enum_defaults_preselected():
    schema = obj(
        {
            "flag": {"type": "boolean", "default": True},
            "opt": {"type": "boolean"},
            "req": {"type": "boolean"},
            "mode": {
                "type": "string",
                "enum": ["CALM", "NORMAL", "AGGRESSIVE"],
                "default": "NORMAL",
            },
            "level": {"type": "integer", "enum": [1, 2, 3]},
        },
        ["req"],
    )
    tree = build_form(schema)
    assert tree.find("flag").value is True
    assert tree.find("opt").value is None
    assert tree.find("req").value is False
    mode = tree.find("mode")
    assert mode.kind == "enum" and mode.value == "NORMAL"
    assert mode.option_labels == ["CALM", "NORMAL", "AGGRESSIVE"]
    assert mode.set_text("LOUD") == "must be one of: CALM, NORMAL, AGGRESSIVE"
    assert tree.find("level").set_text("2") is None
    assert tree.find("flag").set_text("maybe") == "must be true or false"
    tree.find("flag").set_value(False)
    mode.set_value("NORMAL")
    # defaults are sent explicitly, untouched optional fields are left out
    assert tree.payload() == {"flag": False, "req": False, "mode": "NORMAL", "level": 2}


def test_defaults_are_sent_explicitly_and_empty_optional_left_out():
    schema = obj(
        {
            "a": {"type": "string"},
            "b": {"type": "integer", "default": 5},
            "c": {"type": "string", "default": "x"},
        }
    )
    tree = build_form(schema)
    assert tree.payload() == {"b": 5, "c": "x"}
    tree.find("c").set_text("")
    assert tree.payload() == {"b": 5}


def test_nullable_type_list():
    schema = obj({"s": {"type": ["string", "null"]}, "r": {"type": ["integer", "null"]}}, ["r"])
    tree = build_form(schema)
    s = tree.find("s")
    assert s.kind == "string" and s.nullable
    s.set_text("hello")
    s.set_null()
    payload = tree.payload()
    assert payload == {"s": None, "r": None}
    tree.find("r").set_text("4")
    assert tree.payload()["r"] == 4
    with pytest.raises(ValueError):
        build_form(obj({"x": {"type": "string"}})).find("x").set_null()


def test_multi_type_list_becomes_choice():
    tree = build_form(obj({"v": {"type": ["string", "integer"]}}))
    v = tree.find("v")
    assert isinstance(v, ChoiceField) and v.variant_labels == ["Text", "Whole number"]
    tree.load({"v": 3})
    assert v.selected == 1 and tree.payload() == {"v": 3}


# -- objects, refs, arrays, maps -----------------------------------------------------------
def test_nested_objects_and_refs_in_arrays():
    schema = {
        "type": "object",
        "properties": {
            "proxy": {"$ref": "#/definitions/Proxy", "description": "Optional proxy"},
            "rules": {"type": "array", "items": {"$ref": "#/definitions/Rule"}},
        },
        "definitions": {
            "Proxy": {
                "type": "object",
                "properties": {"hostname": {"type": "string"}},
                "additionalProperties": False,
            },
            "Rule": {
                "type": "object",
                "required": ["slaveId"],
                "additionalProperties": False,
                "properties": {"slaveId": {"type": "integer", "minimum": 1, "maximum": 247}},
            },
        },
    }
    tree = build_form(schema)
    assert tree.find("proxy").help == "Optional proxy"
    rules = tree.find("rules")
    assert isinstance(rules, ArrayField)
    a = rules.add_item()
    b = rules.add_item()
    a.fields["slaveId"].set_text("1")
    b.fields["slaveId"].set_text("300")
    assert b.fields["slaveId"].path == "rules[1].slaveId"
    errors = tree.validate()
    assert errors == [FieldError("rules[1].slaveId", "must be at most 247")]
    assert tree.first_error().path == "rules[1].slaveId"
    assert rules.move_item(1, -1) == 0
    assert b.fields["slaveId"].path == "rules[0].slaveId"
    b.fields["slaveId"].set_text("2")
    assert tree.payload() == {"rules": [{"slaveId": 2}, {"slaveId": 1}]}
    rules.remove_item(0)
    assert tree.payload() == {"rules": [{"slaveId": 1}]}
    assert "proxy" not in tree.payload()  # untouched optional object is left out
    tree.find("proxy.hostname").set_text("h")
    assert tree.payload()["proxy"] == {"hostname": "h"}


def test_array_of_scalars_and_item_counts():
    schema = obj(
        {"ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2}},
        ["ids"],
    )
    tree = build_form(schema)
    ids = tree.find("ids")
    assert [e.message for e in tree.validate()] == ["needs at least 1 item"]
    ids.add_item().set_text("3")
    ids.add_item(7)
    assert not ids.can_add
    assert tree.payload() == {"ids": [3, 7]}
    ids.add_item(8)
    assert tree.validate()[0].message == "can have at most 2 items"
    ids.remove_item(2)
    ids.items[0].set_text("x")
    assert tree.validate()[0] == FieldError("ids[0]", "must be a whole number")


def test_map_rows_unique_non_empty_keys():
    schema = obj({"headers": {"type": "object", "additionalProperties": {"type": "string"}}})
    tree = build_form(schema)
    headers = tree.find("headers")
    assert isinstance(headers, MapField)
    row = headers.add_row("X-Tenant", "acme")
    assert row.value.path == "headers.X-Tenant"
    headers.add_row("", "v")
    assert headers.set_key(1, "X-Tenant") == "the name 'X-Tenant' is used twice"
    assert headers.set_key(1, "") == "the name is empty"
    assert any("row 2" in e.message for e in tree.validate())
    headers.set_key(1, "a b")
    assert headers.rows[1].value.path == 'headers["a b"]'
    assert tree.find('headers["a b"]') is headers.rows[1].value
    assert tree.payload() == {"headers": {"X-Tenant": "acme", "a b": "v"}}
    headers.remove_row(0)
    assert tree.payload() == {"headers": {"a b": "v"}}


def test_map_value_with_secret_key_is_secret():
    schema = obj({"headers": {"type": "object", "additionalProperties": {"type": "string"}}})
    tree = build_form(schema)
    tree.load({"headers": {"apiKey": MASK, "X": "1"}})
    assert tree.find("headers.apiKey").secret_state == "unchanged"
    assert any(e.message == SECRET_UNCHANGED for e in tree.validate())


def test_recursive_definition_does_not_hang():
    schema = {
        "type": "object",
        "properties": {"root": {"$ref": "#/definitions/Node"}},
        "definitions": {
            "Node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "child": {"$ref": "#/definitions/Node"},
                    "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
                },
            }
        },
    }
    tree = build_form(schema)
    deepest = [n for n in tree.walk() if isinstance(n, JsonField) and "recursive" in n.reason]
    assert deepest, "recursion must end in a JSON field"
    tree.load(
        {
            "root": {
                "name": "a",
                "child": {"name": "b", "child": {"name": "c", "child": {"name": "d"}}},
            }
        }
    )
    assert tree.payload()["root"]["child"]["child"]["child"] == {"name": "d"}


def test_recursion_through_array_items_is_bounded():
    schema = {
        "$ref": "#/definitions/T",
        "definitions": {
            "T": {
                "type": "object",
                "properties": {"kids": {"type": "array", "items": {"$ref": "#/definitions/T"}}},
            }
        },
    }
    tree = build_form(schema)
    node = tree.root
    for _ in range(5):
        if isinstance(node, JsonField):
            break
        node = node.fields["kids"].add_item()
    assert isinstance(node, JsonField)


# -- oneOf / anyOf ---------------------------------------------------------------------------
AUTH = {
    "type": "object",
    "properties": {
        "auth": {
            "oneOf": [
                {"$ref": "#/definitions/Basic"},
                {
                    "type": "object",
                    "required": ["type", "token"],
                    "additionalProperties": False,
                    "properties": {"type": {"enum": ["bearer"]}, "token": {"type": "string"}},
                },
            ]
        }
    },
    "definitions": {
        "Basic": {
            "type": "object",
            "required": ["username", "password"],
            "additionalProperties": False,
            "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
        }
    },
}


def test_one_of_labels_select_and_guess():
    tree = build_form(AUTH)
    auth = tree.find("auth")
    assert isinstance(auth, ChoiceField)
    # optional, no default: it starts on "(not set)", which sends nothing
    assert auth.variant_labels == ["(not set)", "Basic", "bearer"]
    assert auth.selected == 0 and auth.active is None and auth.schema_index is None
    assert "auth" not in tree.payload()
    auth.select(2)
    assert auth.schema_index == 1
    tree.find("auth.type").set_value("bearer")
    tree.find("auth.token").set_text("t")
    assert tree.payload() == {"auth": {"type": "bearer", "token": "t"}}
    tree.load({"auth": {"type": "bearer", "token": MASK}})
    assert auth.selected == 2
    assert tree.find("auth.token").secret_state == "unchanged"
    tree.load({"auth": {"username": "u", "password": "p"}})
    assert auth.selected == 1
    assert tree.payload() == {"auth": {"username": "u", "password": "p"}}
    auth.select(0)  # the user takes the authentication away again
    assert "auth" not in tree.payload()


def test_one_of_errors_come_from_the_chosen_variant():
    tree = build_form(AUTH)
    tree.find("auth").select(1)  # Basic (0 is "(not set)")
    tree.find("auth.username").set_text("u")
    errors = tree.validate()
    assert FieldError("auth.password", "is required") in errors


def test_any_of_and_null_variant():
    schema = obj({"x": {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 2}]}})
    tree = build_form(schema)
    x = tree.find("x")
    assert x.variants[0].is_null and x.variant_labels[0] == "None (null)"
    x.select(0)
    assert tree.payload() == {"x": None}
    x.select(1).set_text("1")
    assert tree.validate() == [FieldError("x", "must be at least 2")]


def test_one_of_with_shared_base_properties():
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
    }
    tree = build_form(schema)
    assert isinstance(tree.root, ChoiceField)
    assert tree.root.variant_labels == ["A", "B"]
    tree.load({"b": "x"})
    assert tree.root.selected == 1 and tree.payload() == {"b": "x"}


# -- fallbacks ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sub,word",
    [
        ({"allOf": [{"type": "integer"}, {"minimum": 2}]}, "allOf"),
        ({"not": {"type": "string"}}, "not"),
        ({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}, "free-form"),
        ({"$ref": "http://example.com/schema.json"}, "remote"),
        ({"type": "widget"}, "unknown type"),
        ({"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}, "tuple"),
        ({}, "any JSON"),
    ],
)
def test_unsupported_parts_become_json_fields(sub, word):
    tree = build_form(obj({"odd": sub, "ok": {"type": "string"}}))
    odd = tree.find("odd")
    assert isinstance(odd, JsonField) and word in odd.reason
    assert tree.find("ok").kind == "string"


def test_json_field_parses_and_validates_against_sub_schema():
    tree = build_form(obj({"odd": {"allOf": [{"type": "integer"}, {"minimum": 2}]}}))
    odd = tree.find("odd")
    assert odd.set_text("{").startswith("is not valid JSON")
    assert odd.set_text("1") == "must be at least 2"
    assert odd.set_text('"a"') == "must be a whole number"
    assert odd.set_text("3") is None
    assert tree.payload() == {"odd": 3}


def test_pattern_properties_alongside_properties():
    schema = obj(
        {"a": {"type": "string"}},
        additionalProperties=False,
        patternProperties={"^x-": {"type": "integer"}},
    )
    tree = build_form(schema)
    tree.load({"a": "1", "x-one": 1})
    assert tree.payload() == {"a": "1", "x-one": 1}
    tree.load({"a": "1", "x-one": "no", "zz": 1})
    messages = {(e.path, e.message) for e in tree.validate()}
    assert ("x-one", "must be a whole number") in messages
    assert ("zz", UNKNOWN_SETTING) in messages


def test_jackson_schema_with_urn_refs():
    schema = {
        "type": "object",
        "id": "urn:jsonschema:com:actility:Config",
        "properties": {
            "proxy": {
                "type": "object",
                "id": "urn:jsonschema:com:actility:Proxy",
                "properties": {"hostname": {"type": "string"}},
            },
            "backup": {"$ref": "urn:jsonschema:com:actility:Proxy"},
            "port": {"type": "integer"},
        },
    }
    tree = build_form(schema)
    assert isinstance(tree.find("backup"), ObjectField)
    tree.find("backup.hostname").set_text("h")
    tree.find("port").set_text("x")
    assert tree.validate() == [FieldError("port", "must be a whole number")]
    tree.find("port").set_text("1")
    assert tree.payload() == {"backup": {"hostname": "h"}, "port": 1}


# -- editing an existing configuration ---------------------------------------------------------
SECRETS = obj(
    {
        "hostName": {"type": "string"},
        "password": {"type": "string"},
        "apiKey": {"type": "string", "format": "password"},
        "opaque": {"type": "string", "writeOnly": True},
        "proxy": obj({"hostname": {"type": "string"}, "password": {"type": "string"}}),
    },
    ["hostName", "password"],
)


def test_edit_marks_masked_secrets_unchanged_and_refuses_them():
    tree = build_form(SECRETS)
    assert tree.find("apiKey").kind == "secret" and tree.find("opaque").kind == "secret"
    tree.load({"hostName": "h", "password": MASK, "proxy": {"hostname": "p", "password": MASK}})
    pw = tree.find("password")
    assert pw.secret_state == "unchanged" and pw.text == ""
    assert tree.unchanged_secrets() == ["password", "proxy.password"]
    with pytest.raises(FormInvalid) as info:
        tree.payload()
    assert FieldError("password", SECRET_UNCHANGED) in info.value.errors
    assert FieldError("proxy.password", SECRET_UNCHANGED) in info.value.errors
    pw.set_text("new")
    tree.find("proxy.password").set_text("")  # the user removes the proxy password
    payload = tree.payload()
    assert payload == {"hostName": "h", "password": "new", "proxy": {"hostname": "p"}}
    assert MASK not in json.dumps(payload)


def test_mask_in_a_field_not_known_as_secret_is_never_sent():
    tree = build_form(obj({"code": {"type": "string"}}))
    tree.load({"code": MASK})
    assert tree.find("code").secret_state == "unchanged"
    payload, errors = tree.try_payload()
    assert MASK not in json.dumps(payload) and errors


def test_clone_empties_secrets():
    tree = build_form(SECRETS)
    tree.load(
        {"hostName": "h", "password": "clear", "apiKey": MASK, "extra": {"token": "t"}},
        mode="clone",
    )
    assert tree.find("password").text == "" and tree.find("password").secret_state == "empty"
    assert tree.find("apiKey").secret_state == "empty"
    assert tree.validate() == [FieldError("password", "is required")]
    assert "token" not in tree.find("*").text


def test_unknown_keys_are_kept():
    tree = build_form(SECRETS)
    tree.load({"hostName": "h", "password": "p", "futureOption": {"a": 1}, "n": 3})
    extra = tree.root.extra
    assert isinstance(extra, JsonField) and extra.path == "*"
    assert tree.payload() == {"hostName": "h", "password": "p", "futureOption": {"a": 1}, "n": 3}
    assert tree.locate("futureOption") is extra


def test_unknown_keys_with_additional_properties_false_are_reported_not_dropped():
    schema = connector_schema(ROOT / "tui/simulator/connectors/actility-aws-iot.json")
    tree = build_form(schema)
    tree.load({"region": "eu", "bogus": 1})
    assert FieldError("bogus", UNKNOWN_SETTING) in tree.validate()
    assert tree.try_payload()[0]["bogus"] == 1


def test_load_keeps_typed_values_and_odd_shapes():
    schema = obj(
        {
            "port": {"type": "string"},
            "n": {"type": "integer"},
            "list": {"type": "array", "items": {"type": "string"}},
        }
    )
    tree = build_form(schema)
    tree.load({"port": 5, "n": "12", "list": "notalist"})
    assert tree.find("port").text == "5"
    assert tree.find("n").value == 12
    errors = tree.validate()
    assert errors[0].path == "list" and "must be a list" in errors[0].message
    assert tree.try_payload()[0]["list"] == "notalist"


# -- whole validation, server errors -----------------------------------------------------------
def test_whole_validation_messages():
    schema = obj(
        {
            "m": {"type": "string", "enum": ["A", "B", "C"]},
            "u": {"type": "array", "items": {"type": "integer"}, "uniqueItems": True},
        },
        ["m"],
        additionalProperties=False,
    )
    tree = build_form(schema)
    tree.find("u").add_item(1)
    tree.find("u").add_item(1)
    assert tree.validate() == [
        FieldError("m", "is required"),
        FieldError("u", "must not contain the same value twice"),
    ]


@pytest.mark.parametrize(
    "message,path,sentence",
    [
        ("configuration.region: 'region' is a required property", "region", "is required"),
        ("configuration: 'region' is a required property", "region", "is required"),
        (
            "configuration.protocol: 'X' is not one of ['TCP', 'SSL', 'WSS']",
            "protocol",
            "must be one of: TCP, SSL, WSS",
        ),
        (
            "configuration.connectionTimeout: 'a' is not of type 'integer'",
            "connectionTimeout",
            "must be a whole number",
        ),
        ("/configuration/proxy/password: 'x' is too short", "proxy.password", "is too short"),
        ("$.configuration.region: is missing but it is required", "region", "is required"),
        (
            "$.configuration.topics[0].fPort: string found, integer expected",
            "topics[0].fPort",
            "must be a whole number",
        ),
        (
            "configuration.topics[0].fPort: 300 is greater than the maximum of 223",
            "topics[0].fPort",
            "must be at most 223",
        ),
    ],
)
def test_map_server_error(message, path, sentence):
    tree = build_form(connector_schema(ROOT / "tui/simulator/connectors/actility-aws-iot.json"))
    tree.load({"topics": [{"fPort": 1}]})
    assert map_server_error(tree, message) == (path, sentence)


def test_map_server_error_outside_the_form():
    tree = build_form(connector_schema(ROOT / "tui/simulator/connectors/actility-aws-iot.json"))
    assert map_server_error(tree, "name: must not be blank") == (None, "name: must not be blank")
    path, sentence = map_server_error(
        tree, "configuration: Additional properties are not allowed ('zzz' was unexpected)"
    )
    assert path is None and sentence == f"zzz {UNKNOWN_SETTING}"
    fe = tree.apply_server_error("configuration.region: 'region' is a required property")
    assert fe == FieldError("region", "is required") and tree.find("region").error == "is required"


def test_modbus_server_error_in_array_of_objects():
    tree = build_form(connector_schema(ROOT / "tui/simulator/connectors/actility-modbus-iot.json"))
    rules = tree.find("mappingRules")
    rules.add_item()
    rules.add_item()
    path, _ = map_server_error(
        tree, "configuration.mappingRules[1].slaveId: 0 is less than the minimum of 1"
    )
    assert path == "mappingRules[1].slaveId"


# -- drafts, pem, navigation, imports -----------------------------------------------------------
def test_draft_roundtrip_never_holds_secrets():
    schema = obj(
        {
            "hostName": {"type": "string"},
            "password": {"type": "string"},
            "ids": {"type": "array", "items": {"type": "integer"}},
            "headers": {"type": "object", "additionalProperties": {"type": "string"}},
            "n": {"type": "integer"},
        }
    )
    tree = build_form(schema)
    tree.find("hostName").set_text("h")
    tree.find("password").set_text("s3cr3t")
    tree.find("ids").add_item(4)
    tree.find("headers").add_row("X-A", "1")
    tree.find("n").set_text("12x")  # unfinished typing is kept
    draft = tree.draft()
    assert "s3cr3t" not in json.dumps(draft)
    again = build_form(schema)
    again.load_draft(json.loads(json.dumps(draft)))
    assert again.find("n").text == "12x" and again.find("n").error == "must be a whole number"
    again.find("n").set_text("12")
    again.find("password").set_text("x")
    assert again.payload() == {
        "hostName": "h",
        "password": "x",
        "ids": [4],
        "headers": {"X-A": "1"},
        "n": 12,
    }


def test_pem_file_loading(tmp_path):
    good = tmp_path / "c.pem"
    good.write_text(PEM)
    tree = build_form(obj({"certificate": {"type": "string"}}))
    cert = tree.find("certificate")
    assert cert.load_file(good) is None and cert.text.startswith("-----BEGIN CERTIFICATE-----")
    bad = tmp_path / "c.txt"
    bad.write_text("hello")
    with pytest.raises(PemError, match="does not look like PEM"):
        read_pem_file(bad)
    with pytest.raises(PemError, match="no such file"):
        read_pem_file(tmp_path / "missing.pem")
    der = tmp_path / "c.der"
    der.write_bytes(b"\x30\x82\xff\xfe")
    with pytest.raises(PemError, match="not text"):
        read_pem_file(der)
    assert cert.set_text("not a pem").startswith("does not look like PEM")


def test_find_locate_walk():
    tree = build_form(AUTH)
    assert tree.find("") is tree.root
    assert tree.find("auth.nothing") is None
    assert tree.locate("auth.nothing") is tree.find("auth")  # "(not set)": nothing inside
    tree.find("auth").select(1)
    assert tree.locate("auth.nothing") is tree.find("auth").active
    assert [n.path for n in tree.walk()][:2] == ["", "auth"]
    uids = {n.uid for n in tree.walk()}
    assert len(uids) == len(list(tree.walk()))


ODD_SCHEMAS = [
    # schema, the field the root becomes (or holds at "a"/"undeclared"), why, a value it takes
    ({}, JsonField, "accepts any JSON value", {"any": [1]}),
    ({"type": "string"}, ScalarField, None, "text"),
    ({"properties": "x"}, JsonField, "malformed properties", {"x": 1}),
    ({"enum": [{"a": 1}]}, JsonField, "a choice among structured values", {"a": 1}),
    ({"type": ["string", {"type": "integer"}]}, JsonField, "unknown type", "s"),
    ({"$ref": "#"}, JsonField, "recursive definition", {"b": 2}),
]


@pytest.mark.parametrize(("schema", "cls", "reason", "value"), ODD_SCHEMAS, ids=repr)
def test_odd_schemas_become_a_field_that_takes_a_value(schema, cls, reason, value):
    tree = build_form(schema)
    assert isinstance(tree.root, cls)
    if reason is not None:
        assert reason in tree.root.reason
    # empty, the form says the value is needed (a sentence, on the root)
    assert tree.validate() == [FieldError("", "is required")]
    assert tree.draft()["root"] is None
    if isinstance(tree.root, JsonField):
        assert tree.root.set_text(json.dumps(value)) is None
    else:
        assert tree.root.set_text(value) is None
    assert tree.payload() == value
    again = build_form(schema)
    again.load_draft(json.loads(json.dumps(tree.draft())))
    assert again.payload() == value


def test_an_empty_one_of_accepts_nothing_and_says_so():
    tree = build_form({"oneOf": []})
    assert isinstance(tree.root, JsonField) and "malformed oneOf" in tree.root.reason
    assert tree.root.set_text("3") == "does not match any of the allowed forms"
    with pytest.raises(FormInvalid) as caught:
        tree.payload()
    assert caught.value.errors == [FieldError("", "does not match any of the allowed forms")]


def test_broken_references_inside_an_object_become_json_fields():
    tree = build_form({"type": "object", "properties": {"a": {"$ref": "#/nowhere"}}})
    field = tree.find("a")
    assert isinstance(field, JsonField) and "points nowhere" in field.reason
    assert tree.validate() == [] and tree.payload() == {}
    assert field.set_text('{"free": true}') is None
    assert tree.payload() == {"a": {"free": True}}


def test_required_but_undeclared_property_gets_a_field():
    tree = build_form({"type": "object", "required": ["mystery"]})
    assert isinstance(tree.find("mystery"), JsonField)
    assert tree.validate() == [FieldError("mystery", "is required")]
