"""JSON Schemas of the API's answers and the reusable error responses, for /api/openapi.json.

Each schema lists the keys the views always send (`required`) and allows more, so a client written
against this document keeps working when an answer gains a key. The shapes mirror
service/api/views.py (document_json), service/api/schema.py (describe_type) and
service/api/signing.py (session_json); the families' shapes are in service/api/openapi_families.py
(service/api/family_json.py); tests/api/test_fuzz.py checks every answer against them.
"""
from __future__ import annotations

from typing import Any

REF = "#/components/schemas/"

_STRING = {"type": "string"}
_URL = {"type": "string", "format": "uri"}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}


def ref(name: str) -> dict[str, str]:
    """A $ref to one of SCHEMAS."""
    return {"$ref": REF + name}


def obj(properties: dict[str, Any], *, optional: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """An object schema whose listed properties are all required except `optional`; more keys allowed."""
    return {"type": "object", "properties": properties,
            "required": [k for k in properties if k not in optional], **extra}


_FILE = obj({"sha256": _STRING, "size": {"type": "integer", "minimum": 0}})
_SIGNER = obj({"position": {"type": "integer", "minimum": 1}, "slot": _STRING, "role": _NULLABLE_STRING,
                   "name": _NULLABLE_STRING, "signed": {"type": "boolean"}, "signed_at": _NULLABLE_TIME,
                   "method": _NULLABLE_STRING})
_SIGNED_DOCUMENT = obj({"id": _STRING, "sha256": _STRING, "size": {"type": "integer"}, "page": _URL,
                            "pdf": _URL})
_SESSION_PROPERTIES = {
    "id": _STRING, "state": _STRING, "state_label": _STRING, "mode": _STRING, "created_at": _NULLABLE_TIME,
    "expires_at": _NULLABLE_TIME, "link_opened": {"type": "boolean"},
    "signers": {"type": "array", "items": _SIGNER},
    "signed_document": {"oneOf": [{"type": "null"}, _SIGNED_DOCUMENT]},
}
_FIELD = {
    "type": "object", "required": ["name", "label", "kind", "required", "sample"],
    "properties": {"name": _STRING, "label": _STRING, "kind": _STRING, "required": {"type": "boolean"},
                   "help": _STRING, "max_length": {"type": ["integer", "null"]},
                   "min_value": {"type": "integer"}, "max_value": {"type": "integer"},
                   "fields": {"type": "array", "items": {"type": "object"}},
                   "choices": {"type": "array", "items": obj({"value": _STRING, "label": _STRING})}},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Signing": obj({
        "signers_planned": {"type": "integer", "minimum": 0},
        "session": {"oneOf": [{"type": "null"}, ref("SigningSession")]},
        "signed_versions": {"type": "array", "items": obj({
            "id": _STRING, "kind": _STRING, "created_at": _TIME, "sha256": _STRING,
            "size": {"type": "integer"}, "signers": {}, "pdf": _URL,
            "replaces": _NULLABLE_STRING, "replace_reason": _NULLABLE_STRING,
            "replaced_by": {"oneOf": [{"type": "null"}, obj({
                "id": _STRING, "created_at": _TIME, "reason": _NULLABLE_STRING})]}})},
        "signed_pdf": {"oneOf": [{"type": "null"}, _URL]}},
        description="Stan podpisywania: ostatnia sesja, podpisane wersje i najnowszy podpisany PDF (albo null)."),
    "Error": obj({"error": {"type": "string", "description": "Komunikat po polsku."}}),
    "FieldErrors": obj({
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": _STRING},
                   "description": "Komunikaty po polsku dla każdego błędnego pola, np. \"persons[0].pesel\"; "
                                  "klucz \"\" dotyczy całej treści żądania."},
        "error": _STRING,
    }, optional=("error",)),
    "DocumentTypeList": obj({"document_types": {"type": "array", "items": obj({
        "slug": _STRING, "title": _STRING, "description": _STRING,
        "issued_by": {"type": "array", "items": _STRING}, "url": _URL})}}),
    "DocumentType": obj({
        "slug": _STRING, "title": _STRING, "description": _STRING, "legal_basis": _STRING, "jrwa_key": _STRING,
        "template_version": _STRING, "issued_by": {"type": "array", "items": _STRING},
        "fields": {"type": "array", "items": _FIELD},
        "signers": {"type": "array", "items": obj({
            "key": _STRING, "label": _STRING, "signer": {"enum": ["family", "staff"]},
            "repeat_over": _NULLABLE_STRING, "only_if": _NULLABLE_STRING, "staff_role": _NULLABLE_STRING})},
        "sample": {"type": "object"},
        "schema": {"type": "object", "description": "JSON Schema treści POST /api/documents/{slug}."},
    }),
    "SigningSession": obj(_SESSION_PROPERTIES),
    "SigningStarted": obj({
        **_SESSION_PROPERTIES, "link": _URL, "code": {"type": "string", "description": "np. ABCD-2345"},
        "qr": _URL, "document": _URL}),
    "Document": obj({
        "id": _STRING, "type": _STRING, "title": _STRING, "case_sign": _STRING, "case_title": _STRING,
        "jrwa_symbol": _STRING, "archival_category": _STRING, "template_version": _STRING,
        "template_sha256": _NULLABLE_STRING, "created_at": _TIME, "author": _STRING,
        "data": {"type": "object", "description": "Dane dokumentu po walidacji, tak jak zapisane."},
        "files": obj({"pdf": _FILE, "docx": _FILE}),
        "seal_certificate_sha256": _NULLABLE_STRING,
        "signing": ref("Signing"),
        "family_copy": {"oneOf": [{"type": "null"}, obj({
            "link": _URL, "code": {"type": "string", "description": "np. ABCDE-FGHJK"}, "expires_at": _TIME,
            "signed_document": _STRING},
            description="Jednorazowy link rodziny do podpisanego PDF (otwiera go raz; HEAD go nie zużywa), "
                        "dopóki można go użyć; inaczej null.")]},
        "links": obj({"self": _URL, "pdf": _URL, "docx": _URL}),
    }),
}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The `content` of a JSON request or response with this schema."""
    return {"content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    """A response whose body is {"error": "<Polish message>"}."""
    return {"description": description, **json_body(ref("Error"))}


# Every answer of every operation may be one of these (see service/security.py and the app's
# JSON error handlers for /api/ paths in service/__init__.py).
RESPONSES: dict[str, dict[str, Any]] = {
    "Unauthorized": error("Brak albo nieważny token (nagłówek Authorization: Bearer <token>)"),
    "Forbidden": error("Rola nie pozwala na tę operację"),
    "NotFound": error("Nie ma takiego zasobu albo nie masz do niego dostępu"),
    "Unavailable": {
        "description": "Konwertery dokumentów są zajęte albo konwersja się nie powiodła: nic nie zapisano, "
                       "spróbuj ponownie po czasie z nagłówka Retry-After",
        "headers": {"Retry-After": {"description": "Po ilu sekundach ponowić żądanie (RFC 9110, 10.2.3)",
                                    "required": True, "schema": {"type": "integer", "minimum": 0}}},
        **json_body(ref("Error")),
    },
}


def common_responses(*names: str) -> dict[str, dict[str, str]]:
    """Status code -> $ref of the named reusable responses (401 and 403 always)."""
    codes = {"Unauthorized": "401", "Forbidden": "403", "NotFound": "404", "Unavailable": "503"}
    return {codes[n]: {"$ref": f"#/components/responses/{n}"} for n in ("Unauthorized", "Forbidden", *names)}
