"""The dashboard's keys: one list for the footer, the help screen, the palette and [keymap].

Each binding has an id (what ``[keymap]`` in config.toml remaps), a short description
(footer and help) and a tooltip (the palette's explanation of it).
"""

from __future__ import annotations

from textual.binding import Binding

DASHBOARD_BINDINGS = [
    Binding(
        "slash",
        "filter",
        "Filter",
        id="dashboard.filter",
        tooltip="Show only connections whose name, id, connector or state matches",
        # Priority: run as soon as "/" is read, before the keys typed after it in the same
        # burst are handed to the table (which would run "L" as sort, "y" as clone).
        priority=True,
    ),
    Binding(
        "escape",
        "clear_filter",
        "Clear filter",
        show=False,
        id="dashboard.clear_filter",
        tooltip="Show every connection again",
    ),
    Binding(
        "f",
        "faults",
        "Faults",
        id="dashboard.faults",
        tooltip="Show only connections in ERROR, stuck, flapping, SILENT, LOSS or LOW (again: all)",
    ),
    Binding(
        "enter",
        "details",
        "Details",
        id="dashboard.details",
        tooltip="Open the selected connection",
    ),
    Binding(
        "n", "new", "New connection", show=False, id="dashboard.new", tooltip="Create a connection"
    ),
    Binding(
        "e",
        "edit",
        "Edit connection",
        show=False,
        id="dashboard.edit",
        tooltip="Edit the selected connection",
    ),
    Binding(
        "y",
        "clone",
        "Clone connection",
        show=False,
        id="dashboard.clone",
        tooltip="A new connection pre-filled from the selected one, without its secrets",
    ),
    Binding(
        "a",
        "toggle_active",
        "On/off",
        id="dashboard.toggle_active",
        tooltip="Activate or deactivate the selected connection (asks first)",
    ),
    Binding(
        "R",
        "restart",
        "Restart",
        id="dashboard.restart",
        tooltip="Restart the selected connection (asks first); the row shows it reopening",
    ),
    Binding(
        "E",
        "events",
        "Events",
        id="dashboard.events",
        tooltip="Every connection's events, live, newest first; enter jumps to one",
    ),
    Binding(
        "ctrl+d",
        "delete",
        "Delete",
        show=False,  # in help and the palette: the footer keeps room for Quit and Help at 80
        id="dashboard.delete",
        tooltip="Delete the selected connection (asks for its name)",
    ),
    Binding(
        "c",
        "copy_id",
        "Copy id",
        show=False,
        id="dashboard.copy_id",
        tooltip="Copy the selected connection's id to the clipboard (OSC 52)",
    ),
    Binding(
        "r", "refresh", "Refresh", show=False, id="dashboard.refresh", tooltip="Poll the API now"
    ),
    # One key, two bindings: the footer says Resume while paused (Pause is in help and the
    # palette: at 80 columns the footer keeps room for Quit and Help).
    Binding(
        "p", "pause", "Pause", show=False, id="dashboard.pause", tooltip="Stop the live refresh"
    ),
    Binding("p", "resume", "Resume", id="dashboard.pause", tooltip="Restart the live refresh"),
    Binding(
        "S",
        "sort('state')",
        "Sort by state",
        show=False,
        id="dashboard.sort_state",
        tooltip="Faults first; again to reverse",
    ),
    Binding(
        "N",
        "sort('name')",
        "Sort by name",
        show=False,
        id="dashboard.sort_name",
        tooltip="Again to reverse",
    ),
    Binding(
        "T",
        "sort('startup')",
        "Sort by startup",
        show=False,
        id="dashboard.sort_startup",
        tooltip="Sort by startup time; again to reverse",
    ),
    Binding(
        "C",
        "sort('connector')",
        "Sort by connector",
        show=False,
        id="dashboard.sort_connector",
        tooltip="Again to reverse",
    ),
    Binding(
        "U",
        "sort('uplinks')",
        "Sort by uplinks",
        show=False,
        id="dashboard.sort_uplinks",
        tooltip="Fewest uplinks in the last hour first (silent ones on top); again to reverse",
    ),
    Binding(
        "L",
        "sort('failures')",
        "Sort by failures",
        show=False,
        id="dashboard.sort_failures",
        tooltip="Most failed + lost uplinks in the last hour first; again to reverse",
    ),
    Binding("q", "app.quit", "Quit", id="dashboard.quit", tooltip="Leave iotflow"),
]
