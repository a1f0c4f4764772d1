"""Run a terminal program on a pseudo-terminal and watch what it writes, as a user's terminal would.

The program gets a real pty of a fixed size; a reader thread drains it so the program never
blocks on output, timestamps every chunk and keeps the text until a marker is seen. CPU time
and memory come from /proc, so they cover all the program's threads.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class PtyProgram:
    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        size: tuple[int, int] = (80, 24),
        cwd: Path | None = None,
    ) -> None:
        master, slave = os.openpty()
        columns, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.chunks: list[tuple[float, int]] = []
        self._text = bytearray()
        self._keep_text = True
        self._lock = threading.Lock()
        self._seen = threading.Event()
        self._marker: re.Pattern[bytes] | None = None
        self.seen_at: float | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            with self._lock:
                self.chunks.append((now, len(data)))
                if self._keep_text:
                    self._text += data
                    if self._marker is not None and self._marker.search(self._text):
                        self.seen_at = now
                        self._keep_text = False
                        self._text.clear()
                        self._seen.set()

    def wait_for(self, marker: re.Pattern[bytes], timeout: float) -> float:
        """Seconds from start until the output first contains ``marker``."""
        with self._lock:
            self._marker = marker
            if marker.search(self._text):
                self.seen_at = time.perf_counter()
                self._keep_text = False
                self._seen.set()
        if not self._seen.wait(timeout):
            raise TimeoutError(f"{marker.pattern[:60]!r} not seen in {timeout} s")
        assert self.seen_at is not None
        return self.seen_at - self.started

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def bytes_between(self, start: float, end: float) -> int:
        with self._lock:
            return sum(size for at, size in self.chunks if start <= at < end)

    def cpu_seconds(self) -> float:
        """CPU time of the program's own process, all its threads, not its children.

        From each thread's ``schedstat`` (nanoseconds): ``stat``'s utime + stime count in
        10 ms ticks, too coarse for an idle window of a few seconds at under 1 %.
        """
        tasks = Path(f"/proc/{self.process.pid}/task")
        try:
            total = 0
            for task in tasks.iterdir():
                try:
                    total += int((task / "schedstat").read_text().split()[0])
                except (FileNotFoundError, ProcessLookupError):
                    continue  # a thread that ended meanwhile
            return total / 1e9
        except (FileNotFoundError, ValueError, IndexError):
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        stop_program(self.process, self.master)


def stop_program(process: subprocess.Popen[bytes], master: int) -> None:
    """End the program and its children (its own session), then close the pty."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    os.close(master)
