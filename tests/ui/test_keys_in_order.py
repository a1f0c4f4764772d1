"""Keys that arrive in one read (a slow SSH link) are applied in the order they were typed,
in every text field: an editing key (backspace, arrows, Home, ctrl+u) is not overtaken by
the characters typed after it (Textual issue #6605)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from tests.support.waiting import until
from tui.widgets.ordered_keys import OrderedInput, OrderedTextArea


class Fields(App[None]):
    def __init__(self, field: Input | TextArea) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field


MARKER = "~"


def key(name: str) -> events.Key:
    if name == MARKER:
        return events.Key("tilde", MARKER)
    return events.Key(name, name if len(name) == 1 else None)


async def with_marker(field: Input | TextArea, keys: list[str]) -> str:
    """What the field holds after ``keys`` and a last "~" reached the app all at once, as
    the driver posts the keys of one terminal read: without waiting between them. Once
    the "~" is in, every key before it has been applied."""
    app = Fields(field)
    async with app.run_test() as pilot:
        field.focus()
        await until(pilot, lambda: app.focused is field, "the field has the focus")
        for name in [*keys, MARKER]:
            app.post_message(key(name))
        text = (lambda: field.value) if isinstance(field, Input) else (lambda: field.text)
        await until(pilot, lambda: MARKER in text(), "every key was applied")
        return text()


async def typed_in_one_read(field: Input | TextArea, keys: list[str]) -> str:
    return (await with_marker(field, keys)).replace(MARKER, "", 1)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["t", "s", "e", "t", "backspace", "backspace", "backspace", "e", "s", "t"], "test"),
        (["a", "b", "c", "left", "x"], "abxc"),
        (["a", "b", "c", "home", "Z"], "Zabc"),
        (["a", "b", "c", "ctrl+u", "d", "e", "f"], "def"),
        (["S", "3", "c", "r", "e", "t", "x", "backspace", "!"], "S3cret!"),
    ],
)
async def test_an_input_applies_editing_keys_in_the_order_typed(
    keys: list[str], expected: str
) -> None:
    assert await typed_in_one_read(OrderedInput(), keys) == expected


async def test_a_password_field_too() -> None:
    keys = ["S", "3", "c", "r", "e", "t", "x", "backspace", "!"]
    assert await typed_in_one_read(OrderedInput(password=True), keys) == "S3cret!"


async def test_a_text_area_applies_editing_keys_in_the_order_typed() -> None:
    keys = ["a", "b", "backspace", "c", "left", "left", "x"]
    assert await typed_in_one_read(OrderedTextArea(), keys) == "xac"


def apply(keys: list[str]) -> str:
    """What typing ``keys`` one at a time leaves in a one-line field (the reference)."""
    text, cursor = "", 0
    for name in keys:
        if name == "backspace":
            if cursor:
                text, cursor = text[: cursor - 1] + text[cursor:], cursor - 1
        elif name == "left":
            cursor = max(cursor - 1, 0)
        elif name == "right":
            cursor = min(cursor + 1, len(text))
        elif name == "home":
            cursor = 0
        elif name == "end":
            cursor = len(text)
        else:
            text, cursor = text[:cursor] + name + text[cursor:], cursor + 1
    return text


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "7", "backspace", "left", "right", "home", "end"]),
                max_size=14))
def test_any_burst_reads_as_the_same_keys_typed_one_at_a_time(keys: list[str]) -> None:
    # The "~" typed last lands at the cursor: the reference puts it there too.
    assert asyncio.run(with_marker(OrderedInput(), keys)) == apply([*keys, MARKER])
