"""Bearer tokens: OAuth2 client credentials (users-auth or legacy DX Admin) or static.

A fetched token is cached and renewed shortly before ``expires_in`` runs out; after a
401 the client drops it and fetches a new one once. The secret is held in memory only,
never logged and never part of a repr.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import httpx

from .errors import ApiTimeout, MalformedResponse, ServerError, Unauthenticated, Unreachable

DEFAULT_TTL = 3600.0
"""Token lifetime assumed when the server gives no ``expires_in`` (undocumented)."""


class TokenSource(Protocol):
    async def token(self, http: httpx.AsyncClient) -> str: ...

    def invalidate(self) -> None: ...


class StaticToken:
    """A bearer token given by the operator; it cannot be renewed."""

    def __init__(self, token: str):
        self._token = token

    async def token(self, http: httpx.AsyncClient) -> str:
        return self._token

    def invalidate(self) -> None:
        pass

    def __repr__(self) -> str:
        return "StaticToken(*****)"


class ClientCredentials:
    """OAuth2 client-credentials grant against users-auth or DX Admin.

    ``style`` is ``oidc`` (``/users-auth/protocol/openid-connect/token``) or ``dx-admin``
    (``/thingpark/dx/admin/latest/api/oauth/token``, which also takes ``renewToken`` and
    ``validityPeriod``). Both answer ``access_token`` and ``expires_in``.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        style: str = "oidc",
        validity_period: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = 10.0,
    ):
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.style = style
        self.validity_period = validity_period
        self._clock = clock
        self._timeout = timeout
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0
        """How many tokens were fetched (tests and diagnostics)."""

    def __repr__(self) -> str:
        return f"ClientCredentials({self.token_url!r}, {self.client_id!r}, *****)"

    def invalidate(self) -> None:
        self._token = None
        self._expires_at = 0.0

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._expires_at

    async def token(self, http: httpx.AsyncClient) -> str:
        if self._fresh():
            assert self._token is not None
            return self._token
        async with self._lock:  # concurrent callers share one fetch
            if not self._fresh():
                await self._fetch(http)
            assert self._token is not None
            return self._token

    async def _fetch(self, http: httpx.AsyncClient) -> None:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self._secret,
        }
        if self.style == "dx-admin":
            # A new token each time we must fetch: the old one is known to be unusable.
            form["renewToken"] = "true"
            if self.validity_period:
                form["validityPeriod"] = self.validity_period
        try:
            # A total deadline: httpx's timeout is per read, and a token endpoint that
            # trickles its answer would otherwise hold every request behind it.
            async with asyncio.timeout(self._timeout):
                response = await http.post(
                    self.token_url,
                    data=form,
                    headers={"Accept": "application/json"},
                    timeout=self._timeout,
                )
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise ApiTimeout(f"no token from {self.token_url} in {self._timeout:g} s") from exc
        except httpx.TransportError as exc:
            raise Unreachable(f"token URL {self.token_url}: {type(exc).__name__}") from exc
        if response.status_code in (400, 401, 403):
            raise Unauthenticated(
                f"the token endpoint answered {response.status_code}", status=response.status_code
            )
        if response.status_code >= 500:
            # No code: the token endpoint's body is not ours to quote, nor to invent.
            raise ServerError("the token endpoint failed", status=response.status_code)
        if response.status_code != 200:
            raise Unauthenticated(
                f"the token endpoint answered {response.status_code}", status=response.status_code
            )
        try:
            body = response.json()
            access = body["access_token"]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            raise MalformedResponse("the token endpoint gave no access_token") from exc
        if not isinstance(access, str) or not access:
            raise MalformedResponse("the token endpoint gave an empty access_token")
        try:
            ttl = float(body.get("expires_in") or DEFAULT_TTL)
        except (TypeError, ValueError):
            ttl = DEFAULT_TTL
        # Renew before the end: 10 % of the lifetime, at most a minute, early.
        margin = min(60.0, ttl * 0.1)
        self._token = access
        self._expires_at = self._clock() + max(ttl - margin, 0.0)
        self.fetches += 1
