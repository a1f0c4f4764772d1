"""Run the real ``iotflow`` command on a pseudo-terminal and keep every byte it writes.

For tests about what reaches an operator's terminal (escape sequences, not pixels): the
program gets a pty of a fixed size, a reader thread drains it, and ``wait_for`` blocks
until a marker has been written (or the program ends), never for a fixed time.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

IOTFLOW = Path(sys.executable).parent / "iotflow"


def typed_in_line_mode(master: int, keys: bytes) -> bytes:
    """Type ``keys`` on a terminal still in line mode (as a new pty is) and wait until its
    line discipline has taken them (it echoes them, Enter as CR LF); what it echoed."""
    os.write(master, keys)
    expected = keys.replace(b"\r", b"\r\n")
    echo = b""
    while not echo.endswith(expected):
        ready, _, _ = select.select([master], [], [], 10.0)  # a safety net, not pacing
        assert ready, f"the terminal did not echo {expected!r} (got {echo!r})"
        echo += os.read(master, 4096)
    return echo


class PtyRun:
    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24),
                 typed_before: bytes = b""):
        """``typed_before``: keys typed (and taken by the line discipline, in line mode)
        before the program is even started: what an operator types right after Enter on
        the command, before Python has run any of it."""
        master, slave = os.openpty()
        columns, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        if typed_before:
            typed_in_line_mode(master, typed_before)
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 1.0)
                if not ready:
                    if self.process.poll() is not None:
                        break
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:  # the program closed the terminal
                break
            if not chunk:
                break
            with self._changed:
                self.output += chunk
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, *markers: bytes, timeout: float = 60.0, after: int = 0) -> bool:
        """True once every marker has been written (from byte ``after`` on); False if the
        program ended first.

        ``timeout`` is only a safety net for a broken build, not a pacing device.
        """

        def seen() -> bool:
            return all(self.output.find(m, after) >= 0 for m in markers)

        with self._changed:
            return self._changed.wait_for(
                lambda: seen() or not self._reader.is_alive(), timeout
            ) and seen()

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        code = self.process.wait(10)
        self._reader.join(5)
        os.close(self.master)
        return code
