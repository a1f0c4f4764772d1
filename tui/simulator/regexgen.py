"""Best-effort generation of a string matching a regular expression (JSON Schema ``pattern``)."""

from __future__ import annotations

import random
import re
import re._constants as C  # noqa: N812
import re._parser as P  # noqa: N812
import string

__all__ = ["string_matching"]

_LETTERS = string.ascii_lowercase
_ALPHABET = string.ascii_letters + string.digits + "-_."
_CATEGORY = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_NOT_DIGIT: string.ascii_letters,
    C.CATEGORY_WORD: string.ascii_letters + string.digits,
    C.CATEGORY_NOT_WORD: "-.:/ ",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_MAX_EXTRA_REPEAT = 3


class _Unsupported(Exception):
    pass


def _charset(items: list, rng: random.Random) -> str:
    negate = False
    choices: list[str] = []
    for op, arg in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            choices.append(chr(arg))
        elif op is C.RANGE:
            lo, hi = arg
            choices.append(chr(rng.randint(lo, min(hi, lo + 200))))
        elif op is C.CATEGORY:
            choices.append(rng.choice(_CATEGORY.get(arg, _LETTERS)))
        else:
            raise _Unsupported(op)
    if not negate:
        return rng.choice(choices) if choices else rng.choice(_LETTERS)
    # Negated set: pick something from a plain alphabet that the set would not match.
    compiled = re.compile("[" + "".join(_render(items)) + "]")
    pool = [c for c in _ALPHABET if not compiled.match(c)]
    if not pool:
        raise _Unsupported("negated set excludes every plain character")
    return rng.choice(pool)


def _render(items: list) -> list[str]:
    out = []
    for op, arg in items:
        if op is C.NEGATE:
            out.append("^")
        elif op is C.LITERAL:
            out.append(re.escape(chr(arg)))
        elif op is C.RANGE:
            out.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is C.CATEGORY:
            out.append(
                {
                    C.CATEGORY_DIGIT: r"\d",
                    C.CATEGORY_NOT_DIGIT: r"\D",
                    C.CATEGORY_WORD: r"\w",
                    C.CATEGORY_NOT_WORD: r"\W",
                    C.CATEGORY_SPACE: r"\s",
                    C.CATEGORY_NOT_SPACE: r"\S",
                }.get(arg, "")
            )
    return out


def _generate(parsed, rng: random.Random, groups: dict[int, str], extra: int) -> str:
    out: list[str] = []
    for op, arg in parsed:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.NOT_LITERAL:
            out.append(rng.choice([c for c in _LETTERS if ord(c) != arg]))
        elif op is C.ANY:
            out.append(rng.choice(_LETTERS))
        elif op is C.IN:
            out.append(_charset(arg, rng))
        elif op is C.BRANCH:
            out.append(_generate(rng.choice(arg[1]), rng, groups, extra))
        elif op is C.SUBPATTERN:
            group, _add, _del, sub = arg
            text = _generate(sub, rng, groups, extra)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = arg
            hi = min(hi, lo + extra)
            out.extend(_generate(sub, rng, groups, extra) for _ in range(rng.randint(lo, hi)))
        elif op is C.ATOMIC_GROUP:
            out.append(_generate(arg, rng, groups, extra))
        elif op is C.GROUPREF:
            out.append(groups.get(arg, ""))
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            raise _Unsupported(op)
    return "".join(out)


def string_matching(
    pattern: str,
    rng: random.Random,
    *,
    min_length: int = 0,
    max_length: int | None = None,
    attempts: int = 30,
) -> str | None:
    """A string that ``re.search(pattern, s)`` accepts, within the length bounds, or None."""
    try:
        compiled = re.compile(pattern)
        parsed = P.parse(pattern)
    except (re.error, TypeError, ValueError):
        return None
    # Open repeats (+, *) normally add a few items; with a minLength, allow enough to reach it.
    extras = [_MAX_EXTRA_REPEAT, max(_MAX_EXTRA_REPEAT, min_length)]
    for attempt in range(attempts):
        try:
            text = _generate(parsed, rng, {}, extras[attempt % 2])
        except (_Unsupported, IndexError, ValueError):
            return None
        if len(text) < min_length or (max_length is not None and len(text) > max_length):
            continue
        if compiled.search(text):
            return text
    return None
