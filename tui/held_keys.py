"""Keys typed while the dashboard starts reach it as typed (no Textual here).

Between the command and Textual's driver taking the terminal there are a few hundred
milliseconds (more on a busy jump host) in which the terminal is still in line mode: it
echoes keys over the screen, turns Enter into a newline (which the dashboard reads as
ctrl+j) and ctrl+c into a signal. An operator who types ``j j Enter`` right after
starting would see ``jj`` on the screen and no detail. From the moment the dashboard
command starts, the terminal is set the way the driver will set it; the settings found
are put back just before the driver takes over (it records them, to restore on exit and
on suspend). Bytes that arrived meanwhile keep the form they arrived in.

Keys typed even earlier, between the shell starting the command and this module running
(Python's own start-up: 0.05-0.2 s), met the terminal still in line mode: ``j j Enter``
was echoed, and ICRNL had already turned Enter's CR into NL, which Textual reads as
ctrl+j (the Enter was lost). Those bytes are in the terminal's input queue when the line
mode is switched off (a line not finished with Enter too). They are taken out at once
(:attr:`HeldKeys.typed`), each NL turned back into the CR it was typed as, and the
dashboard's driver reads them before anything typed later. Only these: a ctrl+j typed
once the terminal is held reaches the app as ctrl+j.
"""

from __future__ import annotations

import os
import select
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


def as_typed(line_mode_bytes: bytes, found: list[Any]) -> bytes:
    """Bytes that went through the line discipline with the ``found`` settings, as the keys
    that were typed: with ICRNL on, every NL was an Enter (CR); ctrl+j typed in line mode
    cannot be told from it, and Enter is what an operator types there."""
    assert termios is not None
    if found[0] & termios.ICRNL:
        return line_mode_bytes.replace(b"\n", b"\r")
    return line_mode_bytes


def _waiting(fd: int) -> bytes:
    """What the terminal's input queue holds now, without waiting for more."""
    data = b""
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data


class HeldKeys:
    def __init__(self, fd: int, found: list[Any], typed: bytes = b""):
        self.fd, self.found = fd, found
        self.typed = typed
        """Keys typed before the terminal was held (in line mode), as typed: the driver
        reads them first."""
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
        try:
            typed = as_typed(_waiting(fd), found)
        except OSError:
            typed = b""
        return cls(fd, found, typed)

    def take_typed(self) -> bytes:
        """The keys typed before the terminal was held, once (the driver's to read)."""
        typed, self.typed = self.typed, b""
        return typed

    def release(self) -> None:
        """The settings found back (once; again is a no-op)."""
        if self.released:
            return
        self.released = True
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, self.found)
        except termios.error:
            pass
