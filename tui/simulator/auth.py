"""Access tokens issued by the simulator, with expiry measured on the simulator clock."""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import Clock

__all__ = ["DX_VALIDITY_PERIODS", "Token", "TokenStore"]

INFINITE_SECONDS = 100 * 365 * 86400
DX_VALIDITY_PERIODS: dict[str, int] = {
    "5min": 300,
    "12hours": 12 * 3600,
    "7days": 7 * 86400,
    "90days": 90 * 86400,
    "infinite": INFINITE_SECONDS,
}


@dataclass(frozen=True)
class Token:
    value: str
    client_id: str
    issued_at: datetime
    expires_at: datetime
    kind: str  # "oidc", "dx-admin" or "test"
    validity: str | None = None

    def expires_in(self, now: datetime) -> int:
        return max(0, int((self.expires_at - now).total_seconds()))


class TokenStore:
    def __init__(self, clock: Clock, client_id: str, client_secret: str, ttl: float) -> None:
        self.clock = clock
        self.client_id = client_id
        self.client_secret = client_secret
        self.ttl = float(ttl)
        self._tokens: dict[str, Token] = {}
        self._dx_current: Token | None = None
        self._lock = threading.Lock()

    def check_credentials(self, client_id: str | None, client_secret: str | None) -> bool:
        return hmac.compare_digest((client_id or "").encode(), self.client_id.encode()) & (
            hmac.compare_digest((client_secret or "").encode(), self.client_secret.encode())
        )

    def issue(
        self, ttl: float | None = None, *, kind: str = "test", validity: str | None = None
    ) -> Token:
        now = self.clock.now()
        seconds = self.ttl if ttl is None else float(ttl)
        token = Token(
            value=secrets.token_urlsafe(32),
            client_id=self.client_id,
            issued_at=now,
            expires_at=now + timedelta(seconds=seconds),
            kind=kind,
            validity=validity,
        )
        with self._lock:
            self._prune(now)
            self._tokens[token.value] = token
        return token

    def dx_admin_token(self, validity: str | None, renew: bool) -> Token:
        """The legacy DX Admin behaviour: reuse the still-valid token unless renewToken."""
        now = self.clock.now()
        with self._lock:
            current = self._dx_current
            if (
                not renew
                and current is not None
                and current.expires_at > now
                and (validity is None or validity == current.validity)
                and current.value in self._tokens
            ):
                return current
        seconds = DX_VALIDITY_PERIODS[validity] if validity else self.ttl
        token = self.issue(seconds, kind="dx-admin", validity=validity)
        with self._lock:
            self._dx_current = token
        return token

    def lookup(self, value: str | None) -> Token | None:
        """The token if it exists and has not expired on the simulator clock."""
        if not value:
            return None
        with self._lock:
            token = self._tokens.get(value)
        if token is None or token.expires_at <= self.clock.now():
            return None
        return token

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()
            self._dx_current = None

    def _prune(self, now: datetime) -> None:
        if len(self._tokens) > 10_000:
            for key in [k for k, t in self._tokens.items() if t.expires_at <= now]:
                del self._tokens[key]
