"""JSON descriptions of the document types: field lists with samples, and JSON Schemas."""
from __future__ import annotations

from typing import Any

from ..documents.spec import DocumentType, FieldSpec, GroupSpec


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """The JSON Schema of one field's value: its kind's (service/documents/kinds/), with the
    field's label as title and its help as description."""
    schema = dict(spec.field_kind.json_schema(spec))
    schema["title"] = spec.label
    if spec.help:
        schema["description"] = spec.help
    return schema


def object_schema(fields, doc: str = "") -> dict[str, Any]:
    """The JSON Schema of an object of these fields (groups as arrays of objects); no other keys."""
    props: dict[str, Any] = {}
    required = []
    for spec in fields:
        if isinstance(spec, GroupSpec):
            props[spec.name] = {"type": "array", "title": spec.label, "minItems": spec.min_entries,
                                "maxItems": spec.max_entries, "items": object_schema(spec.fields)}
            required.append(spec.name)
        else:
            props[spec.name] = field_schema(spec)
            if spec.required and not spec.required_if:
                required.append(spec.name)
    schema = {"type": "object", "properties": props, "required": required, "additionalProperties": False}
    if doc:
        schema["description"] = doc
    return schema


def request_schema(doctype: DocumentType) -> dict[str, Any]:
    """The JSON Schema of a POST /api/documents/<slug> body."""
    schema = object_schema(doctype.form_fields, doctype.api_description)  # by_service fields are never sent
    schema["properties"]["case_sign"] = {
        "type": "string", "title": "Znak istniejącej sprawy",
        "description": "Bez tego pola (i bez family_id) dokument otwiera nową sprawę w swojej klasie JRWA "
                       "i zakłada teczkę rodziny z tego, co podaje."}
    schema["properties"]["family_id"] = {
        "type": "integer", "title": "Rodzina",
        "description": "Dokument trafia do sprawy tej rodziny; pola pominięte w treści wypełnia się "
                       "z teczki rodziny (podana wartość ma pierwszeństwo)."}
    if doctype.slug == "monthly_time_report":  # families.monthly_prefill.ENVELOPE
        schema["properties"]["assistant"] = {
            "type": "string", "title": "Asystent rodziny (login)",
            "description": "Czyje sprawozdanie z czasu pracy: domyślnie wywołującego; innego asystenta może "
                           "wskazać tylko kierownik ośrodka."}
    # With a family, the fields its file knows may be left out: which ones, the answer's 422 says.
    required = schema.pop("required")
    schema["anyOf"] = [{"required": required}, {"required": ["family_id"]}]
    return schema


def describe_field(spec: FieldSpec | GroupSpec) -> dict[str, Any]:
    """A field as the API lists it: name, label, kind, rules, help and sample value."""
    if isinstance(spec, GroupSpec):
        return {"name": spec.name, "label": spec.label, "kind": "group", "required": spec.min_entries > 0,
                "min_entries": spec.min_entries, "max_entries": spec.max_entries, "help": spec.help,
                "fields": [describe_field(f) for f in spec.fields], "sample": spec.sample}
    out = {"name": spec.name, "label": spec.label, "kind": spec.kind,
           "required": spec.required and not spec.required_if, "help": spec.help, "sample": spec.sample,
           "max_length": spec.length_limit}
    if spec.required_if:
        out["required_if"] = {"field": spec.required_if[0], "equals": spec.required_if[1]}
    if spec.choices:
        out["choices"] = [{"value": k, "label": v} for k, v in spec.choices]
    if spec.choices_from is not None:
        out["choices_from_family"] = True  # the family's own choices, e.g. its plan's goals
    if spec.min_value is not None:
        out["min_value"] = spec.min_value
    if spec.max_value is not None:
        out["max_value"] = spec.max_value
    return out


def describe_type(doctype: DocumentType) -> dict[str, Any]:
    """Everything a client needs to fill a document type."""
    return {
        "slug": doctype.slug, "title": doctype.title, "description": doctype.api_description,
        "legal_basis": doctype.legal_basis.citation, "jrwa_key": doctype.jrwa_key,
        "template_version": doctype.template_version, "issued_by": sorted(role.value for role in doctype.issued_by),
        "fields": [describe_field(f) for f in doctype.form_fields],
        # fields the service fills in when issuing (never sent), e.g. a visit record's assistant_login
        "set_by_service": [f.name for f in doctype.fields if f not in doctype.form_fields],
        "signers": [{"key": s.key, "label": s.label, "signer": s.signer, "repeat_over": s.repeat_over,
                     "only_if": s.only_if, "staff_role": s.staff_role.value if s.staff_role else None} for s in doctype.signers],
        "sample": doctype.sample_data,
        "schema": request_schema(doctype),
    }
