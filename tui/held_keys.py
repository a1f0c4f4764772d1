"""Keys typed while the dashboard starts reach it as typed (no Textual here).

Between the command and Textual's driver taking the terminal there are a few hundred
milliseconds (more on a busy jump host) in which the terminal is still in line mode: it
echoes keys over the screen, turns Enter into a newline (which the dashboard reads as
ctrl+j) and ctrl+c into a signal. An operator who types ``j j Enter`` right after
starting would see ``jj`` on the screen and no detail. From the moment the dashboard
command starts, the terminal is set the way the driver will set it; the settings found
are put back just before the driver takes over (it records them, to restore on exit and
on suspend). Bytes that arrived meanwhile keep the form they arrived in.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

try:
    import termios
except ImportError:  # pragma: no cover - not a POSIX terminal: nothing to hold
    termios = None  # type: ignore[assignment]


def as_the_driver_sets_it(attributes: list[Any]) -> list[Any]:
    """Textual's driver's settings (no echo, no line editing, no signals), from ``attributes``."""
    assert termios is not None
    raw = list(attributes)
    raw[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
    raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    raw[6] = list(raw[6])
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
    return raw


class HeldKeys:
    def __init__(self, fd: int, found: list[Any]):
        self.fd, self.found = fd, found
        self.released = False

    @classmethod
    def hold(cls, keys: TextIO | None = None) -> HeldKeys | None:
        """Hold the keys of ``keys`` (default ``sys.__stdin__``, the driver's); None where
        it is not a terminal."""
        keys = sys.__stdin__ if keys is None else keys
        if termios is None or keys is None:
            return None
        try:
            if not keys.isatty():
                return None
            fd = keys.fileno()
            found = termios.tcgetattr(fd)
            termios.tcsetattr(fd, termios.TCSANOW, as_the_driver_sets_it(found))
        except (OSError, ValueError, termios.error):
            return None
        return cls(fd, found)

    def release(self) -> None:
        """The settings found back (once; again is a no-op)."""
        if self.released:
            return
        self.released = True
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, self.found)
        except termios.error:
            pass
