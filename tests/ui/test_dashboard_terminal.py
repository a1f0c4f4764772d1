"""The terminal going away (end of input) ends the app instead of spinning a core."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Linux driver only")


class FakeApp:
    def __init__(self) -> None:
        self.exited = asyncio.Event()

    def exit(self, *args: object) -> None:
        self.exited.set()


async def test_end_of_input_exits_the_app() -> None:
    from textual.drivers.linux_driver import LinuxDriver

    from tui.terminal_driver import hangup_aware

    driver_class = hangup_aware(LinuxDriver)
    app = FakeApp()
    driver = driver_class(app)  # type: ignore[arg-type]
    read_end, write_end = os.pipe()
    driver.fileno = read_end
    os.close(write_end)  # the other side hung up
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    await asyncio.wait_for(app.exited.wait(), timeout=5)
    thread.join(timeout=5)
    assert not thread.is_alive()
    os.close(read_end)


async def test_poll_loop_stops_with_the_app(make_dashboard) -> None:
    app = make_dashboard(poll=True)
    async with app.run_test(size=(80, 24)):
        await app.refresh_now()
        workers = [w for w in app.workers if w.name == "poll-loop"]
        assert workers and workers[0].is_running
    assert all(w.is_cancelled or w.is_finished for w in workers), [w.state for w in workers]


@pytest.mark.parametrize(
    "data",
    [b"\xe9a", bytes(range(0x80, 0x100)), b"ok\xff\xfe\xc3", b"\xf0\x9f\x98"],
    ids=["latin1", "high-bytes", "mixed", "cut-utf8"],
)
async def test_input_that_is_not_utf8_is_decoded_leniently(data: bytes) -> None:
    """Bytes a Latin-1 terminal or a random paste sends become U+FFFD, never an exception
    that ends the input thread (and with it the app, losing what was typed)."""
    from textual import events
    from textual.drivers.linux_driver import LinuxDriver

    from tui.terminal_driver import hangup_aware

    driver = hangup_aware(LinuxDriver)(FakeApp())  # type: ignore[arg-type]
    received: list[events.Key] = []
    driver.process_message = lambda message: received.append(message)  # type: ignore[method-assign]
    read_end, write_end = os.pipe()
    driver.fileno = read_end
    os.write(write_end, data + b"z")
    os.close(write_end)  # then end of input, which ends the loop cleanly
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    thread.join(timeout=5)
    os.close(read_end)
    assert not thread.is_alive()
    characters = "".join(e.character or "" for e in received if isinstance(e, events.Key))
    # Each bad sequence is one U+FFFD; what follows (the "z") still arrives.
    assert characters == (data + b"z").decode("utf-8", errors="replace")
    assert "\ufffd" in characters and characters.endswith("z")



class InputThread:
    """The driver's input thread on a pipe that stays open (a terminal nobody types on),
    with every ``select`` timeout it asked for and every key it passed on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import selectors

        from textual.drivers.linux_driver import LinuxDriver

        from tui.terminal_driver import hangup_aware

        self.driver = hangup_aware(LinuxDriver)(FakeApp())  # type: ignore[arg-type]
        self.timeouts: list[float | None] = []
        self.keys: list[str] = []
        self.selecting = threading.Event()
        self.got_key = threading.Event()
        self.read_end, self.write_end = os.pipe()
        self.driver.fileno = self.read_end
        select = selectors.SelectSelector.select

        def recording(selector: selectors.SelectSelector, timeout: float | None = None) -> Any:
            self.timeouts.append(timeout)
            self.selecting.set()
            return select(selector, timeout)

        monkeypatch.setattr(selectors.SelectSelector, "select", recording)

        def received(message: object) -> None:
            from textual import events

            if isinstance(message, events.Key):
                self.keys.append(message.key)
                self.got_key.set()

        self.driver.process_message = received  # type: ignore[method-assign]
        self.thread = self.start()

    def start(self) -> threading.Thread:
        self.selecting.clear()
        thread = threading.Thread(target=self.driver.run_input_thread, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """What Textual's ``disable_input`` does: set the exit event, join the thread."""
        self.driver.exit_event.set()
        self.thread.join(timeout=5)

    def close(self) -> None:
        self.driver.close()
        os.close(self.read_end)
        os.close(self.write_end)


async def test_an_idle_input_thread_sleeps_until_it_is_stopped(monkeypatch) -> None:
    """No input: one select with no timeout (no wake-ups ten times a second), and the
    exit event ends it at once all the same."""
    reader = InputThread(monkeypatch)
    try:
        assert reader.selecting.wait(5)
        reader.stop()
        assert not reader.thread.is_alive()
        assert reader.timeouts == [None]
        assert reader.keys == []
    finally:
        reader.close()


async def test_a_lone_escape_still_becomes_the_escape_key(monkeypatch) -> None:
    """Esc alone waits for Textual's escape delay (it may begin a sequence), then is the
    Escape key: the thread wakes for that deadline, and only for it."""
    from textual import constants

    reader = InputThread(monkeypatch)
    try:
        assert reader.selecting.wait(5)
        os.write(reader.write_end, b"\x1b")
        assert reader.got_key.wait(5)
        assert reader.keys == ["escape"]
        timed = [t for t in reader.timeouts if t is not None]
        assert timed and all(0 <= t <= constants.ESCAPE_DELAY for t in timed)
        assert reader.timeouts[0] is None  # before the Esc: no timeout
        reader.stop()
        assert not reader.thread.is_alive()
    finally:
        reader.close()


async def test_input_resumes_after_a_suspend(monkeypatch) -> None:
    """Textual stops the input thread on ctrl+z and starts another on resume, clearing
    the exit event between: the new thread blocks again (it does not see a stale wake-up
    and spin) and reads keys."""
    reader = InputThread(monkeypatch)
    try:
        assert reader.selecting.wait(5)
        reader.stop()
        assert not reader.thread.is_alive()
        reader.driver.exit_event.clear()
        reader.timeouts.clear()
        reader.thread = reader.start()
        assert reader.selecting.wait(5)
        os.write(reader.write_end, b"a")
        assert reader.got_key.wait(5)
        assert reader.keys == ["a"]
        reader.stop()
        assert not reader.thread.is_alive()
        # One blocking select before the key, one after it: no spinning on the pipe.
        assert reader.timeouts == [None, None], reader.timeouts
    finally:
        reader.close()
