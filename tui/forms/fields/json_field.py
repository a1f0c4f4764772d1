"""The fallback: a part of the schema edited as JSON text, checked against its sub-schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tui.secrets import strip_secrets

from ..messages import FieldError
from ..schema import EXTRA, join_path
from .base import OMIT, FieldNode, FormMode, Kind, NodeFactory, Origin


class JsonField(FieldNode):
    """A part of the schema edited as JSON text, checked against its sub-schema.

    ``reason`` says why the engine could not make fields of it (e.g. "uses allOf").
    For an object's unknown keys (``name == "*"``, ``holds_extra``) the text holds a JSON
    object whose keys are merged into the object's payload.
    """

    kind = Kind.JSON

    def __init__(
        self, factory: NodeFactory, schema: Mapping[str, Any], reason: str, **kw: Any
    ) -> None:
        super().__init__(factory, schema, **kw)
        self.reason = reason
        self.multiline = True
        self.holds_extra = self.name == EXTRA
        self.text = ""
        self._value: Any = None
        self._parse_error: str | None = None
        self.reset()

    @property
    def value(self) -> Any:
        return None if self._parse_error or self.text.strip() == "" else self._value

    def reset(self) -> None:
        self.text, self._value, self._parse_error = "", None, None
        self.origin = Origin.UNSET
        if "default" in self.schema:
            self._assign(self.schema["default"])
            self.origin = Origin.DEFAULT

    def _assign(self, value: Any) -> None:
        self.text = json.dumps(value, indent=2, ensure_ascii=False)
        self._value, self._parse_error = value, None

    def set_text(self, text: str) -> str | None:
        self.text = text
        self.origin = Origin.USER
        if text.strip() == "":
            self._value, self._parse_error = None, None
        else:
            try:
                self._value, self._parse_error = json.loads(text), None
            except json.JSONDecodeError as exc:
                self._value = None
                where = f"line {exc.lineno}, column {exc.colno}"
                self._parse_error = f"is not valid JSON: {exc.msg} ({where})"
        errors = self.validate_self()
        self.error = errors[0].message if errors else None
        return self.error

    def set_value(self, value: Any) -> str | None:
        return self.set_text("" if value is None else json.dumps(value, indent=2))

    def load(self, value: Any, mode: str = "edit") -> None:
        self.reset()
        if mode == FormMode.CLONE:
            value = strip_secrets(value)
        self._assign(value)
        self.origin = Origin.LOADED

    def is_blank(self) -> bool:
        return not self.origin.given or self.text.strip() == ""

    def payload_value(self) -> Any:
        if self._parse_error or self.text.strip() == "":
            return OMIT
        return self._value

    def validate_self(self) -> list[FieldError]:
        if self._parse_error:
            return [self.err(self._parse_error)]
        if self.text.strip() == "":
            return [self.err("is required")] if self.required else []
        if self.holds_extra and self._value == {}:
            return []
        if self.holds_extra and not isinstance(self._value, dict):
            return [self.err("must be a JSON object of setting names and values")]
        messages = self.factory.check_subschema(self.schema, self._value)
        # the other-settings field speaks for its object: errors name the object's keys
        base = self.parent.segments() if self.holds_extra and self.parent else self.segments()
        return [FieldError(join_path([*base, *p]), m) for p, m in messages]
