"""One class per kind of field: what a value of it looks like stored, in JSON, in a document and on a page.

A FieldSpec names its kind with a string ("date", "pesel", …); the registry KINDS maps that name to
one FieldKind object, and every consumer asks the object instead of comparing names:

- `check_spec(spec)`: the declaration is possible (a choice has choices, only a PESEL is adult);
- `json_schema(spec)`: the JSON Schema of a stored value (service/api/schema.py adds title and help);
- `canonical(value)`: the JSON-ready stored value of what the form read (None for nothing);
- `form_values(value)`: a JSON value turned into the form data a web page would post (json_input.py);
- `printed(spec, value)`: what the DOCX template gets (context.build_context), texts passed through
  context.printed;
- `shown(spec, value)`: the text of a stored value on a page (display.shown_value);
- `default_length`: the longest text accepted when the spec sets no max_length;
- `normalisation`: which text filters of service.forms_base its form input passes ("line",
  "block", "identifier", "email"), None for inputs that are not free text.

The WTForms field of each kind lives above this package, in service/forms_kinds.py (documents/ knows no
web framework: tests/test_layers.py), registered by kind class; tests/documents/test_field_kinds.py
fails for a kind that lacks any part. Adding a kind of field is one class here (basic.py or
parsed.py), one registered function there.

The three kinds that read typed text themselves (time, month, integer) have `parse(spec, text)`,
which both the form field and the tests use; it raises ValueError with the Polish message.
"""
from __future__ import annotations

from .base import KINDS, FieldKind, kind_named, register
from .basic import (BooleanKind, CaseNumberKind, ChoiceKind, DateKind, EmailKind, MultichoiceKind, NipKind,
                    PeselKind, PhoneKind, PostalCodeKind, TextareaKind, TextKind)
from .parsed import IntegerKind, MonthKind, ParsedKind, TimeKind

FIELD_KINDS = frozenset(KINDS)

__all__ = ["KINDS", "FIELD_KINDS", "FieldKind", "kind_named", "register", "ParsedKind", "TextKind",
           "TextareaKind", "PeselKind", "NipKind", "PostalCodeKind", "PhoneKind", "EmailKind", "CaseNumberKind",
           "DateKind", "ChoiceKind", "MultichoiceKind", "BooleanKind", "TimeKind", "MonthKind", "IntegerKind"]
