"""Starting the dashboard without a terminal: one sentence, a non-zero exit, no traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from tui.cli import EXIT_USAGE
from tui.terminal_check import terminal_problem


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_is_fine() -> None:
    assert terminal_problem(FakeTTY(), FakeTTY()) is None


def test_closed_stdin() -> None:
    closed = FakeTTY()
    closed.close()
    problem = terminal_problem(closed, FakeTTY())
    assert problem is not None and "stdin is closed" in problem and "iotflow list" in problem


def test_stdin_not_a_terminal() -> None:
    problem = terminal_problem(io.StringIO(), FakeTTY())
    assert problem is not None and "stdin is not a terminal" in problem


def test_stderr_redirected() -> None:
    problem = terminal_problem(FakeTTY(), io.StringIO())
    assert problem is not None and "stderr" in problem


ENV = {
    **os.environ,
    "IOTFLOW_URL": "http://127.0.0.1:9/iot-flow/v1",
    "IOTFLOW_CLIENT_ID": "demo",
    "IOTFLOW_CLIENT_SECRET": "demo-secret",
    "IOTFLOW_CONFIG": os.devnull,
}


@pytest.mark.parametrize("command", [[], ["demo"]], ids=["dashboard", "demo"])
@pytest.mark.parametrize("stdin", ["devnull", "closed"])
def test_the_command_says_so_and_exits_non_zero(command: list[str], stdin: str, tmp_path) -> None:
    code = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    if stdin == "closed":
        code = "import os; os.close(0); import sys; sys.stdin = sys.__stdin__ = None; " + code
    out = subprocess.run(
        [sys.executable, "-c", code, *command],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**ENV, "IOTFLOW_STATE_DIR": str(tmp_path)},
        timeout=60,
    )
    assert out.returncode == EXIT_USAGE, out.stderr
    assert "needs a terminal" in out.stderr
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    assert "iotflow list" in out.stderr
