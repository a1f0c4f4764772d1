"""Keyword checks of one scalar value: what a keystroke needs to know at once.

The whole payload is still checked by jsonschema (:meth:`FormTree.validate`); these checks
give the same answers field by field, in sentences, without running a validator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tui.secrets import pem_problem

from ..messages import (
    choices_sentence,
    length_sentence,
    maximum_sentence,
    minimum_sentence,
    pattern_sentence,
)
from ..schema import format_choice


def check_constraints(schema: Mapping[str, Any], value: Any, kind: str = "") -> list[str]:
    """Sentences for every keyword of ``schema`` that ``value`` breaks (``[]`` when fine)."""
    out: list[str] = []
    if isinstance(value, bool):
        pass
    elif isinstance(value, int | float):
        out.extend(_number_problems(schema, value))
    elif isinstance(value, str):
        out.extend(_text_problems(schema, value, kind))
    enum = schema.get("enum")
    if isinstance(enum, list) and kind != "enum" and value not in enum:
        out.append(choices_sentence(enum))
    return out


def _number_problems(schema: Mapping[str, Any], value: int | float) -> list[str]:
    out: list[str] = []
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if isinstance(lo, int | float) and not isinstance(lo, bool):
        exclusive = bool(schema.get("exclusiveMinimum"))
        if value < lo or (exclusive and value == lo):
            out.append(minimum_sentence(lo, exclusive))
    if isinstance(hi, int | float) and not isinstance(hi, bool):
        exclusive = bool(schema.get("exclusiveMaximum"))
        if value > hi or (exclusive and value == hi):
            out.append(maximum_sentence(hi, exclusive))
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and not isinstance(step, bool) and step > 0:
        q = value / step
        if not (isinstance(q, float) and q.is_integer() or isinstance(q, int)):
            if abs(q - round(q)) > 1e-9:
                out.append(f"must be a multiple of {format_choice(step)}")
    return out


def _text_problems(schema: Mapping[str, Any], value: str, kind: str) -> list[str]:
    out: list[str] = []
    lo, hi = schema.get("minLength"), schema.get("maxLength")
    if isinstance(lo, int) and len(value) < lo:
        out.append(length_sentence(lo, True))
    if isinstance(hi, int) and len(value) > hi:
        out.append(length_sentence(hi, False))
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            if re.search(pattern, value) is None:
                out.append(pattern_sentence(pattern, schema))
        except re.error:
            pass  # a pattern Python cannot read: the server has the last word
    # PEM shape is checked only when the schema itself says nothing about the text
    shaped = "pattern" in schema or "maxLength" in schema or "format" in schema
    if kind == "pem" and not shaped:
        problem = pem_problem(value)
        if problem:
            out.append(problem)
    return out
