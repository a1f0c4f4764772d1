"""Seed data: plausible names, alarms and unknown keys for the demo population."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

CITIES = (
    "Paris", "Lyon", "Grenoble", "Toulouse", "Nantes", "Lille", "Bordeaux", "Marseille", "Rennes",
    "Strasbourg", "Nice", "Brussels", "Geneva", "Munich", "Hamburg", "Milan", "Madrid", "Lisbon",
    "Amsterdam", "Dublin", "Oslo", "Helsinki", "Warsaw", "Prague", "Vienna", "Zurich", "Singapore",
    "Montreal", "Austin", "Sydney",
)  # fmt: skip
USES = (
    "cold-chain", "smart parking", "water metering", "air quality", "asset tracking",
    "building HVAC", "waste bins", "street lighting", "flood sensors", "soil moisture",
    "fleet telematics", "energy meters", "people counting", "leak detection", "cattle tracking",
    "vineyard", "pipeline", "elevator monitoring", "smoke alarms", "rail yard",
)  # fmt: skip
LABELS = {
    "actility-aws-iot": "AWS",
    "actility-aws-iot-greengrass": "Greengrass",
    "actility-azure-iot": "Azure",
    "actility-azure-iot-central": "IoT Central",
    "actility-azure-event-hub": "Event Hubs",
    "actility-mqtt-iot": "MQTT",
    "actility-kafka-iot": "Kafka",
    "actility-amqp-0.9.1-iot": "AMQP",
    "actility-http-iot": "HTTP",
    "actility-thingworx-iot": "ThingWorx",
    "actility-cumulocity-iot": "Cumulocity",
    "actility-thingsboard-iot": "ThingsBoard",
    "actility-splunk-iot": "Splunk",
    "actility-modbus-iot": "Modbus",
    "actility-opcua-iot": "OPC UA",
}
BRANDS = ("DATACAKE", "TAGO", "AKENZA", "UBIDOTS")
TIMEZONES = ("Europe/Paris", "Europe/London", "America/New_York", "Asia/Singapore", "UTC")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
WEEKEND = ["saturday", "sunday"]


def connector_label(connector_id: str) -> str:
    if connector_id in LABELS:
        return LABELS[connector_id]
    core = connector_id.removeprefix("actility-").removesuffix("-iot")
    return " ".join(part.capitalize() for part in core.split("-")) or connector_id


def connection_name(rng: random.Random, connector_id: str, taken: set[str]) -> str:
    base = f"{rng.choice(CITIES)} {rng.choice(USES)} {connector_label(connector_id)}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} {n}"
    taken.add(name)
    return name


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def alarm(rng: random.Random, now: datetime) -> dict:
    """A low uplink-rate alarm in the documented shape, first window on the Monday of
    the week before ``now`` (so the demo shows windows open now and coming up)."""
    tz = rng.choice(TIMEZONES)
    start_h, end_h = rng.choice((6, 7, 8, 9)), rng.choice((17, 18, 19, 20))
    days, message = rng.choice(
        (
            (WEEKDAYS, "Low rate during business day..."),
            (WEEKDAYS + WEEKEND, "Low rate: site sensors silent"),
            (WEEKEND, "Weekend monitoring: too few uplinks"),
        )
    )
    zone = _zone(tz)
    monday = (now.astimezone(zone) - timedelta(days=now.astimezone(zone).weekday() + 7)).date()
    start = datetime(monday.year, monday.month, monday.day, start_h, 0, tzinfo=zone)
    end = datetime(monday.year, monday.month, monday.day, end_h, 0, tzinfo=zone)
    return {
        "startTime": start.isoformat(),
        "endTime": end.isoformat(),
        "timezone": tz,
        "recurrence": [{"frequency": "weekly", "byDays": list(days)}],
        "uplinkRateMinPerHour": rng.choice((1, 2, 5, 10, 20, 60)),
        "message": message,
    }
