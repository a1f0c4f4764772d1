"""Whether a host name is this machine (no screen).

Two places ask it: the profile check, which warns when a secret would cross the network over
plain http://, and `iotflow sim`, which refuses to listen anywhere else. One rule for both, so
the warning and the refusal never disagree about what "local" means.
"""

from __future__ import annotations

import ipaddress

__all__ = ["is_loopback"]


def is_loopback(host: str) -> bool:
    """True for "localhost" and for any loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost: it may resolve anywhere
