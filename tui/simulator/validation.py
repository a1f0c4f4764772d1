"""Validation of connection bodies for POST and PUT, with the real server's leniency.

Leniency a Java service with default Jackson settings shows: ``null`` for an optional field is
the same as leaving it out (top level and inside the configuration), scalars sent to
string-typed configuration fields become strings. Messages name the field path and speak JSON
(``schema_messages``); ``InvalidRequest.field`` carries the path for ``errorInfo.data``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import best_match, relevance

from tui.secrets import MASK, is_secret_property

from .examples import configuration_schema
from .openapi.connections import ALARM_SCHEMA
from .schema_messages import describe, field_path, json_kind
from .schema_refs import SchemaRefs

__all__ = ["ConnectionInput", "InvalidRequest", "validate_connection", "OUTPUT_ONLY_KEYS"]

OUTPUT_ONLY_KEYS = frozenset({"id", "state", "startupTime"})
KNOWN_KEYS = frozenset({"connectorId", "name", "active", "configuration", "alarms"})


class InvalidRequest(ValueError):
    """A 400: the message starts with the offending field path, also kept in ``field``."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(f"{field}: {text}")
        self.field = field
        self.text = text


@dataclass
class ConnectionInput:
    connector_id: str
    name: str | None
    active: bool
    configuration: dict[str, Any]
    alarms: list[Any] | None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "connector_id": self.connector_id,
            "name": self.name,
            "active": self.active,
            "configuration": self.configuration,
            "alarms": self.alarms,
            "extra": self.extra,
        }


