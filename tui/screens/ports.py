"""What the screens need from the API client, declared (no Textual, no httpx).

``IoTFlowClient`` satisfies it; so does a test double. Declared here so that a screen
calls ``client.authenticate()`` because the protocol says it exists, not because
``getattr`` found it.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..connections import Connection


class ConnectionsClient(Protocol):
    read_only: bool

    async def authenticate(self) -> None: ...

    async def list_connections(self) -> list[Connection]: ...

    async def get_connection(self, ident: str) -> Connection: ...

    async def update_connection(self, ident: str, payload: dict[str, Any]) -> Connection: ...

    async def delete_connection(self, ident: str) -> None: ...

    async def restart(self, ident: str) -> None: ...

    async def aclose(self) -> None: ...
