"""`iotflow demo` behind a 256 kbit/s terminal link: does it still answer keys while idle?

Run: ``python tests/benchmarks/bench_slow_link.py`` (about a minute; ``--rate`` in bytes/s,
default 32,000 = 256 kbit/s; ``--connections``, default 1,000). The command runs on a pty
(80x24, TERM=xterm-256color) whose other end is read no faster than the link would carry
it: a reader takes at most ``rate / 50`` bytes every 20 ms, so when iotflow writes more than
the link carries, its writes wait, as they would behind a slow SSH connection.

After the first rows and a 5 s settle, it presses ``f`` (faults only) and waits until the
header says ``faults``, then ``f`` again until every row is shown again, ``--presses``
times, 2 s apart; each press's figure is the time from the key until its whole repaint has
crossed the link (the output pauses for 150 ms), beside the time until the header's word
arrives and the bytes each answer took (at 32,000 B/s every 1,000 bytes is 31 ms of the
link, so a long answer is the repaint's size, not a wait). It also prints the idle output rate
(bytes/s over the link during the settle window): a link that is full of idle repaints is
what makes a key wait. Prints the median and the range; "responsive" means the median
answer under 0.5 s and the slowest under 1 s.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pty_run import stop_program  # noqa: E402

MEDIAN_GOAL = 0.5
WORST_GOAL = 1.0


class SlowLink:
    """A pty whose output side is drained at a fixed byte rate, timestamped."""

    def __init__(self, argv: list[str], env: dict[str, str], rate: int) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.rate = rate
        self.received = bytearray()
        self.times: list[tuple[float, int]] = []  # (when, len(received) after the chunk)
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        step = 0.02
        budget = max(1, int(self.rate * step))
        while True:
            started = time.perf_counter()
            try:
                data = os.read(self.master, budget)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.received += data
                self.times.append((time.perf_counter(), len(self.received)))
            # The link carries `budget` bytes per step: wait out the rest of the step.
            spent = time.perf_counter() - started
            time.sleep(max(0.0, step * len(data) / budget - spent))

    def size_now(self) -> int:
        with self.lock:
            return len(self.received)

    def wait_for(self, pattern: re.Pattern[bytes], after: int, timeout: float) -> float | None:
        """When ``pattern`` first appears in what arrived after byte ``after``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.lock:
                match = pattern.search(self.received, after)
                if match is not None:
                    end = match.end()
                    return next(t for t, size in self.times if size >= end)
            time.sleep(0.005)
        return None

    def quiet_after(self, moment: float, gap: float = 0.15, timeout: float = 10) -> float:
        """The time of the last chunk before the output paused for ``gap`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.lock:
                last = self.times[-1][0] if self.times else moment
            if time.perf_counter() - max(last, moment) >= gap:
                return max(last, moment)
            time.sleep(0.01)
        return deadline

    def bytes_between(self, start: float, end: float) -> int:
        with self.lock:
            sizes = [size for t, size in self.times if start <= t < end]
            before = [size for t, size in self.times if t < start]
        if not sizes:
            return 0
        return sizes[-1] - (before[-1] if before else 0)

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def stop(self) -> None:
        stop_program(self.process, self.master)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=32_000, help="bytes per second (32000)")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--presses", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as state:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("IOTFLOW_", "NO_COLOR"))}
        env.update(
            TERM="xterm-256color", COLUMNS="80", LINES="24",
            IOTFLOW_CONFIG=str(Path(state) / "none.toml"), IOTFLOW_STATE_DIR=state,
        )  # fmt: skip
        argv = [sys.executable, "-m", "tui.cli", "demo", "--connections", str(args.connections)]
        link = SlowLink(argv, env, args.rate)
        try:
            first = link.wait_for(re.compile(rb"ACT \d+"), 0, 60)  # the header counts: data is in
            if first is None:
                print("no rows within 60 s")
                return 1
            time.sleep(5)
            settle_end = time.perf_counter()
            time.sleep(5)
            idle = link.bytes_between(settle_end, time.perf_counter()) / 5
            answers: list[float] = []
            firsts: list[float] = []  # key → the header's word arrives (the answer begins)
            sizes: list[int] = []  # bytes of each answer, what the link had to carry
            on = re.compile(rb"faults")
            everything = f"{args.connections}/{args.connections}".encode()
            off = re.compile(re.escape(everything))  # every row shown again: faults is off
            for press in range(args.presses):
                mark = link.size_now()
                sent = time.perf_counter()
                link.send(b"f")
                seen = link.wait_for(on if press % 2 == 0 else off, mark, 10)
                # The answer is the whole repaint (header and the re-filtered table), so
                # it counts until the link goes quiet, not until the first word arrives.
                done = None if seen is None else link.quiet_after(seen)
                answers.append(float("inf") if done is None else done - sent)
                firsts.append(float("inf") if seen is None else seen - sent)
                sizes.append(0 if done is None else link.bytes_between(sent, done + 0.001))
                time.sleep(2)
        finally:
            link.stop()

    shown = [f"{a * 1000:.0f}" if a != float("inf") else "none" for a in answers]
    median, worst = statistics.median(answers), max(answers)
    print(f"link {args.rate * 8 / 1000:.0f} kbit/s ({args.rate:,} B/s), "
          f"{args.connections:,} connections, {args.presses} presses of f")  # fmt: skip
    print(f"idle output over the link: {idle:,.0f} B/s ({idle / args.rate:.0%} of the link)")
    low = min(answers)
    print(f"key → answer on the far side: median {median * 1000:.0f} ms, "
          f"range {low * 1000:.0f}-{worst * 1000:.0f} ms ({', '.join(shown)})")  # fmt: skip
    print(f"key → its header word arrives: median {statistics.median(firsts) * 1000:.0f} ms, "
          f"range {min(firsts) * 1000:.0f}-{max(firsts) * 1000:.0f} ms; bytes per answer: "
          f"median {statistics.median(sizes):,.0f} ({min(sizes):,}-{max(sizes):,}), "
          f"{statistics.median(sizes) / args.rate * 1000:.0f} ms of the link")  # fmt: skip
    ok = median < MEDIAN_GOAL and worst < WORST_GOAL
    verdict = "responsive" if ok else "NOT responsive"
    print(f"{verdict} (goal: median < {MEDIAN_GOAL:.1f} s, slowest < {WORST_GOAL:.1f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
