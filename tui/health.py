"""Health of a connection, and the stuck and flapping rules, with no screen.

IoT Flow has eight states and no ERROR state; ThingPark Enterprise rolls them up
into four healths. Unknown states are treated as INIT: something is happening that
this version of iotflow does not know yet.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit


class Health(StrEnum):
    ACTIVE = "ACTIVE"
    INIT = "INIT"
    ERROR = "ERROR"
    DEACTIVATED = "DEACTIVATED"


KNOWN_STATES = (
    "OPENED",
    "OPENING",
    "AUTHENTICATING",
    "CLOSING",
    "CLOSED",
    "UNREACHABLE",
    "AUTHENTICATION_FAILED",
    "DEACTIVATED",
)
TRANSIENT_STATES = frozenset({"OPENING", "CLOSING", "AUTHENTICATING"})
HEALTH_ORDER = (Health.ERROR, Health.INIT, Health.ACTIVE, Health.DEACTIVATED)


CLOSED_GRACE = timedelta(minutes=2)
"""How long a started connection may stay CLOSED before that counts as an error."""


def in_start_grace(
    state: str | None,
    active: bool,
    started: datetime | None,
    now: datetime,
    grace: timedelta = CLOSED_GRACE,
) -> bool:
    """CLOSED within ``grace`` of being created, activated or restarted (``startupTime``).

    The platform documents that "a started connection can remain CLOSED for a short
    period before changing to OPENING. It is a normal behaviour": not an error yet.
    A start time slightly ahead of our clock (skew) counts as just started.
    """
    return state == "CLOSED" and active and started is not None and now - started < grace


def health_of(state: str | None, active: bool = True, *, starting: bool = False) -> Health:
    """The health ThingPark's console would show for a state.

    ``starting``: the connection is in its start grace (see ``in_start_grace``), so a
    CLOSED state means "about to open" (INIT), not "gave up" (ERROR).
    """
    match state:
        case "OPENED":
            return Health.ACTIVE
        case "DEACTIVATED":
            return Health.DEACTIVATED
        case "UNREACHABLE" | "AUTHENTICATION_FAILED" | "UNREADABLE":
            # UNREADABLE: the client could not read the server's item (api/listing.py).
            return Health.ERROR
        case "CLOSED":
            # A closed connection the user switched off is not a fault; one that should
            # run is (the platform "gave up" after its reconnect strategy).
            if not active:
                return Health.DEACTIVATED
            return Health.INIT if starting else Health.ERROR
        case _:
            return Health.INIT


def health_at(
    state: str | None,
    active: bool,
    started: datetime | None,
    now: datetime,
    grace: timedelta = CLOSED_GRACE,
) -> Health:
    """The health at ``now``, counting the start grace: what the table and ``status`` show."""
    return health_of(state, active, starting=in_start_grace(state, active, started, now, grace))


def count_healths(healths: Iterable[Health]) -> dict[Health, int]:
    counts = {health: 0 for health in HEALTH_ORDER}
    for health in healths:
        counts[health] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Thresholds:
    stuck_after: timedelta = timedelta(minutes=10)
    """A transient state held longer than this is flagged stuck."""
    flapping_changes: int = 4
    """More state changes than this within ``flapping_window`` is flagged flapping."""
    flapping_window: timedelta = timedelta(hours=1)
    closed_grace: timedelta = CLOSED_GRACE
    """CLOSED for less than this after a start counts as INIT (see ``in_start_grace``)."""


@dataclass(frozen=True, slots=True)
class StateChange:
    at: datetime
    state: str
    exact: bool = True
    """False when the state was first seen already held (at start-up, or after the app
    was away): it began at ``at`` or earlier, so the time in it is a lower bound."""


@dataclass(slots=True)
class StateHistory:
    """Observed states of one connection, oldest first, bounded in length."""

    changes: list[StateChange] = field(default_factory=list)
    limit: int = 200
    """Changes kept; older ones are dropped. (A list, not a bounded deque: a deque takes
    a 64-slot block even for the one or two changes most connections have, 7.8 MiB of a
    dashboard's memory for 10,000 connections.)"""

    def observe(self, state: str | None, at: datetime, *, exact: bool = True) -> bool:
        """Record a state seen at ``at``; True when it differs from the last one seen.

        ``exact=False``: it may have begun before ``at`` (see ``StateChange.exact``).
        """
        label = state or "UNKNOWN"
        if self.changes and self.changes[-1].state == label:
            return False
        self.changes.append(StateChange(at, label, exact))
        if len(self.changes) > self.limit:
            del self.changes[: len(self.changes) - self.limit]
        return True

    @property
    def current(self) -> StateChange | None:
        return self.changes[-1] if self.changes else None

    def since(self) -> datetime | None:
        """When the current state was first observed."""
        return self.changes[-1].at if self.changes else None

    def since_is_exact(self) -> bool:
        """Whether the current state was seen to begin (else ``since`` is a lower bound)."""
        return self.changes[-1].exact if self.changes else False

    def changes_within(self, window: timedelta, now: datetime) -> int:
        """State changes (not counting the first observation) within the window."""
        start = now - window
        return sum(1 for change in list(self.changes)[1:] if change.at >= start)

    def timeline(self, now: datetime) -> list[tuple[StateChange, timedelta]]:
        """Each observed state with how long it lasted (the last one: until now)."""
        items = list(self.changes)
        out: list[tuple[StateChange, timedelta]] = []
        for index, change in enumerate(items):
            end = items[index + 1].at if index + 1 < len(items) else now
            out.append((change, end - change.at))
        return out


def is_stuck(state: str | None, since: datetime | None, now: datetime, t: Thresholds) -> bool:
    return state in TRANSIENT_STATES and since is not None and now - since > t.stuck_after


def is_flapping(history: StateHistory, now: datetime, t: Thresholds) -> bool:
    """More than ``flapping_changes`` changes into a settled state within the window.

    Settled: OPENED, CLOSED or a failure, not the steps between (OPENING, CLOSING,
    AUTHENTICATING): a restart goes through five states but is one episode, not flapping;
    a connection bouncing between OPENED and UNREACHABLE is. The first observation is not
    a change. The scan goes back from the newest change and stops at the window's start
    or once the count is reached, as the dashboard asks every second for every watched row.
    """
    limit = t.flapping_changes
    start = now - t.flapping_window
    changes = history.changes
    settled = 0
    for index in range(len(changes) - 1, 0, -1):
        change = changes[index]
        if change.at < start:
            break
        if change.state not in TRANSIENT_STATES:
            settled += 1
            if settled > limit:
                return True
    return False


def next_flag_change(
    state: str | None,
    since: datetime | None,
    history: StateHistory,
    started: datetime | None,
    now: datetime,
    t: Thresholds,
) -> datetime | None:
    """The earliest moment after which ``is_stuck``, ``is_flapping`` or ``in_start_grace``
    could read differently than at ``now`` with no new state seen; None when none can
    (they then change only with the state, or with a clock that goes back).

    A transient state becomes stuck once held ``stuck_after``; flapping ends when a change
    it counts leaves the window; the start grace ends ``closed_grace`` after the start. The
    board evaluates a row again only from then on (``Board._flag``), not every second.
    """
    due: list[datetime] = []
    if state in TRANSIENT_STATES and since is not None and now - since <= t.stuck_after:
        due.append(since + t.stuck_after)
    if state == "CLOSED" and started is not None and now - started < t.closed_grace:
        due.append(started + t.closed_grace)
    ends = _flapping_ends(history, now, t)
    if ends is not None:
        due.append(ends)
    return min(due) if due else None


def _flapping_ends(history: StateHistory, now: datetime, t: Thresholds) -> datetime | None:
    """While ``is_flapping``: when the first of the changes its scan counts on could leave
    the window (the same scan, so out-of-order times cannot make it late); else None."""
    limit = t.flapping_changes
    start = now - t.flapping_window
    changes = history.changes
    settled = 0
    earliest: datetime | None = None
    for index in range(len(changes) - 1, 0, -1):
        change = changes[index]
        if change.at < start:
            break
        if earliest is None or change.at < earliest:
            earliest = change.at
        if change.state not in TRANSIENT_STATES:
            settled += 1
            if settled > limit:
                assert earliest is not None
                return earliest + t.flapping_window
    return None


_LOWER_BOUND = "at-or-before"
"""Third element of a saved change whose time is a lower bound (``StateChange.exact``)."""


def history_file_name(api_url: str, flavour: str) -> str:
    """The state-history file of one platform: ``history-<host>-<digest>.json``.

    Kept per platform (URL and API flavour), not per profile name: a profile pointed at
    another platform must not inherit the first one's observed times.
    """
    digest = hashlib.sha256(f"{flavour} {api_url.rstrip('/')}".encode()).hexdigest()[:12]
    host = urlsplit(api_url).hostname or "platform"
    safe = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in host)[:40]
    return f"history-{safe}-{digest}.json"


