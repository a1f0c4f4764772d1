"""The terminal going away (end of input) ends the app instead of spinning a core."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Linux driver only")


class FakeApp:
    def __init__(self) -> None:
        self.exited = asyncio.Event()

    def exit(self, *args: object) -> None:
        self.exited.set()


async def test_end_of_input_exits_the_app() -> None:
    from textual.drivers.linux_driver import LinuxDriver

    from tui.app import _hangup_aware

    driver_class = _hangup_aware(LinuxDriver)
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

    from tui.app import _hangup_aware

    driver = _hangup_aware(LinuxDriver)(FakeApp())  # type: ignore[arg-type]
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

