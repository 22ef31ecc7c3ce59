"""A family's registration as JSON (the API's and the CLI's shape), checked by the page's form.

The JSON groups what the form keeps flat:

    {"members": [{"full_name", "pesel" | "birth_date", "relation", "sex", "phone", "email"}, …],
     "address": {"street", "postal_code", "town"},
     "correspondence_address": {"street", "postal_code", "town"},          (optional)
     "basis": {"kind": "request" | "court" | "referral" | "zz_application", …that kind's fields},
     "social_worker": "<login>"}                                          (optional)

read_family_json flattens it into the FamilyForm's field names (documents.json_input, with the
registration's Declaration), validates with the same FamilyForm the page uses (so every message is
the page's), and reports errors under the JSON paths: "members[1].pesel", "address.postal_code",
"basis.court_case_number".
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.manage import read_login
from ..accounts.models import User
from ..documents.json_input import json_to_formdata
from ..documents.spec import FieldSpec
from ..forms_base import TextForm
from ..forms_builder import errors_by_path, make_field
from .registration import BASIS_FIELDS, CORRESPONDENCE, Declaration, FamilyForm

ADDRESS_KEYS = ("street", "postal_code", "town")
# JSON object -> {its key: the form's field name}
OBJECTS = {
    "address": {key: key for key in ADDRESS_KEYS},
    "correspondence_address": dict(zip(ADDRESS_KEYS, CORRESPONDENCE)),
    "basis": {"kind": "basis_kind", **{name: name for names in BASIS_FIELDS.values() for name in names}},
}
TOP_LEVEL = ("members", "social_worker", *OBJECTS)
# The form's field name -> its JSON path
JSON_PATH = {form: f"{obj}.{key}" for obj, keys in OBJECTS.items() for key, form in keys.items()}
NOT_AN_OBJECT = "Oczekiwano obiektu JSON."


_ROW_FIELD = re.compile(r"^(\w+)-(\d+)-(\w+)$")


def json_path(form_path: str) -> str:
    """The JSON path of a form error path: 'corr_town' -> 'correspondence_address.town', and a
    row's field in the form's own spelling 'members-1-pesel' -> 'members[1].pesel'."""
    row = _ROW_FIELD.match(form_path)
    if row:
        return f"{row[1]}[{row[2]}].{row[3]}"
    return JSON_PATH.get(form_path, form_path)


def flatten(payload: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The JSON body with its objects opened into the form's names, and the errors of its shape
    (an unknown key, an object that is not one) under their JSON paths."""
    flat: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in payload.items():
        if key not in TOP_LEVEL:
            errors[key] = ["Nieznane pole."]
        elif key in OBJECTS:
            if value is None:
                continue
            if not isinstance(value, dict):
                errors[key] = [NOT_AN_OBJECT]
                continue
            for sub, sub_value in value.items():
                if sub in OBJECTS[key]:
                    flat[OBJECTS[key][sub]] = sub_value
                else:
                    errors[f"{key}.{sub}"] = ["Nieznane pole."]
        else:
            flat[key] = value
    return flat, errors


def read_family_json(payload: object) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Checks a registration body; returns (FamilyForm.cleaned() data, {}) when it is valid, else
    (None, {"<json path>": ["<Polish message>", …]}). A body that is not a JSON object is reported
    under the key "". Needs an app context (the form's messages), no request."""
    if not isinstance(payload, dict):
        return None, {"": ["Treść żądania musi być obiektem JSON."]}
    flat, errors = flatten(payload)
    formdata, type_errors = json_to_formdata(Declaration, flat, envelope=())
    form = FamilyForm(formdata=formdata, meta={"csrf": False})
    # Choices are not checked by the form (the login is looked up by registration.register_family)
    form.social_worker.choices = [(str(flat.get("social_worker") or ""), "")]
    valid = form.validate()
    # A value of the wrong JSON type is reported as such, not as the empty field the form then saw.
    for path, messages in [*type_errors.items(), *errors_by_path(form).items()]:
        errors.setdefault(json_path(path), messages)
    if errors or not valid:
        return None, errors or {"": ["Popraw dane rodziny."]}
    return form.cleaned(), {}


ASSIGNMENT_FIELDS = (
    FieldSpec("assistant", "Asystent rodziny", "text", max_length=64, help="login asystenta rodziny"),
    FieldSpec("start_date", "Przydział od dnia", "date"),
)


class AssignmentForm(TextForm):
    """The assignment's input (a login and a date), checked with the words of every form."""


for _spec in ASSIGNMENT_FIELDS:
    setattr(AssignmentForm, _spec.name, make_field(_spec))


class _AssignmentDeclaration:
    @staticmethod
    def field(name: str) -> FieldSpec:
        for spec in ASSIGNMENT_FIELDS:
            if spec.name == name:
                return spec
        raise KeyError(name)


def read_assignment_json(session: Session, payload: object) -> tuple[tuple[User, dt.date] | None, dict[str, list[str]]]:
    """Checks an assignment body {"assistant": "<login>", "start_date": "YYYY-MM-DD"}; returns
    ((the assistant's User, the date), {}) or (None, {"assistant" | "start_date" | "": [messages]}).
    A login of no account is refused here; whether the account is an active assistant, and the
    limit of families, are assign_assistant's (AssignmentRefused)."""
    if not isinstance(payload, dict):
        return None, {"": ["Treść żądania musi być obiektem JSON."]}
    formdata, errors = json_to_formdata(_AssignmentDeclaration, payload, envelope=())
    form = AssignmentForm(formdata=formdata)
    form.validate()
    errors = {**errors_by_path(form), **errors}
    assistant = None
    if "assistant" not in errors:
        assistant = session.execute(select(User).where(User.login == read_login(form.assistant.data))
                                    ).scalar_one_or_none()
        if assistant is None:
            errors["assistant"] = ["Nie ma konta o tym loginie."]
    if errors:
        return None, errors
    return (assistant, form.start_date.data), {}
