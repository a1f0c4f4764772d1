"""Recognising secret fields, which IoT Flow never returns in clear.

A connector schema does not mark its secrets: the platform masks them by name, so a
client has to recognise them the same way (by name, and by ``format: password`` or
``writeOnly`` where a schema says so). The simulator masks with the same rules, so
what the dashboard shows and what the server hides cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "*****"
"""What the platform returns in place of a secret value."""

# Names documented as masked by the platform, plus the usual spellings of the same idea.
SECRET_NAMES: frozenset[str] = frozenset(
    {
        "accesskeyid",
        "secretaccesskey",
        "certificate",
        "privatekey",
        "password",
        "passwd",
        "sharedaccesskey",
        "apitoken",
        "applicationkey",
        "hectoken",
        "downlinkaskey",
        "gatewaytoken",
        "clientsecret",
        "authorizedprivatekey",
        "serviceaccount",
        "ggadcertificate",
        "ggadprivatekey",
        "token",
        "accesstoken",
        "secret",
        "apikey",
    }
)

_SECRET_WORDS = re.compile(r"(password|secret|token|privatekey|apikey|accesskey|sharedaccesskey)$")
# Certificate and key material: pasted PEM text rather than a one-line value.
_PEM_WORDS = re.compile(r"(certificate|privatekey|cacert|rootca|certficate)$")


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def is_secret_name(name: str) -> bool:
    """True when a configuration key holds a secret by its name alone."""
    key = _normalise(name)
    if key in SECRET_NAMES:
        return True
    # `trustedCaCertficate` (sic) and `awsRootCa` are public CA material, not secrets.
    if key.endswith(("cacertficate", "cacertificate", "rootca")):
        return False
    return bool(_SECRET_WORDS.search(key)) or key.endswith("certificate")


def is_secret_property(name: str, schema: Mapping[str, Any] | None = None) -> bool:
    """True when a property is secret by name, ``format: password`` or ``writeOnly``."""
    if schema:
        if schema.get("format") == "password" or schema.get("writeOnly") is True:
            return True
    return is_secret_name(name)


def is_pem_name(name: str) -> bool:
    """True for certificate or key material, which is edited as multi-line PEM text."""
    return bool(_PEM_WORDS.search(_normalise(name)))


def looks_like_pem(text: str) -> bool:
    """True when text holds at least one PEM block (BEGIN ... END of the same label)."""
    match = re.search(r"-----BEGIN ([A-Z0-9 ]+)-----", text)
    return bool(match) and f"-----END {match.group(1)}-----" in text


def mask_secrets(value: Any, schema: Mapping[str, Any] | None = None) -> Any:
    """A copy of a configuration with every secret value replaced by MASK.

    Walks nested objects and arrays; empty or null secrets stay as they are, as the
    platform does not invent a value that was never set.
    """
    if isinstance(value, Mapping):
        props = (schema or {}).get("properties", {}) if isinstance(schema, Mapping) else {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            sub = props.get(key) if isinstance(props, Mapping) else None
            if is_secret_property(key, sub) and isinstance(item, str | int | float) and item != "":
                out[key] = MASK
            else:
                out[key] = mask_secrets(item, sub)
        return out
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value


def masked_paths(value: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every value equal to MASK, e.g. ``configuration.proxy.password``."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if item == MASK:
                found.append(path)
            else:
                found.extend(masked_paths(item, path))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            path = f"{prefix}[{index}]"
            if item == MASK:
                found.append(path)
            else:
                found.extend(masked_paths(item, path))
    return found
