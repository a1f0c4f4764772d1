"""A single value: text, a number, a switch (boolean), a choice (enum), a secret or PEM."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from tui.secrets import (
    MASK,
    is_pem_name,
    is_secret_property,
    line_count,
    normalise_newlines,
    read_pem_file,
)

from ..messages import SECRET_UNCHANGED, FieldError, choices_sentence
from ..schema import format_choice
from .base import OMIT, FieldNode, FormMode, Kind, NodeFactory, Origin
from .constraints import check_constraints

_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class SecretState(StrEnum):
    """How far a secret field is from being sendable."""

    UNCHANGED = "unchanged"
    """Loaded masked (``*****``) in edit mode: must be typed again."""
    EMPTY = "empty"
    SET = "set"


class ScalarField(FieldNode):
    """A single value edited as text, a switch (boolean) or a choice (enum).

    ``kind``: ``"string" | "integer" | "number" | "boolean" | "enum" | "secret" | "pem"``.
    ``text`` is what an input shows; ``value`` is the parsed value (``None`` when empty,
    null or invalid). ``options`` lists the enum values (``option_labels`` their text).
    ``secret`` is true for secrets (kinds "secret", and "pem" for keys/client certificates);
    ``secret_state`` is ``"unchanged"`` after loading a masked value in edit mode.
    ``multiline`` is true for PEM material; ``line_count`` counts its lines.
    ``is_set`` is false while a boolean or enum has no value (optional, no default): a
    screen shows "no selection" and nothing is sent until someone picks.
    """

    def __init__(
        self, factory: NodeFactory, schema: Mapping[str, Any], base_type: str, **kw: Any
    ) -> None:
        super().__init__(factory, schema, **kw)
        self.base_type = base_type  # string | integer | number | boolean | enum
        name = self.name or ""
        enum = schema.get("enum")
        self.options: list[Any] = (
            [v for v in enum if v is not None] if isinstance(enum, list) else []
        )
        if isinstance(enum, list) and None in enum:
            self.nullable = True
        self.secret = (
            base_type in ("string", "integer", "number")
            and bool(name)
            and (is_secret_property(name, schema))
        )
        self.multiline = base_type == "string" and bool(name) and is_pem_name(name)
        self.kind = self._kind()
        self.text = ""
        self._value: Any = None
        self._parse_error: str | None = None
        self.is_null = False
        self.unchanged = False
        self.reset()

    def _kind(self) -> Kind:
        if self.base_type == "enum":
            return Kind.ENUM
        if self.multiline:
            return Kind.PEM
        if self.secret:
            return Kind.SECRET
        return Kind(self.base_type)

    def mark_secret(self, secret: bool) -> None:
        """Make this a secret (or not): a map row's key decides, e.g. ``Authorization``."""
        self.secret = secret and self.base_type in ("string", "integer", "number")
        self.kind = self._kind()

    # -- state -------------------------------------------------------------------------
    @property
    def option_labels(self) -> list[str]:
        return [format_choice(o) for o in self.options]

    @property
    def value(self) -> Any:
        if self.is_null or self.unchanged or self._parse_error or self.text == "":
            return None if self.base_type not in ("boolean", "enum") else self._value
        return self._value

    @property
    def is_set(self) -> bool:
        """False while nothing is chosen or typed (nor null): the field is not sent."""
        return not (self._empty() or self.unchanged) or self.is_null

    @property
    def line_count(self) -> int:
        """Lines of the text (what a PEM field shows next to a masked certificate)."""
        return line_count(self.text)

    @property
    def secret_state(self) -> SecretState | None:
        """``None`` for non-secrets; else ``"unchanged" | "empty" | "set"``."""
        if not self.secret:
            return None
        if self.unchanged:
            return SecretState.UNCHANGED
        return SecretState.EMPTY if self.text == "" else SecretState.SET

    def reset(self) -> None:
        self.text, self._value, self._parse_error = "", None, None
        self.is_null = self.unchanged = False
        self.origin = Origin.UNSET
        if self.base_type == "boolean" and self.required and not self.nullable:
            self._value, self.text = False, "false"
        if "default" in self.schema:
            default = self.schema["default"]
            if default is None and self.nullable:
                self.is_null = True
            elif default is not None:
                self._assign(default)
            self.origin = Origin.DEFAULT

    def _assign(self, value: Any) -> None:
        """Set from a Python value (loaded or default), keeping odd values visible as text."""
        self.is_null = self.unchanged = False
        if self.base_type in ("boolean", "enum") or not isinstance(value, str):
            text = json.dumps(value) if isinstance(value, dict | list) else format_choice(value)
        else:
            text = self._clean(value)
        if self.base_type == "enum" and value in self.options:
            self.text, self._value, self._parse_error = text, value, None
            return
        if self.base_type == "boolean" and isinstance(value, bool):
            self.text, self._value, self._parse_error = text, value, None
            return
        self.text = text
        self._value, self._parse_error = self.parse(text)

    def _clean(self, text: str) -> str:
        # pasted certificates arrive with CR (terminals) or CRLF (Windows files)
        return normalise_newlines(text) if self.secret or self.multiline else text

    # -- editing -----------------------------------------------------------------------
    def parse(self, text: str) -> tuple[Any, str | None]:
        """(value, error) for a text, without touching the field."""
        t = text.strip()
        if t == "" and self.base_type not in ("string",):
            return None, None
        if self.base_type == "integer":
            return _parse_integer(t)
        if self.base_type == "number":
            return _parse_number(t)
        if self.base_type == "boolean":
            low = t.lower()
            if low in _TRUE:
                return True, None
            if low in _FALSE:
                return False, None
            return None, "must be true or false"
        if self.base_type == "enum":
            for option in self.options:
                if format_choice(option) == t:
                    return option, None
            return None, choices_sentence(self.options)
        return text, None

    def set_text(self, text: str) -> str | None:
        """Set what the user typed; returns (and stores in ``error``) this field's error."""
        text = self._clean(text)
        self.text = text
        self.is_null = self.unchanged = False
        self.origin = Origin.USER
        self._value, self._parse_error = self.parse(text)
        return self._check()

    def set_value(self, value: Any) -> str | None:
        """Set a typed value (a switch, a picked option); ``None`` clears the field."""
        if value is None:
            return self.set_text("")
        self._assign(value)
        self.origin = Origin.USER
        return self._check()

    def _check(self) -> str | None:
        errors = self.validate_self()
        self.error = errors[0].message if errors else None
        return self.error

    def set_null(self) -> None:
        """Clear an optional (``["...", "null"]``) field to an explicit JSON null."""
        if not self.nullable:
            raise ValueError(f"{self.path} cannot be null")
        self.text, self._value, self._parse_error = "", None, None
        self.is_null, self.unchanged, self.origin = True, False, Origin.USER
        self.error = None

    def load_file(self, path: str | Path) -> str | None:
        """Load PEM text from a file into this field; raises :class:`PemError`."""
        return self.set_text(read_pem_file(path))

    # -- tree protocol -----------------------------------------------------------------
    def load(self, value: Any, mode: str = "edit") -> None:
        self.reset()
        self.origin = Origin.LOADED
        if value is None:
            if self.nullable:
                self.is_null = True
            else:
                self.text, self._value = "", None
            return
        if value == MASK:
            # the platform masked it, whatever its name: a secret, kept out of drafts
            self.secret = True
            self.kind = self._kind()
            self.text, self._value, self._parse_error = "", None, None
            self.unchanged = mode == FormMode.EDIT
            return
        if self.secret and mode == FormMode.CLONE:
            self.text, self._value, self._parse_error = "", None, None
            self.origin = Origin.UNSET
            return
        self._assign(value)

    def is_blank(self) -> bool:
        if self.unchanged:
            return False
        if not self.origin.given:
            return True
        return self.text == "" and not self.is_null

    def _empty(self) -> bool:
        if self.base_type in ("boolean", "enum"):
            return self._value is None and not self._parse_error
        return self.text == ""

    def payload_value(self) -> Any:
        if self.unchanged or self._parse_error:
            return OMIT
        if self.is_null:
            return None
        if self._empty():
            return None if (self.required and self.nullable) else OMIT
        if self.base_type == "string" and not self.multiline and self.kind != Kind.SECRET:
            return self.text
        return self._value

    def validate_self(self) -> list[FieldError]:
        if self.unchanged:
            return [self.err(SECRET_UNCHANGED)]
        if self._parse_error:
            return [self.err(self._parse_error)]
        if self.is_null:
            return []
        if self._empty():
            if self.required and not self.nullable:
                return [self.err("is required")]
            return []
        value = self.payload_value()
        return [self.err(m) for m in check_constraints(self.schema, value, self.kind)]


def _parse_integer(t: str) -> tuple[Any, str | None]:
    if _INTEGER.match(t):
        return int(t), None
    try:
        f = float(t)
    except ValueError:
        return None, "must be a whole number"
    if math.isfinite(f) and f.is_integer() and "e" not in t.lower():
        return int(f), None
    return None, "must be a whole number"


def _parse_number(t: str) -> tuple[Any, str | None]:
    if _INTEGER.match(t):
        return int(t), None
    try:
        f = float(t)
    except ValueError:
        return None, "must be a number"
    if not math.isfinite(f):
        return None, "must be a finite number"
    return f, None
