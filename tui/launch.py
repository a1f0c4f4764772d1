"""Starting the dashboard: the platform is asked for the list while Textual is imported.

Importing Textual, Rich and our screens takes a few hundred milliseconds; getting a token
and the first page of connections takes about as long on a real platform. Done one after
the other (import, build the app, then ask), an operator waits for both. Here the token and
list requests start first, on the event loop the app will run on, and the app is imported in
a worker thread meanwhile; the dashboard's first poll then takes that answer instead of
asking again. The client is the one the app keeps using, so the token, the open keep-alive
connection and the error handling are the same as for every later poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .config import Profile, make_client


async def first_listing(client: Any) -> list[Any]:
    """Token first, then the list: what the dashboard's first poll would do."""
    await client.authenticate()
    return await client.list_connections()


def _make_app_factory() -> Callable[..., Any]:
    from .app import make_app  # the slow import, run in a thread while the network waits

    return make_app


async def run_dashboard(profile: Profile, **options: Any) -> int:
    """Run the dashboard for ``profile`` until the operator quits; its exit code."""
    # The dashboard retries with its own backoff; the client should fail fast.
    client = make_client(profile, retries=0)
    listing = asyncio.ensure_future(first_listing(client))
    try:
        make_app = await asyncio.to_thread(_make_app_factory)
        app = make_app(profile, client=client, first_listing=listing, **options)
        await app.run_async()
        return app.return_code or 0
    finally:
        if not listing.done():
            listing.cancel()
        elif not listing.cancelled():
            listing.exception()  # retrieved: the app reported it, or never got that far
        await client.aclose()
