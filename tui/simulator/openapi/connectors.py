"""The connector resource: the catalogue of destinations and their configuration schemas."""

from __future__ import annotations

from typing import Any

from .common import json_body, ref, standard_errors

__all__ = ["paths", "schemas"]

REQUIRED = ["id", "producerId", "moduleId", "version", "description", "logo", "beta", "urlDoc"]


def schemas() -> dict[str, Any]:
    schema_holder = {
        "type": "object",
        "properties": {"configurationSchema": {"type": "object", "description": "draft-04"}},
    }
    return {
        "connector": {
            "type": "object",
            "required": REQUIRED,
            "properties": {
                "id": {"type": "string"},
                "producerId": {"type": "string"},
                "moduleId": {"type": "string"},
                "version": {"type": "string", "description": "Semantic version"},
                "description": {"type": "string"},
                "logo": {"type": "string", "format": "uri"},
                "beta": {"type": "boolean"},
                "urlDoc": {"type": "string", "format": "uri"},
                "connection": schema_holder,
                "flow": schema_holder,
            },
        }
    }


def paths(flavour: str) -> dict[str, Any]:
    return {
        "/connectors": {
            "get": {
                "operationId": "listConnectors",
                "tags": ["Connector"],
                "responses": {
                    "200": json_body(
                        {"type": "array", "items": ref("connector")}, "Every connector"
                    ),
                    **standard_errors(),
                },
            }
        },
        "/connectors/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "operationId": "getConnector",
                "tags": ["Connector"],
                "responses": {
                    "200": json_body(ref("connector"), "The connector"),
                    **standard_errors(not_found=True),
                },
            },
        },
    }
