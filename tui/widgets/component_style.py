"""A component class's style for drawing inside another style (a row, a header line).

Textual's partial component style leaves out what the parent gives (the background), which
is what a cell drawn over a cursor or a highlight needs; but it also keeps a translucent
colour such as ``$foreground 55%`` as the plain colour, so muted text (DEACTIVATED rows,
"no", "—") came out as bright as the rest. The colour here is the one Textual blends for the
component over the widget's own background.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    partial = widget.get_component_rich_style(name, partial=True)
    if partial.color is None:
        return partial
    blended = widget.get_component_rich_style(name).color
    return partial + Style(color=blended) if blended is not None else partial
