"""The form as a whole: load, validate, payload, drafts, server errors."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from typing import Any

import referencing.exceptions
from jsonschema.exceptions import UnknownType, _WrappedReferencingError

from .builder import Builder
from .draft_io import node_draft, restore_draft
from .fields import (
    OMIT,
    ArrayField,
    ChoiceField,
    FieldNode,
    FormMode,
    JsonField,
    MapField,
    ObjectField,
    ScalarField,
)
from .messages import FieldError, humanise_server_text, humanise_validation_error
from .schema import EXTRA, format_choice, join_path, parse_path
from .size import measure_schema

DRAFT_FORMAT = "iotflow-form-draft/1"


class FormInvalid(ValueError):
    """Raised by :meth:`FormTree.payload` when the form has errors (``errors``)."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


class FormTree:
    """A connector configuration form. Build it with :func:`build_form`."""

    def __init__(self, schema: Mapping[str, Any], *, as_json: bool = False) -> None:
        if not isinstance(schema, Mapping):
            schema = {}
        self.schema = schema
        self.builder = Builder(schema)
        self.size = measure_schema(schema)
        """How big the schema is (:class:`~tui.forms.size.FormSize`), for the screen."""
        self.root: FieldNode = (
            JsonField(self.builder, schema, self.size.sentence(), name=None, required=True)
            if as_json
            else self.builder.build(schema, name=None, required=True)
        )
        self.mode = FormMode.NEW
        self.errors: list[FieldError] = []
        self.schema_problem: str | None = None
        """Set by :meth:`validate` when jsonschema cannot run the whole schema (a warning)."""

    # -- navigation ----------------------------------------------------------------------
    def walk(self) -> Iterator[FieldNode]:
        """Every node, depth first in form order (containers before their children)."""
        return self.root.walk()

    def outline(self, expanded: Container[int]) -> Iterator[FieldNode]:
        """Nodes to mount when only some groups are open: depth first like :meth:`walk`,
        but the children of a container (object, list, map, choice) other than the root are
        visited only when its ``uid`` is in ``expanded``. A large form mounts this, not the
        whole tree, and mounts more when a person opens a group."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            if node is self.root or node.uid in expanded:
                stack.extend(reversed(node.children()))

    def find(self, path: str) -> FieldNode | None:
        """The node at exactly ``path`` (``""`` is the root), or ``None``."""
        return self._descend(parse_path(path), exact=True)

    def locate(self, path: str | list[str | int]) -> FieldNode:
        """The deepest node covering ``path``: the field itself, the JSON field holding it,
        or the nearest existing ancestor (the root at worst)."""
        segs = parse_path(path) if isinstance(path, str) else list(path)
        node = self._descend(segs, exact=False)
        return node if node is not None else self.root

    def _descend(self, segs: list[str | int], exact: bool) -> FieldNode | None:
        node = self.root
        for seg in segs:
            while isinstance(node, ChoiceField) and node.active is not None:
                node = node.active
            nxt: FieldNode | None = None
            if isinstance(node, ObjectField):
                if seg == EXTRA:
                    nxt = node.extra
                elif isinstance(seg, str):
                    nxt = node.fields.get(seg)
                    if nxt is None and isinstance(node.extra, MapField):
                        nxt = _map_value(node.extra, seg)
                    elif nxt is None and isinstance(node.extra, JsonField) and not exact:
                        nxt = node.extra
            elif isinstance(node, ArrayField):
                if isinstance(seg, int) and 0 <= seg < len(node.items):
                    nxt = node.items[seg]
            elif isinstance(node, MapField):
                if isinstance(seg, str):
                    nxt = _map_value(node, seg)
            elif isinstance(node, JsonField):
                return None if exact else node
            if nxt is None:
                return None if exact else node
            node = nxt
        return node

    # -- values --------------------------------------------------------------------------
    def reset(self) -> None:
        """Empty form with defaults (a new connection)."""
        self.root.reset()
        self.mode = FormMode.NEW
        self._clear_errors()

    def load(self, configuration: Mapping[str, Any] | None, mode: str = "edit") -> None:
        """Pre-fill from an existing configuration.

        ``mode="edit"``: masked secrets (``*****``) become "unchanged" and must be re-entered
        before a payload can be built. ``mode="clone"``: secrets are emptied.
        Unknown keys are kept (in the object's "Other settings" JSON field).
        """
        if mode not in (FormMode.EDIT, FormMode.CLONE):
            raise ValueError(f"mode must be 'edit' or 'clone', not {mode!r}")
        self.mode = FormMode(mode)
        self.root.load(dict(configuration or {}), self.mode)
        self._clear_errors()

    def _clear_errors(self) -> None:
        self.errors = []
        for node in self.walk():
            node.error = None
            if isinstance(node, MapField):
                for row in node.rows:
                    row.key_error = None

    def _raw_payload(self) -> Any:
        value = self.root.payload_value()
        if value is OMIT:
            return {} if isinstance(self.root, ObjectField) else None
        return value

    def validate(self) -> list[FieldError]:
        """Check every field, then the whole payload with Draft4Validator.

        Sets ``error`` on every node (``None`` when fine) and returns the errors in form
        order, keyed by dotted path. Never raises.
        """
        errors = self.root.validate()
        self.schema_problem = None
        payload = self._raw_payload()
        self._last_payload = payload
        seen = {(e.path, e.message) for e in errors}
        try:
            schema_errors = list(self.builder.validator.iter_errors(payload))
        except Exception as exc:  # noqa: BLE001 - a schema jsonschema cannot run
            # e.g. an unknown type name: fields were checked one by one, the server decides
            schema_errors = []
            self.schema_problem = unchecked_sentence(exc)
        for err in schema_errors:
            for segs, message in self._expand(err):
                node = self.locate(segs)
                if node.error is not None:
                    continue  # the field already says what is wrong
                fe = FieldError(join_path(segs), message)
                if (fe.path, fe.message) in seen:
                    continue
                seen.add((fe.path, fe.message))
                node.error = message
                errors.append(fe)
        order = {node.uid: i for i, node in enumerate(self.walk())}
        errors.sort(key=lambda e: order.get(self.locate(e.path).uid, 0))
        self.errors = errors
        return errors

    def _expand(self, err: Any) -> list[tuple[list[str | int], str]]:
        """Humanised errors; a failed oneOf/anyOf shows the errors of the chosen variant."""
        if err.validator in ("oneOf", "anyOf") and err.context:
            segs = list(err.absolute_path)
            node = self._descend(segs, exact=True)
            if isinstance(node, ChoiceField) and node.active is not None:
                inner = [
                    e
                    for e in err.context
                    if e.relative_schema_path and e.relative_schema_path[0] == node.schema_index
                ]
                if inner:
                    out: list[tuple[list[str | int], str]] = []
                    for e in inner:
                        out.extend(self._expand(e))
                    return out
        return humanise_validation_error(err)

    def try_payload(self) -> tuple[Any, list[FieldError]]:
        """(payload, errors): the payload as it stands (invalid fields left out) and errors."""
        errors = self.validate()
        return self._last_payload, errors

    def payload(self) -> Any:
        """The configuration to send, or :class:`FormInvalid` listing every error."""
        payload, errors = self.try_payload()
        if errors:
            raise FormInvalid(errors)
        return payload

    def first_error(self) -> FieldError | None:
        """The first error in form order from the last :meth:`validate` (runs it if needed)."""
        if not self.errors:
            self.validate()
        return self.errors[0] if self.errors else None

    def unchanged_secrets(self) -> list[str]:
        """Paths of secrets loaded masked and not re-entered yet."""
        return [n.path for n in self.walk() if isinstance(n, ScalarField) and n.unchanged]

    # -- drafts --------------------------------------------------------------------------
    def draft(self) -> dict[str, Any]:
        """What the user typed, as JSON-able data, without any secret value."""
        return {"format": DRAFT_FORMAT, "mode": str(self.mode), "root": node_draft(self.root)}

    def load_draft(self, draft: Mapping[str, Any]) -> None:
        """Restore a :meth:`draft` over a fresh form (secrets stay empty)."""
        self.root.reset()
        self._clear_errors()
        if isinstance(draft, Mapping) and draft.get("format") == DRAFT_FORMAT:
            restore_draft(self.root, draft.get("root"))

    # -- server errors -------------------------------------------------------------------
    def apply_server_error(self, message: str) -> FieldError:
        """:func:`map_server_error`, and show the sentence on the field it is about."""
        path, sentence = map_server_error(self, message)
        if path is not None:
            node = self.locate(path)
            node.error = sentence
        fe = FieldError(path or "", sentence)
        self.errors = [fe, *self.errors]
        return fe


def unchecked_sentence(exc: BaseException) -> str:
    """Why jsonschema could not check the whole form, in a sentence (no exception text: it
    may quote the whole schema)."""
    if isinstance(exc, UnknownType):
        reason = f"it uses the unknown type {format_choice(exc.type)}"
    elif isinstance(exc, RecursionError):
        reason = "it refers to itself without end"
    elif isinstance(exc, referencing.exceptions.Unresolvable | _WrappedReferencingError):
        reason = "one of its references points nowhere"
    else:
        reason = "it is not well-formed JSON Schema"
    return (
        f"The connector schema cannot be checked as a whole ({reason}): each field was "
        "checked on its own, and the server checks the rest when you submit."
    )


def _map_value(field: MapField, key: str) -> FieldNode | None:
    for row in field.rows:
        if row.key == key:
            return row.value
    return None


def build_form(schema: Mapping[str, Any], *, as_json: bool = False) -> FormTree:
    """The form for a connector's ``configurationSchema`` (never raises on odd schemas).

    ``as_json``: one JSON field for the whole configuration, checked against the whole
    schema (for schemas too large for fields: ``measure_schema(schema).needs_json_editor``);
    its ``reason`` is the sentence saying why.
    """
    return FormTree(schema, as_json=as_json)


_PATH_PREFIX = re.compile(
    r"""^\s*(?P<path>[$#]?[A-Za-z0-9_$.\[\]"/*-]*)\s*:\s*(?P<body>.*)$""", re.S
)


def _server_segments(raw: str) -> list[str | int] | None:
    text = raw.strip()
    if text.startswith("#"):
        text = text[1:]
    if text.startswith("$"):
        text = text[1:].lstrip(".")
    if text.startswith("/"):
        segs: list[str | int] = [
            int(p) if p.isdigit() else p.replace("~1", "/").replace("~0", "~")
            for p in text.split("/")[1:]
        ]
    else:
        segs = parse_path(text)
    if not segs or segs[0] != "configuration":
        return None
    return segs[1:]


def map_server_error(tree: FormTree, message: str) -> tuple[str | None, str]:
    """Map a server 400 message onto a field of ``tree``.

    ``"configuration.region: 'region' is a required property"`` → ``("region", "is
    required")``; ``"configuration.mappingRules[0].slaveId: 300 is greater than the maximum
    of 247"`` → ``("mappingRules[0].slaveId", "must be at most 247")``. Also understands
    JSON pointers (``/configuration/region``), ``$.configuration.x`` and the wording of the
    Java (networknt) validator. Returns ``(None, sentence)`` when the message is not about a
    field of the form; the sentence then names the place if there was one.
    """
    text = (message or "").strip()
    segs: list[str | int] | None = None
    body = text
    match = _PATH_PREFIX.match(text)
    if match and match.group("path"):
        candidate = _server_segments(match.group("path"))
        if candidate is not None:
            segs, body = candidate, match.group("body")
    name, sentence = humanise_server_text(body)
    if segs is None:
        return None, sentence
    if name and (not segs or segs[-1] != name):
        segs = [*segs, name]
    if not segs:
        return None, sentence
    exact = tree.find(join_path(segs))
    if exact is not None:
        return exact.path, sentence
    node = tree.locate(segs)
    if node is tree.root:
        return None, f"{join_path(segs)} {sentence}"
    if isinstance(node, JsonField):
        return node.path, f"{join_path(segs)} {sentence}" if node.name == EXTRA else sentence
    return node.path, f"{join_path(segs)} {sentence}"
