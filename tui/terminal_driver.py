"""Textual's Linux driver as the dashboard needs it on an operator's terminal.

Two things differ from the stock driver:

- end of input (the terminal went away) exits the app: the stock input loop treats an
  empty read as "nothing yet" and selects again, which spins a core forever once the SSH
  connection is gone without a SIGHUP;
- the input thread sleeps until there is input, a key sequence is due (a lone Esc), or
  the app stops. The stock loop wakes ten times a second only to see whether it should
  stop: on an idle dashboard that was a tenth of its CPU. Stopping writes to a pipe the
  thread also waits on (``WakingEvent``), so it still ends at once.
"""

from __future__ import annotations

import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import Any

from textual._time import get_time
from textual._xterm_parser import XTermParser

ALTERNATE_SCREEN = "\x1b[?1049h"

POLL_SECONDS = 0.1
"""How often the thread looks at the parser when it cannot tell when a sequence is due
(a Textual whose parser keeps its deadline elsewhere): the stock driver's period."""


class WakingEvent(threading.Event):
    """A ``threading.Event`` that a thread can wait for in ``select`` beside other files.

    ``set`` also writes a byte to a pipe whose reading end is ``fileno``; ``clear``
    drains it, so the pipe is readable exactly while the event is set.
    """

    def __init__(self) -> None:
        super().__init__()
        self._read, self._write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def fileno(self) -> int:
        return self._read

    def set(self) -> None:
        super().set()
        if self._write >= 0:
            try:
                os.write(self._write, b"x")
            except BlockingIOError:
                pass  # the pipe is full of earlier wake-ups: readable already

    def clear(self) -> None:
        super().clear()
        try:
            while os.read(self._read, 512):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        """Close the pipe; ``set`` still sets the event (nothing waits on the pipe then)."""
        read, write, self._read, self._write = self._read, self._write, -1, -1
        for fd in (read, write):
            if fd >= 0:
                os.close(fd)


def select_timeout(parser: Any) -> float | None:
    """Seconds until the parser must be ticked (a lone Esc becomes the Escape key after
    Textual's escape delay), or None when it waits for nothing but input."""
    try:
        due = parser._timeout_time
    except AttributeError:
        return POLL_SECONDS
    if due is None:
        return None
    return max(0.0, due - get_time())


def hangup_aware(base: type, in_alternate_screen: bool = False, typed: bytes = b"") -> type:
    """Textual's Linux driver (``base``), but end of input exits the app and an idle
    input thread does not wake (see the module's docstring).

    ``in_alternate_screen``: the first frame (``tui.first_frame``) already switched to the
    alternate screen. Switching again would save the cursor a second time on terminals
    that keep one saved cursor per screen, and the shell prompt would come back at the
    bottom of the screen after quitting: the first switch is left out (only the first:
    after a suspend the driver must switch again).

    ``typed``: keys typed before the terminal was held (``tui.held_keys``), read once,
    before anything the terminal holds.
    """

    class HangupAwareDriver(base):  # type: ignore[misc, valid-type]
        _skip_alternate_screen = in_alternate_screen
        _typed = typed

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # The stock driver's exit_event, which disable_input sets, then joins this
            # thread, then clears (also around a suspend): now it wakes the thread too.
            self.exit_event = WakingEvent()

        def write(self, data: str) -> None:
            if self._skip_alternate_screen and data == ALTERNATE_SCREEN:
                self._skip_alternate_screen = False
                return
            super().write(data)

        def close(self) -> None:
            super().close()
            self.exit_event.close()

        def run_input_thread(self) -> None:
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            selector.register(self.exit_event.fileno(), selectors.EVENT_READ)
            parser = XTermParser(self._debug)
            # Bytes that are not UTF-8 (a Latin-1 terminal, a paste of random bytes)
            # become U+FFFD instead of a UnicodeDecodeError that ends the app.
            decode = getincrementaldecoder("utf-8")(errors="replace").decode
            early, self._typed = self._typed, b""  # (once: not again after a suspend)
            if early:
                for event in parser.feed(decode(early)):
                    self.process_message(event)
            try:
                while not self.exit_event.is_set():
                    for key, mask in selector.select(select_timeout(parser)):
                        if key.fd != self.fileno or not mask & selectors.EVENT_READ:
                            continue  # (the exit pipe: the loop's test ends it)
                        try:
                            data = os.read(self.fileno, 1024 * 4)
                        except OSError:
                            data = b""
                        if not data:
                            self._loop.call_soon_threadsafe(self._app.exit)
                            return
                        for event in parser.feed(decode(data)):
                            self.process_message(event)
                    for event in parser.tick():
                        self.process_message(event)
            finally:
                selector.close()

    return HangupAwareDriver
