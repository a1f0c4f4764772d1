"""Sections of a large form: its top-level settings in runs of about forty.

A terminal form lays out every mounted widget again on each keystroke (Textual arranges
the whole screen), so a 400-field form of a few widgets each was slow to appear (3.7 s)
and to type in (up to half a second a key). A form with more than
:data:`~tui.forms.size.SECTIONED_FORM_FIELDS` settings is shown as sections that mount
their fields only when opened; the first one is open. This module decides the sections
(no Textual); the widget is :class:`tui.widgets.form_fields.sections.FormSection`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import FieldNode, ObjectField

SECTION_FIELDS = 40
"""Settings per section: a screenful or two at 80x24, quick to mount (about 0.3 s)."""


def leaf_count(node: FieldNode) -> int:
    """Settings (inputs) inside ``node``, at least one: the weight of a top-level node.
    A group's "Other settings" (keys the schema does not declare) is not counted."""
    leaves = sum(
        1
        for inner in node.walk()
        if not inner.children() and not getattr(inner, "holds_extra", False)
    )
    return max(1, leaves)


@dataclass(frozen=True)
class Section:
    """Consecutive top-level nodes of the form, shown and mounted together."""

    index: int
    nodes: tuple[FieldNode, ...]
    settings: int
    """How many settings (inputs) the section holds."""

    @property
    def title(self) -> str:
        first, last = self.nodes[0].label, self.nodes[-1].label
        names = first if len(self.nodes) == 1 else f"{first} … {last}"
        return f"{names} ({self.settings} setting{'s' if self.settings != 1 else ''})"

    def holds(self, node: FieldNode) -> bool:
        """True when ``node`` is one of the section's nodes or inside one."""
        top = top_level(node)
        return any(top is member for member in self.nodes)


def top_level(node: FieldNode) -> FieldNode:
    """The child of the root that holds ``node`` (the root itself for the root)."""
    while node.parent is not None and node.parent.parent is not None:
        node = node.parent
    return node


def sections_of(root: ObjectField, per_section: int = SECTION_FIELDS) -> list[Section]:
    """The root's declared fields cut into sections of about ``per_section`` settings, in
    form order; a group larger than that is a section alone. (The root's "Other settings",
    one editor, stays outside the sections.)"""
    out: list[Section] = []
    run: list[FieldNode] = []
    weight = 0
    for node in root.fields.values():
        count = leaf_count(node)
        if run and weight + count > per_section:
            out.append(Section(len(out), tuple(run), weight))
            run, weight = [], 0
        run.append(node)
        weight += count
    if run:
        out.append(Section(len(out), tuple(run), weight))
    return out
