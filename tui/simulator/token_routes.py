"""The token endpoints public clients use, and tokeninfo (OAuth2 client credentials).

One handler serves every path below; each issues tokens that are valid on every API path.

| path | where it comes from |
|---|---|
| ``/users-auth/protocol/openid-connect/token`` | documented (Enterprise service accounts) |
| ``/iot-flow/v1/oauth/token`` | documented for older platforms; a Java integration uses it |
| ``/iot-flow/v1/oauth/tokenSwagger`` | the published OpenAPI description's security scheme |
| ``/thingpark/dx/admin/latest/api/oauth/token`` | DX Admin; a Node command-line tool uses it |
| ``/admin/latest/api/oauth/token`` | the DX API host layout; a Rust client uses it |

Client authentication in the form body (``client_secret_post``) or HTTP Basic
(``client_secret_basic``, RFC 6749 §2.3.1); ``validityPeriod`` and ``renewToken`` in the body or
the query string. Wrong credentials answer 401 ``invalid_client``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Protocol
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .auth import DX_VALIDITY_PERIODS, TokenStore
from .clock import Clock
from .errors import oauth_error

__all__ = [
    "DX_ADMIN_PREFIXES",
    "DX_TOKEN_PATH",
    "DX_TOKENINFO_PATH",
    "OIDC_TOKEN_PATH",
    "TOKEN_PATHS",
    "token_routes",
]

OIDC_TOKEN_PATH = "/users-auth/protocol/openid-connect/token"
IOT_FLOW_TOKEN_PATH = "/iot-flow/v1/oauth/token"
IOT_FLOW_SWAGGER_TOKEN_PATH = "/iot-flow/v1/oauth/tokenSwagger"
DX_ADMIN_PREFIXES = ("/thingpark/dx/admin/latest/api", "/admin/latest/api")
DX_TOKEN_PATH = f"{DX_ADMIN_PREFIXES[0]}/oauth/token"
DX_TOKENINFO_PATH = f"{DX_ADMIN_PREFIXES[0]}/oauth/tokeninfo"

# path -> the token_type the answer spells (Keycloak says "Bearer", DX Admin "bearer").
TOKEN_PATHS: dict[str, str] = {
    OIDC_TOKEN_PATH: "Bearer",
    IOT_FLOW_TOKEN_PATH: "Bearer",
    IOT_FLOW_SWAGGER_TOKEN_PATH: "Bearer",
    **{f"{prefix}/oauth/token": "bearer" for prefix in DX_ADMIN_PREFIXES},
}


class TokenPlatform(Protocol):
    auth: TokenStore
    clock: Clock


Hold = Callable[[], Awaitable[None]]


def token_routes(platform: TokenPlatform, hold: Hold) -> list[Route]:
    """Routes for every token path and both tokeninfo paths; ``hold`` applies the faults."""
    tokens = platform.auth

    async def token(request: Request) -> Response:
        await hold()
        form, basic = await _credentials(request, tokens)
        if form.get("grant_type") != "client_credentials":
            return oauth_error(
                400, "unsupported_grant_type", "grant_type: must be client_credentials"
            )
        validity = form.get("validityPeriod") or None
        if validity is not None and validity not in DX_VALIDITY_PERIODS:
            allowed = ", ".join(DX_VALIDITY_PERIODS)
            return oauth_error(400, "invalid_request", f"validityPeriod: must be one of {allowed}")
        renew_raw = (form.get("renewToken") or "false").lower()
        if renew_raw not in ("true", "false"):
            return oauth_error(400, "invalid_request", "renewToken: must be true or false")
        client_id = form.get("client_id")
        if not tokens.check_credentials(client_id, form.get("client_secret")):
            headers = {"WWW-Authenticate": 'Basic realm="iot-flow"'} if basic else None
            return oauth_error(
                401,
                "invalid_client",
                "Invalid client credentials: check the client id and its secret",
                headers,
            )
        assert client_id is not None
        token_type = TOKEN_PATHS[request.url.path.rstrip("/") or "/"]
        if token_type == "bearer" or validity is not None or renew_raw == "true":
            issued = tokens.dx_admin_token(client_id, validity, renew_raw == "true")
        else:
            issued = tokens.issue(kind="oidc", client_id=client_id)
        body: dict[str, object] = {
            "access_token": issued.value,
            "token_type": token_type,
            "expires_in": issued.expires_in(platform.clock.now()),
            "scope": "openid",
            "client_id": client_id,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def tokeninfo(request: Request) -> Response:
        await hold()
        value = request.query_params.get("access_token")
        if not value:
            form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
            value = form.get("access_token")
        if not value:
            scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
            value = bearer.strip() if scheme.lower() == "bearer" else None
        found = tokens.lookup(value)
        if found is None:
            return oauth_error(
                401, "invalid_token", "Invalid or expired access token: ask for a new one"
            )
        account = tokens.account(found.client_id)
        return JSONResponse(
            {
                "client_id": found.client_id,
                "customer_id": account.customer_id,
                "operator_id": account.operator_id,
                "expires_in": found.expires_in(platform.clock.now()),
                "token_type": "bearer",
                "scope": "openid",
            },
            headers={"Cache-Control": "no-store"},
        )

    routes = [Route(path, token, methods=["POST"]) for path in TOKEN_PATHS]
    routes += [
        Route(f"{prefix}/oauth/tokeninfo", tokeninfo, methods=["GET", "POST"])
        for prefix in DX_ADMIN_PREFIXES
    ]
    return routes


async def _credentials(request: Request, tokens: TokenStore) -> tuple[dict[str, str], bool]:
    """Form fields (url-encoded body), then the query string, then HTTP Basic client auth;
    and whether the client authenticated with Basic."""
    raw = (await request.body()).decode("utf-8", "replace")
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    for key, value in request.query_params.items():
        fields.setdefault(key, value)
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or "client_id" in fields:
        return fields, False
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    client_id, sep, client_secret = decoded.partition(":")
    if sep:
        # RFC 6749 §2.3.1 form-encodes both before Base64; many clients do not, and an id
        # such as "ops+alerts@example.com" must then be taken as it came.
        encoded_pair = (unquote_plus(client_id), unquote_plus(client_secret))
        pair = encoded_pair
        if not tokens.check_credentials(*encoded_pair):
            if tokens.check_credentials(client_id, client_secret):
                pair = (client_id, client_secret)
        fields["client_id"], fields["client_secret"] = pair
    return fields, True
