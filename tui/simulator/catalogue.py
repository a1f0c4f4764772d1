"""The connector catalogue: one JSON descriptor per file in ``connectors/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jsonschema import Draft4Validator
from jsonschema.exceptions import SchemaError

from .examples import ExampleError, configuration_schema, example_configuration

__all__ = [
    "CONNECTORS_DIR",
    "CatalogueError",
    "ExampleError",
    "configuration_schema",
    "example_configuration",
    "load_catalogue",
]

CONNECTORS_DIR = Path(__file__).resolve().parent / "connectors"


class CatalogueError(ValueError):
    """A connector descriptor file is missing, unreadable or malformed."""


def _load_one(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read connector descriptor: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueError(f"{path}: invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: a connector descriptor must be a JSON object")
    if "connection" not in data and _looks_like_schema(data):
        data = _descriptor_for_schema(path, data)
    ident = data.get("id")
    if not isinstance(ident, str) or not ident:
        raise CatalogueError(f"{path}: 'id' must be a non-empty string")
    connection = data.get("connection")
    if not isinstance(connection, dict):
        raise CatalogueError(f"{path}: 'connection' must be an object")
    schema = connection.get("configurationSchema")
    if not isinstance(schema, dict):
        raise CatalogueError(f"{path}: 'connection.configurationSchema' must be an object")
    try:
        Draft4Validator.check_schema(schema)
    except SchemaError as exc:
        raise CatalogueError(
            f"{path}: configurationSchema is not a valid draft-04 schema: {exc.message}"
        ) from exc
    return complete_descriptor(data)


DOC_URL = "https://docs.thingpark.com/thingpark-x/latest/"
"""The online documentation the published description points to (its externalDocs)."""


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(urlsplit(value).scheme)


def logo_for(ident: str) -> str:
    """A small SVG badge with the connector's short name, as a data: URI (no network)."""
    label = ident.removeprefix("actility-").split("-")[0][:6].upper() or "?"
    label = "".join(c for c in label if c.isalnum()) or "?"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
        '<rect width="64" height="64" rx="8" fill="#1b4f72"/>'
        '<text x="32" y="38" font-size="14" text-anchor="middle" fill="#fff">'
        f"{label}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg)


def complete_descriptor(data: dict[str, Any]) -> dict[str, Any]:
    """Every field the published description marks required, with defaults where a
    descriptor (ours as documented, with nulls, or a user's) leaves one out or null."""
    ident = data["id"]
    producer, _, module = ident.partition("-")
    out = dict(data)
    for key, default in (
        ("producerId", producer if module else "custom"),
        ("moduleId", module or ident),
        ("version", "0.0.0"),
        ("description", ident),
    ):
        if not isinstance(out.get(key), str) or not out[key]:
            out[key] = default
    if not _is_url(out.get("logo")):
        out["logo"] = logo_for(ident)
    if not _is_url(out.get("urlDoc")):
        out["urlDoc"] = DOC_URL
    out["beta"] = out.get("beta") is True
    if not isinstance(out.get("flow"), dict):
        out["flow"] = {}
    return out


def _looks_like_schema(data: dict[str, Any]) -> bool:
    return "properties" in data or "$schema" in data or data.get("type") == "object"


def _descriptor_for_schema(path: Path, schema: dict[str, Any]) -> dict[str, Any]:
    """A bare configurationSchema file becomes a connector named after the file, so a
    connector the platform publishes can be tried by dropping its schema in a folder."""
    ident = path.stem
    producer, _, module = ident.partition("-")
    return {
        "id": ident,
        "producerId": producer if module else "custom",
        "moduleId": module or ident,
        "version": str(schema.get("version") or "0.0.0"),
        "description": str(schema.get("title") or schema.get("description") or ident),
        "logo": None,
        "beta": True,
        "urlDoc": None,
        "connection": {"configurationSchema": schema},
        "flow": {},
    }


def load_catalogue(directory: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """Connector id -> descriptor (as a GET /connectors item), sorted by id.

    Raises CatalogueError naming the file for a malformed descriptor or a duplicate id.
    """
    folder = Path(directory) if directory is not None else CONNECTORS_DIR
    if not folder.is_dir():
        raise CatalogueError(f"{folder}: connector directory not found")
    found: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        data = _load_one(path)
        ident = data["id"]
        if ident in found:
            raise CatalogueError(
                f"{path}: duplicate connector id {ident!r} (also in {origin[ident]})"
            )
        found[ident] = data
        origin[ident] = path
    return dict(sorted(found.items()))
