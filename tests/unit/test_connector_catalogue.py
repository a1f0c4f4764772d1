"""The connector catalogue served by the simulator: every descriptor, and its schema.

Each file in ``tui/simulator/connectors`` is one connector descriptor as ``GET /connectors``
returns it. The AWS one is the documented descriptor, kept byte for byte; the others are written
from the reference's key tables. These tests hold the catalogue to the descriptor shape, to valid
draft-04, and to the behaviour an operator expects: a realistic configuration passes, a mistake
fails on the field that is wrong.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from tui.secrets import MASK, is_secret_name, mask_secrets

REPO = Path(__file__).resolve().parents[2]
CONNECTORS = REPO / "tui" / "simulator" / "connectors"
DOCUMENTED_CREATE = REPO / "tests" / "fixtures" / "create-connection-example.json"

DESCRIPTOR_KEYS = {
    "id",
    "producerId",
    "moduleId",
    "version",
    "description",
    "logo",
    "beta",
    "urlDoc",
    "connection",
    "flow",
}
# Jackson-generated schemas (older platforms) carry an urn id and none of the draft-04 extras.
JACKSON_ID = re.compile(r"^urn:jsonschema:com:actility:")

FILES = sorted(CONNECTORS.glob("*.json"))
IDS = [path.stem for path in FILES]

PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----"
PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----"
AS_KEY = "9311e33d7d44fc52215b0dc789aa1d22"
PROXY = {"hostname": "proxy.example.com:3128", "username": "ops", "password": "pr0xy"}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _schema(connector_id: str) -> dict[str, Any]:
    return _load(CONNECTORS / f"{connector_id}.json")["connection"]["configurationSchema"]


def _is_jackson(schema: dict[str, Any]) -> bool:
    return bool(JACKSON_ID.match(str(schema.get("id", ""))))


def _subschemas(schema: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object inside a schema with its JSON pointer, the schema itself first."""
    if isinstance(schema, dict):
        yield pointer, schema
        for key, value in schema.items():
            yield from _subschemas(value, f"{pointer}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _subschemas(value, f"{pointer}/{index}")


def _named_properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, subschema) for every named property anywhere, definitions included."""
    for _, sub in _subschemas(schema):
        properties = sub.get("properties")
        if isinstance(properties, dict) and all(isinstance(v, dict) for v in properties.values()):
            yield from properties.items()


def _resolve_local(root: dict[str, Any], ref: str) -> Any:
    """Follow a ``#/...`` JSON pointer (RFC 6901) inside root."""
    assert ref.startswith("#/"), f"{ref!r} is not a local reference"
    node: Any = root
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _errors(connector_id: str, configuration: dict[str, Any]) -> list[Any]:
    return list(Draft4Validator(_schema(connector_id)).iter_errors(configuration))


# --- hand-written configurations an operator would really enter ---------------------------

