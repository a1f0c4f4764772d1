"""Every screen's keys from its bindings, one list: footer, help, palette and keymap.

A binding carries its key, its id (what ``[keymap]`` remaps), its short description
(the footer, the help) and its tooltip (the palette's explanation). The help screen and
the command palette read the screen's live bindings, as the keymap maps them, so
neither can drift from what the keys do. In a read-only profile the mutating bindings
are swapped for ones that say why nothing happens (:func:`refusing_bindings`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, NamedTuple

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen

from ..readonly import action_name, is_mutating, refusal_notice

REFUSED_ACTION = "read_only_notice"


class KeyHelp(NamedTuple):
    """One row of help: the keys as mapped now, what they do, the id to remap them."""

    keys: str
    description: str
    binding_id: str


class PaletteEntry(NamedTuple):
    action: str
    title: str
    help: str


class KeyedScreen:
    """Mixin for our screens: help extras, and the read-only notice action.

    ``HELP_EXTRA`` lists keys that are not bindings of the screen (the table's cursor
    keys, for instance); ``HELP_LEGEND`` asks the help screen for the health legend.
    """

    HELP_EXTRA: ClassVar[tuple[tuple[str, str], ...]] = ()
    HELP_LEGEND: ClassVar[bool] = False

    def refuse_mutations(self) -> None:
        """Swap mutating bindings for notices (call from ``__init__`` when read-only)."""
        node: Any = self
        node._bindings = refusing_bindings(node._bindings)

    def action_read_only_notice(self, action: str) -> None:
        node: Any = self
        node.notify(refusal_notice(action), title="Read-only", severity="warning", timeout=5)


def refusing_bindings(bindings: BindingsMap) -> BindingsMap:
    """The same keys and ids, but each mutating action only explains why it is off."""
    keys: dict[str, list[Binding]] = {}
    for key, key_bindings in bindings.key_to_bindings.items():
        for binding in key_bindings:
            if is_mutating(binding.action):
                binding = dataclasses.replace(
                    binding,
                    action=f"{REFUSED_ACTION}('{action_name(binding.action)}')",
                    show=False,
                )
            keys.setdefault(key, []).append(binding)
    return BindingsMap.from_keys(keys)


def _usable(screen: Screen[Any], binding: Binding) -> bool:
    if binding.action.startswith(REFUSED_ACTION):
        return False
    name = binding.action.split("(", 1)[0]
    if name.startswith("app."):
        return True
    return screen.check_action(name, ()) is not False


def key_help(screen: Screen[Any]) -> list[KeyHelp]:
    """The screen's keys, then the app's, as mapped now; refused ones and Textual's own
    (tab, ctrl+c, ctrl+q) left out.

    Bindings that share an id (``p`` pauses or resumes) are one row, by their first
    description.
    """
    app = screen.app
    ours = our_binding_ids()
    rows: dict[str, tuple[list[str], str]] = {}
    # Textual's own chain, as the keymap maps it: the focused widget and its parents (the
    # alarm editor's keys, the table's), the screen, the app. Keys the focused widget
    # would type (? in a text field) are already left out of it, as they do not act.
    # Listed screen first, then the focused parts, then the app.
    chain = sorted(
        screen._binding_chain,
        key=lambda item: 0 if item[0] is screen else 2 if item[0] is app else 1,
    )
    for _node, mapped in chain:
        for bindings in mapped.key_to_bindings.values():
            for binding in bindings:
                if binding.system or not binding.description or binding.id not in ours:
                    continue
                if binding.action.startswith(REFUSED_ACTION):
                    continue
                ident = binding.id or binding.action
                keys, description = rows.setdefault(ident, ([], binding.description))
                shown = app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
    out = [
        KeyHelp(", ".join(keys), description, ident) for ident, (keys, description) in rows.items()
    ]
    extra = screen.HELP_EXTRA if isinstance(screen, KeyedScreen) else ()
    out.extend(KeyHelp(keys, description, "") for keys, description in extra)
    return out


def palette_entries(screen: Screen[Any]) -> list[PaletteEntry]:
    """The screen's own actions for the command palette, from the same bindings.

    Only what can run now: refused (read-only) and switched-off actions are left out.
    """
    out: list[PaletteEntry] = []
    seen: set[str] = set()
    ours = our_binding_ids()
    for bindings in screen._bindings.key_to_bindings.values():
        for binding in bindings:
            if binding.system or not binding.description or binding.action in seen:
                continue
            if binding.id not in ours:
                continue
            if binding.action.startswith("app.") or not _usable(screen, binding):
                continue
            seen.add(binding.action)
            out.append(PaletteEntry(binding.action, binding.description, binding.tooltip))
    return out


def _classes(root: type) -> Iterator[type]:
    for sub in root.__subclasses__():
        yield sub
        yield from _classes(sub)


def binding_ids(classes: Iterable[type] | None = None) -> set[str]:
    """Every binding id declared by the given classes (default: every loaded DOM node)."""
    ids: set[str] = set()
    for cls in classes if classes is not None else _classes(DOMNode):
        for binding in getattr(cls, "BINDINGS", ()):
            ident = binding.id if isinstance(binding, Binding) else None
            if ident:
                ids.add(ident)
    return ids


def our_binding_ids() -> set[str]:
    """The ids iotflow declares (Textual's own focus and copy keys are not listed in help)."""
    return binding_ids(cls for cls in _classes(DOMNode) if cls.__module__.startswith("tui."))


def unknown_keymap_ids(keymap: dict[str, str], known: set[str]) -> list[str]:
    return sorted(ident for ident in keymap if ident not in known)


def keymap_clashes(keymap: dict[str, str], classes: Iterable[type] | None = None) -> list[str]:
    """Sentences for keys the keymap gives to a binding while another binding of the same
    screen had them: Textual then runs only one, silently (``"dashboard.delete" = "q"``
    left Quit without a key)."""
    clashes: list[str] = []
    for cls in classes if classes is not None else _classes(DOMNode):
        owners: dict[str, list[str]] = {}
        for binding in getattr(cls, "BINDINGS", ()):
            ident = binding.id if isinstance(binding, Binding) else None
            if not ident:
                continue
            keys = keymap.get(ident, binding.key)
            for key in (k.strip() for k in keys.split(",")):
                if key and ident not in owners.setdefault(key, []):
                    owners[key].append(ident)
        for key, idents in owners.items():
            remapped = [i for i in idents if i in keymap]
            if len(idents) > 1 and remapped:
                others = ", ".join(i for i in idents if i != remapped[0])
                clashes.append(f"{remapped[0]} = \"{key}\" takes the key of {others}")
    return sorted(set(clashes))
