"""The connector catalogue: one JSON descriptor per file in ``connectors/`` (or a user's folder).

A file the simulator cannot serve (unreadable, not JSON, no id or schema, an invalid draft-04
schema, a ``$ref`` to nowhere, an id another file already has) is refused with a sentence
naming it, kept in ``Catalogue.refused``, and the other files are served: one bad file in a
folder of schemas to try should not stop the rest. Only a folder with nothing usable is an
error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jsonschema import Draft4Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4

from .examples import ExampleError, configuration_schema, example_configuration

__all__ = [
    "CONNECTORS_DIR",
    "Catalogue",
    "CatalogueError",
    "ExampleError",
    "configuration_schema",
    "example_configuration",
    "load_catalogue",
]

CONNECTORS_DIR = Path(__file__).resolve().parent / "connectors"


class CatalogueError(ValueError):
    """A connector descriptor file is unreadable or malformed, or a folder has none usable."""


class Catalogue(dict[str, dict[str, Any]]):
    """Connector id -> descriptor (as a GET /connectors item), sorted by id.

    ``refused`` holds one sentence per file that was skipped, naming the file and what is
    wrong with it (``iotflow sim`` prints them on stderr).
    """

    def __init__(
        self, descriptors: dict[str, dict[str, Any]] | None = None, refused: Iterable[str] = ()
    ) -> None:
        super().__init__(descriptors or {})
        self.refused: list[str] = list(refused)


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
    dangling = dangling_refs(schema)
    if dangling:
        # The validator cannot follow these: every create or update would fail on them.
        raise CatalogueError(
            f"{path}: configurationSchema refers to {', '.join(map(repr, dangling))}, "
            "which it does not define"
        )
    return complete_descriptor(data)


_DATA_KEYWORDS = frozenset({"enum", "default", "examples", "const"})
"""Keywords holding instance data, not schemas: a ``$ref`` key inside them is just data."""


def dangling_refs(schema: dict[str, Any], limit: int = 3) -> list[str]:
    """The first ``$ref`` values the draft-04 validator could not resolve, in file order."""
    found: list[str] = []
    root = Registry().with_resource("", DRAFT4.create_resource(schema)).crawl()

    def walk(node: Any, resolver: Any) -> None:
        if len(found) >= limit:
            return
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):  # draft-04: a new base URI from here down
                resolver = resolver.in_subresource(DRAFT4.create_resource(node))
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except Unresolvable:
                    found.append(ref)
            for key, value in node.items():
                if key not in _DATA_KEYWORDS:
                    walk(value, resolver)
        elif isinstance(node, list):
            for item in node:
                walk(item, resolver)

    walk(schema, root.resolver())
    return found


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


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Every usable descriptor of the folder (default: ours), by connector id.

    A file that cannot be served is skipped and described in ``refused``; of two files with
    the same id, the first in name order is served and the second refused. Raises
    CatalogueError when the folder is missing or holds no usable descriptor.
    """
    folder = Path(directory) if directory is not None else CONNECTORS_DIR
    if not folder.is_dir():
        raise CatalogueError(f"{folder}: connector directory not found")
    found: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    refused: list[str] = []
    paths = sorted(folder.glob("*.json"))
    for path in paths:
        try:
            data = _load_one(path)
        except CatalogueError as exc:
            refused.append(f"{exc}; skipped")
            continue
        ident = data["id"]
        if ident in found:
            refused.append(
                f"{path}: connector id {ident!r} is already served from {origin[ident].name}; "
                "skipped (give each descriptor its own id)"
            )
            continue
        found[ident] = data
        origin[ident] = path
    if not found:
        if not paths:
            raise CatalogueError(f"{folder}: no connector descriptor (*.json) in this directory")
        raise CatalogueError(
            f"{folder}: none of its {len(paths)} descriptor files can be served:\n  "
            + "\n  ".join(refused)
        )
    return Catalogue(dict(sorted(found.items())), refused)
