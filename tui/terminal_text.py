"""Text from a server or a file made safe to write to a terminal (no Textual, no httpx).

A connection name is chosen by whoever can create connections, and a terminal obeys the
control characters it receives: ``ESC ] 52`` writes to the operator's clipboard, ``ESC [2J``
clears the screen, ``ESC ] 0`` retitles the window, and C1 bytes such as U+009B (CSI) do
the same in fewer bytes. So every string that came from outside passes through
:func:`terminal_safe` before it is printed or drawn: each control character is replaced by
a visible stand-in (``ESC`` → ``␛``, ``BEL`` → ``␇``, ``U+009B`` → ``<U+009B>``), which
shows the operator that something odd is there without letting it act.

Bidirectional overrides (U+202A..U+202E, U+2066..U+2069) are replaced too: they reorder
what follows and can make ``evil`` read as ``live``. Line and paragraph separators
(U+2028, U+2029) break a one-line cell like a newline would.
A lone surrogate (JSON can carry ``"\\ud800"``) cannot be encoded at all: printing it
raised UnicodeEncodeError and ended ``iotflow list``; it gets a stand-in too.

JSON output does not need this: ``json.dumps`` with ``ensure_ascii`` (its default)
writes every character outside printable ASCII, DEL and C1 included, as ``\\uXXXX``, so
the output is exact JSON and still inert; :func:`json_is_terminal_safe` checks it.
"""

from __future__ import annotations

import re

ONE_LINE_LIMIT = 200
"""Characters of one server string shown in a single-line cell before it is cut."""

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
"""U+0000..U+001F → the Unicode "Control Pictures" ␀..␟ (ESC → ␛, BEL → ␇)."""
_DEL_PICTURE = "\u2421"  # ␡

_OTHER = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_OTHER}]")
_UNSAFE_MULTILINE = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHER}]")
"""As above but a newline (LF) is kept, for text that is shown on several lines."""


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return _C0_PICTURES[code]
    if code == 0x7F:
        return _DEL_PICTURE
    return f"<U+{code:04X}>"


def terminal_safe(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """``text`` as a string that a terminal can only display, never obey.

    ``multiline`` keeps line feeds (a detail view, a multi-line message); otherwise every
    control character, newline included, gets its visible stand-in, so one string stays on
    one line. ``limit`` cuts a longer result and says how much was left out, so that a
    1 MB name cannot fill the screen or pad a table to megabytes.
    """
    value = text if type(text) is str else str(text)
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE
    if pattern.search(value) is not None:
        value = pattern.sub(_stand_in, value)
    if limit is not None:
        value = clip(value, limit)
    return value


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters plus a note of how many more there were."""
    if len(text) <= limit:
        return text
    hidden = len(text) - limit
    return f"{text[:limit]}… ({hidden:,} more characters)"


def one_line(text: object, limit: int = ONE_LINE_LIMIT) -> str:
    """A table cell or a status line: safe, on one line, and at most ``limit`` long."""
    return terminal_safe(text, limit=limit)


def is_terminal_safe(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` holds no character :func:`terminal_safe` would replace."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE
    return pattern.search(text) is None


def json_is_terminal_safe(text: str) -> bool:
    """True when JSON text carries no raw control character (only escapes such as \\u001b).

    ``json.dumps`` escapes C0 characters always; DEL, C1 and bidi characters only with
    ``ensure_ascii=True`` (the default), which is what the command line uses.
    """
    return is_terminal_safe(text, multiline=True)


__all__ = [
    "ONE_LINE_LIMIT",
    "clip",
    "is_terminal_safe",
    "json_is_terminal_safe",
    "one_line",
    "terminal_safe",
]
