"""Optional groups and choices in the engine, on generated schemas: untouched they are not
sent and not checked; chosen, they are sent (and their required fields checked); chosen
"(not set)" again, they are out, and what was typed in them comes back with them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.forms import ChoiceField, ObjectField, build_form
from tui.forms.fields.choice import NOT_SET

names = st.text("abcdefghijklmnop", min_size=1, max_size=6)


@st.composite
def group_schemas(draw):
    """An object schema with some optional groups (objects with required string fields)
    and optional oneOf/anyOf choices of objects."""
    props: dict = {}
    groups: list[tuple[str, list[str]]] = []
    choices: list[str] = []
    for name in draw(st.lists(names, min_size=1, max_size=4, unique=True)):
        fields = draw(st.lists(names, min_size=1, max_size=3, unique=True))
        required = draw(st.lists(st.sampled_from(fields), unique=True))
        if draw(st.booleans()):
            props[name] = {
                "type": "object",
                "properties": {f: {"type": "string"} for f in fields},
                "required": required,
            }
            groups.append((name, required))
        else:
            keyword = draw(st.sampled_from(["oneOf", "anyOf"]))
            props[name] = {
                keyword: [
                    {  # closed variants, so that a value matches one of them only
                        "type": "object",
                        "title": f"V{i}",
                        "properties": {f: {"type": "string"}},
                        "required": [f],
                        "additionalProperties": False,
                    }
                    for i, f in enumerate(fields)
                ]
            }
            choices.append(name)
    return {"type": "object", "properties": props}, groups, choices


@settings(max_examples=60, deadline=None)
@given(group_schemas())
def test_untouched_is_not_sent_chosen_is_sent_not_set_is_out(generated):
    schema, groups, choices = generated
    tree = build_form(schema)
    assert tree.payload() == {}  # nothing chosen: nothing sent, no required field asked for
    for name in choices:
        node = tree.find(name)
        assert isinstance(node, ChoiceField)
        assert node.variant_labels[0] == NOT_SET and node.active is None
    for name, required in groups:
        node = tree.find(name)
        assert isinstance(node, ObjectField) and node.optional and not node.chosen
        node.choose(True)
        payload, errors = tree.try_payload()
        assert payload[name] == {}  # chosen: sent, even empty
        assert {e.path for e in errors} >= {f"{name}.{f}" for f in required}
        for field in node.fields.values():
            field.set_text("v")
    for name in choices:
        node = tree.find(name)
        node.select(1)
        first = next(iter(node.active.fields.values()))
        first.set_text("w")
    payload = tree.payload()
    for name, _ in groups:
        assert set(payload[name].values()) == {"v"}
    for name in choices:
        assert set(payload[name].values()) == {"w"}
    for name, _ in groups:
        tree.find(name).choose(False)
    for name in choices:
        tree.find(name).select(0)
    assert tree.payload() == {}
    for name, _ in groups:
        node = tree.find(name)
        node.choose(True)
        assert all(f.text == "v" for f in node.fields.values())  # typed, kept


def test_a_loaded_group_is_chosen_and_a_required_or_defaulted_choice_has_no_not_set():
    schema = {
        "type": "object",
        "properties": {
            "proxy": {
                "type": "object",
                "properties": {"hostname": {"type": "string"}},
                "required": ["hostname"],
            },
            "auth": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "must": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "given": {"oneOf": [{"type": "string"}, {"type": "integer"}], "default": 3},
        },
        "required": ["must"],
    }
    tree = build_form(schema)
    assert tree.find("auth").variant_labels[0] == NOT_SET
    assert NOT_SET not in tree.find("must").variant_labels
    assert NOT_SET not in tree.find("given").variant_labels
    tree.load({"proxy": {"hostname": "p:1"}, "auth": 5, "must": "m"})
    assert tree.find("proxy").chosen
    assert tree.find("auth").schema_index == 1  # the integer variant, past "(not set)"
    tree.find("proxy").choose(False)
    assert "proxy" not in tree.payload()
    assert tree.draft()["root"]["fields"].get("proxy") is None  # a draft keeps it out too
