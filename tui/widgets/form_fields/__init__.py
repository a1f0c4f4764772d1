"""Widgets of a connector configuration form: one module per node kind.

``SchemaForm`` (form.py) builds the widgets of a :class:`tui.forms.FormTree`: ``TextField``
(text, numbers, one-line secrets), ``BooleanField`` / ``EnumField`` (choices.py),
``PemField`` (certificates and keys), ``JsonEditor`` (what cannot be fields), ``ObjectGroup``
/ ``ChoiceGroup`` (groups.py), ``ListGroup`` (lists.py) and ``MapGroup`` (maps.py); a large
form's fields sit in ``FormSection``s (sections.py), mounted when opened. Each posts
:class:`FieldEdited` when its node changes. A boolean's switch says its state in text
(``TextSwitch``, switch.py); every choice is a ``Dropdown`` (dropdown.py), whose menu takes
the keys typed right after opening it.
"""

from .base import UNCHANGED_PLACEHOLDER, FieldBox, FieldEdited, FormView, label_text
from .choices import BooleanField, EnumField
from .form import SchemaForm
from .groups import ChoiceGroup, ObjectGroup
from .json_text import JsonEditor
from .lists import ListGroup, item_title
from .maps import MapEntry, MapGroup
from .pem import PemField
from .sections import FormSection
from .text import TextField

__all__ = [
    "UNCHANGED_PLACEHOLDER",
    "BooleanField",
    "ChoiceGroup",
    "EnumField",
    "FieldBox",
    "FormSection",
    "FieldEdited",
    "FormView",
    "JsonEditor",
    "ListGroup",
    "MapEntry",
    "MapGroup",
    "ObjectGroup",
    "PemField",
    "SchemaForm",
    "TextField",
    "item_title",
    "label_text",
]
