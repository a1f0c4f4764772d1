"""Plausible values for well-known configuration keys (AWS ids, MQTT hosts, topics, PEM).

The example generator asks here first so that the demo population looks like a real
operator's account; it falls back to schema-driven values when a key is not known.
"""

from __future__ import annotations

import base64
import random
import re
import string
import uuid
from typing import Any

from tui.secrets import is_pem_name, is_secret_property

__all__ = ["WORDS", "norm", "plausible_number", "plausible_string", "uuid_text"]

WORDS = (
    "alpha", "bravo", "delta", "nova", "orion", "atlas", "vega", "lyra", "cedar", "maple",
    "river", "summit", "harbor", "meadow", "granite", "aurora", "comet", "falcon",
)  # fmt: skip


def norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def _b64(rng: random.Random, nbytes: int) -> str:
    return base64.b64encode(rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")).decode()


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def uuid_text(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _pem(rng: random.Random, label: str, nbytes: int = 600) -> str:
    body = _b64(rng, nbytes)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def _host_for(connector_id: str, parent: str, rng: random.Random) -> str:
    word = rng.choice(WORDS)
    if parent == "proxy":
        return f"proxy.{word}.example.net:3128"
    cid = connector_id.lower()
    if "event-hub" in cid:
        return f"tpx-{word}.servicebus.windows.net:9093"
    if "azure-iot-central" in cid:
        return f"tpx-{word}.azureiotcentral.com"
    if "azure" in cid:
        return f"tpx-{word}.azure-devices.net"
    if "cumulocity" in cid:
        return f"{word}.cumulocity.com"
    if "thingworx" in cid:
        return f"thingworx.{word}.example.net:8443"
    if "thingsboard" in cid:
        return f"thingsboard.{word}.example.net:1883"
    if "amqp" in cid:
        return f"amqp.{word}.example.net:5671"
    if "greengrass" in cid:
        return f"greengrass.{word}.example.net:8883"
    return f"mqtt.{word}.example.net:8883"


def plausible_string(key: str, parent: str, connector_id: str, rng: random.Random) -> str | None:
    """A realistic value for a well-known configuration key, or None."""
    k = norm(key)
    word = rng.choice(WORDS)
    simple: dict[str, Any] = {
        "region": lambda: "eu-central-1",
        "accountprefix": lambda: _alnum(rng, 14, string.ascii_lowercase + string.digits) + "-ats",
        "accesskeyid": lambda: "AKIA" + _alnum(rng, 16, string.ascii_uppercase + string.digits),
        "secretaccesskey": lambda: _b64(rng, 30),
        "certificateid": lambda: (
            f"arn:aws:iot:eu-central-1:{rng.randint(10**11, 10**12 - 1)}:cert/{_hex(rng, 64)}"
        ),
        "ggadcertificateid": lambda: _hex(rng, 64),
        "devicetype": lambda: "actilityDeviceType",
        "uplinktopicpattern": lambda: "tpx/things/{DevEUI}/uplink",
        "downlinktopicpattern": lambda: "tpx/things/{DevEUI}/downlink",
        "uplinktopic": lambda: "tpx-uplink",
        "downlinktopic": lambda: "tpx-downlink",
        "uplinktimevalidity": lambda: rng.choice(["5m", "1h", "72h"]),
        "downlinkasid": lambda: f"TWA_{rng.randint(10**8, 10**9 - 1)}.{rng.randint(1000, 9999)}.AS",
        "downlinkaskey": lambda: _hex(rng, 32),
        "downlinkuuid": lambda: uuid_text(rng),
        "downlinkport": lambda: str(rng.randint(1, 223)),
        "username": lambda: f"tpx-{word}",
        "user": lambda: f"tpx-{word}",
        "login": lambda: f"tpx-{word}",
        "password": lambda: f"{word.capitalize()}-{_alnum(rng, 12)}!",
        "sharedaccesskeyname": lambda: (
            "RootManageSharedAccessKey" if "event-hub" in connector_id else "iothubowner"
        ),
        "sharedaccesskey": lambda: _b64(rng, 32),
        "apitoken": lambda: (
            f"SharedAccessSignature sr={uuid_text(rng)}&sig={_b64(rng, 32)}"
            f"&skn=tpx-{word}&se={rng.randint(1_800_000_000, 1_900_000_000)}"
        ),
        "idscope": lambda: "0ne00" + _alnum(rng, 6, "0123456789ABCDEF"),
        "bootstrapserver": lambda: f"kafka-{rng.randint(1, 3)}.{word}.example.net:9092",
        "bootstrapservers": lambda: (
            f"kafka-1.{word}.example.net:9092,kafka-2.{word}.example.net:9092"
        ),
        "producerclientid": lambda: "tpx-producer",
        "consumerclientid": lambda: "tpx-consumer",
        "consumergroupid": lambda: "tpx-consumers",
        "clientid": lambda: f"tpx-{word}",
        "exchangename": lambda: "tpx.uplink",
        "destinationurl": lambda: f"https://hooks.{word}.example.net/thingpark/uplink",
        "url": lambda: f"https://{word}.example.net/thingpark",
        "endpoint": lambda: f"https://{word}.example.net/thingpark",
        "tenantid": lambda: "t" + str(rng.randint(10**7, 10**8 - 1)),
        "thingtemplatename": lambda: "TpxThingTemplate",
        "instancename": lambda: f"prd-p-{_alnum(rng, 5, string.ascii_lowercase + string.digits)}",
        "hectoken": lambda: uuid_text(rng),
        "applicationkey": lambda: uuid_text(rng),
        "gatewaytoken": lambda: _alnum(rng, 32),
        "clientsecret": lambda: _alnum(rng, 32),
        "apikey": lambda: _alnum(rng, 32),
        "token": lambda: _alnum(rng, 40),
        "bindaddress": lambda: "0.0.0.0",
        "deveui": lambda: _alnum(rng, 16, "0123456789ABCDEF"),
        "ggadthingname": lambda: "tpx-gg-adapter",
        "timezone": lambda: "Europe/Paris",
        "email": lambda: f"ops@{word}.example.net",
        "path": lambda: f"/tpx/{word}",
        "mappedpath": lambda: f"/devices/{word}/temperature",
        "description": lambda: f"{word.capitalize()} site connection (simulated)",
        "protocol": lambda: "SSL",
    }
    if k in simple:
        return simple[k]()
    if k in ("hostname", "host", "gghostname", "brokerhost", "server", "serverhost"):
        return _host_for(connector_id, norm(parent), rng)
    if is_pem_name(key):
        if "privatekey" in k:
            return _pem(rng, "PRIVATE KEY", 900)
        return _pem(rng, "CERTIFICATE", 700)
    if k.endswith("topicpattern"):
        return "tpx/things/{DevEUI}/" + ("downlink" if "down" in k else "uplink")
    if k.endswith("topic"):
        return "tpx/" + ("downlink" if "down" in k else "uplink")
    if k.endswith("url") or k.endswith("uri"):
        return f"https://{word}.example.net/thingpark"
    if k.endswith("name"):
        return f"tpx-{word}"
    if is_secret_property(key):
        return _alnum(rng, 32)
    return None


def plausible_number(key: str) -> int | None:
    k = norm(key)
    table = {
        "connectiontimeout": 30000,
        "actiontimeout": 10000,
        "uplinkratelimiter": 100,
        "fport": 10,
        "pipecount": 4,
        "concurrency": 2,
        "iothubunits": 1,
        "eventhubunits": 1,
        "coilssize": 100,
        "holdingregisterssize": 100,
        "slaveid": 1,
        "register": 40001,
        "bindport": 502,
        "tcpbindport": 4840,
        "downlinkport": 5,
    }
    if k in table:
        return table[k]
    if k.endswith("timeout"):
        return 30000
    if k.endswith("port"):
        return 8883
    return None
