"""Typed failures of the IoT Flow API, each with a sentence an operator can act on."""

from __future__ import annotations


class ApiError(Exception):
    """Base of every failure the client raises; ``user_message`` says what to do."""

    kind = "error"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.idempotent = True
        """False for a POST, PUT or DELETE, which is never tried again by itself: the
        message must not promise a retry (the client sets it)."""

    @property
    def user_message(self) -> str:
        return self.message

    @property
    def retryable(self) -> bool:
        """True when the same idempotent call may succeed if tried again later."""
        return False


class Unreachable(ApiError):
    kind = "unreachable"

    @property
    def user_message(self) -> str:
        return f"Cannot reach the API ({self.message}). Check the URL, the network or the VPN."

    @property
    def retryable(self) -> bool:
        return True


class ApiTimeout(ApiError):
    kind = "timeout"

    @property
    def user_message(self) -> str:
        return f"The API is too slow: {self.message}. It may be overloaded; {_next_step(self)}"

    @property
    def retryable(self) -> bool:
        return True


def _next_step(error: ApiError) -> str:
    if error.idempotent:
        return "iotflow tries again."
    return (
        "the change was not retried, because a retry could apply it twice: refresh and "
        "check whether it took effect before trying again."
    )


def _capitalised(sentence: str) -> str:
    # "iotflow" is the tool's name, written in lower case even first in a sentence.
    if sentence.startswith("iotflow"):
        return sentence
    return sentence[:1].upper() + sentence[1:]


class Unauthenticated(ApiError):
    kind = "unauthenticated"
    static_token = False
    """True when the refused token was the operator's own (auth = token): no client id
    or secret is involved, and iotflow cannot fetch a new token."""

    @property
    def user_message(self) -> str:
        if self.static_token:
            return (
                f"The bearer token was refused ({self.message}). It may have expired: "
                "set a new one in IOTFLOW_TOKEN (or the variable client_secret_env names)."
            )
        return (
            f"Credentials refused ({self.message}). Check the client id and secret "
            "of this profile, or the token URL."
        )


class TokenRejected(Unauthenticated):
    """A 401 from the API for a token the token endpoint had just issued: the
    credentials were accepted, so blaming them would send the operator the wrong way."""

    @property
    def user_message(self) -> str:
        return (
            f"The API refused a token that was just issued ({self.message}). The client "
            "id and secret were accepted; check that the token URL belongs to this "
            "platform and that this client has rights on the IoT Flow API."
        )


class Forbidden(ApiError):
    kind = "forbidden"

    @property
    def user_message(self) -> str:
        return f"Not allowed: {self.message}. This account lacks the right for this action."


class NotFound(ApiError):
    kind = "not-found"

    @property
    def user_message(self) -> str:
        return f"Not found: {self.message}. It may have been deleted meanwhile."


class ValidationFailed(ApiError):
    """A 400 (or 409, 412): the server names the offending field when it can."""

    kind = "validation"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 400,
        code: str | None = "com-4000",
        field: str | None = None,
    ):
        super().__init__(message, status=status, code=code)
        self.field = field if field is not None else field_of(message)

    @property
    def user_message(self) -> str:
        return f"The server refused the request: {self.message}"


class ServerError(ApiError):
    kind = "server"

    @property
    def user_message(self) -> str:
        what = " ".join(str(part) for part in (self.status, self.code) if part)
        failed = f"The server failed ({what})" if what else "The server failed"
        return f"{failed}: {self.message}. {_capitalised(_next_step(self))}"

    @property
    def retryable(self) -> bool:
        return True


class MalformedResponse(ApiError):
    kind = "malformed"

    @property
    def user_message(self) -> str:
        return f"The API answered something iotflow cannot read: {self.message}"


class ReadOnlyError(ApiError):
    kind = "read-only"

    @property
    def user_message(self) -> str:
        return f"{self.message}: this profile is read-only (remove --read-only to change things)."


def field_of(message: str) -> str | None:
    """The field path at the start of a server message such as ``configuration.region: ...``."""
    head, sep, _rest = message.partition(": ")
    if not sep or " " in head or not head:
        return None
    return head
