"""Esc and the key typed right after it, when one terminal read holds both (no Textual here).

A terminal sends Esc as the lone byte ESC, and Alt+key as ESC followed by the key. Textual's
parser can only tell them apart by time: ESC and a letter in the same read become
``alt+<letter>``. An operator who types Esc q quickly, or whose keys are batched by a
slow SSH link or a busy jump host, meant two keys. iotflow binds no alt keys of its own, so
the app reads an ``alt+<letter or digit>`` that nothing is bound to as Esc, then the key.
Not recoverable here, because Textual's parser has already turned them into other keys:
ESC before a punctuation mark is dropped (``ESC /`` reaches us as ``/``), ESC b and ESC f
are ctrl+left and ctrl+right (readline's word moves) and ESC before a digit is a macOS
Option character; those bursts keep Textual's reading.
"""

from __future__ import annotations


def key_after_escape(key: str) -> str | None:
    """The key typed after Esc, if Textual's ``key`` name is Esc joined with a letter or a
    digit (``alt+q`` → ``q``, ``alt+shift+q`` → ``Q``, ``alt+1`` → ``1``); otherwise None."""
    rest = key.removeprefix("alt+")
    if rest == key:
        return None
    shifted = rest.removeprefix("shift+")
    if shifted != rest:
        # Textual names a capital typed after ESC alt+shift+<lower case>.
        return shifted.upper() if len(shifted) == 1 and shifted.islower() else None
    return rest if len(rest) == 1 and rest.isalnum() else None
