"""Connector schemas nobody on the team wrote (tests/support/schemas.py): the form engine
builds them, every field takes a value, and the payload validates or the form says why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.forms import (
    CONNECTORS,
    connector_schema,
    is_sentence,
    schema_problems,
    set_every_field,
)
from tests.support.schemas import (
    BIG_ENUM,
    DEFINITIONS,
    HOSTILE_LEAVES,
    HOSTILE_PARTS,
    accepted_values,
    connector_schemas,
    deep_object,
    large_schema,
    tame_connector_schemas,
    ten_variants,
)
from tui.forms import (
    ChoiceField,
    FieldError,
    JsonField,
    ObjectField,
    ScalarField,
    build_form,
    measure_schema,
)
from tui.secrets import MASK

HOSTILE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=120,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_says_why_or_validates(tree: Any, schema: dict[str, Any]) -> Any:
    payload, errors = tree.try_payload()
    for error in errors:
        assert is_sentence(error.message), error
    if tree.schema_problem is not None:
        assert is_sentence(tree.schema_problem)
    if not errors and tree.schema_problem is None:
        assert schema_problems(schema, payload) == []
    return payload, errors


@HOSTILE
@given(connector_schemas())
def test_hostile_schema_builds_and_every_field_can_be_set(schema: dict[str, Any]) -> None:
    tree = build_form(schema)
    assert isinstance(tree.root, ObjectField)
    assert set(schema["properties"]) | set(schema.get("required", [])) <= set(tree.root.fields)
    # untouched: only "is required" kinds of sentences, never an exception
    assert_says_why_or_validates(tree, schema)
    answers = set_every_field(tree)
    assert all(is_sentence(a) for a in answers), [a for a in answers if not is_sentence(a)]
    assert_says_why_or_validates(tree, schema)
    draft = json.loads(json.dumps(tree.draft()))
    for node in tree.walk():
        if isinstance(node, ScalarField) and node.secret and len(node.text) > 3:
            assert node.text not in json.dumps(draft), node.path
    again = build_form(schema)
    again.load_draft(draft)  # restores over a fresh tree without raising


@pytest.mark.parametrize("part", HOSTILE_LEAVES + HOSTILE_PARTS, ids=lambda p: json.dumps(p)[:60])
@pytest.mark.parametrize("required", [False, True], ids=["optional", "required"])
def test_each_hostile_part_alone(part: dict[str, Any], required: bool) -> None:
    schema = {
        "type": "object",
        "properties": {"odd": part, "name": {"type": "string"}},
        "definitions": DEFINITIONS,
        **({"required": ["odd"]} if required else {}),
    }
    tree = build_form(schema)
    assert "odd" in tree.root.fields
    payload, errors = assert_says_why_or_validates(tree, schema)
    if not errors and required:
        assert "odd" in payload
    elif not errors and "default" not in part:
        assert "odd" not in payload  # untouched and optional: not sent
    answers = set_every_field(tree)
    assert all(is_sentence(a) for a in answers), answers
    assert_says_why_or_validates(tree, schema)


def _explained(tree: Any, path: str, message: str) -> bool:
    """Errors the engine gives on purpose for a value jsonschema accepts: an empty text is
    "not given" (so a required one is missing, and a list or object holding it is short),
    a certificate must be PEM, and a secret loaded masked or with CR line breaks is
    changed."""
    node = tree.find(path)
    if node is None:
        return False
    for inner in node.walk():
        if isinstance(inner, ScalarField) and inner.base_type == "string" and inner.text == "":
            return True
        # certificate-named text must be PEM even when the schema says only "string"
        if isinstance(inner, ScalarField) and inner.kind == "pem":
            return message.startswith("does not look like PEM")
        if isinstance(inner, ScalarField) and inner.secret:
            if inner.unchanged or "\r" in inner.text or "\n" in inner.text:
                return True
    return False


@settings(HOSTILE, max_examples=40)
@given(st.data())
def test_a_value_the_schema_accepts_loads_and_comes_back(data: st.DataObject) -> None:
    schema = data.draw(tame_connector_schemas())
    value = data.draw(accepted_values(schema))
    assert schema_problems(schema, value) == []  # the generator itself is right
    tree = build_form(schema)
    tree.load(value, mode="edit")
    payload, errors = tree.try_payload()
    unexplained = [e for e in errors if not _explained(tree, e.path, e.message)]
    assert unexplained == [], (value, unexplained)
    if not errors:
        assert schema_problems(schema, payload) == []
        again = build_form(schema)
        again.load(payload, mode="edit")
        assert again.try_payload()[0] == payload
        if MASK not in json.dumps(value):
            assert _covers(payload, value), (value, payload)


def _covers(payload: Any, value: Any) -> bool:
    """The payload holds what was loaded, with what the engine changes on purpose: an
    optional text left empty is not sent (empty means "not given"), secrets' CR line breaks
    become LF, and defaults of settings the value left out are sent explicitly."""
    if isinstance(value, dict):
        return isinstance(payload, dict) and all(
            _covers(payload.get(k), v) for k, v in value.items() if v != ""
        )
    if isinstance(value, list):
        return (
            isinstance(payload, list)
            and len(payload) == len(value)
            and all(_covers(p, v) for p, v in zip(payload, value, strict=True))
        )
    if isinstance(value, str) and isinstance(payload, str):
        return payload == value.replace("\r\n", "\n").replace("\r", "\n") or payload == value
    return payload == value and type(payload) is type(value)


# -- the named hostile constructs, one by one ------------------------------------------------
def test_a_500_option_enum_is_a_choice_with_no_option_picked():
    tree = build_form({"type": "object", "properties": {"zone": {"enum": BIG_ENUM}}})
    zone = tree.find("zone")
    assert zone.kind == "enum" and len(zone.options) == 500 and not zone.is_set
    assert tree.payload() == {}
    zone.set_value("option-499")
    assert tree.payload() == {"zone": "option-499"}


def test_thirty_levels_deep_end_in_a_json_field_that_still_takes_the_value():
    schema = {"type": "object", "properties": {"deep": deep_object(30)}}
    tree = build_form(schema)
    bottom = [n for n in tree.walk() if isinstance(n, JsonField) and n.name != "*"]
    assert len(bottom) == 1 and "nested too deeply" in bottom[0].reason
    bottom[0].set_text(json.dumps({"level9": {"leaf": "x"}}))
    payload = tree.payload()
    assert schema_problems(schema, payload) == []
    assert "leaf" in json.dumps(payload)


def test_ten_variants_each_have_a_label_and_a_payload_that_validates():
    schema = {"type": "object", "properties": {"v": ten_variants()}, "required": ["v"]}
    tree = build_form(schema)
    choice = tree.find("v")
    assert isinstance(choice, ChoiceField) and len(choice.variants) == 10
    assert choice.variant_labels == [f"Variant {i}" for i in range(10)]
    for i in range(10):
        choice.select(i)
        choice.active.fields["kind"].set_value(f"k{i}")
        assert schema_problems(schema, tree.payload()) == []


def test_recursive_and_missing_references_become_json_fields():
    schema = {
        "type": "object",
        "definitions": {
            "N": {"type": "object", "properties": {"next": {"$ref": "#/definitions/N"}}}
        },
        "properties": {"n": {"$ref": "#/definitions/N"}, "m": {"$ref": "#/definitions/Gone"}},
    }
    tree = build_form(schema)
    assert "points nowhere" in tree.find("m").reason
    deepest = [n for n in tree.walk() if isinstance(n, JsonField) and "recursive" in n.reason]
    assert deepest and deepest[0].path.startswith("n.next")


def test_keys_with_dots_and_slashes_keep_their_paths():
    schema = {
        "type": "object",
        "properties": {"a.b": {"type": "string"}, "x/y": {"type": "integer"}},
    }
    tree = build_form(schema)
    dotted, slashed = tree.root.fields["a.b"], tree.root.fields["x/y"]
    assert (dotted.path, slashed.path) == ('["a.b"]', '["x/y"]')
    assert tree.find(dotted.path) is dotted and tree.find(slashed.path) is slashed
    dotted.set_text("v")
    assert slashed.set_text("nope") == "must be a whole number"
    slashed.set_text("3")
    assert tree.payload() == {"a.b": "v", "x/y": 3}


def test_wrong_type_defaults_are_shown_and_reported_not_sent():
    schema = {"type": "object", "properties": {"n": {"type": "integer", "default": "ten"}}}
    tree = build_form(schema)
    assert tree.find("n").text == "ten"
    assert [e.message for e in tree.validate()] == ["must be a whole number"]


def test_the_large_schema_builds_and_validates():
    schema = large_schema(400)  # a tenth: the full size is measured in bench_forms.py
    tree = build_form(schema)
    assert sum(1 for n in tree.walk() if isinstance(n, ScalarField)) == 400
    payload, errors = tree.try_payload()
    assert errors == [] and schema_problems(schema, payload) == []


# -- large schemas: what the screen needs to decide -------------------------------------------
def test_the_full_large_schema_is_measured_as_needing_the_json_editor():
    schema = large_schema()
    size = measure_schema(schema)
    assert size.fields == 4000 and 2_100_000 < size.schema_bytes < 2_400_000
    assert size.large and size.needs_json_editor
    assert size.sentence().startswith("This connector describes 4,000 settings (2.2 MB schema)")


@pytest.mark.parametrize("path", CONNECTORS, ids=lambda p: p.stem)
def test_no_shipped_connector_is_a_large_form(path):
    size = measure_schema(connector_schema(path))
    assert 0 < size.fields and not size.large and not size.needs_json_editor


def test_the_json_editor_form_takes_the_whole_configuration_and_checks_it():
    schema = large_schema(200)
    tree = build_form(schema, as_json=True)
    assert isinstance(tree.root, JsonField)
    assert tree.root.reason == tree.size.sentence()
    assert tree.validate() == [FieldError("", "is required")]
    assert tree.root.set_text('{"group000": {"setting0001": -1}}') == "must be at least 0"
    tree.root.set_text('{"group000": {"setting0001": 5}}')
    assert tree.payload() == {"group000": {"setting0001": 5}}


def test_outline_mounts_only_open_groups():
    tree = build_form(large_schema(120))
    closed = list(tree.outline(set()))
    assert closed[0] is tree.root and len(closed) == 1 + len(tree.root.children())
    group = tree.root.fields["group001"]
    opened = list(tree.outline({group.uid}))
    assert [n for n in opened if n.parent is group] == group.children()
    assert len(opened) == len(closed) + len(group.children())
    # opening everything is the whole tree, in the same order as walk()
    every = {n.uid for n in tree.walk()}
    assert [n.uid for n in tree.outline(every)] == [n.uid for n in tree.walk()]


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        ({"type": "quantum"}, "it uses the unknown type quantum"),
        ({"$ref": "#/definitions/Missing"}, "one of its references points nowhere"),
        ({"type": "object", "properties": "oops"}, "it is not well-formed JSON Schema"),
    ],
)
def test_a_schema_jsonschema_cannot_run_gets_a_sentence_not_its_exception(part, reason):
    tree = build_form({"type": "object", "properties": {"odd": part}, "required": ["odd"]})
    tree.find("odd").set_text('{"a": 1}')  # jsonschema meets the odd part only with a value
    tree.validate()
    assert tree.schema_problem == (
        f"The connector schema cannot be checked as a whole ({reason}): each field was "
        "checked on its own, and the server checks the rest when you submit."
    )


def test_a_choice_among_500_is_named_in_a_short_sentence():
    tree = build_form({"type": "object", "properties": {"zone": {"enum": BIG_ENUM}}})
    message = tree.find("zone").set_text("nowhere")
    assert message == (
        "must be one of the 500 options offered (e.g. option-000, option-001, option-002)"
    )
