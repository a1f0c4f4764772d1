"""Validation of connection bodies for POST and PUT, with the real server's leniency."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

from tui.secrets import MASK, is_secret_property

from .examples import configuration_schema
from .schema_refs import SchemaRefs

__all__ = ["ConnectionInput", "InvalidRequest", "validate_connection", "OUTPUT_ONLY_KEYS"]

OUTPUT_ONLY_KEYS = frozenset({"id", "state", "startupTime"})
KNOWN_KEYS = frozenset({"connectorId", "name", "active", "configuration", "alarms"})


class InvalidRequest(ValueError):
    """A 400: the message names the offending field path."""


@dataclass
class ConnectionInput:
    connector_id: str
    name: str
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


def _path(prefix: str, parts: list[Any]) -> str:
    out = prefix
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


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
            return {k: self.coerce(v, self.property_schema(schema, k)) for k, v in value.items()}
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


_REQUIRED = re.compile(r"^'(.+)' is a required property$")


def _schema_error(validator: Draft4Validator, configuration: dict[str, Any]) -> str | None:
    error = best_match(validator.iter_errors(configuration))
    if error is None:
        return None
    parts = list(error.absolute_path)
    if error.validator == "required":
        match = _REQUIRED.match(error.message)
        if match:
            parts.append(match.group(1))
    return f"{_path('configuration', parts)}: {error.message}"


def _check_alarms(alarms: Any) -> list[Any] | None:
    if alarms is None:
        return None
    if not isinstance(alarms, list):
        raise InvalidRequest("alarms: must be a list of alarm objects")
    for index, item in enumerate(alarms):
        if not isinstance(item, dict):
            raise InvalidRequest(f"alarms[{index}]: must be an object")
        for key in ("startTime", "endTime"):
            if key not in item:
                raise InvalidRequest(f"alarms[{index}].{key}: is required")
            if not isinstance(item[key], str):
                raise InvalidRequest(f"alarms[{index}].{key}: must be a string")
    return alarms


def validate_connection(body: Any, schemas: SchemaCache) -> ConnectionInput:
    """Check a POST/PUT body; raise InvalidRequest naming the first offending field."""
    if not isinstance(body, dict):
        raise InvalidRequest("body: must be a JSON object")
    connector_id = body.get("connectorId")
    if connector_id is None:
        raise InvalidRequest("connectorId: is required")
    if not isinstance(connector_id, str):
        raise InvalidRequest("connectorId: must be a string")
    if connector_id not in schemas.catalogue:
        raise InvalidRequest(f"connectorId: unknown connector '{connector_id}'")
    name = body.get("name")
    if name is None:
        raise InvalidRequest("name: is required")
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequest("name: must be a non-empty string")
    active = body.get("active", True)
    if active is None:
        active = True
    if not isinstance(active, bool):
        raise InvalidRequest("active: must be a boolean")
    configuration = body.get("configuration")
    if configuration is None:
        raise InvalidRequest("configuration: is required")
    if not isinstance(configuration, dict):
        raise InvalidRequest("configuration: must be an object")
    validator, tools = schemas.get(connector_id)
    configuration = tools.coerce(configuration, validator.schema)
    masked = tools.find_mask(configuration, validator.schema, [])
    if masked is not None:
        raise InvalidRequest(
            f"{_path('configuration', masked)}: the masked placeholder '{MASK}' is not a value; "
            "send the secret itself"
        )
    message = _schema_error(validator, configuration)
    if message:
        raise InvalidRequest(message)
    alarms = _check_alarms(body.get("alarms"))
    extra = {k: v for k, v in body.items() if k not in KNOWN_KEYS and k not in OUTPUT_ONLY_KEYS}
    return ConnectionInput(connector_id, name, active, configuration, alarms, extra)
