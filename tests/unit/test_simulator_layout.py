"""The simulator package's house rules: no import cycles (counting imports inside functions),
no module over 500 lines, and no Textual."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

import tui.simulator

PACKAGE = Path(tui.simulator.__file__).resolve().parent


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("tui", include_external_packages=True, cache_dir=None)


def test_no_import_cycle_inside_the_simulator(graph: grimp.ImportGraph) -> None:
    modules = sorted(m for m in graph.modules if m.startswith("tui.simulator."))
    cycles = [
        (module, imported)
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("tui.simulator.") and graph.chain_exists(imported, module)
    ]
    assert cycles == []


def test_the_simulator_never_imports_textual_or_the_screens(graph: grimp.ImportGraph) -> None:
    assert "textual" in graph.modules  # the graph does see external packages
    reached: set[str] = set()
    for module in (m for m in graph.modules if m.startswith("tui.simulator")):
        reached |= graph.find_upstream_modules(module)
    forbidden = ("textual", "tui.screens", "tui.widgets", "tui.app")
    bad = sorted(m for m in reached if m.split(".")[0] == "textual" or m.startswith(forbidden))
    assert bad == []


def test_no_simulator_module_over_500_lines() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert sizes, "no module found"
    assert {name: n for name, n in sizes.items() if n > 500} == {}
