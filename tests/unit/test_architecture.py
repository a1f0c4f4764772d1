"""The package's shape: import layers, no import cycles, no Textual in the core, small files.

These read the source (through grimp's import graph, which also sees imports written inside
functions), so a cycle hidden behind a local import fails here just like a top-level one.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "tui"
MAX_LINES = 500

# Modules allowed to import Textual: the app, its screens and widgets, the app-wide Textual
# messages they exchange, the handler of unexpected errors and the plain notices they all
# mix in, and the app's terminal driver. Everything else is core and must work without a
# screen.
USER_INTERFACE = (
    "tui.app",
    "tui.screens",
    "tui.widgets",
    "tui.messages",
    "tui.unexpected",
    "tui.terminal_driver",
    "tui.notices",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("tui", include_external_packages=True, cache_dir=None)


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_strongly_connected_finds_a_cycle_and_ignores_a_chain() -> None:
    """The cycle finder itself: a three-module loop is found, a chain is not."""
    loop = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _strongly_connected(loop) == [["a", "b", "c"]]
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_among_the_package_modules(graph: grimp.ImportGraph) -> None:
    modules = {m for m in graph.modules if m == "tui" or m.startswith("tui.")}
    edges = {
        m: {x for x in graph.find_modules_directly_imported_by(m) if x in modules}
        for m in modules
    }
    assert _strongly_connected(edges) == []


def test_import_contracts_hold() -> None:
    """The layers and independence contracts in pyproject.toml ([tool.importlinter])."""
    status = lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True)
    assert status == 0, "run `lint-imports` for the broken contract"


def test_core_modules_never_import_textual(graph: grimp.ImportGraph) -> None:
    core = sorted(
        m
        for m in graph.modules
        if (m == "tui" or m.startswith("tui."))
        and not any(m == ui or m.startswith(ui + ".") for ui in USER_INTERFACE)
        # the command line (and its entry point) and its launcher start the app (only for
        # `dashboard` and `demo`)
        and m not in ("tui.cli_start", "tui.cli", "tui.cli_dashboard", "tui.launch")
    )
    offenders = [m for m in core if graph.chain_exists(importer=m, imported="textual")]
    assert offenders == []


def test_no_source_file_is_over_the_limit() -> None:
    long_files = {
        str(path.relative_to(REPO)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long_files == {}
