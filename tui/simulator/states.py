"""Connection states as IoT Flow reports them, and the simulator's timings."""

from __future__ import annotations

OPENED = "OPENED"
OPENING = "OPENING"
CLOSED = "CLOSED"
CLOSING = "CLOSING"
AUTHENTICATING = "AUTHENTICATING"
AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
UNREACHABLE = "UNREACHABLE"
DEACTIVATED = "DEACTIVATED"

ALL_STATES: tuple[str, ...] = (
    OPENED,
    OPENING,
    CLOSED,
    CLOSING,
    AUTHENTICATING,
    AUTHENTICATION_FAILED,
    UNREACHABLE,
    DEACTIVATED,
)

# Start-up of a new, re-activated or reconfigured connection, as delays after CLOSED:
# CLOSED -1 s-> OPENING -1.5 s-> AUTHENTICATING -1.5 s-> OPENED (or AUTHENTICATION_FAILED).
OPEN_STEPS: tuple[tuple[float, str], ...] = ((1.0, OPENING), (1.5, AUTHENTICATING), (1.5, OPENED))
OPEN_TOTAL = sum(delay for delay, _ in OPEN_STEPS)
# Deactivation: CLOSING -3 s-> DEACTIVATED.
CLOSE_DELAY = 3.0
# A running connection that is reconfigured first closes: CLOSING -1 s-> CLOSED, then opens.
RESTART_CLOSE_DELAY = 1.0
SETTLE_SECONDS = RESTART_CLOSE_DELAY + OPEN_TOTAL + CLOSE_DELAY
"""Sim seconds after which any user action has reached its final state."""

# Retry periods of the documented reconnect strategies (first phase), in seconds.
RETRY_PERIODS: dict[str, float] = {"CALM": 600.0, "NORMAL": 300.0, "AGGRESSIVE": 180.0}
DEFAULT_RETRY_SCALE = 10.0
"""Retry periods are divided by this so that a demo shows reconnections within a minute."""
