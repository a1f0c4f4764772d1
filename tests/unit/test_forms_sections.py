"""Sections of a large form (tui/forms/sections.py): runs of about forty settings in form
order, a large group alone, every top-level node in exactly one section."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.schemas import large_schema
from tui.forms import ObjectField, build_form
from tui.forms.sections import SECTION_FIELDS, leaf_count, sections_of, top_level
from tui.forms.size import SECTIONED_FORM_FIELDS, measure_schema


def flat(count: int) -> dict:
    return {
        "type": "object",
        "properties": {f"s{i}": {"type": "string", "title": f"Setting {i}"} for i in range(count)},
    }


def test_a_flat_form_is_cut_into_runs_of_forty_in_form_order() -> None:
    tree = build_form(flat(400))
    assert measure_schema(tree.schema).sectioned
    sections = sections_of(tree.root)
    assert [s.settings for s in sections] == [SECTION_FIELDS] * 10
    assert sections[0].title == "Setting 0 … Setting 39 (40 settings)"
    assert sections[9].title == "Setting 360 … Setting 399 (40 settings)"
    node = tree.find("s123")
    assert [s.index for s in sections if s.holds(node)] == [3]


def test_shipped_sized_forms_are_not_sectioned() -> None:
    assert not measure_schema(flat(SECTIONED_FORM_FIELDS)).sectioned
    assert measure_schema(flat(SECTIONED_FORM_FIELDS + 1)).sectioned


def test_a_group_is_never_split_and_a_large_one_is_a_section_alone() -> None:
    schema = large_schema(400)  # ten groups of forty settings
    tree = build_form(schema)
    sections = sections_of(tree.root)
    assert len(sections) == 10 and all(len(s.nodes) == 1 for s in sections)
    assert sections[0].title == "Group 0 (40 settings)"
    deep = tree.find("group003.setting0125")
    assert top_level(deep) is tree.find("group003")
    assert [s.index for s in sections if s.holds(deep)] == [3]
    bigger = {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "big": flat(90),
            "b": {"type": "string"},
        },
    }
    tree = build_form(bigger)
    assert [len(s.nodes) for s in sections_of(tree.root)] == [1, 1, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=40))
def test_every_top_level_node_is_in_exactly_one_section_in_order(groups: list[int]) -> None:
    """Generated forms: plain settings (0) and groups of n settings, in any mix."""
    props: dict = {}
    for i, size in enumerate(groups):
        props[f"p{i}"] = flat(size) if size else {"type": "integer"}
    tree = build_form({"type": "object", "properties": props})
    assert isinstance(tree.root, ObjectField)
    sections = sections_of(tree.root)
    flattened = [node for s in sections for node in s.nodes]
    assert flattened == list(tree.root.fields.values())
    for section in sections:
        assert section.settings == sum(leaf_count(n) for n in section.nodes)
        assert section.settings <= SECTION_FIELDS or len(section.nodes) == 1
    for before, after in zip(sections, sections[1:], strict=False):
        # a section closes only when the next node would not fit in it
        assert before.settings + leaf_count(after.nodes[0]) > SECTION_FIELDS
