"""Data-flow health rules: SILENT, LOSS and LOW, from metrics (no Textual, no HTTP).

State alone cannot show these: an OPENED connection may deliver nothing, or drop what it
receives. The rules read one connection's :class:`~tui.flow.ConnectionMetrics`:

- **SILENT**: OPENED, no uplink in the last hour, but some in the last 24 hours (a
  connection that never had traffic is not "silent", it is idle);
- **LOSS**: failed plus lost uplinks in the last hour above a threshold (a setting,
  ``loss_threshold``, default 0: any failure counts);
- **LOW**: inside one of its alarm windows with fewer uplinks in the last hour than that
  alarm's ``uplinkRateMinPerHour``. The platform raises a fired-alarm event in that case;
  when one is seen, LOW is *confirmed* (``low_confirmed``).

Missing counters never raise a flag: a platform that does not report a figure is not
assumed to be silent or losing data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .flow import ConnectionMetrics, Event

__all__ = [
    "FIRED_ALARM_CODES",
    "FlowFlags",
    "flow_flags",
    "fired_alarm_ids",
    "is_fired_alarm",
    "alarm_minimum",
]

OPENED = "OPENED"
FIRED_ALARM_CODES = frozenset({"alm-3001"})
"""Our simulator's code; on a real platform a fired alarm is recognised by its message too."""


@dataclass(frozen=True)
class FlowFlags:
    silent: bool = False
    loss: bool = False
    low: bool = False
    low_confirmed: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(
            word
            for word, on in (("SILENT", self.silent), ("LOSS", self.loss), ("LOW", self.low))
            if on
        )

    @property
    def any(self) -> bool:
        return self.silent or self.loss or self.low


NO_FLAGS = FlowFlags()


def alarm_minimum(alarms: Any, now: datetime) -> float | None:
    """The ``uplinkRateMinPerHour`` of the alarm whose window is open at ``now``, or None."""
    return alarm_minimum_until(alarms, now)[0]


MINIMUM_VALID_AT_MOST = timedelta(hours=1)


def alarm_minimum_until(alarms: Any, now: datetime) -> tuple[float | None, datetime]:
    """``alarm_minimum`` and until when it holds (the next window boundary, at most an hour
    on): working it out walks the alarms' recurrences, too costly for every row at every
    poll, so the board keeps it until then (see board_flow)."""
    # Imported on use: the board imports this module at start-up, the alarm model is
    # loaded later (see board.warm_up).
    from .alarms.status import alarm_status

    status = alarm_status(alarms, now)
    until = now + MINIMUM_VALID_AT_MOST
    for boundary in (status.open_until, status.next_start):
        if boundary is not None and now < boundary < until:
            until = boundary
    if status.open_alarm is None or not isinstance(alarms, list):
        return None, until
    raw = alarms[status.open_alarm]
    value = raw.get("uplinkRateMinPerHour") if isinstance(raw, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, until
    return float(value), until


def flow_flags(
    state: str,
    metrics: ConnectionMetrics | None,
    *,
    minimum: float | None = None,
    fired: bool = False,
    loss_threshold: int = 0,
) -> FlowFlags:
    """The flags of one connection; ``minimum`` from :func:`alarm_minimum` (None: no window)."""
    if metrics is None:
        return NO_FLAGS
    up_1h, up_24h = metrics.uplinks_1h, metrics.uplinks_24h
    silent = state == OPENED and up_1h == 0 and up_24h is not None and up_24h > 0
    failures = metrics.failures_1h
    loss = failures is not None and failures > loss_threshold
    # LOW is about an OPENED connection whose devices send too little: one that is not
    # OPENED inside an alarm window is the ALARM flag already (the board's), and a
    # deactivated one sends nothing by choice; counting it LOW too would make `status`
    # warn where the dashboard shows no LOW.
    low = (state == OPENED and minimum is not None and up_1h is not None
           and up_1h < minimum)
    if not (silent or loss or low):
        return NO_FLAGS
    return FlowFlags(silent=silent, loss=loss, low=low, low_confirmed=low and fired)


def is_fired_alarm(event: Event, alarm_messages: Iterable[str] = ()) -> bool:
    """A fired low-uplink-rate alarm: our code, or a warn event carrying an alarm's message."""
    if event.code in FIRED_ALARM_CODES:
        return True
    if event.rank < 2:
        return False
    return any(message and message in event.message for message in alarm_messages)


def fired_alarm_ids(
    events: Iterable[Event], recovered_codes: Iterable[str] = ("alm-3002",)
) -> set[str]:
    """Connections whose latest alarm event (newest first input) is a fired one."""
    recovered = set(recovered_codes)
    seen: set[str] = set()
    fired: set[str] = set()
    for event in events:
        ident = event.connection_id
        if ident is None or ident in seen:
            continue
        if event.code in FIRED_ALARM_CODES:
            seen.add(ident)
            fired.add(ident)
        elif event.code in recovered:
            seen.add(ident)
    return fired