VALID: dict[str, dict[str, Any]] = {
    "actility-aws-iot": {
        "description": "AWS Europe Datacenter",
        "region": "eu-central-1",
        "accountPrefix": "a2sheeefctigr-ats",
        "accessKeyId": "AKIAJUJWTO76B3XZGHYA",
        "secretAccessKey": "lymHcfefddzerrZHnV5Q5YN/GTMFNiTREAj/7dz3358",
        "deviceType": "actilitytestsensor",
        "uplinkTopicPattern": "tpx/things/{DevEUI}/uplink",
        "downlinkTopicPattern": "tpx/things/{DevEUI}/downlink",
        "protocol": "SSL",
        "downlinkPort": "5",
        "chainedWithConnectionIds": [3, 4],
        "topics": [{"fPort": 10, "uplinkTopicPattern": "tpx/fport10/{DevEUI}"}],
        "proxy": PROXY,
    },
    "actility-mqtt-iot": {
        "hostName": "broker.example.com:8883",
        "protocol": "SSL",
        "username": "tpx",
        "password": "s3cret",
        "trustedCaCertficate": PEM_CERT,
        "certificate": PEM_CERT,
        "privateKey": PEM_KEY,
        "uplinkTopicPattern": "mqtt/things/{CustomerData.name|DevEUI|'None'}/uplink",
        "connectionTimeout": 30000,
        "actionTimeout": 5000,
        "uplinkQos": 1,
        "uplinkTimeValidity": "72h",
        "reconnectStrategy": "AGGRESSIVE",
    },
    "actility-azure-iot": {
        "hostName": "plant-hub.azure-devices.net",
        "sharedAccessKeyName": "iothubowner",
        "sharedAccessKey": "8a1HxY0b0yE3zQ2mVt9kq7nN2P4Ww1rT5uS6vX8yZ0c=",
        "iotHubTier": "S1",
        "iotHubUnits": 2,
        "downlinkEnabled": False,
    },
    "actility-azure-iot-central": {
        "hostName": "plant-monitoring.azureiotcentral.com",
        "idScope": "0ne00ABCDEF",
        "sharedAccessKey": "b2xkLWtleS1iYXNlNjQ=",
        "apiToken": "SharedAccessSignature sr=abc&sig=def&skn=tpx&se=1893456000000",
        "downlinkEnabled": False,
    },
    "actility-aws-iot-greengrass": {
        "region": "eu-west-1",
        "accessKeyId": "AKIAJUJWTO76B3XZGHYA",
        "secretAccessKey": "lymHcfefddzerrZHnV5Q5YN/GTMFNiTREAj/7dz3358",
        "deviceType": "lorawan-sensor",
        "ggHostName": "10.0.0.5:8883",
        "ggadThingName": "tpx-bridge",
        "ggadCertificateId": "28e7cc38a99f78b3d0b2b1af5d4cd8ddc83264ad435ce4248f4146ccc34e3329",
        "ggadCertificate": PEM_CERT,
        "ggadPrivateKey": PEM_KEY,
        "awsRootCa": PEM_CERT,
        "uplinkTopicPattern": "tpx/things/{DevEUI}/uplink",
        "downlinkTopicPattern": "tpx/things/{DevEUI}/downlink",
    },
    "actility-azure-event-hub": {
        "hostName": "tpx-ns.servicebus.windows.net:9093",
        "sharedAccessKeyName": "RootManageSharedAccessKey",
        "sharedAccessKey": "Zm9vYmFyYmF6cXV4",
        "uplinkTopicPattern": "tpx-uplinks",
        "downlinkTopicPattern": "tpx-downlinks",
        "eventHubUnits": 4,
    },
    "actility-kafka-iot": {
        "bootstrapServers": ["kafka-1.example.com:9093", "kafka-2.example.com:9093"],
        "securityProtocol": "SASL_SSL",
        "sasl": {"mechanism": "SCRAM-SHA-512", "username": "tpx", "password": "k4fka"},
        "producerClientId": "tpx-producer",
        "consumerClientId": "tpx-consumer",
        "consumerGroupId": "tpx-downlinks",
        "uplinkTopic": "lorawan.uplinks",
        "downlinkTopic": None,
        "concurrency": 4,
    },
    "actility-amqp-0.9.1-iot": {
        "hostName": "rabbit.example.com:5671",
        "protocol": "SSL",
        "virtualHost": "/lorawan",
        "username": "tpx",
        "password": "r4bbit",
        "exchangeName": "tpx.uplinks",
        "uplinkTopicPattern": "tpx.{DevEUI}.uplink",
        "downlinkTopicPattern": "tpx.downlinks",
        "heartbeat": 30,
    },
    "actility-http-iot": {
        "destinationURL": "https://ingest.example.com/lorawan/{DevEUI}",
        "headers": {"X-Api-Key": "abc123", "X-Device": "{DevEUI}"},
        "authentication": {"token": "eyJhbGciOiJIUzI1NiJ9.e30.sig"},
        "lrcCompliance": False,
        "downlinkAsId": "TWA_199983788.1972.AS",
        "downlinkAsKey": AS_KEY,
        "downlinkPort": "2",
        "proxy": PROXY,
    },
    "actility-thingworx-iot": {
        "hostName": "twx.example.com:443",
        "applicationKey": "c8f0a9a4-2b41-4b8f-9d7e-0f3a1c2b5d6e",
        "thingTemplateName": "LoRaWANDevice",
        "pipeCount": 8,
    },
    "actility-cumulocity-iot": {
        "hostName": "acme.eu-latest.cumulocity.com",
        "tenantId": "t12345678",
        "username": "tpx-integration",
        "password": "c8y-pass",
    },
    "actility-modbus-iot": {
        "bindAddress": "0.0.0.0",
        "bindPort": 502,
        "coilsSize": 256,
        "holdingRegistersSize": 2048,
        "mappingRules": [
            {
                "devEUI": "0018B20000000001",
                "data": "$.payload.temperature",
                "register": 100,
                "type": "FLOAT32",
                "slaveId": 1,
            }
        ],
        "mappingTemplatedRules": {
            "abeeway/compact-tracker": [
                {"data": "$.payload.batteryLevel", "registerOffset": 0, "type": "UINT16"}
            ]
        },
    },
    "actility-opcua-iot": {
        "bindAddress": "0.0.0.0",
        "tcpBindPort": 4840,
        "path": "/iotflow",
        "username": "scada",
        "password": "0pcua",
        "securityPolicies": ["Basic256Sha256", "Aes256_Sha256_RsaPss"],
        "serverIdentity": {"certificate": PEM_CERT, "privateKey": PEM_KEY},
        "aliases": [
            {"path": "/Devices/0018B20000000001/temperature", "mappedPath": "/Boiler/temp"}
        ],
        "allowAnonymous": False,
    },
    "actility-splunk-iot": {
        "instanceName": "acme",
        "hecToken": "b0221cd8-c4b4-465a-9a3c-273e3a75aa29",
        "index": "lorawan",
    },
    "actility-thingsboard-iot": {
        "hostName": "thingsboard.example.com",
        "username": "tenant@example.com",
        "password": "tb-pass",
        "proxy": {"hostname": "proxy.example.com:3128"},
    },
}