class _SchemaTools(SchemaRefs):
    """$ref resolution plus the property and item lookups used for coercion and masking."""

    def property_schema(self, schema: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        schema = self.resolve(schema)
        props = schema.get("properties") or {}
        if name in props:
            return self.resolve(props[name])
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            try:
                if re.search(pattern, name):
                    return self.resolve(sub)
            except re.error:
                continue
        extra = schema.get("additionalProperties")
        return self.resolve(extra) if isinstance(extra, Mapping) else {}

    def items_schema(self, schema: Mapping[str, Any], index: int) -> Mapping[str, Any]:
        items = self.resolve(schema).get("items")
        if isinstance(items, list):
            return self.resolve(items[index]) if index < len(items) else {}
        return self.resolve(items)

    # -- leniency: the Java server turns scalars into strings for string-typed fields --------
    def coerce(self, value: Any, schema: Mapping[str, Any]) -> Any:
        schema = self.resolve(schema)
        if isinstance(value, dict):
            required = set(schema.get("required") or ())
            return {
                k: self.coerce(v, self.property_schema(schema, k))
                for k, v in value.items()
                if not (v is None and k not in required and not self.allows_null(schema, k))
            }
        if isinstance(value, list):
            return [self.coerce(v, self.items_schema(schema, i)) for i, v in enumerate(value)]
        types = schema.get("type")
        types = [types] if isinstance(types, str) else (types or [])
        if "string" not in types:
            return value
        if isinstance(value, bool):
            return value if "boolean" in types else ("true" if value else "false")
        if isinstance(value, int | float):
            if "number" in types or ("integer" in types and isinstance(value, int)):
                return value
            return str(value)
        return value

    def allows_null(self, schema: Mapping[str, Any], name: str) -> bool:
        types = self.property_schema(schema, name).get("type")
        return types == "null" or (isinstance(types, list) and "null" in types)

    def find_mask(self, value: Any, schema: Mapping[str, Any], path: list[Any]) -> list | None:
        """Path of the first secret whose value is the masked placeholder."""
        schema = self.resolve(schema)
        if isinstance(value, Mapping):
            for key, item in value.items():
                sub = self.property_schema(schema, key)
                if item == MASK and is_secret_property(key, sub):
                    return [*path, key]
                found = self.find_mask(item, sub, [*path, key])
                if found is not None:
                    return found
        elif isinstance(value, list):
            for index, item in enumerate(value):
                found = self.find_mask(item, self.items_schema(schema, index), [*path, index])
                if found is not None:
                    return found
        return None


class SchemaCache:
    """Validators and schema tools per connector, built once."""

    def __init__(self, catalogue: Mapping[str, Mapping[str, Any]]) -> None:
        self.catalogue = catalogue
        self._cache: dict[str, tuple[Draft4Validator, _SchemaTools]] = {}

    def get(self, connector_id: str) -> tuple[Draft4Validator, _SchemaTools]:
        if connector_id not in self._cache:
            schema = configuration_schema(self.catalogue[connector_id])
            self._cache[connector_id] = (Draft4Validator(schema), _SchemaTools(schema))
        return self._cache[connector_id]


def _schema_error(
    validator: Draft4Validator, configuration: dict[str, Any]
) -> InvalidRequest | None:
    error = best_match(validator.iter_errors(configuration), key=relevance)
    if error is None:
        return None
    path, text = describe(error, "configuration")
    return InvalidRequest(path, text)


_DATES = FormatChecker(formats=())


@_DATES.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time with an offset (``2019-01-31T09:00:00+01:00``, ``...Z``)."""
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        raise ValueError("no time")
    parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    return True


_ALARMS = Draft4Validator({"type": "array", "items": ALARM_SCHEMA}, format_checker=_DATES)


def _check_alarms(alarms: Any) -> list[Any] | None:
    """Alarms against the description's own connectionAlarm schema (one source for both)."""
    if alarms is None:
        return None
    error = best_match(_ALARMS.iter_errors(alarms), key=relevance)
    if error is not None:
        raise InvalidRequest(*describe(error, "alarms"))
    return alarms


def validate_connection(body: Any, schemas: SchemaCache) -> ConnectionInput:
    """Check a POST/PUT body; raise InvalidRequest naming the first offending field."""
    if not isinstance(body, dict):
        raise InvalidRequest("body", f"must be a JSON object, got {json_kind(body)}")
    # Jackson's default writes null for every unset optional field: null means absent.
    body = {k: v for k, v in body.items() if v is not None}
    connector_id = body.get("connectorId")
    if connector_id is None:
        raise InvalidRequest("connectorId", "is required")
    if not isinstance(connector_id, str):
        raise InvalidRequest("connectorId", f"must be a string, got {json_kind(connector_id)}")
    if connector_id not in schemas.catalogue:
        raise InvalidRequest(
            "connectorId", f'unknown connector "{connector_id}" (GET /connectors lists them)'
        )
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise InvalidRequest("name", f"must be a non-empty string, got {json_kind(name)}")
    active = body.get("active", True)
    if not isinstance(active, bool):
        raise InvalidRequest("active", f"must be a boolean, got {json_kind(active)}")
    # Optional keys the description types; other unknown keys are kept as sent.
    debug = body.get("debug")
    if debug is not None and not isinstance(debug, bool):
        raise InvalidRequest("debug", f"must be a boolean, got {json_kind(debug)}")
    brand = body.get("brand")
    if brand is not None and not isinstance(brand, str):
        raise InvalidRequest("brand", f"must be a string, got {json_kind(brand)}")
    configuration = body.get("configuration")
    if configuration is None:
        raise InvalidRequest("configuration", "is required")
    if not isinstance(configuration, dict):
        raise InvalidRequest("configuration", f"must be an object, got {json_kind(configuration)}")
    validator, tools = schemas.get(connector_id)
    configuration = tools.coerce(configuration, validator.schema)
    masked = tools.find_mask(configuration, validator.schema, [])
    if masked is not None:
        raise InvalidRequest(
            field_path("configuration", masked),
            f'the masked placeholder "{MASK}" is not a value; send the secret itself',
        )
    problem = _schema_error(validator, configuration)
    if problem is not None:
        raise problem
    alarms = _check_alarms(body.get("alarms"))
    extra = {k: v for k, v in body.items() if k not in KNOWN_KEYS and k not in OUTPUT_ONLY_KEYS}
    return ConnectionInput(connector_id, name, active, configuration, alarms, extra)
