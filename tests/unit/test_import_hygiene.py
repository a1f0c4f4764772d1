"""Headless code never loads Textual: one parametrised test per module and per command.

Each check runs in a fresh interpreter (``sys.modules`` of the test process already holds
Textual) and lists the forbidden modules that got imported, so a failure names them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tui.cli import EXIT_ERROR, EXIT_INIT, EXIT_OK
from tui.simulator import SimulatorServer

ROOT = Path(__file__).resolve().parents[2]

# module -> top-level packages it must not bring in
HEADLESS_MODULES = {
    # click is what httpx's unused command line would pull in (see tui/api/__init__.py)
    "tui.api": ("textual", "click"),
    "tui.forms": ("textual",),
    "tui.alarms": ("textual",),
    "tui.health": ("textual",),
    # the board works on models alone: no HTTP client either
    "tui.board": ("textual", "httpx"),
    "tui.simulator": ("textual",),
    "tui.simulator.cli": ("textual",),
    "tui.simulator.app": ("textual",),
    "tui.secrets": ("textual",),
    "tui.drafts": ("textual",),
}
HEADLESS_COMMANDS = (["list"], ["list", "-o", "json"], ["status"], ["info"])

_REPORT = (
    "import json, sys\n"
    "def loaded(tops):\n"
    "    return sorted(m for m in sys.modules if m.split('.')[0] in tops)\n"
)


def _run(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _REPORT + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, f"no report (exit {result.returncode}): {result.stderr[-2000:]}"
    return json.loads(lines[-1])


@pytest.mark.parametrize("module", sorted(HEADLESS_MODULES))
def test_module_does_not_import_forbidden_packages(module: str) -> None:
    tops = HEADLESS_MODULES[module]
    report = _run(
        f"import importlib; importlib.import_module({module!r})\n"
        f"print(json.dumps({{'bad': loaded({tops!r})}}))\n"
    )
    assert report["bad"] == []


@pytest.fixture
def headless_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sim_server: SimulatorServer
) -> None:
    """A profile on a running simulator, through the environment the child inherits."""
    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("IOTFLOW_URL", sim_server.base_url + "/iot-flow/v1")
    monkeypatch.setenv(
        "IOTFLOW_TOKEN_URL", sim_server.base_url + "/users-auth/protocol/openid-connect/token"
    )
    monkeypatch.setenv("IOTFLOW_CLIENT_ID", "demo")
    monkeypatch.setenv("IOTFLOW_CLIENT_SECRET", "demo-secret")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for var in ("IOTFLOW_FLAVOUR", "IOTFLOW_AUTH", "IOTFLOW_PROFILE", "IOTFLOW_TOKEN"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize("argv", HEADLESS_COMMANDS, ids=" ".join)
def test_headless_command_does_not_import_textual(headless_env: None, argv: list[str]) -> None:
    report = _run(
        "import contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    rc = main({argv!r})\n"
        "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'bad': loaded(('textual',))}))\n"
    )
    # `status` exits 1 or 2 when connections are in INIT or ERROR (the seeded world has both)
    assert report["rc"] in (EXIT_OK, EXIT_INIT, EXIT_ERROR), report["out"]
    assert report["out"], "the command printed nothing"
    assert report["bad"] == []


# Packages that must hold no import cycle, counting imports inside functions and under
# TYPE_CHECKING (grimp reads every import statement). Add a package here once its
# cycles are gone; the whole of `tui` once they all are.
ACYCLIC = ("tui.forms", "tui.secrets", "tui.drafts")


@pytest.mark.parametrize("package", ACYCLIC)
def test_no_import_cycle(package: str) -> None:
    graph = grimp.build_graph("tui", cache_dir=None)
    inside = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    cycles = sorted(
        (importer, imported)
        for importer in inside
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == []


@pytest.mark.parametrize("argv", [["--help"], ["info"]], ids=" ".join)
def test_help_and_info_load_neither_textual_nor_httpx(headless_env: None, argv: list[str]) -> None:
    """They answer from the command line and the configuration alone: no HTTP stack."""
    report = _run(
        "import contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        f"        rc = main({argv!r})\n"
        "    except SystemExit as stop:\n"
        "        rc = stop.code\n"
        "loaded_ = [m for m in loaded(('textual', 'httpx', 'httpcore', 'rich'))\n"
        "           if sys.modules[m] is not None]  # (lean_httpx's None placeholder)\n"
        "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'bad': loaded_}))\n"
    )
    assert report["rc"] in (0, None) and report["out"], report
    assert report["bad"] == []


@pytest.mark.parametrize("argv", [["list", "-o", "json"], ["status"]], ids=" ".join)
def test_listing_commands_leave_the_calendar_library_alone(
    headless_env: None, argv: list[str]
) -> None:
    """icalendar costs 50 ms to import; only ``iotflow alarms --ics`` needs it."""
    report = _run(
        "import contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    rc = main({argv!r})\n"
        "print(json.dumps({'out': out.getvalue(), 'bad': loaded(('icalendar',))}))\n"
    )
    assert report["out"] and report["bad"] == []


def test_the_dashboard_app_imports_no_form_and_no_calendar() -> None:
    """The first frame needs neither: the forms package (~40 ms) and icalendar (~45 ms) are
    imported when a form opens or the alarms are exported, not while the operator waits
    for the first rows."""
    report = _run(
        "import tui.app\n"
        "print(json.dumps({'bad': loaded(('icalendar',)) + sorted(\n"
        "    m for m in sys.modules if m == 'tui.forms' or m.startswith('tui.forms.'))}))\n"
    )
    assert report["bad"] == []
