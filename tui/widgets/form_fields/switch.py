"""``TextSwitch``: a Switch that says its state in text, ``[x] on`` / ``[ ] off``.

Textual's Switch tells on from off only by the colour of its slider: under ``NO_COLOR``
(every colour turned grey by its brightness) or on a monochrome terminal both look the
same. This one keeps the Switch's keys (enter, space), click and ``Changed`` message, and
draws the glyph of the alarm editor's checkboxes (``[x]``) and the word, so the state reads
without colour; the colour (green when on) stays as a second cue.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Switch

ON_TEXT = "[x] on"
OFF_TEXT = "[ ] off"


def switch_text(value: bool) -> str:
    """What a switch shows for ``value`` (what a plain capture of the screen reads)."""
    return ON_TEXT if value else OFF_TEXT


class TextSwitch(Switch):
    """A one-line switch drawn ``[x] on`` or ``[ ] off``; not animated (the text changes at
    once, and a snapshot never catches a slider half-way)."""

    DEFAULT_CSS = """
    TextSwitch {
        border: none; height: 1; padding: 0 1 0 0; width: auto; background: transparent;
        & .switch--slider { color: $foreground; background: transparent; }
        &.-on .switch--slider { color: $text-success; }
        &:hover .switch--slider { color: $foreground; }
        &:hover.-on .switch--slider { color: $text-success; }
        /* reverse video marks the cursor without colour too (NO_COLOR, monochrome) */
        &:focus { border: none; background-tint: transparent; text-style: reverse; }
        &:light .switch--slider { color: $foreground; background: transparent; }
        &:light.-on .switch--slider { color: $text-success; }
    }
    """

    def __init__(self, value: bool = False, **kw) -> None:
        super().__init__(value, animate=False, **kw)

    def render(self) -> RenderResult:
        text = switch_text(self.value)
        # the glyph in the state's colour, the word in the text's
        return Content.assemble((text[:3], self.get_visual_style("switch--slider")), text[3:])

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(len(ON_TEXT), len(OFF_TEXT))
