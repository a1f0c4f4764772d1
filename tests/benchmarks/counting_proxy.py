"""A loopback HTTP proxy that counts the requests going through it and can add latency.

The benchmarks put it between the app under test and the simulator, so token requests,
retries and page reads are all counted the same way for iotflow and for the stock app,
whatever either of them thinks it sent.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter

# The first line of an HTTP/1.1 request; bodies are JSON or forms, which do not end a line
# with " HTTP/1.1".
REQUEST_LINE = re.compile(
    rb"(?:^|\r\n)(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) HTTP/1\.[01]\r\n"
)


class CountingProxy:
    """Forward 127.0.0.1:<port> to the target; ``requests`` counts method+path kinds."""

    def __init__(self, target_port: int, latency: float = 0.0) -> None:
        self.target_port = target_port
        self.latency = latency
        self.requests: Counter[str] = Counter()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)

    def reset(self) -> None:
        self.requests.clear()

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.target_port
        )

        async def client_to_server() -> None:
            tail = b""
            while data := await reader.read(65536):
                window = tail + data
                for match in REQUEST_LINE.finditer(window):
                    if match.end() > len(tail):  # not counted in the previous chunk
                        path = match.group(2).split(b"?")[0].decode()
                        kind = "token" if "token" in path else path.rsplit("/", 1)[-1]
                        self.requests[f"{match.group(1).decode()} {kind}"] += 1
                        if self.latency:
                            await asyncio.sleep(self.latency)
                tail = window[-200:]
                upstream_writer.write(data)
                await upstream_writer.drain()
            upstream_writer.close()

        async def server_to_client() -> None:
            while data := await upstream_reader.read(65536):
                writer.write(data)
                await writer.drain()
            writer.close()

        try:
            await asyncio.gather(client_to_server(), server_to_client())
        except (ConnectionError, OSError):
            writer.close()
            upstream_writer.close()
