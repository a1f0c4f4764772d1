"""No test reads or writes the home of whoever runs the suite.

Form drafts, the state history and the error log go to ``tui.config.state_dir()``; the
config file is ``tui.config.config_path()``. A test that resolved either to the real
``~/.local/state/iotflow`` or ``~/.config/iotflow`` would leave drafts behind on a
developer's machine (last session found some) or pick up their own profiles. The autouse
fixture in ``tests/conftest.py`` points both, and the XDG directories, into the test's own
temporary directory; these tests fail if it stops doing so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.home import REAL_CONFIG_DIR, REAL_CONFIG_FILE, REAL_STATE_DIR, inside
from tui.config import config_path, state_dir


def test_state_dir_is_the_tests_own_temporary_dir(tmp_path: Path) -> None:
    assert inside(state_dir(), tmp_path), state_dir()
    assert not inside(state_dir(), REAL_STATE_DIR)


def test_default_locations_without_iotflow_variables_are_temporary_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that removes ``IOTFLOW_STATE_DIR``/``IOTFLOW_CONFIG`` to check the defaults
    still lands in its temporary directory (through the XDG variables)."""
    monkeypatch.delenv("IOTFLOW_STATE_DIR")
    monkeypatch.delenv("IOTFLOW_CONFIG")
    assert inside(state_dir(), tmp_path), state_dir()
    assert inside(config_path(), tmp_path), config_path()
    assert not inside(state_dir(), REAL_STATE_DIR)
    assert not inside(config_path(), REAL_CONFIG_DIR)


def test_config_file_is_the_tests_own(tmp_path: Path) -> None:
    assert inside(config_path(), tmp_path), config_path()
    assert config_path() != REAL_CONFIG_FILE  # no profile of the developer's leaks in


def test_a_command_run_by_a_test_writes_its_state_under_the_tests_dir(tmp_path: Path) -> None:
    """Commands started by tests inherit the environment: ``iotflow info`` prints where it
    keeps its state, and that is the test's directory."""
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "info"], capture_output=True, text=True,
        env=dict(os.environ), timeout=60,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("state dir"))
    assert inside(Path(line.split(None, 2)[2]), tmp_path), line
