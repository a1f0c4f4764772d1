"""Connector catalogue loading and example configurations valid against any draft-04 schema."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from tui.secrets import looks_like_pem
from tui.simulator import ManualClock, Simulator
from tui.simulator.catalogue import CatalogueError, example_configuration, load_catalogue
from tui.simulator.validation import InvalidRequest, SchemaCache, validate_connection

CATALOGUE = load_catalogue()


def _schema(descriptor: dict) -> dict:
    return descriptor["connection"]["configurationSchema"]


def test_default_catalogue_loads() -> None:
    assert "actility-aws-iot" in CATALOGUE
    assert list(CATALOGUE) == sorted(CATALOGUE)
    for cid, descriptor in CATALOGUE.items():
        assert descriptor["id"] == cid
        Draft4Validator.check_schema(_schema(descriptor))


@pytest.mark.parametrize("connector_id", sorted(CATALOGUE))
def test_example_configuration_valid_for_every_shipped_descriptor(connector_id: str) -> None:
    descriptor = CATALOGUE[connector_id]
    validator = Draft4Validator(_schema(descriptor))
    for seed in range(25):
        config = example_configuration(descriptor, random.Random(seed))
        errors = sorted(validator.iter_errors(config), key=str)
        assert not errors, f"seed {seed}: {errors[0].message} at {list(errors[0].path)}"
        assert "invalid" not in json.dumps(config).lower()


def test_example_configuration_is_deterministic_and_plausible() -> None:
    aws = CATALOGUE["actility-aws-iot"]
    first = example_configuration(aws, random.Random(42))
    assert first == example_configuration(aws, random.Random(42))
    assert first["region"] == "eu-central-1"
    assert first["uplinkTopicPattern"] == "tpx/things/{DevEUI}/uplink"
    assert first["downlinkTopicPattern"] == "tpx/things/{DevEUI}/downlink"
    assert first["accessKeyId"].startswith("AKIA")
    for seed in range(10):
        config = example_configuration(aws, random.Random(seed))
        for key in ("certificate", "privateKey"):
            if key in config:
                assert looks_like_pem(config[key])


TRICKY = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "hostName",
        "port",
        "tier",
        "rules",
        "headers",
        "code",
        "ratio",
        "mode",
        "ref",
        "tags",
        "free",
        "nested",
        "either",
        "both",
        "nothing",
        "proxy",
    ],
    "properties": {
        "hostName": {"type": "string", "pattern": "^[a-z0-9-]+\\.example\\.(com|net):[0-9]{2,5}$"},
        "port": {"type": "integer", "minimum": 502, "maximum": 507},
        "tier": {"type": "string", "enum": ["F1", "B1", "S3"], "default": "S3"},
        "rules": {
            "type": "array",
            "minItems": 2,
            "maxItems": 3,
            "items": {"$ref": "#/definitions/Rule"},
        },
        "headers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "minProperties": 1,
        },
        "code": {"type": "string", "minLength": 6, "maxLength": 6, "pattern": "^[A-F0-9]+$"},
        "ratio": {"type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": True},
        "mode": {"type": ["string", "null"], "enum": ["a", "b", None]},
        "ref": {"$ref": "#/definitions/Rule"},
        "tags": {
            "type": "array",
            "items": {"type": "string", "enum": ["x", "y", "z"]},
            "uniqueItems": True,
            "minItems": 2,
        },
        "free": {"type": "object"},
        "step": {"type": "integer", "multipleOf": 5, "minimum": 3, "maximum": 12},
        "nested": {
            "type": "object",
            "required": ["deeper"],
            "properties": {
                "deeper": {
                    "type": "object",
                    "required": ["leaf"],
                    "properties": {"leaf": {"type": "string", "maxLength": 3}},
                }
            },
        },
        "either": {"oneOf": [{"type": "integer", "minimum": 10}, {"type": "boolean"}]},
        "both": {
            "allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}},
                {"required": ["b"], "properties": {"b": {"type": "string"}}},
            ]
        },
        "nothing": {},
        "proxy": {"$ref": "#/definitions/Proxy"},
        "mapOfLists": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"$ref": "#/definitions/Rule"}},
        },
    },
    "definitions": {
        "Rule": {
            "type": "object",
            "additionalProperties": False,
            "required": ["devEUI", "slaveId"],
            "properties": {
                "devEUI": {"type": "string", "pattern": "^[0-9A-F]{16}$"},
                "slaveId": {"type": "integer", "minimum": 1, "maximum": 247},
                "type": {"type": "string", "enum": ["UINT16", "FLOAT32"]},
            },
        },
        "Proxy": {
            "type": "object",
            "additionalProperties": False,
            "required": ["hostname"],
            "properties": {
                "hostname": {"type": "string"},
                "password": {"type": "string", "format": "password"},
            },
        },
    },
}

JACKSON = {
    "type": "object",
    "id": "urn:jsonschema:com:actility:thingpark:Config",
    "required": ["primary", "backup"],
    "properties": {
        "primary": {
            "type": "object",
            "id": "urn:jsonschema:com:actility:thingpark:Endpoint",
            "required": ["url"],
            "properties": {"url": {"type": "string"}, "weight": {"type": "integer"}},
        },
        "backup": {"$ref": "urn:jsonschema:com:actility:thingpark:Endpoint"},
    },
}


@pytest.mark.parametrize("schema", [TRICKY, JACKSON], ids=["tricky", "jackson"])
def test_example_configuration_on_synthetic_schemas(schema: dict) -> None:
    descriptor = {"id": "synthetic", "connection": {"configurationSchema": schema}}
    validator = Draft4Validator(schema)
    for seed in range(40):
        config = example_configuration(descriptor, random.Random(seed))
        errors = list(validator.iter_errors(config))
        assert not errors, f"seed {seed}: {errors[0].message} at {list(errors[0].path)}"
    assert config["backup"]["url"] if schema is JACKSON else len(config["rules"]) >= 2


def _write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content)
    return path


def test_malformed_descriptors_name_the_file(tmp_path: Path) -> None:
    good = Path(__file__).resolve().parents[2] / "tui/simulator/connectors/actility-aws-iot.json"
    _write(tmp_path, "aws.json", good.read_text())
    assert list(load_catalogue(tmp_path)) == ["actility-aws-iot"]

    cases = {
        "broken.json": "{not json",
        "list.json": "[]",
        "noid.json": json.dumps({"connection": {"configurationSchema": {}}}),
        "noschema.json": json.dumps({"id": "x", "connection": {}}),
        "badschema.json": json.dumps(
            {"id": "y", "connection": {"configurationSchema": {"type": 5}}}
        ),
        "dup.json": good.read_text(),
    }
    for name, content in cases.items():
        path = _write(tmp_path, name, content)
        with pytest.raises(CatalogueError, match=name.replace(".", r"\.")):
            load_catalogue(tmp_path)
        path.unlink()
    with pytest.raises(CatalogueError, match="not found"):
        load_catalogue(tmp_path / "missing")


def test_simulator_with_custom_catalogue(tmp_path: Path) -> None:
    descriptor = {
        "id": "acme-jackson",
        "producerId": "acme",
        "moduleId": "jackson",
        "version": "1.0.0",
        "connection": {"configurationSchema": JACKSON},
        "flow": {},
    }
    _write(tmp_path, "acme.json", json.dumps(descriptor))
    sim = Simulator(clock=ManualClock(), connectors_dir=tmp_path, connections=8)
    assert {c.connector_id for c in sim.world.connections()} == {"acme-jackson"}
    body = {
        "connectorId": "acme-jackson",
        "name": "n",
        "configuration": {"primary": {"url": "u", "weight": 1}, "backup": {"weight": "x"}},
    }
    schemas = SchemaCache(sim.catalogue)
    with pytest.raises(InvalidRequest, match=r"^configuration.backup"):
        validate_connection(copy.deepcopy(body), schemas)
    body["configuration"]["backup"] = {"url": 42}
    ok = validate_connection(body, schemas)
    assert ok.configuration["backup"] == {"url": "42"}  # coerced through a Jackson id $ref


def test_scalar_coercion_for_string_fields_nested_through_refs() -> None:
    schemas = SchemaCache(CATALOGUE)
    body = {
        "connectorId": "actility-aws-iot",
        "name": "coerce",
        "configuration": {
            "region": "eu-central-1",
            "accountPrefix": "abc-ats",
            "accessKeyId": 12345,
            "secretAccessKey": True,
            "deviceType": "t",
            "uplinkTopicPattern": "u",
            "downlinkTopicPattern": 2.5,
            "connectionTimeout": 1000,
            "createDevices": False,
            "topics": [{"fPort": 3, "uplinkTopicPattern": 7}],
            "proxy": {"hostname": "h", "password": 1234},
        },
    }
    cfg = validate_connection(body, schemas).configuration
    assert cfg["accessKeyId"] == "12345"
    assert cfg["secretAccessKey"] == "true"
    assert cfg["downlinkTopicPattern"] == "2.5"
    assert cfg["connectionTimeout"] == 1000  # integer-typed: untouched
    assert cfg["createDevices"] is False  # boolean-typed: untouched
    assert cfg["topics"] == [{"fPort": 3, "uplinkTopicPattern": "7"}]
    assert cfg["proxy"]["password"] == "1234"
    body["configuration"]["connectionTimeout"] = "1000"
    with pytest.raises(InvalidRequest, match=r"^configuration.connectionTimeout: "):
        validate_connection(body, schemas)


def test_a_bare_schema_file_becomes_a_connector_named_after_it(tmp_path: Path) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Acme Telemetry",
        "type": "object",
        "additionalProperties": False,
        "properties": {"endpoint": {"type": "string", "pattern": "^https://"},
                       "apiToken": {"type": "string"}},
        "required": ["endpoint", "apiToken"],
    }
    _write(tmp_path, "acme-telemetry.json", json.dumps(schema))
    catalogue = load_catalogue(tmp_path)
    descriptor = catalogue["acme-telemetry"]
    assert descriptor["description"] == "Acme Telemetry" and descriptor["beta"] is True
    assert descriptor["connection"]["configurationSchema"] == schema
    sim = Simulator(clock=ManualClock(), connectors_dir=tmp_path, connections=3)
    assert {c.connector_id for c in sim.world.connections()} == {"acme-telemetry"}


def test_sim_command_explains_a_bad_catalogue(tmp_path: Path, capsys) -> None:
    from tui.cli import main

    _write(tmp_path, "broken.json", "{oops")
    assert main(["sim", "--connectors", str(tmp_path), "--port", "0"]) == 64
    err = capsys.readouterr().err
    assert "broken.json" in err and "invalid JSON" in err