@dataclass(frozen=True)
class Mistake:
    """One wrong configuration: what changes, and where the error must be reported."""

    connector: str
    name: str
    path: tuple[str | int, ...]
    validator: str
    set: dict[tuple[str | int, ...], Any] = field(default_factory=dict)
    drop: tuple[str, ...] = ()
    missing: str | None = None  # for "required": the key the message must name

    def apply(self, configuration: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(configuration)
        for key in self.drop:
            del out[key]
        for where, value in self.set.items():
            node: Any = out
            for step in where[:-1]:
                node = node[step]
            node[where[-1]] = value
        return out


MISTAKES = [
    Mistake(
        "actility-azure-iot-central",
        "portal URL pasted",
        ("hostName",),
        "pattern",
        {("hostName",): "https://plant-monitoring.azureiotcentral.com/"},
    ),
    Mistake(
        "actility-azure-iot-central",
        "ID scope of a hub",
        ("idScope",),
        "pattern",
        {("idScope",): "plant-hub"},
    ),
    Mistake(
        "actility-azure-iot-central",
        "missing API token",
        (),
        "required",
        drop=("apiToken",),
        missing="apiToken",
    ),
    Mistake(
        "actility-aws-iot-greengrass",
        "region with a typo",
        ("region",),
        "pattern",
        {("region",): "eu-west"},
    ),
    Mistake(
        "actility-aws-iot-greengrass",
        "certificate ARN instead of id",
        ("ggadCertificateId",),
        "pattern",
        {("ggadCertificateId",): "arn:aws:iot:eu-west-1:1:cert/28e7"},
    ),
    Mistake(
        "actility-aws-iot-greengrass",
        "missing device key",
        (),
        "required",
        drop=("ggadPrivateKey",),
        missing="ggadPrivateKey",
    ),
    Mistake(
        "actility-aws-iot", "missing region", (), "required", drop=("region",), missing="region"
    ),
    Mistake("actility-aws-iot", "bad protocol", ("protocol",), "enum", {("protocol",): "HTTP"}),
    Mistake("actility-aws-iot", "unknown key", (), "additionalProperties", {("regoin",): "x"}),
    Mistake(
        "actility-aws-iot",
        "topic fPort as text",
        ("topics", 0, "fPort"),
        "type",
        {("topics", 0, "fPort"): "10"},
    ),
    Mistake(
        "actility-mqtt-iot",
        "no port",
        ("hostName",),
        "pattern",
        {("hostName",): "broker.example.com"},
    ),
    Mistake(
        "actility-mqtt-iot",
        "missing uplink topic",
        (),
        "required",
        drop=("uplinkTopicPattern",),
        missing="uplinkTopicPattern",
    ),
    Mistake(
        "actility-mqtt-iot",
        "timeout below minimum",
        ("connectionTimeout",),
        "minimum",
        {("connectionTimeout",): 10},
    ),
    Mistake("actility-mqtt-iot", "qos 3", ("uplinkQos",), "enum", {("uplinkQos",): 3}),
    Mistake(
        "actility-mqtt-iot",
        "validity in words",
        ("uplinkTimeValidity",),
        "pattern",
        {("uplinkTimeValidity",): "5 minutes"},
    ),
    Mistake(
        "actility-mqtt-iot",
        "bad strategy",
        ("reconnectStrategy",),
        "enum",
        {("reconnectStrategy",): "FRANTIC"},
    ),
    Mistake("actility-azure-iot", "tier G1", ("iotHubTier",), "enum", {("iotHubTier",): "G1"}),
    Mistake(
        "actility-azure-iot", "201 units", ("iotHubUnits",), "maximum", {("iotHubUnits",): 201}
    ),
    Mistake(
        "actility-azure-iot",
        "not an IoT Hub host",
        ("hostName",),
        "pattern",
        {("hostName",): "plant-hub.servicebus.windows.net"},
    ),
    Mistake(
        "actility-azure-iot",
        "missing key",
        (),
        "required",
        drop=("sharedAccessKey",),
        missing="sharedAccessKey",
    ),
    Mistake(
        "actility-azure-event-hub",
        "AMQP port",
        ("hostName",),
        "pattern",
        {("hostName",): "tpx-ns.servicebus.windows.net:5671"},
    ),
    Mistake(
        "actility-azure-event-hub",
        "zero units",
        ("eventHubUnits",),
        "minimum",
        {("eventHubUnits",): 0},
    ),
    Mistake(
        "actility-kafka-iot",
        "no brokers",
        ("bootstrapServers",),
        "minItems",
        {("bootstrapServers",): []},
    ),
    Mistake(
        "actility-kafka-iot",
        "broker without port",
        ("bootstrapServers", 1),
        "pattern",
        {("bootstrapServers", 1): "kafka-2.example.com"},
    ),
    Mistake(
        "actility-kafka-iot",
        "topic with a space",
        ("uplinkTopic",),
        "pattern",
        {("uplinkTopic",): "lorawan uplinks"},
    ),
    Mistake(
        "actility-kafka-iot",
        "downlink topic as number",
        ("downlinkTopic",),
        "type",
        {("downlinkTopic",): 7},
    ),
    Mistake(
        "actility-kafka-iot",
        "sasl without password",
        ("sasl",),
        "required",
        {("sasl",): {"mechanism": "PLAIN", "username": "tpx"}},
        missing="password",
    ),
    Mistake(
        "actility-kafka-iot", "concurrency 0", ("concurrency",), "minimum", {("concurrency",): 0}
    ),
    Mistake(
        "actility-amqp-0.9.1-iot", "WSS not offered", ("protocol",), "enum", {("protocol",): "WSS"}
    ),
    Mistake(
        "actility-amqp-0.9.1-iot",
        "missing exchange",
        (),
        "required",
        drop=("exchangeName",),
        missing="exchangeName",
    ),
    Mistake(
        "actility-amqp-0.9.1-iot",
        "empty exchange",
        ("exchangeName",),
        "minLength",
        {("exchangeName",): ""},
    ),
    Mistake(
        "actility-http-iot",
        "ftp url",
        ("destinationURL",),
        "pattern",
        {("destinationURL",): "ftp://files.example.com/up"},
    ),
    Mistake(
        "actility-http-iot",
        "header value not text",
        ("headers", "X-Retries"),
        "type",
        {("headers", "X-Retries"): 3},
    ),
    Mistake(
        "actility-http-iot",
        "basic and bearer at once",
        ("authentication",),
        "oneOf",
        {("authentication",): {"username": "u", "password": "p", "token": "t"}},
    ),
    Mistake(
        "actility-http-iot",
        "basic without password",
        ("authentication",),
        "oneOf",
        {("authentication",): {"username": "u"}},
    ),
    Mistake(
        "actility-http-iot", "fport 224", ("downlinkPort",), "pattern", {("downlinkPort",): "224"}
    ),
    Mistake(
        "actility-http-iot",
        "proxy without port",
        ("proxy", "hostname"),
        "pattern",
        {("proxy", "hostname"): "proxy.example.com"},
    ),
    Mistake(
        "actility-thingworx-iot", "256 pipes", ("pipeCount",), "maximum", {("pipeCount",): 256}
    ),
    Mistake(
        "actility-thingworx-iot",
        "missing template",
        (),
        "required",
        drop=("thingTemplateName",),
        missing="thingTemplateName",
    ),
    Mistake(
        "actility-cumulocity-iot",
        "tenant without t",
        ("tenantId",),
        "pattern",
        {("tenantId",): "12345678"},
    ),
    Mistake(
        "actility-cumulocity-iot",
        "missing password",
        (),
        "required",
        drop=("password",),
        missing="password",
    ),
    Mistake("actility-modbus-iot", "port 508", ("bindPort",), "maximum", {("bindPort",): 508}),
    Mistake(
        "actility-modbus-iot", "no rules", ("mappingRules",), "minItems", {("mappingRules",): []}
    ),
    Mistake(
        "actility-modbus-iot",
        "short DevEUI",
        ("mappingRules", 0, "devEUI"),
        "pattern",
        {("mappingRules", 0, "devEUI"): "0018B200"},
    ),
    Mistake(
        "actility-modbus-iot",
        "slave 248",
        ("mappingRules", 0, "slaveId"),
        "maximum",
        {("mappingRules", 0, "slaveId"): 248},
    ),
    Mistake(
        "actility-modbus-iot",
        "bad register type",
        ("mappingRules", 0, "type"),
        "enum",
        {("mappingRules", 0, "type"): "FLOAT64"},
    ),
    Mistake(
        "actility-modbus-iot",
        "templated rule without type",
        ("mappingTemplatedRules", "abeeway/compact-tracker", 0),
        "required",
        {
            ("mappingTemplatedRules", "abeeway/compact-tracker", 0): {
                "data": "$.payload.x",
                "registerOffset": 1,
            }
        },
        missing="type",
    ),
    Mistake(
        "actility-modbus-iot",
        "bind address not IPv4",
        ("bindAddress",),
        "pattern",
        {("bindAddress",): "256.0.0.1"},
    ),
    Mistake(
        "actility-opcua-iot", "port 4846", ("tcpBindPort",), "maximum", {("tcpBindPort",): 4846}
    ),
    Mistake(
        "actility-opcua-iot",
        "alias without target",
        ("aliases", 0),
        "required",
        {("aliases", 0): {"path": "/Devices/x"}},
        missing="mappedPath",
    ),
    Mistake(
        "actility-opcua-iot",
        "unknown policy",
        ("securityPolicies", 1),
        "enum",
        {("securityPolicies", 1): "Basic512"},
    ),
    Mistake(
        "actility-opcua-iot",
        "policy twice",
        ("securityPolicies",),
        "uniqueItems",
        {("securityPolicies",): ["None", "None"]},
    ),
    Mistake(
        "actility-opcua-iot",
        "certificate without key",
        ("serverIdentity",),
        "required",
        {("serverIdentity",): {"certificate": PEM_CERT}},
        missing="privateKey",
    ),
    Mistake("actility-opcua-iot", "relative path", ("path",), "pattern", {("path",): "iotflow"}),
    Mistake(
        "actility-splunk-iot",
        "missing token",
        (),
        "required",
        drop=("hecToken",),
        missing="hecToken",
    ),
    Mistake(
        "actility-splunk-iot",
        "no downlinks on Splunk",
        (),
        "additionalProperties",
        {("downlinkEnabled",): True},
    ),
    Mistake(
        "actility-thingsboard-iot",
        "flag as text",
        ("createDevices",),
        "type",
        {("createDevices",): "yes"},
    ),
    Mistake(
        "actility-thingsboard-iot",
        "bad strategy",
        ("reconnectStrategy",),
        "enum",
        {("reconnectStrategy",): "SOMETIMES"},
    ),
]


# --- the catalogue as a whole ---------------------------------------------------------------


def test_catalogue_has_at_least_twelve_connectors() -> None:
    assert len(FILES) >= 12, IDS


def test_every_connector_has_examples_and_every_example_a_connector() -> None:
    assert set(VALID) == set(IDS)
    assert {mistake.connector for mistake in MISTAKES} == set(IDS)


def test_catalogue_exercises_every_schema_feature_a_form_must_handle() -> None:
    features: dict[str, bool] = dict.fromkeys(
        [
            "enum",
            "default",
            "pattern",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "minItems",
            "maxItems",
            "uniqueItems",
            "oneOf",
            "$ref in items",
            "nested object",
            "array of scalars",
            "map",
            "type list with null",
            "integer enum",
            "jackson",
            "beta",
        ],
        False,
    )
    for path in FILES:
        descriptor = _load(path)
        schema = descriptor["connection"]["configurationSchema"]
        features["jackson"] |= _is_jackson(schema)
        features["beta"] |= descriptor["beta"] is True
        for _, sub in _subschemas(schema):
            for keyword in (
                "enum",
                "default",
                "pattern",
                "minLength",
                "maxLength",
                "minimum",
                "maximum",
                "minItems",
                "maxItems",
                "uniqueItems",
                "oneOf",
            ):
                features[keyword] |= keyword in sub
            items = sub.get("items")
            if isinstance(items, dict):
                features["$ref in items"] |= "$ref" in items
                features["array of scalars"] |= items.get("type") in ("string", "integer")
            if sub.get("type") == "object" and sub is not schema and "properties" in sub:
                features["nested object"] = True
            features["map"] |= isinstance(sub.get("additionalProperties"), dict)
            types = sub.get("type")
            features["type list with null"] |= isinstance(types, list) and "null" in types
            features["integer enum"] |= sub.get("type") == "integer" and "enum" in sub
    assert [name for name, seen in features.items() if not seen] == []


def test_aws_descriptor_is_the_documented_one() -> None:
    # The documentation's GET /connectors answer: these required keys, both definitions, and
    # the metadata it publishes as null (the simulator fills logo, beta and urlDoc on load).
    aws = _load(CONNECTORS / "actility-aws-iot.json")
    schema = aws["connection"]["configurationSchema"]
    assert schema["required"] == [
        "region",
        "accountPrefix",
        "accessKeyId",
        "secretAccessKey",
        "deviceType",
        "uplinkTopicPattern",
        "downlinkTopicPattern",
    ]
    assert set(schema["definitions"]) == {"ConnectionTopic", "ProxyConfig"}
    assert len(schema["properties"]) == 29
    assert (aws["version"], aws["logo"], aws["beta"], aws["urlDoc"]) == ("2.0.0", None, None, None)


def test_documented_create_example_validates_once_its_port_is_text() -> None:
    # The documentation sends "downlinkPort": 5 against a string-typed schema; the Java
    # server coerces scalars. Strict draft-04 rejects the number, and accepts the text.
    configuration = _load(DOCUMENTED_CREATE)["configuration"]
    strict = _errors("actility-aws-iot", configuration)
    assert [list(error.absolute_path) for error in strict] == [["downlinkPort"]]
    configuration["downlinkPort"] = str(configuration["downlinkPort"])
    assert _errors("actility-aws-iot", configuration) == []


# --- each descriptor ------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_descriptor_has_the_documented_shape(path: Path) -> None:
    descriptor = _load(path)
    assert set(descriptor) == DESCRIPTOR_KEYS
    assert descriptor["id"] == path.stem
    assert descriptor["producerId"] == "actility"
    assert descriptor["moduleId"] == path.stem.removeprefix("actility-")
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", descriptor["version"])
    assert isinstance(descriptor["description"], str) and descriptor["description"].strip()
    assert "\n" not in descriptor["description"]
    assert descriptor["logo"] is None or isinstance(descriptor["logo"], str)
    assert descriptor["beta"] in (None, True, False)
    assert descriptor["urlDoc"] is None or descriptor["urlDoc"].startswith("https://")
    assert set(descriptor["connection"]) == {"configurationSchema"}
    assert descriptor["flow"] == {}


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_schema_is_valid_draft_04(path: Path) -> None:
    schema = _load(path)["connection"]["configurationSchema"]
    Draft4Validator.check_schema(schema)
    assert schema["type"] == "object"
    if _is_jackson(schema):
        assert "$schema" not in schema
    else:
        assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
        assert schema["additionalProperties"] is False
        assert schema.get("title")


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_ref_resolves(path: Path) -> None:
    schema = _load(path)["connection"]["configurationSchema"]
    refs = [(where, sub["$ref"]) for where, sub in _subschemas(schema) if "$ref" in sub]
    for where, ref in refs:
        target = _resolve_local(schema, ref)
        assert isinstance(target, dict) and target, f"{where}: {ref} is empty"
    # Every definition is used: a dead one would be a form nobody can reach.
    used = {ref for _, ref in refs}
    assert {f"#/definitions/{name}" for name in schema.get("definitions", {})} <= used


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_required_keys_are_declared_properties(path: Path) -> None:
    schema = _load(path)["connection"]["configurationSchema"]
    for where, sub in _subschemas(schema):
        required = sub.get("required")
        if isinstance(required, list):
            assert set(required) <= set(sub.get("properties", {})), where
            assert len(required) == len(set(required)), where


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_default_is_valid_for_its_own_field(path: Path) -> None:
    schema = _load(path)["connection"]["configurationSchema"]
    definitions = schema.get("definitions", {})
    for where, sub in _subschemas(schema):
        if "default" in sub and where != "#":
            field_schema = {k: v for k, v in sub.items() if k != "id"}
            field_schema["definitions"] = definitions
            errors = list(Draft4Validator(field_schema).iter_errors(sub["default"]))
            assert errors == [], f"{where}: default {sub['default']!r}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_common_keys_follow_the_platform_conventions(path: Path) -> None:
    properties = _load(path)["connection"]["configurationSchema"]["properties"]
    common = {
        "description",
        "createDevices",
        "sendMetadata",
        "sendRawDecodedFormat",
        "uplinkTimeValidity",
        "downlinkEnabled",
        "downlinkAsId",
        "downlinkAsKey",
        "downlinkPort",
        "reconnectStrategy",
        "proxy",
    }
    assert len(common & set(properties)) >= 6  # Splunk: uplink only, creates nothing
    assert properties["reconnectStrategy"]["enum"] == ["CALM", "NORMAL", "AGGRESSIVE"]
    expected_defaults = {
        "createDevices": True,
        "sendMetadata": False,
        "sendRawDecodedFormat": False,
        "downlinkEnabled": True,
    }
    for key, default in expected_defaults.items():
        if key in properties:
            assert properties[key]["type"] == "boolean", key
            if path.stem != "actility-modbus-iot":  # a Modbus server creates nothing remote
                assert properties[key]["default"] is default, key
    if "downlinkPort" in properties:
        assert properties["downlinkPort"]["type"] == "string"  # as the AWS schema types it
    validity = properties.get("uplinkTimeValidity", {})
    if "pattern" in validity:
        for good in ("30s", "5m", "72h", "7d"):
            assert re.search(validity["pattern"], good), good
        for bad in ("5", "5 minutes", "m5", "1w"):
            assert not re.search(validity["pattern"], bad), bad


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_secret_fields_carry_no_constraint_a_mask_would_break(path: Path) -> None:
    # GET returns secrets as "*****": a schema that constrained them could reject a
    # configuration the platform itself handed out.
    schema = _load(path)["connection"]["configurationSchema"]
    for name, sub in _named_properties(schema):
        if is_secret_name(name):
            assert sub.get("type") == "string", name
            assert not {"pattern", "minLength", "maxLength", "enum"} & set(sub), name


# --- configurations -------------------------------------------------------------------------


@pytest.mark.parametrize("connector_id", sorted(VALID))
def test_realistic_configuration_is_valid(connector_id: str) -> None:
    assert _errors(connector_id, VALID[connector_id]) == []


@pytest.mark.parametrize("connector_id", sorted(VALID))
def test_masked_configuration_is_still_valid(connector_id: str) -> None:
    schema = _schema(connector_id)
    masked = mask_secrets(VALID[connector_id], schema)
    assert masked != VALID[connector_id] or connector_id == "actility-modbus-iot"
    assert MASK in json.dumps(masked) or connector_id == "actility-modbus-iot"
    assert _errors(connector_id, masked) == []


@pytest.mark.parametrize(
    "mistake", MISTAKES, ids=[f"{m.connector.removeprefix('actility-')}:{m.name}" for m in MISTAKES]
)
def test_mistake_is_reported_on_the_field_that_is_wrong(mistake: Mistake) -> None:
    errors = _errors(mistake.connector, mistake.apply(VALID[mistake.connector]))
    assert errors, "the mistake was accepted"
    found = [e for e in errors if tuple(e.absolute_path) == mistake.path]
    assert [e.validator for e in found] == [mistake.validator], [
        (list(e.absolute_path), e.validator, e.message) for e in errors
    ]
    if mistake.missing:
        assert repr(mistake.missing) in found[0].message
    # The mistake is the only thing wrong: no other field is blamed.
    assert len(errors) == 1
