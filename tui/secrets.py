"""Recognising secret fields, which IoT Flow never returns in clear.

A connector schema does not mark its secrets: the platform masks them by name, so a
client has to recognise them the same way (by name, and by ``format: password`` or
``writeOnly`` where a schema says so). The simulator masks with the same rules, so
what the dashboard shows and what the server hides cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
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

# Header names that carry credentials (a map of HTTP headers is free-form: the key decides).
SECRET_HEADERS: frozenset[str] = frozenset(
    {"authorization", "proxyauthorization", "xapikey", "apikey", "cookie", "xauthtoken"}
)
# Anywhere in a name: `hecToken`, `X-Auth-Token`, `clientSecretValue`, `dbPasswordHash`.
_SECRET_INSIDE = re.compile(r"password|passwd|secret|token|apikey")
# At the end of a name only: `accessKey` is secret, `accessKeyId` is not.
_SECRET_ENDINGS = re.compile(r"(privatekey|accesskey|sharedaccesskey)$")
# Names that *refer to* a secret without holding it: an id, a name, where to fetch it.
_SECRET_REFERENCE = re.compile(r"(id|ids|name|names|url|uri|endpoint|type|header|ttl)$")
# Certificate and key material: pasted PEM text rather than a one-line value.
_PEM_WORDS = re.compile(r"(certificate|privatekey|cacert|rootca|certficate)$")


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# Cached: key names repeat across thousands of connections (a few dozen per connector),
# and masking 10,000 configurations for `iotflow list -o json` asked 150,000 times.
@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """True when a configuration key (or a map key such as an HTTP header) holds a secret.

    The one rule every masking place uses: documented names, credential headers
    (``Authorization``, ``Proxy-Authorization``, ``X-Api-Key``), any name containing
    password/secret/token/apikey (unless it names an id, a URL... of one), names ending
    in a key word, and certificates except public CA material.
    """
    key = _normalise(name)
    if key in SECRET_NAMES or key in SECRET_HEADERS:
        return True
    # `trustedCaCertficate` (sic) and `awsRootCa` are public CA material, not secrets.
    if key.endswith(("cacertficate", "cacertificate", "rootca")):
        return False
    if _SECRET_REFERENCE.search(key):
        return False
    return bool(_SECRET_INSIDE.search(key) or _SECRET_ENDINGS.search(key)) or key.endswith(
        "certificate"
    )


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


NOT_PEM = "does not look like PEM: expected a -----BEGIN ...----- / -----END ...----- block"


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR as LF: terminals paste with CR, and PEM needs its line breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def pem_problem(text: str) -> str | None:
    """Why ``text`` cannot be PEM material (a sentence), or ``None`` when it can."""
    if not text.strip():
        return None
    return None if looks_like_pem(normalise_newlines(text)) else NOT_PEM


def line_count(text: str) -> int:
    """Lines of a (multi-line) secret as a person counts them (a final newline adds none)."""
    text = normalise_newlines(text)
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


MAX_PEM_BYTES = 1_000_000


class PemError(ValueError):
    """A file that cannot be used as certificate or key material; the message says why."""


def read_pem_file(path: str | Path) -> str:
    """The text of a PEM file (LF line breaks), or :class:`PemError` with a sentence."""
    p = Path(path).expanduser()
    if not p.exists():
        raise PemError(f"{p}: no such file")
    if p.is_dir():
        raise PemError(f"{p} is a folder, not a file")
    try:
        size = p.stat().st_size
        if size > MAX_PEM_BYTES:
            raise PemError(f"{p} is too large ({size} bytes) to be a certificate or key")
        data = p.read_bytes()
    except OSError as exc:
        raise PemError(f"{p} cannot be read: {exc.strerror or exc}") from exc
    try:
        text = normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PemError(
            f"{p} is not text (a binary DER file?): convert it to PEM, "
            "e.g. openssl x509 -inform der -in cert.der -out cert.pem"
        ) from exc
    if not looks_like_pem(text):
        raise PemError(f"{p} {NOT_PEM}")
    return text.strip() + "\n"


def strip_secrets(value: Any) -> Any:
    """A copy of a JSON value without secret keys (for clones and drafts)."""
    if isinstance(value, Mapping):
        return {
            k: strip_secrets(v)
            for k, v in value.items()
            if not (is_secret_property(str(k)) and not isinstance(v, dict | list))
        }
    if isinstance(value, list):
        return [strip_secrets(v) for v in value]
    return value


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


def first_masked_path(value: Any) -> str | None:
    """The first path ``masked_paths`` names (``"body"`` when the value itself is the mask),
    or None: where a request still holds the placeholder, which is never a value to send."""
    if value == MASK:
        return "body"
    found = masked_paths(value)
    return found[0] if found else None
