"""The token endpoints under the API's own base path (IoT Flow v1 only).

``/oauth/tokenSwagger`` is the published description's security scheme; ``/oauth/token`` is
what older platforms document and a Java integration uses. The other token paths the
simulator serves (users-auth, DX Admin) live outside this base path; the README lists them.
"""

from __future__ import annotations

from typing import Any

from .common import json_body

__all__ = ["paths", "schemas"]


def schemas() -> dict[str, Any]:
    return {
        "tokenRequest": {
            "type": "object",
            "required": ["grant_type"],
            "properties": {
                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                "client_id": {"type": "string", "description": "or HTTP Basic"},
                "client_secret": {"type": "string", "description": "or HTTP Basic"},
                "validityPeriod": {
                    "type": "string",
                    "enum": ["5min", "12hours", "7days", "90days", "infinite"],
                },
                "renewToken": {"type": "string", "enum": ["true", "false"]},
            },
        },
        "token": {
            "type": "object",
            "required": ["access_token", "token_type", "expires_in"],
            "properties": {
                "access_token": {"type": "string", "description": "A signed JWT"},
                "token_type": {"type": "string"},
                "expires_in": {"type": "integer", "minimum": 0},
                "scope": {"type": "string"},
                "client_id": {"type": "string"},
            },
        },
        "oauthError": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {"type": "string"},
                "error_description": {"type": "string"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "correlationId": {"type": "string"},
            },
        },
    }


def _operation(operation_id: str, summary: str) -> dict[str, Any]:
    oauth_error = json_body({"$ref": "#/components/schemas/oauthError"}, "An RFC 6749 error")
    return {
        "post": {
            "operationId": operation_id,
            "tags": ["Token"],
            "summary": summary,
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": "#/components/schemas/tokenRequest"}
                    }
                },
            },
            "responses": {
                "200": json_body({"$ref": "#/components/schemas/token"}, "A bearer token"),
                "400": oauth_error,
                "401": oauth_error,
            },
        }
    }


def paths(flavour: str) -> dict[str, Any]:
    if flavour != "iot-flow":
        return {}
    return {
        "/oauth/token": _operation("getToken", "A token for the client credentials"),
        "/oauth/tokenSwagger": _operation(
            "getTokenSwagger", "The same, as the description names it"
        ),
    }
