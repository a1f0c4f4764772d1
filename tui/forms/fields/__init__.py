"""Field nodes: the tree a connector's ``configurationSchema`` is turned into.

One module per node kind (see :mod:`tui.forms` for the overview). Every node knows its
schema, how to load a value, how to validate itself alone (:meth:`FieldNode.validate`) and
what it contributes to the payload (:meth:`FieldNode.payload_value`, which returns
:data:`OMIT` to leave it out). Nodes build their children through a :class:`NodeFactory`
(the builder), so this package never imports the builder.
"""

from tui.secrets import PemError, read_pem_file, strip_secrets

from .array import ArrayField
from .base import OMIT, FieldNode, FormMode, Kind, NodeFactory, Origin
from .choice import ChoiceField, ChoiceKeyword, Variant
from .constraints import check_constraints
from .json_field import JsonField
from .map_field import MapField, MapRow
from .object_field import ObjectField
from .scalar import ScalarField, SecretState

__all__ = [
    "OMIT",
    "ArrayField",
    "ChoiceField",
    "ChoiceKeyword",
    "FieldNode",
    "FormMode",
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
    "check_constraints",
    "read_pem_file",
    "strip_secrets",
]