class HistoryStore:
    """State histories of every connection, kept in memory and in a small JSON file.

    The file survives a restart of the app; it is bounded (entries per connection and
    number of connections) and written atomically, so a crash never corrupts it.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        per_connection: int = 200,
        max_connections: int = 20_000,
    ):
        self.path = path
        self.per_connection = per_connection
        self.max_connections = max_connections
        self.histories: dict[str, StateHistory] = {}
        self._dirty = False
        self._encoded: dict[str, _Encoded] = {}
        """Each connection's part of the file as last written (see ``encode``)."""
        if path is not None:
            self._load(path)

    def _new(self) -> StateHistory:
        return StateHistory([], self.per_connection)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return  # a missing or damaged file only costs the remembered history
        if not isinstance(data, Mapping):
            return
        for ident, rows in data.items():
            history = self._new()
            if not isinstance(rows, list):
                continue
            for row in rows:
                try:
                    at = datetime.fromisoformat(row[0])
                    exact = len(row) < 3 or row[2] != _LOWER_BOUND
                    history.changes.append(StateChange(at, str(row[1]), exact))
                except (TypeError, ValueError, IndexError):
                    continue
            del history.changes[: max(0, len(history.changes) - history.limit)]
            self.histories[str(ident)] = history

    def get(self, ident: str) -> StateHistory:
        history = self.histories.get(ident)
        if history is None:
            history = self.histories[ident] = self._new()
        return history

    def observe(self, ident: str, state: str | None, at: datetime, *, exact: bool = True) -> bool:
        changed = self.get(ident).observe(state, at, exact=exact)
        self._dirty = self._dirty or changed
        return changed

    def began_again(self, ident: str, at: datetime) -> None:
        """The current state began again, exactly at ``at``, without a change being seen
        (an OPENED connection restarted between two looks: its start-up time moved on)."""
        changes = self.get(ident).changes
        if changes:
            changes[-1] = StateChange(at, changes[-1].state, True)
            self._dirty = True

    def forget_missing(self, present: Iterable[str]) -> None:
        """Drop histories of connections gone from the platform, beyond the size bound."""
        if len(self.histories) <= self.max_connections:
            return
        keep = set(present)
        for ident in [i for i in self.histories if i not in keep]:
            del self.histories[ident]
            self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        # Cleared first: a change observed while this runs (it runs in a thread) makes
        # the next save write again, instead of being lost when this one ends.
        self._dirty = False
        text = self.encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".history-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            self._dirty = True

    def encode(self) -> str:
        """The file's JSON text: ``{"id": [[at, state] or [at, state, "at-or-before"], ...]}``.

        Each connection's part is kept from the last save and encoded again only if its
        history moved since (a poll changes a few of them): saved every few seconds while
        states change, encoding all 1,000 histories took 10 ms a save, about a tenth of an
        idle dashboard's CPU. A history moves by appending, dropping its oldest changes or
        replacing its last one (changes are frozen), so its list, its length and its last
        change tell whether it moved.
        """
        before, now = self._encoded, {}
        # (list() copies the items at once: the poll may add a connection meanwhile.)
        for ident, history in list(self.histories.items()):
            changes = history.changes
            count = len(changes)
            last = changes[-1] if count else None
            kept = before.get(ident)
            if (
                kept is not None
                and kept.changes is changes
                and kept.count == count
                and kept.last is last
            ):
                now[ident] = kept
            else:
                rows = [
                    [c.at.isoformat(), c.state]
                    if c.exact
                    else [c.at.isoformat(), c.state, _LOWER_BOUND]
                    for c in changes[:count]
                ]
                text = json.dumps(ident) + ":" + json.dumps(rows, separators=(",", ":"))
                now[ident] = _Encoded(changes, count, last, text)
        self._encoded = now
        return "{" + ",".join(kept.text for kept in now.values()) + "}"


@dataclass(slots=True)
class _Encoded:
    """One connection's part of the history file, and what its history was then."""

    changes: list[StateChange]
    count: int
    last: StateChange | None
    text: str
