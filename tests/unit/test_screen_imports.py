"""The UI layer's shape: no import cycle through the app and its screens, small files.

grimp counts every import, also those inside functions and under TYPE_CHECKING, so a
cycle cannot be hidden behind a local import.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

TUI = Path(__file__).resolve().parents[2] / "tui"
UI_MODULES = ("tui.app", "tui.messages", "tui.unexpected", "tui.readonly", "tui.crashlog")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("tui", cache_dir=None)


def _ui(module: str) -> bool:
    return module in UI_MODULES or module.startswith("tui.screens.")


def test_no_cycle_through_the_app_or_a_screen(graph) -> None:
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        if _ui(module)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(imported, module)
    ]
    assert cycles == []


def test_the_dashboard_and_detail_do_not_know_each_other_or_the_app(graph) -> None:
    assert not graph.chain_exists("tui.screens.detail", "tui.screens.dashboard")
    for screen in ("tui.screens.dashboard", "tui.screens.detail", "tui.screens.help"):
        assert not graph.chain_exists(screen, "tui.app")


def test_pure_modules_import_no_textual() -> None:
    import subprocess
    import sys

    code = "import sys, tui.readonly, tui.crashlog; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


OWN_FILES = [
    "app.py",
    "messages.py",
    "unexpected.py",
    "readonly.py",
    "crashlog.py",
    "screens/dashboard.py",
    "screens/dashboard_keys.py",
    "screens/detail.py",
    "screens/help.py",
    "screens/confirm.py",
    "screens/keys.py",
    "screens/ports.py",
    "screens/connection_actions.py",
]


@pytest.mark.parametrize("name", OWN_FILES)
def test_no_file_of_the_app_and_its_screens_over_500_lines(name: str) -> None:
    lines = (TUI / name).read_text().count("\n")
    assert lines <= 500, f"{name}: {lines} lines"
