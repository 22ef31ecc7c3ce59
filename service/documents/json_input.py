"""The API's JSON body of a document, flattened into the form data its WTForms form reads.

The API and anything else that takes a document's values as JSON (the values pre-filled from a
family's file: family_facts.prefill) validate them with the same form as the web page
(forms_builder.form_class), so the JSON shape (that of DocumentType.sample_data) is turned here
into the form's field names: persons[0].full_name -> persons-0-full_name, a boolean -> "y" or
nothing, a multichoice -> the key repeated.
"""
from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from werkzeug.datastructures import MultiDict

from ..families.people import count_pl
from .spec import DocumentType, FieldSpec, GroupSpec


def parse_json(text: str | bytes) -> Any:
    """A JSON text read as the standard json module reads it; raises ValueError for one that is not
    JSON and for one nested deeper than Python's recursion limit (about a thousand levels), which
    the json module reports as RecursionError: no body or file of the service nests that deep."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def json_to_formdata(doctype: DocumentType, payload: dict[str, Any], envelope: Collection[str] = ("case_sign",)
                     ) -> tuple[MultiDict, dict[str, list[str]]]:
    """Flattens a JSON body into the form's field names; type errors are reported per field.

    Takes the type and the body ({"persons": [{"full_name": …}], "consent_date": "2026-11-24"});
    the keys in `envelope` are about the request, not the document (the case to file it in), and
    are skipped. Returns the form data and {"persons[0].pesel": ["Oczekiwano tekstu …"]} for
    values of the wrong JSON type, an unknown key, or a group with more rows than it allows.
    """
    data: MultiDict = MultiDict()
    errors: dict[str, list[str]] = {}

    def put(name: str, spec: FieldSpec, value: Any, path: str | None = None) -> None:
        # `path` is where the body holds the value ("goals[0].goal_no"), as the form's own errors
        # name it (forms_builder.errors_by_path); `name` is the form's field ("goals-0-goal_no").
        if value is None:
            return
        try:
            values = spec.field_kind.form_values(value)  # service/documents/kinds/
        except ValueError as error:
            errors[path or name] = [str(error)]
            return
        for v in values:
            data.add(name, v)

    for key, value in payload.items():
        if key in envelope:
            continue
        try:
            spec = doctype.field(key)
        except KeyError:
            errors[key] = ["Nieznane pole."]
            continue
        if getattr(spec, "by_service", False):
            errors[key] = ["Tego pola się nie wysyła: jego wartość ustala system przy wystawianiu dokumentu."]
            continue
        if isinstance(spec, GroupSpec):
            if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                errors[key] = ["Oczekiwano listy obiektów."]
                continue
            if len(value) > spec.max_entries:
                errors[key] = [f"Najwyżej {count_pl(spec.max_entries, 'pozycja', 'pozycje', 'pozycji')}."]
                continue
            subs = {f.name: f for f in spec.fields}
            for i, row in enumerate(value):
                for sub_key, sub_value in row.items():
                    if sub_key not in subs:
                        errors[f"{key}[{i}].{sub_key}"] = ["Nieznane pole."]
                    else:
                        put(f"{key}-{i}-{sub_key}", subs[sub_key], sub_value, f"{key}[{i}].{sub_key}")
        else:
            put(key, spec, value)
    return data, errors
