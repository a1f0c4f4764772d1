"""Keeping the suite out of the real home of whoever runs it.

``REAL_STATE_DIR`` and ``REAL_CONFIG_DIR`` are where ``iotflow`` would keep its state and
look for its config for the person running the tests, read once when the test session
imports this module (before any fixture changes the environment). ``isolate`` points
``IOTFLOW_STATE_DIR``, ``IOTFLOW_CONFIG`` and the XDG directories into a test's temporary
directory, so a test that removes the ``IOTFLOW_*`` variables to check the defaults still
stays there; commands a test starts inherit the same environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from platformdirs import user_config_dir, user_state_dir

REAL_STATE_DIR = Path(os.environ.get("IOTFLOW_STATE_DIR") or user_state_dir("iotflow"))
REAL_CONFIG_DIR = Path(user_config_dir("iotflow"))
REAL_CONFIG_FILE = Path(os.environ.get("IOTFLOW_CONFIG") or REAL_CONFIG_DIR / "config.toml")

XDG_HOMES = {
    "XDG_STATE_HOME": "xdg-state",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_DATA_HOME": "xdg-data",
    "XDG_CACHE_HOME": "xdg-cache",
}


def isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """Point every place iotflow reads or writes under ``folder``; the state dir returned."""
    home = folder / "iotflow-home"
    for variable, name in XDG_HOMES.items():
        monkeypatch.setenv(variable, str(home / name))
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("IOTFLOW_CONFIG", str(home / "config.toml"))
    return home / "state"


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or below it (symlinks resolved, as the OS would)."""
    return path.resolve().is_relative_to(folder.resolve())
