"""Accounts and access tokens, with expiry measured on the simulator clock.

Access tokens are HS256-signed JWTs (PyJWT) carrying ``exp``, ``iat``, ``sub`` and ``azp``,
because public clients decode them to read the expiry. The simulator still keeps every token
it issued, so that ``revoke_all()`` (a platform that forgets its sessions) works and a token
from another simulator run, signed with another key, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from .clock import Clock

__all__ = ["DX_VALIDITY_PERIODS", "Account", "Token", "TokenStore"]

INFINITE_SECONDS = 100 * 365 * 86400
DX_VALIDITY_PERIODS: dict[str, int] = {
    "5min": 300,
    "12hours": 12 * 3600,
    "7days": 7 * 86400,
    "90days": 90 * 86400,
    "infinite": INFINITE_SECONDS,
}
JWT_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Account:
    """A service account: any client id (``demo``, ``ops@example.com``,
    ``community-api/ops@example.com``), the shared secret, and the ids tokeninfo reports."""

    client_id: str
    customer_id: str
    operator_id: str

    @classmethod
    def for_client(cls, client_id: str) -> Account:
        # Stable ids derived from the client id: the same account gets the same customer id
        # on every run, which a client caching per customer relies on.
        digest = int(hashlib.sha256(client_id.encode()).hexdigest()[:8], 16)
        return cls(client_id, str(100000 + digest % 900000), "actility-sim")


@dataclass(frozen=True)
class Token:
    value: str
    client_id: str
    issued_at: datetime
    expires_at: datetime
    kind: str  # "oidc", "dx-admin" or "test"
    validity: str | None = None

    def expires_in(self, now: datetime) -> int:
        # Rounded up: a token issued for 60 s says 60 even a few milliseconds later.
        return max(0, math.ceil((self.expires_at - now).total_seconds()))


class TokenStore:
    def __init__(
        self,
        clock: Clock,
        client_id: str | Iterable[str],
        client_secret: str,
        ttl: float,
        *,
        issuer: str = "iotflow-simulator",
    ) -> None:
        self.clock = clock
        ids = [client_id] if isinstance(client_id, str) else list(client_id)
        if not ids:
            raise ValueError("the simulator needs at least one client id")
        self.accounts: dict[str, Account] = {i: Account.for_client(i) for i in ids}
        self.client_secret = client_secret
        self.ttl = float(ttl)
        self.issuer = issuer
        self._key = secrets.token_bytes(32)
        self._tokens: dict[str, Token] = {}
        self._dx_current: dict[str, Token] = {}
        self._lock = threading.Lock()

    @property
    def client_id(self) -> str:
        """The first account's client id (the one the banner shows first)."""
        return next(iter(self.accounts))

    def check_credentials(self, client_id: str | None, client_secret: str | None) -> bool:
        known = (client_id or "") in self.accounts
        good_secret = hmac.compare_digest(
            (client_secret or "").encode(), self.client_secret.encode()
        )
        return known and good_secret

    def account(self, client_id: str) -> Account:
        return self.accounts[client_id]

    def issue(
        self,
        ttl: float | None = None,
        *,
        kind: str = "test",
        validity: str | None = None,
        client_id: str | None = None,
    ) -> Token:
        now = self.clock.now()
        seconds = self.ttl if ttl is None else float(ttl)
        subject = client_id or self.client_id
        expires = now + timedelta(seconds=seconds)
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "azp": subject,
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": str(uuid.uuid4()),
            "typ": "Bearer",
        }
        token = Token(
            value=jwt.encode(claims, self._key, algorithm=JWT_ALGORITHM),
            client_id=subject,
            issued_at=now,
            expires_at=expires,
            kind=kind,
            validity=validity,
        )
        with self._lock:
            self._prune(now)
            self._tokens[token.value] = token
        return token

    def dx_admin_token(self, client_id: str, validity: str | None, renew: bool) -> Token:
        """The legacy DX Admin behaviour: reuse the still-valid token unless renewToken."""
        now = self.clock.now()
        with self._lock:
            current = self._dx_current.get(client_id)
            if (
                not renew
                and current is not None
                and current.expires_at > now
                and (validity is None or validity == current.validity)
                and current.value in self._tokens
            ):
                return current
        seconds = DX_VALIDITY_PERIODS[validity] if validity else self.ttl
        token = self.issue(seconds, kind="dx-admin", validity=validity, client_id=client_id)
        with self._lock:
            self._dx_current[client_id] = token
        return token

    def lookup(self, value: str | None) -> Token | None:
        """The token if this simulator issued it and it has not expired on its clock."""
        if not value:
            return None
        with self._lock:
            token = self._tokens.get(value)
        if token is None or token.expires_at <= self.clock.now():
            return None
        return token

    def claims(self, value: str) -> dict:
        """The JWT claims of a token this simulator signed (signature checked, not expiry:
        expiry is judged on the simulator clock by ``lookup``)."""
        return jwt.decode(
            value, self._key, algorithms=[JWT_ALGORITHM], options={"verify_exp": False}
        )

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()
            self._dx_current.clear()

    def _prune(self, now: datetime) -> None:
        if len(self._tokens) > 10_000:
            for key in [k for k, t in self._tokens.items() if t.expires_at <= now]:
                del self._tokens[key]
