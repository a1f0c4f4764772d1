"""terminal_safe: server text can be displayed but never obeyed by the terminal."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tui.terminal_text import (
    clip,
    is_terminal_safe,
    json_is_terminal_safe,
    one_line,
    terminal_safe,
)

CLIPBOARD = "\x1b]52;c;aWQgIw==\x07"
CLEAR_AND_RETITLE = "\x1b[2J\x1b]0;pwned\x07"


def test_osc52_is_shown_not_obeyed() -> None:
    assert terminal_safe(CLIPBOARD) == "␛]52;c;aWQgIw==␇"


def test_clear_screen_and_title_are_shown_not_obeyed() -> None:
    assert terminal_safe(CLEAR_AND_RETITLE) == "␛[2J␛]0;pwned␇"


def test_c1_del_and_bidi_get_visible_stand_ins() -> None:
    assert terminal_safe("a\x9b2Jb") == "a<U+009B>2Jb"
    assert terminal_safe("x\x7fy") == "x␡y"
    assert terminal_safe("\u202eevil") == "<U+202E>evil"
    assert terminal_safe("one\u2028two") == "one<U+2028>two"


def test_newlines_kept_only_when_multiline() -> None:
    assert terminal_safe("a\nb\tc") == "a␊b␉c"
    assert terminal_safe("a\nb\tc\x1b", multiline=True) == "a\nb␉c␛"


def test_plain_text_comes_back_identical() -> None:
    name = "Paris · été 北京 🚀 [bold]"
    assert terminal_safe(name) is name


def test_long_text_is_cut_with_a_note() -> None:
    assert clip("abcdef", 3) == "abc… (3 more characters)"
    assert clip("abc", 3) == "abc"
    huge = "n" * 1_000_000
    shown = one_line(huge)
    assert len(shown) < 250 and shown.endswith("(999,800 more characters)")


def test_non_strings_are_made_text() -> None:
    assert terminal_safe(12) == "12"
    assert terminal_safe(None) == "None"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    safe = terminal_safe(text)
    assert is_terminal_safe(safe)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in safe)
    # Character by character: a safe character is kept as it is, an unsafe one gets a
    # stand-in, nothing is dropped or reordered.
    assert safe == "".join(terminal_safe(c) for c in text)
    assert all(terminal_safe(c) == c for c in text if is_terminal_safe(c))


@given(st.text())
def test_multiline_keeps_line_feeds_only(text: str) -> None:
    safe = terminal_safe(text, multiline=True)
    assert safe.count("\n") == text.count("\n")
    assert is_terminal_safe(safe, multiline=True)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
))
def test_json_output_is_exact_and_inert(value: object) -> None:
    text = json.dumps(value, indent=2)
    assert json_is_terminal_safe(text)
    assert json.loads(text) == value


def test_table_cells_of_hostile_rows_are_inert() -> None:
    from datetime import UTC, datetime

    from tui.board import Row
    from tui.columns import COLUMNS, cell

    row = Row(CLIPBOARD, CLEAR_AND_RETITLE, "\x9b31m", "\x1b[5mOPENED", True, None, None)
    now = datetime(2024, 5, 1, tzinfo=UTC)
    for column in COLUMNS:
        text = cell(row, column, 40, now, UTC).text
        assert is_terminal_safe(text), (column.key, text)
