"""Form drafts on disk: what was typed into a connection form, never a secret.

One JSON file per draft in ``state_dir()/drafts/<platform>/``, keyed by what the form is
for: ``create-<connectorId>``, ``edit-<connectionId>`` or ``clone-<connectionId>``. A closed
or dropped session resumes from it. A connection id names a connection on one platform
only: connection 5 of the lab is not connection 5 of production, so each platform (its API
URL) has a folder of its own, and a draft never resumes on another platform's connection
(where sending it would overwrite that one with the other's settings). No Textual here.

The form engine's ``tree.draft()`` already leaves secrets out; :meth:`DraftStore.save`
strips secret-named keys once more (belt and braces) before anything reaches the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .secrets import MASK, is_secret_property

DRAFT_VERSION = 1
MODES = ("create", "edit", "clone")


def draft_key(
    mode: str, *, connector_id: str | None = None, connection_id: str | None = None
) -> str:
    """The key of a form's draft: ``create-actility-aws-iot``, ``edit-8``, ``clone-8``."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    ident = connector_id if mode == "create" else connection_id
    if not ident:
        raise ValueError(
            f"a {mode} draft needs a {'connector' if mode == 'create' else 'connection'} id"
        )
    return f"{mode}-{ident}"


def platform_folder(api_url: str) -> str:
    """The drafts folder name of the platform at ``api_url``: its host and port, readable,
    and a digest of the whole URL (two flavours or paths on one host stay apart)."""
    parts = urlsplit(api_url.strip().rstrip("/"))
    where = (parts.hostname or "local") + (f"_{parts.port}" if parts.port else "")
    normal = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path}"
    digest = hashlib.blake2s(normal.encode("utf-8"), digest_size=4).hexdigest()
    return f"{re.sub(r'[^A-Za-z0-9._-]', '_', where)}-{digest}"


def _file_name(key: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", key)
    return f"{safe}.json"


def scrub(value: Any) -> Any:
    """A copy without secret-named string values nor the mask (what a draft may hold)."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if isinstance(item, str) and (is_secret_property(str(key)) or item == MASK):
                continue
            out[key] = scrub(item)
        return out
    if isinstance(value, list):
        return [scrub(v) for v in value if v != MASK]
    return value


@dataclass(frozen=True)
class Draft:
    """One saved draft."""

    key: str
    saved_at: datetime
    data: dict[str, Any]
    """What the form stored: ``name``, ``active``, ``connectorId``, ``form``, ``alarms``..."""


class DraftStore:
    """Drafts in one folder (``for_platform``: the platform's own); every call is safe to
    fail."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    @classmethod
    def for_platform(cls, api_url: str) -> DraftStore:
        """The drafts of the platform at ``api_url``, under ``state_dir()/drafts``."""
        from .config import state_dir

        return cls(state_dir() / "drafts" / platform_folder(api_url))

    def path(self, key: str) -> Path:
        return self.folder / _file_name(key)

    def save(self, key: str, data: Mapping[str, Any], *, now: datetime | None = None) -> Path:
        """Write a draft atomically (owner-only permissions); returns its path."""
        saved_at = (now or datetime.now(UTC)).isoformat()
        body = {"version": DRAFT_VERSION, "key": key, "savedAt": saved_at, "data": scrub(data)}
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(key)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".draft-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, indent=1, ensure_ascii=False)
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return target

    def load(self, key: str) -> Draft | None:
        """The draft saved under ``key``, or ``None`` (missing or unreadable)."""
        try:
            body = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(body, dict) or body.get("version") != DRAFT_VERSION:
            return None
        data = body.get("data")
        if not isinstance(data, dict):
            return None
        try:
            saved_at = datetime.fromisoformat(str(body.get("savedAt")))
        except ValueError:
            saved_at = datetime.fromtimestamp(0, UTC)
        return Draft(key=key, saved_at=saved_at, data=data)

    def delete(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self.path(key).unlink()

    def keys(self) -> list[str]:
        """Keys of every saved draft, sorted."""
        try:
            files = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        out = []
        for file in files:
            draft = self.load(file.stem)
            if draft is not None:
                out.append(draft.key)
        return out


class DraftKeeper:
    """The latest draft of one open form: held in memory from the edit that made it, and
    written to its store when :meth:`flush` is called (the screen calls it right after the
    edit's message, so a burst of edits in one message costs one write, and again on
    unexpected errors, exit and suspend). Nothing typed waits for a timer."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store
        self.key: str | None = None
        self.data: dict[str, Any] | None = None
        """What the draft holds now (before or after it reached the disk)."""
        self.saved_at: datetime | None = None
        self.pending = False
        """True when :attr:`data` changed since the last write."""

    def keep(self, key: str, data: dict[str, Any], *, now: datetime) -> bool:
        """Hold ``data`` as the draft of ``key``; True when a write must be scheduled
        (none is pending yet), False when the pending one will write this data too."""
        if self.key is not None and self.key != key and self.pending:
            self.flush()  # the form now edits another thing: its draft is not dropped
        schedule = not self.pending
        self.key, self.data, self.saved_at, self.pending = key, data, now, True
        return schedule

    def flush(self) -> Path | None:
        """Write the held draft if it changed since the last write (raises OSError)."""
        if not self.pending or self.key is None or self.data is None:
            return None
        self.pending = False
        return self.store.save(self.key, self.data, now=self.saved_at)

    def discard(self, key: str) -> None:
        """Forget the held draft and delete the one saved under ``key`` (sent, or thrown
        away): no write still pending can bring it back."""
        self.store.delete(key)
        self.data, self.pending = None, False
