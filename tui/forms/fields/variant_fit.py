"""Which variant of a ``oneOf``/``anyOf`` a loaded value most looks like.

Used when no variant validates the value (a configuration saved by an older connector
version, a typo): the form still opens on the variant the value was meant for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


def similarity(schema: Mapping[str, Any], value: Any) -> float:
    """A score: higher when ``value`` has the variant's type, its properties and its tag."""
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else declared
    score = 0.0
    for t in types if isinstance(types, list) else []:
        cls = _PYTHON_TYPES.get(t) if isinstance(t, str) else None
        if (
            cls is not None
            and isinstance(value, cls)
            and not (t in ("integer", "number") and isinstance(value, bool))
        ):
            score += 10
    if isinstance(value, Mapping):
        props = schema.get("properties")
        props = props if isinstance(props, Mapping) else {}
        required = schema.get("required")
        score += sum(3 for k in value if k in props)
        score -= sum(1 for k in value if k not in props)
        if isinstance(required, list):
            score -= sum(2 for k in required if isinstance(k, str) and k not in value)
        for k, sub in props.items():
            if k in value and isinstance(sub, Mapping) and isinstance(sub.get("enum"), list):
                score += 20 if _contains(sub["enum"], value[k]) else -20
    return score


def _contains(options: list[Any], value: Any) -> bool:
    try:
        return value in options
    except TypeError:  # unhashable odd values compare fine with ==, but be safe
        return False
