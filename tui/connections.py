"""Connections and connectors as the API shows them, tolerant of what it adds later.

Unknown keys are kept and written back unchanged; unknown states are kept as text;
optional fields may be missing. Anything that cannot be read raises UnreadableData,
which the API client reports as its MalformedResponse.

This module imports nothing from ``tui.api``: the board, the health rules and the
command line read connections without loading the HTTP stack (httpx).
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Keys the server computes; they are never sent back on POST or PUT.
_OUTPUT_ONLY = ("id", "state", "startupTime")
_KNOWN_CONNECTION_KEYS = frozenset(
    {"id", "connectorId", "name", "active", "alarms", "configuration", "startupTime", "state"}
)


class UnreadableData(ValueError):
    """Data from the platform that cannot be read as a connection or a connector.

    The message says what is wrong, e.g. ``connection 7: alarms is not a list``.
    """


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for allocation-heavy steps that make no cycles.

    Parsing thousands of connections allocates hundreds of thousands of objects; each
    full collection they trigger walks the whole heap (50 ms and more with 5,000
    connections). Reference counting still frees everything as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_time(text: Any) -> datetime | None:
    """An ISO-8601 timestamp with offset (``2019-09-27T10:08:08.309+02:00``), or None."""
    if text is None or text == "":
        return None
    if type(text) is str:
        # Fast path: Python 3.11 reads "Z" and fractions itself.
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    if not isinstance(text, str):
        raise UnreadableData(f"a timestamp is not text: {text!r}")
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise UnreadableData(f"unreadable timestamp {text!r}") from exc
    if parsed.tzinfo is None:
        raise UnreadableData(f"timestamp without offset {text!r}")
    return parsed


@dataclass(slots=True)
class Connection:
    """One connection: where a flow of device traffic goes, and how it is doing."""

    id: str
    connector_id: str
    name: str
    active: bool = True
    state: str | None = None
    startup_time: datetime | None = None
    configuration: dict[str, Any] = field(default_factory=dict)
    alarms: list[dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys this version of iotflow does not know; written back unchanged."""
    problem: str | None = None
    """Why the server's item could not be read (state ``UNREADABLE``), else None."""

    @classmethod
    def from_api(cls, data: Any) -> Connection:
        if not isinstance(data, dict):
            raise UnreadableData(f"a connection is not an object: {str(data)[:80]}")
        try:
            ident = data["id"]
        except KeyError:
            raise UnreadableData("a connection has no id") from None
        if type(ident) is not str:
            if not isinstance(ident, str | int) or isinstance(ident, bool):
                raise UnreadableData(f"a connection id is not text: {ident!r}")
            ident = str(ident)
        configuration = data.get("configuration") or {}
        if type(configuration) is not dict and not isinstance(configuration, dict):
            raise UnreadableData(f"connection {ident}: configuration is not an object")
        alarms = data.get("alarms")
        if alarms is not None and not isinstance(alarms, list):
            raise UnreadableData(f"connection {ident}: alarms is not a list")
        state = data.get("state")
        active = data.get("active", True)
        connector_id = data.get("connectorId") or ""
        name = data.get("name") or ""
        # Most lists carry only the known keys: skip building an empty dict key by key
        # (issuperset looks each key up; ``data.keys() - known`` built a set of them).
        extra = (
            {k: v for k, v in data.items() if k not in _KNOWN_CONNECTION_KEYS}
            if not _KNOWN_CONNECTION_KEYS.issuperset(data)
            else {}
        )
        return cls(
            ident,
            connector_id if type(connector_id) is str else str(connector_id),
            name if type(name) is str else str(name),
            active if active is True or active is False else str(active).lower() == "true",
            None if state is None else state if type(state) is str else str(state),
            parse_time(data.get("startupTime")),
            configuration,
            alarms,
            extra,
        )

    def to_payload(self) -> dict[str, Any]:
        """The body for POST or PUT: everything but the server-computed fields."""
        body: dict[str, Any] = {
            "connectorId": self.connector_id,
            "name": self.name,
            "active": self.active,
            "configuration": copy.deepcopy(self.configuration),
        }
        if self.alarms is not None:
            body["alarms"] = copy.deepcopy(self.alarms)
        for key, value in self.extra.items():
            if key not in _OUTPUT_ONLY:
                body[key] = copy.deepcopy(value)
        return body

    def to_api(self) -> dict[str, Any]:
        """The connection as the API showed it (secrets stay as the server masked them)."""
        body = {"id": self.id, **self.to_payload()}
        body["state"] = self.state
        body["startupTime"] = self.startup_time.isoformat() if self.startup_time else None
        return body


@dataclass(slots=True)
class Connector:
    """A connector descriptor: a kind of destination and the schema of its configuration."""

    id: str
    producer_id: str = ""
    module_id: str = ""
    version: str = ""
    description: str = ""
    beta: bool = False
    url_doc: str | None = None
    configuration_schema: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Any) -> Connector:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise UnreadableData(f"a connector has no id: {str(data)[:80]}")
        connection = data.get("connection") or {}
        schema = connection.get("configurationSchema") if isinstance(connection, dict) else None
        if schema is not None and not isinstance(schema, dict):
            raise UnreadableData(f"connector {data['id']}: configurationSchema is not an object")
        return cls(
            id=data["id"],
            producer_id=str(data.get("producerId") or ""),
            module_id=str(data.get("moduleId") or ""),
            version=str(data.get("version") or ""),
            description=str(data.get("description") or ""),
            beta=bool(data.get("beta")),
            url_doc=data.get("urlDoc"),
            configuration_schema=schema or {},
            raw=data,
        )

    @property
    def short_name(self) -> str:
        return short_connector_name(self.id)


def short_connector_name(connector_id: str) -> str:
    """``actility-aws-iot`` → ``aws``; ``actility-azure-event-hub`` → ``azure-event-hub``."""
    name = connector_id
    for prefix in ("actility-",):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if name.endswith("-iot") and name != "-iot":
        name = name[: -len("-iot")]
    return name or connector_id
