"""The ``iotflow`` entry point loads the command line without the garbage collector, and
runs every command with it back on (the dashboard and ``sim`` run for hours)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

import tui.cli
from tui import cli_start

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_runs_with_the_collector_on_and_exits_with_its_code(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def main(argv: object = None, *, end_at_once: bool = False) -> int:
        seen.append(gc.isenabled())
        assert end_at_once  # the installed command ends headless commands at once
        return 3

    monkeypatch.setattr(tui.cli, "main", main)
    with pytest.raises(SystemExit) as ended:
        cli_start.run()
    assert ended.value.code == 3
    assert seen == [True] and gc.isenabled()


def test_the_collector_is_off_while_the_command_line_loads() -> None:
    """In a fresh interpreter: no collection starts while tui.cli and everything it
    imports load (without the entry point, dozens do)."""
    code = (
        "import gc, json, sys\n"
        "early = []\n"
        "def during_import(phase, info):\n"
        "    loading = sys.modules.get('tui.cli')  # (in sys.modules from its first line)\n"
        "    if phase == 'start' and loading is not None and not hasattr(loading, 'main'):\n"
        "        early.append(info['generation'])\n"
        "gc.callbacks.append(during_import)\n"
        "sys.argv = ['iotflow', '--version']\n"
        "from tui import cli_start\n"
        "try:\n"
        "    cli_start.run()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(early))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == []
