"""Form engine: a connector ``configurationSchema`` (JSON Schema draft-04) as a field tree.

No Textual here: a screen renders the tree, this package holds values, parses text,
validates and builds the payload.

Quick use::

    tree = build_form(descriptor["connection"]["configurationSchema"])
    tree.load(connection["configuration"], mode="edit")   # or "clone"; skip for a new one
    for node in tree.walk(): ...                           # render (see kinds below)
    err = tree.find("region").set_text("eu-west-1")        # one field; returns its error
    errors = tree.validate()                               # whole form, FieldError(path, message)
    payload = tree.payload()                               # dict, or raises FormInvalid(.errors)
    path, sentence = map_server_error(tree, "configuration.region: 'region' is a required property")

Nodes (all :class:`FieldNode`; ``uid`` is stable, ``path`` is recomputed, e.g.
``proxy.password``, ``mappingRules[0].slaveId``, ``headers.X-Tenant``, ``headers["a b"]``):

``ScalarField``  kind ``string | integer | number | boolean | enum | secret | pem``.
    ``text`` (what an input shows), ``value`` (parsed), ``set_text(text) -> error|None``,
    ``set_value(v)`` (switches, picked options; ``None`` clears), ``set_null()`` when
    ``nullable`` (type lists with ``"null"``), ``parse(text) -> (value, error)``.
    enum: ``options`` / ``option_labels`` (default pre-selected, ``value is None`` = not set).
    boolean: ``value`` True/False, or ``None`` = not set (optional without default; required
    booleans without default start False). secret/pem: ``secret`` True, ``secret_state``
    ``"unchanged" | "empty" | "set"``; pem: ``multiline`` True, ``load_file(path)`` (raises
    ``PemError`` with a readable sentence). Certificates that are public material (CA) are
    kind "pem" with ``secret`` False.
``ObjectField``  ``fields`` (name → node) in **schema order**; ``required`` marks the mandatory
    ones. ``extra``: keys the schema does not declare — a ``JsonField`` named ``"*"`` (path
    ``proxy.*`` / ``*``) when additionalProperties is absent/true, or a ``MapField`` when it
    is a schema; ``None`` when false (unless a loaded configuration had unknown keys: then
    they are kept there and reported as "is not a known setting for this connector").
``ArrayField``  ``items`` (nodes), ``item_schema``, ``add_item(value=None) -> node``,
    ``remove_item(i)``, ``move_item(i, delta) -> new index``, ``min_items``, ``max_items``,
    ``can_add``.
``MapField``  ``rows`` of ``MapRow(key, value node, key_error)``; ``add_row(key="", value=None)
    -> MapRow``, ``remove_row(i)``, ``move_row(i, delta)``, ``set_key(i, key) -> error|None``
    (keys non-empty and unique).
``ChoiceField``  oneOf/anyOf or a multi-type list: ``variants`` (``Variant.label``,
    ``.schema``, ``.is_null``), ``variant_labels``, ``selected``, ``active`` (node of the
    chosen variant, same path as the choice; ``None`` for a null variant), ``select(i)``,
    ``guess(value) -> index`` (used by ``load``). Labels: variant title, else a one-value enum
    discriminator, else the ``$ref`` name, else the required property names, else the type.
``JsonField``  fallback (allOf, not, patternProperties, remote $ref, recursive definitions
    beyond 2 expansions or depth 20, tuple ``items``, unknown types, free objects): ``text``
    as JSON, ``reason``, ``set_text`` parses and validates against the sub-schema.

Common: ``name``, ``label`` (title or humanised name), ``help`` (description), ``required``,
``nullable``, ``schema``, ``error``, ``validate() -> list[FieldError]`` (the subtree, field by
field), ``children()``, ``walk()``.

Payload rules:
* Left out: fields left empty, unless required (then an error "is required"; a required
  nullable field sends ``null``). Optional objects whose fields are all untouched are left
  out; an object or list loaded from the configuration is kept even if emptied.
* Defaults are pre-filled and **sent explicitly** (what the form shows is what is sent).
* Integers, numbers and booleans are typed; a string field sends the text as typed.
* A secret still "unchanged" (loaded as ``*****`` in edit mode) is an error on that field:
  "re-enter this secret: ...". ``*****`` is never sent.
* The whole payload is validated with one Draft4Validator compiled per tree; errors come
  back as sentences keyed by dotted path (``FieldError(path, message)``), in form order.

Large schemas: ``measure_schema(schema)`` (no tree built) gives a :class:`FormSize`;
``.sectioned`` → show ``sections_of(tree.root)`` (:mod:`tui.forms.sections`), mounting a
section's fields when it is opened; ``.large`` / ``.needs_json_editor`` →
``build_form(schema, as_json=True)`` (one JSON field, ``reason`` says why; see
:func:`tui.forms.large.form_for`). A keystroke calls ``node.set_text`` (checks that field
alone, microseconds); ``tree.validate()`` (the whole form with jsonschema, 1 ms for 400
fields, 3 ms for 4,000) runs on a keystroke only once the form was checked.

Drafts: ``tree.draft()`` is JSON-able and never holds a secret; ``tree.load_draft(d)``.
Server errors: ``map_server_error(tree, message) -> (path | None, sentence)``;
``tree.apply_server_error(message)`` also sets the field's ``error``.
"""

from .fields import (
    OMIT,
    ArrayField,
    ChoiceField,
    FieldNode,
    FormMode,
    JsonField,
    Kind,
    MapField,
    MapRow,
    NodeFactory,
    ObjectField,
    Origin,
    PemError,
    ScalarField,
    SecretState,
    Variant,
    read_pem_file,
)
from .messages import SECRET_UNCHANGED, UNKNOWN_SETTING, FieldError
from .schema import EXTRA, join_path, parse_path
from .size import FormSize, measure_schema
from .tree import FormInvalid, FormTree, build_form, map_server_error

__all__ = [
    "EXTRA",
    "OMIT",
    "SECRET_UNCHANGED",
    "UNKNOWN_SETTING",
    "ArrayField",
    "ChoiceField",
    "FieldError",
    "FieldNode",
    "FormMode",
    "FormInvalid",
    "FormSize",
    "FormTree",
    "JsonField",
    "Kind",
    "MapField",
    "MapRow",
    "NodeFactory",
    "ObjectField",
    "Origin",
    "PemError",
    "ScalarField",
    "SecretState",
    "Variant",
    "build_form",
    "join_path",
    "map_server_error",
    "measure_schema",
    "parse_path",
    "read_pem_file",
]
