"""How the connection form's inputs look wherever the form is shown (the app, a test host).

A compact Input is only a background one shade lighter than the screen (235 on 233): a
plain capture, NO_COLOR (every colour turned grey by its brightness) or a dim 256-colour
terminal shows no field at all. Bars at both ends draw each input's box in characters,
in the accent colour where the cursor is. ``!important`` because Input's own compact
style removes every border with ``!important``.
"""

INPUT_BOXES_CSS = """
ConnectionFormScreen Input.-textual-compact {
    border-left: vkey $foreground 55% !important;
    border-right: vkey $foreground 55% !important;
    background: $surface;
}
ConnectionFormScreen Input.-textual-compact:focus {
    border-left: vkey $accent !important;
    border-right: vkey $accent !important;
    background: $boost;
}
ConnectionFormScreen Input.-textual-compact.-invalid {
    border-left: vkey $error !important;
    border-right: vkey $error !important;
}
"""
