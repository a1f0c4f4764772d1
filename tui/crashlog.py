"""The log of unexpected errors: one file in the state directory, secrets redacted.

When something nobody planned for goes wrong inside the app, the operator gets a
sentence and the app keeps running; the traceback, which is what a developer needs,
goes here instead of the screen. Exception messages can quote what was being handled
(a header, a payload, a form value), so every line is redacted before it is written:
bearer and basic credentials, ``key=value`` and ``"key": "value"`` pairs whose key names
a secret, and whole PEM blocks. No Textual here.
"""

from __future__ import annotations

import os
import re
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "errors.log"
MAX_BYTES = 1_000_000
"""Past this size the log is rotated once (``errors.log.1``), so it never grows unbounded."""

REDACTED = "[redacted]"

_SECRET_KEY = (
    r"[\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|authorization"
    r"|private[_-]?key|credential)[\w.-]*"
)
_PATTERNS = [
    # PEM blocks, whole (multi-line secrets stay whole: they are dropped whole, too).
    (
        re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)", re.S),
        f"-----{REDACTED} PEM-----",
    ),
    # Authorization: Bearer xyz / Basic abc=
    (re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+", re.I), rf"\1 {REDACTED}"),
    # "password": "x"  /  'token': 'x'
    (
        re.compile(rf"""(["']{_SECRET_KEY}["']\s*:\s*)(["'])(?:\\.|(?!\2).)*\2""", re.I),
        rf"\1\2{REDACTED}\2",
    ),
    # client_secret=x  /  password: x  (up to the next space, comma, quote or bracket)
    (
        re.compile(rf"""\b({_SECRET_KEY})(\s*[=:]\s*)(?!["'])[^\s,;&)}}\]'"]+""", re.I),
        rf"\1\2{REDACTED}",
    ),
]


def redact(text: str) -> str:
    """``text`` with every credential-looking value replaced by ``[redacted]``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def format_entry(error: BaseException, where: str, now: datetime | None = None) -> str:
    """One log entry: when, where, and the redacted traceback."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return f"=== {stamp} · {where}\n{redact(trace)}\n"


def write_entry(directory: Path, error: BaseException, where: str) -> Path | None:
    """Append the entry to ``directory/errors.log`` (mode 0600); None if it cannot be written.

    Never raises: a log that cannot be written must not become a second failure.
    """
    path = directory / LOG_NAME
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="replace") as handle:
            handle.write(format_entry(error, where))
    except OSError:
        return None
    return path


def sentence(what: str, log: Path | None) -> str:
    """What the operator reads: what failed, that nothing was lost, where the details are."""
    where = f"Details are in {log}." if log else "The details could not be written to a log."
    return (
        f"Unexpected error while {what}. The app keeps running and nothing you typed was "
        f"lost (open forms keep their drafts). {where}"
    )
