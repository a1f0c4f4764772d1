"""Serve a Simulator over a real loopback socket with uvicorn, in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
from types import TracebackType

import uvicorn

from .simulator import Simulator

__all__ = ["SimulatorServer"]

START_TIMEOUT = 10.0


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

        self._wakeup: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self._ready.set()

    async def main_loop(self) -> None:
        # uvicorn polls should_exit every 0.1 s; waiting on an event makes stop() immediate.
        assert self._wakeup is not None
        counter = 0
        while not self.should_exit:
            try:
                await asyncio.wait_for(self._wakeup.wait(), 0.1)
            except TimeoutError:
                pass
            counter = (counter + 1) % 864000
            if await self.on_tick(counter):
                break

    def request_exit(self) -> None:
        self.should_exit = True
        loop, wakeup = self._loop, self._wakeup
        if loop is not None and wakeup is not None:
            try:
                loop.call_soon_threadsafe(wakeup.set)
            except RuntimeError:  # loop already closed
                pass


class SimulatorServer:
    """uvicorn on its own thread and event loop.

    ``start()`` returns once the socket listens; ``port=0`` picks a free port, which is
    kept, so ``stop()`` then ``start()`` serves again on the same port (for "connection
    refused, then back" tests). Usable as a context manager.
    """

    def __init__(self, sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sim = sim
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only then,
        # and without it Nagle + delayed ACK add 40 ms to every keep-alive request.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.setblocking(False)
        return sock

    def start(self) -> SimulatorServer:
        if self.running:
            return self
        sock = self._bind()
        self.port = sock.getsockname()[1]
        ready = threading.Event()
        config = uvicorn.Config(
            self.sim.app,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        self._server = server = _Server(config, ready)
        self._error = None

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as exc:  # noqa: BLE001 - reported by start()
                self._error = exc
            finally:
                sock.close()

        self._thread = thread = threading.Thread(
            target=run, name=f"iotflow-simulator:{self.port}", daemon=True
        )
        thread.start()
        while not ready.wait(0.02):
            if not thread.is_alive():
                raise RuntimeError(f"simulator server failed to start: {self._error!r}")
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.request_exit()
        self.sim.faults.wake_waiters()
        thread.join(timeout=START_TIMEOUT)
        self._server = None
        self._thread = None

    def restart(self) -> SimulatorServer:
        self.stop()
        return self.start()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
