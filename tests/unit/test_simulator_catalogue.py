"""Connector catalogue loading and example configurations valid against any draft-04 schema."""

from __future__ import annotations

import copy
import io
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from tui.secrets import looks_like_pem
from tui.simulator import ManualClock, Simulator, SimulatorServer
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


GOOD = Path(__file__).resolve().parents[2] / "tui/simulator/connectors/actility-aws-iot.json"
BAD_FILES = {
    "broken.json": ("{not json", "invalid JSON"),
    "list.json": ("[]", "must be a JSON object"),
    "noid.json": (json.dumps({"connection": {"configurationSchema": {}}}), "'id'"),
    "noschema.json": (json.dumps({"id": "x", "connection": {}}), "configurationSchema"),
    "badschema.json": (
        json.dumps({"id": "y", "connection": {"configurationSchema": {"type": 5}}}),
        "not a valid draft-04 schema",
    ),
    "dangling.json": (
        json.dumps(
            {
                "id": "z",
                "connection": {
                    "configurationSchema": {
                        "type": "object",
                        "properties": {"proxy": {"$ref": "#/definitions/proxy"}},
                    }
                },
            }
        ),
        "'#/definitions/proxy', which it does not define",
    ),
    "latin1.json": (None, "cannot read"),
}


def _write_bad(folder: Path, name: str) -> None:
    content, _ = BAD_FILES[name]
    if content is None:
        (folder / name).write_bytes(b'{"id": "caf\xe9"}')
    else:
        _write(folder, name, content)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_by_name_and_the_rest_served(tmp_path: Path, name: str) -> None:
    _write(tmp_path, "aws.json", GOOD.read_text())
    _write_bad(tmp_path, name)
    catalogue = load_catalogue(tmp_path)
    assert list(catalogue) == ["actility-aws-iot"]
    assert len(catalogue.refused) == 1
    sentence = catalogue.refused[0]
    assert sentence.startswith(str(tmp_path / name) + ": ")
    assert BAD_FILES[name][1] in sentence and sentence.endswith("skipped")


def test_a_duplicate_id_refuses_the_second_file_by_name(tmp_path: Path) -> None:
    _write(tmp_path, "a-aws.json", GOOD.read_text())
    _write(tmp_path, "b-aws-copy.json", GOOD.read_text())
    catalogue = load_catalogue(tmp_path)
    assert list(catalogue) == ["actility-aws-iot"]
    assert catalogue["actility-aws-iot"]["id"] == "actility-aws-iot"
    [sentence] = catalogue.refused
    assert sentence.startswith(str(tmp_path / "b-aws-copy.json"))
    assert "'actility-aws-iot' is already served from a-aws.json" in sentence


def test_the_shipped_catalogue_refuses_nothing() -> None:
    assert CATALOGUE.refused == []


def test_nothing_usable_is_an_error_naming_every_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not found"):
        load_catalogue(tmp_path / "missing")
    with pytest.raises(CatalogueError, match=r"no connector descriptor \(\*\.json\)"):
        load_catalogue(tmp_path)
    for name in ("broken.json", "list.json"):
        _write_bad(tmp_path, name)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    text = str(caught.value)
    assert "none of its 2 descriptor files can be served" in text
    assert "broken.json: invalid JSON" in text and "list.json: a connector descriptor" in text


FILE_KINDS = st.sampled_from(["good", *sorted(BAD_FILES), "bytes"])


@settings(max_examples=30)
@given(kinds=st.lists(FILE_KINDS, min_size=1, max_size=6), noise=st.binary(max_size=60))
def test_every_file_is_either_served_or_refused_by_name(kinds: list[str], noise: bytes) -> None:
    """Any mix of files: good ones served (the first of each id), each other one named in
    exactly one refusal; only a folder with nothing usable raises, and then CatalogueError."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        for index, kind in enumerate(kinds):
            name = f"{index:02d}-{kind}.json"
            if kind == "good":
                descriptor = json.loads(GOOD.read_text())
                descriptor["id"] = f"acme-{index % 2}"  # some ids repeat: duplicates
                _write(folder, name, json.dumps(descriptor))
            elif kind == "bytes":
                (folder / name).write_bytes(noise)
            else:
                content, _ = BAD_FILES[kind]
                (folder / name).write_bytes(
                    b'{"id": "caf\xe9"}' if content is None else content.encode()
                )
        files = sorted(p.name for p in folder.glob("*.json"))
        try:
            catalogue = load_catalogue(folder)
        except CatalogueError as exc:
            assert all(name in str(exc) for name in files)
            return
        good_ids = {f"acme-{i % 2}" for i, kind in enumerate(kinds) if kind == "good"}
        assert good_ids <= set(catalogue)
        for name in files:
            in_refusals = [s for s in catalogue.refused if s.startswith(str(folder / name))]
            assert len(in_refusals) <= 1
        assert len(catalogue) + len(catalogue.refused) == len(files)


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


def test_sim_command_explains_a_catalogue_with_nothing_usable(tmp_path: Path, capsys) -> None:
    from tui.cli import main

    _write(tmp_path, "broken.json", "{oops")
    assert main(["sim", "--connectors", str(tmp_path), "--port", "0"]) == 64
    err = capsys.readouterr().err
    assert "broken.json" in err and "invalid JSON" in err


def test_sim_serves_the_good_files_and_names_the_refused_ones(tmp_path: Path, capsys) -> None:
    import threading

    import httpx

    from tui.simulator.cli import run_simulator

    _write(tmp_path, "aws.json", GOOD.read_text())
    _write(tmp_path, "broken.json", "{oops")
    stop = threading.Event()
    stop.set()  # serve, print the banner, stop
    out = io.StringIO()
    run_simulator(port=0, connectors_dir=tmp_path, connections=2, stop_event=stop, out=out)
    err = capsys.readouterr().err
    assert f"warning: {tmp_path / 'broken.json'}: invalid JSON" in err
    assert "seed 0 (1 connector file refused, see stderr)" in out.getvalue()

    sim = Simulator(clock=ManualClock(), connectors_dir=tmp_path, connections=2)
    with SimulatorServer(sim) as server:
        token = sim.issue_token()
        answer = httpx.get(
            f"{server.base_url}/iot-flow/v1/connectors",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert [c["id"] for c in answer.json()] == ["actility-aws-iot"]
